"""The editor's session: one item's lifecycle (load, change, stash, save, submit, close), no widgets.

:class:`EditorSession` owns the :class:`EditorState`, counts the trainee's changes, runs the
autosave timer and does the database work as operations of its own (``portfolio.ui.operations``),
reporting each outcome by a signal; :class:`~portfolio.ui.editor.window.EvidenceEditor` is the
view that shows it. The view gives the session ``snapshot`` (everything it shows, as JSON-ready
data) for the stash; time comes from ``clock`` so a test can stop it.

Lifecycle: LOADING → CLEAN ⇄ DIRTY → SAVING → CLEAN … → CLOSED (or UNAVAILABLE when the item
cannot be read). While open the session follows changes made elsewhere (``Operations.changed``):
the item is read again (``refreshed``); a restore or import, which replace the stored drafts,
makes a dirty session stash again.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import Enum, auto
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from portfolio.app import Portfolio
from portfolio.curriculum import Curriculum, gpc
from portfolio.errors import ChangedElsewhere, NotFound, PortfolioError
from portfolio.privacy import Finding
from portfolio.services.dto import EvidenceDetail, EvidenceDraft, PlacementData, SignOffStatus
from portfolio.services.recovery import Unsaved
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import Connections
from portfolio.vocabulary import ChangeKind

AUTOSAVE_MS = 3000

Clock = Callable[[], datetime]


class EditorState(Enum):
    LOADING = auto()
    """Reading the item, or filling the widgets from it: changes now are not the trainee's."""
    UNAVAILABLE = auto()
    """The item could not be read; the reason is shown and there is nothing to lose."""
    CLEAN = auto()
    """Shows what is saved."""
    DIRTY = auto()
    """Changed since the last save; the autosave keeps a copy."""
    SAVING = auto()
    SAVING_TO_CLOSE = auto()
    """Saving, and the window closes when the save succeeds."""
    CLOSED = auto()


SAVING_STATES = (EditorState.SAVING, EditorState.SAVING_TO_CLOSE)
EDITABLE_STATES = (EditorState.CLEAN, EditorState.DIRTY, *SAVING_STATES)

Loaded = tuple[
    EvidenceDetail | None,
    list[PlacementData],
    tuple[Curriculum, Curriculum | None],
    set[tuple[str, str]],
    list[SignOffStatus],
]
"""What the session reads before the view shows: item, placements, the GPC framework and the
trainee's own curriculum (or None), dismissals, sign-offs."""


class EditorSession(QObject):
    """One item being edited: existing by uuid, new of ``kind``, or a recovered draft."""

    loaded = Signal()
    """Read: :attr:`detail`, :attr:`placements`, :attr:`curriculum` and the rest are set."""
    load_failed = Signal(object)
    """A :class:`PortfolioError`; the state is UNAVAILABLE."""
    refreshed = Signal()
    """The item was read again after a change elsewhere: detail, sign-offs and dismissals."""
    extras_changed = Signal()
    """Only the sign-offs (after a save) or the stored dismissals were read again."""
    failed = Signal(object)
    """A :class:`PortfolioError` of a reload or a stash: words on screen are not at risk."""
    stashed = Signal(object)
    """The ``datetime`` (from the clock) an autosave stash was written."""
    saving = Signal()
    saved = Signal(object)
    """The saved :class:`EvidenceDetail`."""
    save_failed = Signal(object)
    """A :class:`PortfolioError`; the state is DIRTY again and the words are stashed."""
    submitted = Signal(object)
    """The submitted :class:`EvidenceDetail`."""
    state_changed = Signal()
    closed = Signal()

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        snapshot: Callable[[], dict[str, Any]],
        *,
        item_uuid: str | None = None,
        kind: str | None = None,
        recovered: Unsaved | None = None,
        clock: Clock = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if sum(x is not None for x in (item_uuid, kind, recovered)) != 1:
            raise ValueError("give exactly one of item_uuid, kind or recovered")
        self._portfolio = portfolio
        self._ops = ops
        self._snapshot = snapshot
        self.clock = clock
        self.recovered = recovered
        if recovered is not None:
            self.uuid: str | None = recovered.evidence_uuid
            self.key = recovered.key
            self.kind = recovered.kind
        else:
            self.uuid = item_uuid
            self.key = item_uuid or str(uuid_module.uuid4())
            """The stash's key: the item's uuid; for a new item the uuid its first save gives."""
            self.kind = kind or ""
        self.detail: EvidenceDetail | None = None
        self.placements: list[PlacementData] = []
        self.curriculum: Curriculum | None = None
        self.own: Curriculum | None = None
        """The trainee's own curriculum, from the profile (None when they chose none)."""
        self.signoffs: list[SignOffStatus] = []
        self.dismissed: set[tuple[str, str]] = set()
        """The item's stored "not patient data" dismissals."""
        self.pending_dismissals: list[Finding] = []
        """Dismissals made before the item's first save: stored by that save."""
        self.stash_count = 0
        self._state = EditorState.LOADING
        self._generation = 0
        """Counts the trainee's changes; the autosave and the save remember which they covered."""
        self._stashed_generation = 0
        self._saving_generation = 0
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.stash_now)
        self._connections = Connections(self)  # owned, so a closed editor stops listening
        self._connections.connect(ops.changed, self._data_changed)

    # -- state ---------------------------------------------------------------------------------

    @property
    def state(self) -> EditorState:
        return self._state

    def set_state(self, state: EditorState) -> None:
        self._state = state
        self.state_changed.emit()

    @property
    def is_editable(self) -> bool:
        return self._state in EDITABLE_STATES

    @property
    def is_dirty(self) -> bool:
        """Changed since the last save (a save under way has not saved yet)."""
        return self._state is EditorState.DIRTY or self._state in SAVING_STATES

    @property
    def pending_keys(self) -> set[tuple[str, str]]:
        return {(f.kind, f.text) for f in self.pending_dismissals}

    @property
    def all_dismissals(self) -> set[tuple[str, str]]:
        return self.dismissed | self.pending_keys

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        portfolio = self._portfolio
        uuid, key, recovering = self.uuid, self.key, self.recovered is not None

        def work() -> Loaded:
            detail = None
            if uuid is not None:
                detail = portfolio.evidence.get(uuid)
            elif recovering:  # saved after the stash was written, just before a crash
                try:
                    detail = portfolio.evidence.get(key)
                except NotFound:
                    detail = None
            dismissed, signoffs = _item_extras(portfolio, detail)
            profile = portfolio.profile.get()
            chosen = profile.curriculum_id if profile is not None else ""
            own = portfolio.curricula.own(chosen) if chosen else None
            return detail, portfolio.placements.list(), (gpc(), own), dismissed, signoffs

        self._ops.database(self, work).success(self._on_loaded).failure(self._unavailable).run()

    def _on_loaded(self, result: Loaded) -> None:
        detail, self.placements, (self.curriculum, self.own), dismissed, self.signoffs = result
        self.dismissed = set(dismissed)
        self.detail = detail
        if detail is not None:
            self.uuid = detail.uuid
            self.kind = detail.kind
        self.loaded.emit()

    def shown(self) -> None:
        """The view shows what was loaded: a recovered draft is dirty, and already stashed."""
        if self.recovered is not None:
            self.set_state(EditorState.DIRTY)
            self._stashed_generation = self._generation
        else:
            self.set_state(EditorState.CLEAN)

    def _unavailable(self, error: PortfolioError) -> None:
        self.set_state(EditorState.UNAVAILABLE)
        self.load_failed.emit(error)

    def reload(self) -> None:
        """The item changed elsewhere: read it again (the view decides what to show)."""
        if self.uuid is None or not self.is_editable:
            return
        portfolio, uuid = self._portfolio, self.uuid

        def work() -> tuple[EvidenceDetail, set[tuple[str, str]], list[SignOffStatus]]:
            detail = portfolio.evidence.get(uuid)
            return (detail, *_item_extras(portfolio, detail))

        def loaded(
            result: tuple[EvidenceDetail, set[tuple[str, str]], list[SignOffStatus]],
        ) -> None:
            if not self.is_editable:
                return
            self.detail, dismissed, self.signoffs = result
            self.dismissed = set(dismissed)
            self.refreshed.emit()

        def failed(error: PortfolioError) -> None:
            if self._state is EditorState.CLEAN:  # gone (a restore, say): nothing unsaved here
                self._unavailable(error)
            else:
                self.failed.emit(error)

        self._ops.database(self, work).success(loaded).failure(failed).run()

    def _reload_dismissals(self) -> None:
        portfolio, uuid = self._portfolio, self.uuid
        assert uuid is not None

        def loaded(dismissed: set[tuple[str, str]]) -> None:
            self.dismissed = set(dismissed)
            self.extras_changed.emit()

        self._ops.database(self, lambda: portfolio.privacy.dismissed(uuid)).success(loaded).run()

    def _reload_signoffs(self) -> None:
        """A save may have changed what the sign-offs say (now "edited afterwards")."""
        if self.uuid is None:
            return
        signoffs, uuid = self._portfolio.signoffs, self.uuid

        def show(found: list[SignOffStatus]) -> None:
            self.signoffs = found
            self.extras_changed.emit()

        self._ops.database(self, lambda: signoffs.history(uuid)).success(show).run()

    def _data_changed(self, changes: Changes) -> None:
        """Changes made elsewhere: the item is read again; a "not patient data" said in the
        portfolio-wide check applies here too; a change to every item (a restore or an import,
        which replace the stored drafts) makes unsaved words stash again."""
        if changes.origin in (self, self.parent()) or self._state is EditorState.CLOSED:
            return
        if changes.kind is ChangeKind.EVIDENCE and not changes.uuids and self.is_dirty:
            self._stashed_generation = -1
            self.stash_now()
        if self.uuid is None:
            return
        if changes.touches(ChangeKind.EVIDENCE, self.uuid):
            self.reload()
        elif changes.touches(ChangeKind.PRIVACY, self.uuid):
            self._reload_dismissals()

    def attachments_changed(self, detail: EvidenceDetail) -> None:
        """The view attached or removed files: the item as it now is."""
        self.detail = detail

    # -- changes and autosave ------------------------------------------------------------------

    def changed(self) -> bool:
        """The trainee changed something; False while the widgets are being filled or closed."""
        if not self.is_editable:
            return False
        self._generation += 1
        if self._state is EditorState.CLEAN:
            self.set_state(EditorState.DIRTY)
        self._autosave.start()
        return True

    @contextmanager
    def filling(self) -> Iterator[None]:
        """``with session.filling():`` changes to the widgets inside are not the trainee's."""
        was, self._state = self._state, EditorState.LOADING
        try:
            yield
        finally:
            self._state = was

    @property
    def stash_wanted(self) -> bool:
        return self.is_dirty and self._stashed_generation != self._generation

    def stash_now(self) -> None:
        """Write the autosave stash now (if anything changed since the last one)."""
        self._autosave.stop()
        # while saving: the save discards the stash; it is stashed again after if still needed
        if self._state is not EditorState.DIRTY or not self.stash_wanted:
            return
        self._stashed_generation = self._generation
        state = self._snapshot()
        evidence, recovery = self._portfolio.evidence, self._portfolio.recovery
        key, uuid, kind, clock = self.key, self.uuid, self.kind, self.clock
        title = state["title"] or self.tr("Untitled")

        def work() -> datetime:
            item_uuid = uuid
            if item_uuid is None:
                try:
                    item_uuid = evidence.get(key).uuid
                except NotFound:
                    item_uuid = None
            recovery.stash(key, kind, item_uuid, title, state)
            return clock()

        self._ops.database(self, work).success(self._on_stashed).failure(
            self._on_stash_failed
        ).run()

    def _on_stashed(self, when: datetime) -> None:
        self.stash_count += 1
        self.stashed.emit(when)

    def _on_stash_failed(self, error: PortfolioError) -> None:
        self._stashed_generation = -1  # try again at the next change or focus move
        self.failed.emit(error)

    # -- saving and submitting -----------------------------------------------------------------

    @property
    def can_save(self) -> bool:
        return self._state in (EditorState.CLEAN, EditorState.DIRTY)

    def save(
        self,
        draft: EvidenceDraft,
        after: Callable[[EvidenceDetail], None] | None = None,
        *,
        closing: bool = False,
    ) -> None:
        """Write a revision of ``draft`` (creating the item if new), then ``after`` it, or close
        when ``closing``. The view has asked its questions first (:attr:`can_save`)."""
        assert self.can_save
        generation = self._generation
        portfolio = self._portfolio
        evidence, recovery = portfolio.evidence, portfolio.recovery
        uuid, key = self.uuid, self.key
        dismissals = list(self.pending_dismissals)
        shown = self.detail.revision if self.detail is not None else None  # edited from

        def work() -> EvidenceDetail:
            if uuid is None:
                detail = evidence.create(draft, item_uuid=key)
            else:  # saved meanwhile on another workstation of a shared database: refused
                detail = evidence.update(uuid, draft, from_revision=shown)
            for finding in dismissals:  # "not patient data" said before the first save
                portfolio.privacy.dismiss(detail.uuid, finding)
            recovery.discard(key)
            return detail

        self.set_state(EditorState.SAVING_TO_CLOSE if closing else EditorState.SAVING)
        self._saving_generation = generation
        self._autosave.stop()
        self.saving.emit()
        kinds = (ChangeKind.EVIDENCE, ChangeKind.PRIVACY) if dismissals else (ChangeKind.EVIDENCE,)
        self._ops.database(self, work).success(
            lambda detail: self._on_saved(detail, after, dismissals)
        ).failure(self._on_save_failed).changes(*kinds, uuids=lambda detail: [detail.uuid]).run()

    def _on_saved(
        self,
        detail: EvidenceDetail,
        after: Callable[[EvidenceDetail], None] | None,
        dismissals: Sequence[Finding],
    ) -> None:
        closing = self._state is EditorState.SAVING_TO_CLOSE
        self.uuid = detail.uuid
        self.detail = detail
        if dismissals:
            stored = {(f.kind, f.text) for f in dismissals}
            self.dismissed |= stored
            self.pending_dismissals = [
                f for f in self.pending_dismissals if (f.kind, f.text) not in stored
            ]
        if self._saving_generation == self._generation:
            self.set_state(EditorState.CLEAN)
            self._stashed_generation = self._generation
        else:  # typed on during the save, whose stash it discarded: stash those words again
            self.set_state(EditorState.DIRTY)
            self._stashed_generation = -1
            self._autosave.start()
        self._reload_signoffs()
        self.saved.emit(detail)
        if closing:
            self.close()
        elif after is not None:
            after(detail)

    def _on_save_failed(self, error: PortfolioError) -> None:
        if self._state in SAVING_STATES:
            self.set_state(EditorState.DIRTY)
        self.save_failed.emit(error)
        self._stashed_generation = -1  # the words stay on screen; keep a copy of them too
        self.stash_now()
        if isinstance(error, ChangedElsewhere):  # saved elsewhere meanwhile: a save again is
            self.reload()  # made from what is stored now (theirs stays in the history)

    def submit(self, detail: EvidenceDetail) -> None:
        """Mark the saved item ready for review."""
        evidence, uuid = self._portfolio.evidence, detail.uuid
        self._ops.database(self, lambda: evidence.submit([uuid])[0]).success(
            self._on_submitted
        ).failure(self._on_save_failed).changes(ChangeKind.EVIDENCE, uuids=[uuid]).run()

    def _on_submitted(self, detail: EvidenceDetail) -> None:
        self.detail = detail
        self.submitted.emit(detail)

    # -- closing -------------------------------------------------------------------------------

    def close_when_saved(self) -> None:
        """Asked to close during a save: close when it succeeds (not if it fails)."""
        self.set_state(EditorState.SAVING_TO_CLOSE)

    def discard(self) -> None:
        """Throw the unsaved changes away, autosave stash included, and close."""
        recovery, key = self._portfolio.recovery, self.key
        self._ops.database(self, lambda: recovery.discard(key)).run()
        self.close()

    def close_keeping_draft(self) -> None:
        """Close without asking, unsaved changes stashed first (app quit, tests)."""
        if self.is_dirty:
            self._stashed_generation = -1
            was, self._state = self._state, EditorState.DIRTY  # a save under way may still fail
            self.stash_now()
            self._state = was
        self.close()

    def close(self) -> None:
        if self._state is EditorState.CLOSED:
            return
        self.set_state(EditorState.CLOSED)
        self._autosave.stop()
        self.closed.emit()


def _item_extras(
    portfolio: Portfolio, detail: EvidenceDetail | None
) -> tuple[set[tuple[str, str]], list[SignOffStatus]]:
    """The item's stored "not patient data" dismissals and its sign-offs (none for a new one)."""
    if detail is None:
        return set(), []
    return portfolio.privacy.dismissed(detail.uuid), portfolio.signoffs.history(detail.uuid)
