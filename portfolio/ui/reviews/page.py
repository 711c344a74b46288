"""The Reviews page: its parts, laid out, and which signing role has the board.

Without a pack the board is meeting sign-off's (:mod:`.meeting`); with a pack open it is
:mod:`.pack`'s. Both sign with the identity of :mod:`.identity`; the trainee's file actions
(:mod:`.trainee`) stand apart. Leaving the page, or the app being hidden, locks the identity.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from portfolio.app import Portfolio
from portfolio.ui.attachment_viewer import AttachmentViewer, view_attachment
from portfolio.ui.meeting_lock import Clock, SessionLockWatcher
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.reviews.board import ReviewBoard
from portfolio.ui.reviews.identity import SupervisorIdentity
from portfolio.ui.reviews.meeting import MeetingSignOff
from portfolio.ui.reviews.pack import PackSigning
from portfolio.ui.reviews.trainee import TraineeActions
from portfolio.ui.widgets import Connections, bold, page_scroll
from portfolio.vocabulary import ChangeKind


class ReviewsPage(QWidget):
    message = Signal(str)
    """A short note for the status bar, from any part."""
    failed = Signal(str)
    """A known error was shown to the user (its text), by any part."""
    open_requested = Signal(str)
    signed = Signal(str)
    """An item was signed in the meeting, or a decision recorded for a pack: its uuid."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        clock: Clock = time.monotonic,
        session_lock: SessionLockWatcher | None = None,
    ) -> None:
        """``clock`` drives the idle lock; ``session_lock`` defaults to the desktop's buses,
        connected when an identity is first unlocked."""
        super().__init__(parent)
        self.setObjectName("reviewsPage")
        self._ops = ops
        self._connections = Connections(self)
        self._started = False
        self.attachment_viewer: AttachmentViewer | None = None

        title = bold(QLabel(self.tr("Reviews"), self), 1.4)
        intro = QLabel(
            self.tr(
                "Supervisor mode. In a meeting, the supervisor unlocks their signing identity, reads "
                "each item ready for review and signs their decision here. Sign-offs can also go by "
                "file: export a review pack for your supervisor and import the sign-off file they "
                "send back."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.identity = SupervisorIdentity(portfolio, ops, clock, session_lock, self)
        self.board = ReviewBoard(self)
        self.meeting = MeetingSignOff(
            portfolio, ops, self.board, self.identity, lambda: self.signing.pack is None, self
        )
        self.signing = PackSigning(portfolio, ops, self.board, self.identity, self)
        self.trainee = TraineeActions(portfolio, ops, self.identity, self)

        for part in (self.identity, self.meeting, self.signing, self.trainee):
            part.message.connect(self.message)
            part.failed.connect(self.failed)
        self.meeting.signed.connect(self.signed)
        self.signing.signed.connect(self.signed)
        self.trainee.open_requested.connect(self.open_requested)
        self.identity.lock_changed.connect(self._lock_changed)
        self.signing.closed.connect(self.meeting.reload_queue)
        self.board.chosen.connect(lambda item_uuid: self._role().show_item(item_uuid))
        self.board.decide.connect(self._decide)
        self.board.state_changed.connect(self._update_controls)
        self.board.attachment_clicked.connect(self.open_attachment)

        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(self.identity)
        column.addWidget(self.board, 1)
        column.addWidget(self.meeting)
        column.addWidget(self.trainee)
        layout = QVBoxLayout(self)  # a small window scrolls rather than growing the main window
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_scroll(body, "reviewsScroll", self.tr("Reviews"), self))

        self._connections.connect(ops.changed, self._data_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            self._connections.connect(app.applicationStateChanged, self._application_state)
        self._update_controls()

    def _role(self) -> MeetingSignOff | PackSigning:
        return self.meeting if self.signing.pack is None else self.signing

    # -- showing and leaving -----------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.start()

    def hideEvent(self, event: Any) -> None:
        """Leaving the page, or the window being minimised or hidden, locks the identity."""
        super().hideEvent(event)
        self.identity.lock(self.tr("Locked: the Reviews page was left."))

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state in (
            Qt.ApplicationState.ApplicationHidden,
            Qt.ApplicationState.ApplicationSuspended,
        ):
            self.identity.lock(self.tr("Locked: the app was hidden."))

    def start(self) -> None:
        """Read identities and the queue: when first shown, so start-up does not pay for it."""
        if self._started:
            return
        self._started = True
        self.identity.reload()
        self.meeting.reload_queue()

    def closeEvent(self, event: Any) -> None:
        self.identity.lock()
        super().closeEvent(event)

    def cleanup(self) -> None:
        """Forget the key (when the window closes)."""
        self.identity.lock()

    # -- the board ---------------------------------------------------------------------------

    def _lock_changed(self, unlocked: bool) -> None:
        self._update_controls()
        if unlocked:
            self.board.choose_first()

    def _update_controls(self) -> None:
        self.board.apply(self._role().controls())
        self.signing.update_save()
        self.meeting.update_withdraw()

    def _decide(self) -> None:
        board = self.board
        detail, decision = board.current, board.decision()
        if detail is None or decision is None:
            return
        comment = board.comment_text()
        if decision == "changes_requested" and not comment:
            board.decision_error.show_error(self.tr("Say what needs to change in the comment."))
            return
        board.decision_error.show_error("")
        self._role().decide(detail, decision, comment)

    def open_attachment(self, sha256: str) -> None:
        """Show the attachment in a viewer of the app's own: no copy is written anywhere."""
        detail = self.board.current
        if detail is None:
            return
        found = next((a for a in detail.attachments if a.sha256 == sha256), None)
        if found is None:
            return
        read = self._role().read_attachment(sha256)
        self.attachment_viewer = view_attachment(self, self._ops, found.filename, read)

    def _data_changed(self, changes: Changes) -> None:
        if not self._started:
            return
        if changes.kind is ChangeKind.IDENTITIES:
            self.identity.reload()
        if (
            changes.kind in (ChangeKind.EVIDENCE, ChangeKind.IDENTITIES)
            and self.signing.pack is None
        ):
            self.meeting.reload_queue()
