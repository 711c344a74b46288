"""The evidence editor window: one item, built from its kind's template, impossible to lose work in.

Keyboard (also in the window's Item menu):

* **Ctrl+S** save (a new revision when something changed; the autosaved draft is then discarded);
* **Ctrl+Return** (or Ctrl+Enter) save and submit for review;
* **Ctrl+Shift+H** history; **Ctrl+Shift+A** add attachments;
* **Ctrl+W** close (asks Save / Discard / Cancel when there are unsaved changes);
* Tab / Shift+Tab move through the form in reading order (title, dates, placement, tags,
  private, the kind's fields, the main text, domains, justification, attachments, buttons);
  Tab leaves a text box rather than typing a tab.

Nothing lost: ~3 s after the last change, and whenever focus leaves a field, the full editor
state (hidden reflection-model sections and every repeat entry included) is stashed with
``RecoveryService.stash`` under ``recovery_key`` (the item's uuid; for a new item a fresh uuid
that becomes the item's uuid when it is first saved). An explicit save writes a revision and
discards the stash; so does choosing Discard when closing. ``EvidenceEditor(recovered=...)``
shows a stashed state exactly as it was.

The window is the view of an :class:`~portfolio.ui.editor.session.EditorSession`, which holds
the lifecycle (one :class:`EditorState`: LOADING → CLEAN ⇄ DIRTY → SAVING → CLEAN … → CLOSED),
the autosave and the database work; the window builds and fills the widgets, asks the questions
and shows the outcomes. The window is destroyed when it closes, so an item opened again is read
afresh; while open it follows changes made elsewhere: a clean editor shows the item again, a
dirty one keeps the trainee's words and refreshes only the status, sign-offs and attachments.
Every way out keeps the words: Ctrl+W and the window's close ask Save / Discard / Cancel;
quitting the app (:meth:`close_keeping_draft`) and a crash leave the autosave copy, offered back
at the next start; a restore or import (which replace the database's drafts) makes a dirty
editor stash again. Saving a signed-off item asks first, saying the sign-off will need renewing;
a submitted or signed-off item cannot be submitted again. The item's sign-offs are listed,
read-only, in ``signoffList``. A failed save focuses the input its error names
(``InvalidInput.field``).

Database work runs as operations (``portfolio.ui.operations``) owned by the session or the
window, which announce ``ChangeKind.EVIDENCE`` for the item after each write.

Privacy (docs/privacy.md): every free-text widget is scanned as the trainee types (400 ms after
the last change, and on load) by :class:`~portfolio.ui.editor.privacy.PrivacyGuard`; findings are
marked in place and listed in ``privacyPanel`` (top of the side column) with a one-click
replacement and "Not patient data". A dismissal is stored at once for a saved item
(``PrivacyService.dismiss``, announcing ``ChangeKind.PRIVACY`` for the item); for
a new item it is kept in the editor (and in the autosave stash) and stored on the first save.
Dismissals already stored are learnt when the item loads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import ChangedElsewhere, InvalidInput, PortfolioError
from portfolio.kinds import KindTemplate, template
from portfolio.privacy import NAME_FIELDS, Finding
from portfolio.services.dto import EvidenceDetail, EvidenceDraft, PlacementData
from portfolio.services.recovery import Unsaved
from portfolio.services.signoff_words import trust_words
from portfolio.ui.attachment_viewer import AttachmentViewer, view_attachment
from portfolio.ui.editor.attachments import AttachmentPanel
from portfolio.ui.editor.domains import DomainLinker, suggested_caption
from portfolio.ui.editor.form import FieldForm, GrowingTextEdit, caption
from portfolio.ui.editor.history import HistoryDialog
from portfolio.ui.editor.privacy import PrivacyGuard, PrivacyPanel, TextSource
from portfolio.ui.editor.session import (
    SAVING_STATES,
    Clock,
    EditorSession,
    EditorState,
)
from portfolio.ui.editor.widgets import Banner, MessageBar, card
from portfolio.ui.operations import Operations
from portfolio.ui.review_dialogs import signoff_text
from portfolio.ui.screen_fit import fit_to_screen
from portfolio.ui.widgets import announce, mark_required, status_label
from portfolio.vocabulary import UNSUBMITTABLE_STATUSES, ChangeKind

STATE_FORMAT = 1


def as_date(value: QDate) -> date:
    """A QDate as a Python date (PySide's toPython() is typed as returning object)."""
    return date(value.year(), value.month(), value.day())


class EvidenceEditor(QMainWindow):
    """Edits one evidence item (existing by uuid, new of ``kind``, or a recovered draft): the
    view of an :class:`EditorSession`, which it builds its form for and asks to save."""

    saved = Signal(str)
    """The item's uuid, after each successful save."""
    closed = Signal()
    loaded = Signal()
    """The form is built and filled (database reads happen off the GUI thread first)."""
    stashed = Signal()
    """An autosave stash was written."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        *,
        item_uuid: str | None = None,
        kind: str | None = None,
        recovered: Unsaved | None = None,
        clock: Clock = datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # never reused, so never stale
        self.setAcceptDrops(True)
        self._portfolio = portfolio
        self._ops = ops
        self.session = EditorSession(
            portfolio,
            ops,
            self.state,
            item_uuid=item_uuid,
            kind=kind,
            recovered=recovered,
            clock=clock,
            parent=self,
        )
        self._template: KindTemplate | None = None
        self.attachment_viewer: AttachmentViewer | None = None
        self.history_dialog: HistoryDialog | None = None
        self._focus_connected = False
        session = self.session
        session.loaded.connect(self._on_loaded)
        session.load_failed.connect(self._on_load_failed)
        session.refreshed.connect(self._on_refreshed)
        session.extras_changed.connect(self._show_extras)
        session.failed.connect(self._on_failed)
        session.stashed.connect(self._on_stashed)
        session.saving.connect(lambda: self.autosave_label.setText(self.tr("Saving…")))
        session.saved.connect(self._on_saved)
        session.save_failed.connect(self._on_save_failed)
        session.submitted.connect(self._on_submitted)
        session.state_changed.connect(self._state_changed)
        session.closed.connect(self._on_session_closed)

        placeholder = QLabel(self.tr("Opening…"), self)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)
        fit_to_screen(self, QSize(1100, 800))  # Save and Submit stay on a 1366×768 screen
        self._update_title()
        session.load()

    # =========================================================================================
    # Showing what the session read
    # =========================================================================================

    def _on_loaded(self) -> None:
        session = self.session
        self._template = template(session.kind)
        self._build()
        if session.recovered is not None:
            self.restore_state(session.recovered.state)
        elif session.detail is not None:
            self._show_detail(session.detail)
        else:
            self._show_new()
        self._show_item_extras()
        self.privacy.set_dismissals(session.all_dismissals)
        self.privacy.scan_now()
        session.shown()
        if session.recovered is not None:
            self.message_bar.show_info(
                self.tr("Recovered the unsaved changes from {time}. Save to keep them.").format(
                    time=f"{session.recovered.saved_at:%d %b %Y %H:%M} UTC"
                )
            )
        self._update_actions()
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit()

    def _on_load_failed(self, error: PortfolioError) -> None:
        label = QLabel(str(error), self)
        label.setObjectName("loadError")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(label)

    def _on_refreshed(self) -> None:
        """Read again: a clean editor shows it all; a dirty one keeps the trainee's words and
        takes only the status, sign-offs, attachments and dismissals."""
        if self.session.detail is not None and self.editor_state is EditorState.CLEAN:
            self._show_detail(self.session.detail)
        self._show_extras()

    def _show_extras(self) -> None:
        """Status, sign-offs, attachments and dismissals: never the trainee's words."""
        self._show_item_extras()
        self.privacy.set_dismissals(self.session.all_dismissals)
        self.privacy.scan_now()

    def _state_changed(self) -> None:
        self.setWindowModified(self.is_dirty)
        self._update_actions()

    def _on_failed(self, error: PortfolioError) -> None:
        self.message_bar.show_error(str(error))

    def _show_item_extras(self) -> None:
        if self.session.detail is not None:
            self.attachments.set_attachments(self.session.detail.attachments)
        self.signoff_list.setText("\n".join(f"• {signoff_text(s)}" for s in self.session.signoffs))
        self.signoffs_card.setVisible(bool(self.session.signoffs))
        self._update_status()

    @property
    def editor_state(self) -> EditorState:
        return self.session.state

    @property
    def is_loaded(self) -> bool:
        return self.session.is_editable

    # =========================================================================================
    # Building the window
    # =========================================================================================

    def _build(self) -> None:
        assert self._template is not None and self.session.curriculum is not None
        spec = self._template
        root = QWidget(self)
        root.setObjectName("editorRoot")
        outer = QVBoxLayout(root)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # -- header: kind, status, title ------------------------------------------------------
        header = QWidget(root)
        header.setObjectName("editorHeader")
        head = QVBoxLayout(header)
        head.setContentsMargins(28, 18, 28, 12)
        head.setSpacing(6)
        top = QHBoxLayout()
        self.kind_label = QLabel(spec.title.upper(), header)
        self.kind_label.setObjectName("kindLabel")
        self.kind_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status_chip = QLabel(header)
        self.status_chip.setObjectName("statusChip")
        top.addWidget(self.kind_label)
        top.addSpacing(8)
        top.addWidget(self.status_chip)
        top.addStretch(1)
        head.addLayout(top)
        self.title_edit = QLineEdit(header)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setAccessibleName(self.tr("Title"))
        mark_required(self.title_edit)
        self.title_edit.setPlaceholderText(self.tr("A short title, e.g. what you learned"))
        self.title_edit.setMaxLength(300)
        font = self.title_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        self.title_edit.setFont(font)
        head.addWidget(self.title_edit)
        outer.addWidget(header)

        self.banner = Banner(root)
        self.banner.setObjectName("signedOffBanner")
        outer.addWidget(self.banner)
        self.message_bar = MessageBar(root)
        outer.addWidget(self.message_bar)

        # -- body: form on the left, domains and attachments on the right ----------------------
        splitter = QSplitter(Qt.Orientation.Horizontal, root)
        splitter.setObjectName("editorSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_form_column(spec))
        splitter.addWidget(self._build_side_column(spec))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 440])
        outer.addWidget(splitter, 1)

        # -- bottom bar ------------------------------------------------------------------------
        bar = QWidget(root)
        bar.setObjectName("editorButtons")
        buttons = QHBoxLayout(bar)
        buttons.setContentsMargins(28, 10, 28, 14)
        self.history_button = QPushButton(self.tr("&History…"), bar)
        self.history_button.setObjectName("historyButton")
        self.history_button.setToolTip(self.tr("Every save is kept (Ctrl+Shift+H)."))
        self.autosave_label = caption("", bar)
        self.autosave_label.setObjectName("autosaveLabel")
        self.autosave_label.setWordWrap(False)
        self.submit_button = QPushButton(self.tr("Submit for &review"), bar)
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(
            self.tr("Save, then mark ready for your supervisor (Ctrl+Enter).")
        )
        self.save_button = QPushButton(self.tr("&Save"), bar)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(self.tr("Save a revision (Ctrl+S)."))
        self.save_button.setDefault(True)
        for button in (self.history_button, self.submit_button, self.save_button):
            button.setAutoDefault(False)
            button.setMinimumWidth(110)
        buttons.addWidget(self.history_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.autosave_label, 1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.save_button)
        outer.addWidget(bar)

        self.history_button.clicked.connect(self.show_history)
        self.submit_button.clicked.connect(self.submit)
        self.save_button.clicked.connect(self.save)
        self.setCentralWidget(root)
        root.show()  # at once, not on the next event-loop pass (the window may be visible)
        self._build_actions()
        self.privacy = PrivacyGuard(self._privacy_sources, self._make_privacy_panel, self)
        self.privacy.dismissed.connect(self._remember_dismissal)
        self._connect_changes()
        # Widgets are created in reading order, which is the tab order (tested).
        root.setStyleSheet(_STYLE)

    def _build_form_column(self, spec: KindTemplate) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        content = QWidget(scroll)
        content.setObjectName("formContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(28, 8, 16, 28)
        column.setSpacing(18)

        # Details
        details, grid_host = card(self.tr("Details"), content)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid_host.addLayout(grid)
        self.date_edit = QDateEdit(details)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setAccessibleName(self.tr("Date"))
        self.until_check = QCheckBox(self.tr("&Ends on"), details)
        self.until_check.setObjectName("untilCheck")
        self.until_check.setToolTip(
            self.tr("For something that ran over a period, such as a role or a project.")
        )
        self.until_edit = QDateEdit(details)
        self.until_edit.setObjectName("untilEdit")
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("d MMM yyyy")
        self.until_edit.setAccessibleName(self.tr("End date"))
        self.until_edit.setEnabled(False)
        self.until_check.toggled.connect(self.until_edit.setEnabled)
        date_label = QLabel(self.tr("&Date"), details)
        date_label.setBuddy(self.date_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.date_edit)
        dates.addSpacing(10)
        dates.addWidget(self.until_check)
        dates.addWidget(self.until_edit)
        dates.addStretch(1)
        grid.addWidget(date_label, 0, 0)
        grid.addLayout(dates, 0, 1)

        self.placement_combo = QComboBox(details)
        self.placement_combo.setObjectName("placementCombo")
        self.placement_combo.setAccessibleName(self.tr("Placement"))
        self.placement_combo.addItem(self.tr("No placement"), None)
        for placement in self.session.placements:
            self.placement_combo.addItem(placement_name(placement), placement.id)
        self.placement_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        placement_label = QLabel(self.tr("&Placement"), details)
        placement_label.setBuddy(self.placement_combo)
        grid.addWidget(placement_label, 1, 0)
        grid.addWidget(self.placement_combo, 1, 1)

        self.tags_edit = QLineEdit(details)
        self.tags_edit.setObjectName("tagsEdit")
        self.tags_edit.setAccessibleName(self.tr("Tags"))
        self.tags_edit.setPlaceholderText(self.tr("Comma-separated, e.g. nights, handover"))
        tags_label = QLabel(self.tr("Ta&gs"), details)
        tags_label.setBuddy(self.tags_edit)
        grid.addWidget(tags_label, 2, 0)
        grid.addWidget(self.tags_edit, 2, 1)

        self.private_check = QCheckBox(
            self.tr("Pri&vate — keep out of review packs and reports"), details
        )
        self.private_check.setObjectName("privateCheck")
        grid.addWidget(self.private_check, 3, 1)
        grid.setColumnStretch(1, 1)
        column.addWidget(details)

        # The kind's own fields
        fields_card, fields_host = card(spec.title, content)
        if spec.description:
            fields_host.addWidget(caption(spec.description, fields_card))
        self.form = FieldForm(spec.fields, parent=fields_card)
        fields_host.addWidget(self.form)
        if not spec.fields:
            fields_card.hide()
        column.addWidget(fields_card)

        # Main text
        text_card, text_host = card(spec.text_label or self.tr("Notes"), content)
        self.main_text = GrowingTextEdit(text_card, min_lines=8, max_lines=30)
        self.main_text.setObjectName("mainText")
        self.main_text.setAccessibleName(spec.text_label or self.tr("Notes"))
        self.main_text.setPlaceholderText(
            self.tr("Write what you learned. Leave out anything that could identify a patient.")
        )
        if spec.text_help:  # e.g. a reflection's model sections hold the writing: say what for
            help_caption = caption(spec.text_help, text_card)
            help_caption.setObjectName("mainTextHelp")
            text_host.addWidget(help_caption)
            self.main_text.setAccessibleDescription(spec.text_help)
            self.main_text.setPlaceholderText(
                self.tr(
                    "Anything else (optional). Leave out anything that could identify a patient."
                )
            )
        text_host.addWidget(self.main_text)
        if spec.text_label is None:
            text_card.hide()
        column.addWidget(text_card)
        column.addStretch(1)
        scroll.setWidget(content)
        self.form_scroll = scroll
        return scroll

    def _build_side_column(self, spec: KindTemplate) -> QWidget:
        assert self.session.curriculum is not None
        side = QWidget(self)
        side.setObjectName("sideColumn")
        column = QVBoxLayout(side)
        column.setContentsMargins(8, 8, 28, 28)
        column.setSpacing(18)
        self.privacy_panel: PrivacyPanel | None = None  # built on the first finding
        self._side, self._side_layout = side, column
        # sign-offs first: small, and what a trainee checks before changing a signed item
        self.signoffs_card, signoffs_host = card(self.tr("Sign-offs"), side)
        self.signoff_list = QLabel(self.signoffs_card)  # read-only lines, one per sign-off
        self.signoff_list.setObjectName("signoffList")
        self.signoff_list.setAccessibleName(self.tr("Sign-offs, oldest first"))
        self.signoff_list.setWordWrap(True)
        self.signoff_list.setTextFormat(Qt.TextFormat.PlainText)
        self.signoff_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        signoffs_host.addWidget(self.signoff_list)
        self.signoffs_card.hide()
        column.addWidget(self.signoffs_card, 0)
        domains_card, domains_host = card(self.tr("GPC domains"), side)
        domains_host.addWidget(suggested_caption(spec.suggested_domains, domains_card))
        self.domains = DomainLinker(
            self.session.curriculum, spec.suggested_domains, domains_card, own=self.session.own
        )
        domains_host.addWidget(self.domains, 1)
        column.addWidget(domains_card, 1)
        attachments_card, attachments_host = card(self.tr("Attachments"), side)
        self.attachments = AttachmentPanel(attachments_card)
        attachments_host.addWidget(self.attachments)
        column.addWidget(attachments_card, 0)
        self.attachments.add_requested.connect(self.choose_attachments)
        self.attachments.open_requested.connect(self.open_attachment)
        self.attachments.remove_requested.connect(self.remove_attachment)
        side.setMinimumWidth(330)
        side.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # scrolls when privacy findings need the room, rather than squeezing the domain tree
        scroll = QScrollArea(self)
        scroll.setObjectName("sideScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(350)
        scroll.setWidget(side)
        return scroll

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Item"))

        def action(
            text: str,
            keys: Sequence[QKeySequence | QKeySequence.StandardKey | str],
            slot: Callable[[], object],
            name: str,
        ) -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _=False: slot())
            menu.addAction(act)
            self.addAction(act)
            return act

        self.save_action = action(
            self.tr("&Save"), [QKeySequence.StandardKey.Save], self.save, "saveAction"
        )
        self.submit_action = action(
            self.tr("Submit for &review"),
            ["Ctrl+Return", "Ctrl+Enter"],
            self.submit,
            "submitAction",
        )
        menu.addSeparator()
        self.attach_action = action(
            self.tr("&Add attachments…"), ["Ctrl+Shift+A"], self.choose_attachments, "attachAction"
        )
        self.history_action = action(
            self.tr("&History…"), ["Ctrl+Shift+H"], self.show_history, "historyAction"
        )
        menu.addSeparator()
        action(self.tr("&Close"), ["Ctrl+W"], self.close, "closeAction")

    def _connect_changes(self) -> None:
        self.title_edit.textChanged.connect(self._changed)
        self.title_edit.textChanged.connect(lambda _: self._update_title())
        self.date_edit.dateChanged.connect(self._changed)
        self.until_check.toggled.connect(self._changed)
        self.until_edit.dateChanged.connect(self._changed)
        self.placement_combo.currentIndexChanged.connect(self._changed)
        self.tags_edit.textChanged.connect(self._changed)
        self.private_check.toggled.connect(self._changed)
        self.form.changed.connect(self._changed)
        self.main_text.textChanged.connect(self._changed)
        self.domains.changed.connect(self._changed)
        # the justification box shows another domain's reason: mark what it shows now
        self.domains.tree.currentItemChanged.connect(lambda *_: self._rescan_soon())

    def _rescan_soon(self) -> None:
        if self.is_loaded:
            self.privacy.schedule()

    # =========================================================================================
    # State: what is shown, what is stashed, what is saved
    # =========================================================================================

    def _show_new(self) -> None:
        today = QDate.currentDate()
        self.date_edit.setDate(today)
        self.until_edit.setDate(today)
        for index, placement in enumerate(self.session.placements, start=1):
            ends = placement.ends_on or date.max
            if placement.starts_on <= as_date(today) <= ends:
                self.placement_combo.setCurrentIndex(index)
                break

    def _show_detail(self, detail: EvidenceDetail) -> None:
        self.restore_state(
            {
                "title": detail.title,
                "occurred_on": detail.occurred_on.isoformat(),
                "occurred_until": detail.occurred_until.isoformat()
                if detail.occurred_until
                else None,
                "fields": detail.fields,
                "text": detail.text,
                "links": {
                    "checked": [link.code for link in detail.links],
                    "justifications": {link.code: link.justification for link in detail.links},
                },
                "tags": list(detail.tags),
                "private": detail.private,
                "placement_id": detail.placement_id,
            }
        )

    def state(self) -> dict[str, Any]:
        """Everything the editor shows, as JSON-ready data (what the autosave stashes)."""
        return {
            "format": STATE_FORMAT,
            "kind": self.session.kind,
            "evidence_uuid": self.session.uuid,
            "title": self.title_edit.text(),
            "occurred_on": self.date_edit.date().toString(Qt.DateFormat.ISODate),
            "occurred_until": (
                self.until_edit.date().toString(Qt.DateFormat.ISODate)
                if self.until_check.isChecked()
                else None
            ),
            "until_shown": self.until_edit.date().toString(Qt.DateFormat.ISODate),
            "fields": self.form.state(),
            "text": self.main_text.toPlainText(),
            "links": self.domains.state(),
            "tags": self.tags(),
            "tags_text": self.tags_edit.text(),
            "private": self.private_check.isChecked(),
            "placement_id": self.placement_combo.currentData(),
            "privacy_dismissed": [[f.kind, f.text] for f in self.session.pending_dismissals],
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Show ``state`` (from :meth:`state`, or a saved item turned into that shape); filling
        the widgets is not a change of the trainee's."""
        with self.session.filling():
            self.title_edit.setText(str(state.get("title") or ""))
            occurred = QDate.fromString(str(state.get("occurred_on") or ""), Qt.DateFormat.ISODate)
            self.date_edit.setDate(occurred if occurred.isValid() else QDate.currentDate())
            until_text = state.get("occurred_until") or state.get("until_shown") or ""
            until = QDate.fromString(str(until_text), Qt.DateFormat.ISODate)
            self.until_edit.setDate(until if until.isValid() else self.date_edit.date())
            self.until_check.setChecked(bool(state.get("occurred_until")))
            self.form.set_state(state.get("fields") or {})
            self.main_text.setPlainText(str(state.get("text") or ""))
            self.domains.set_state(state.get("links") or {})
            if "tags_text" in state:
                self.tags_edit.setText(str(state["tags_text"]))
            else:
                self.tags_edit.setText(", ".join(state.get("tags") or []))
            self.private_check.setChecked(bool(state.get("private")))
            index = self.placement_combo.findData(state.get("placement_id"))
            self.placement_combo.setCurrentIndex(max(0, index))
            pending = state.get("privacy_dismissed")
            if isinstance(pending, list):
                self.session.pending_dismissals = [
                    _dismissal(kind, text)
                    for kind, text in (
                        pair for pair in pending if isinstance(pair, list) and len(pair) == 2
                    )
                ]
        self._update_title()

    def tags(self) -> list[str]:
        return [part.strip() for part in self.tags_edit.text().split(",") if part.strip()]

    def draft(self) -> EvidenceDraft:
        """What an explicit save writes: hidden fields (``when``) are left out."""
        until = as_date(self.until_edit.date()) if self.until_check.isChecked() else None
        return EvidenceDraft(
            kind=self.session.kind,
            title=self.title_edit.text(),
            occurred_on=as_date(self.date_edit.date()),
            occurred_until=until,
            fields=self.form.values(),
            text=self.main_text.toPlainText(),
            links=self.domains.links(),
            tags=tuple(self.tags()),
            private=self.private_check.isChecked(),
            placement_id=self.placement_combo.currentData(),
        )

    @property
    def item_uuid(self) -> str | None:
        return self.session.uuid

    @property
    def recovery_key(self) -> str:
        return self.session.key

    @property
    def is_dirty(self) -> bool:
        """Changed since the last save (a save under way has not saved yet)."""
        return self.session.is_dirty

    @property
    def stash_count(self) -> int:
        return self.session.stash_count

    @property
    def detail(self) -> EvidenceDetail | None:
        return self.session.detail

    # =========================================================================================
    # Changes and autosave
    # =========================================================================================

    def _changed(self, *_: object) -> None:
        if self.session.changed():  # not while filling the widgets, nor once closed
            self.privacy.schedule()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if (
            old is not None
            and self.session.stash_wanted
            and self.isAncestorOf(old)
            and (new is None or not _same_field(old, new))
        ):
            self.stash_now()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._focus_connected:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.focusChanged.connect(self._focus_changed)
                self._focus_connected = True

    def _disconnect_focus(self) -> None:
        if self._focus_connected:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.focusChanged.disconnect(self._focus_changed)
            self._focus_connected = False

    def stash_now(self) -> None:
        """Write the autosave stash now (if anything changed since the last one)."""
        self.session.stash_now()

    def _on_stashed(self, when: datetime) -> None:
        if self.is_dirty:
            self.autosave_label.setText(
                self.tr("Autosaved {time} — press Save to keep this version").format(
                    time=f"{when:%H:%M}"
                )
            )
        self.stashed.emit()

    # =========================================================================================
    # Saving and submitting
    # =========================================================================================

    def save(self) -> None:
        """Save a revision of the item (creating it if new); errors show in the message bar."""
        self._save()

    def submit(self) -> None:
        """Save, then mark the item ready for review (not once submitted or signed off)."""
        if self._can_submit():
            self._save(after=self.session.submit)

    def _save(
        self, after: Callable[[EvidenceDetail], None] | None = None, *, closing: bool = False
    ) -> bool:
        """Start a save (the window closes after it when ``closing``); False when the trainee
        stopped it at a question, or one is already running."""
        if not self.session.can_save:
            return False
        hidden = self.form.hidden_with_content()
        if hidden and not self._confirm_drop_hidden(hidden):
            return False
        if self.is_dirty and not self._confirm_renew_signoff():
            return False
        self.session.save(self.draft(), after, closing=closing)
        return True

    def _on_saved(self, detail: EvidenceDetail) -> None:
        self.attachments.set_attachments(detail.attachments)
        self._update_status()
        self.message_bar.clear()
        saved = self.tr("Saved at {time} · revision {number}").format(
            time=f"{self.session.clock():%H:%M}", number=detail.revision
        )
        self.autosave_label.setText(saved)
        announce(self.autosave_label, saved)
        self.saved.emit(detail.uuid)

    def _on_save_failed(self, error: PortfolioError) -> None:
        self.autosave_label.setText(self.tr("Not saved"))
        if isinstance(error, ChangedElsewhere):  # the session reads the item again
            self.message_bar.show_error(
                self.tr(
                    "This item was changed elsewhere while it was open here, so nothing was "
                    "saved. Your words are still here: save again to keep them (the other "
                    "version stays in the item's history)."
                )
            )
            return
        self.message_bar.show_error(str(error))
        self._focus_error(error)

    def _confirm_renew_signoff(self) -> bool:
        """Saving changes to a signed-off item voids the sign-off: ask first."""
        if self.session.detail is None or self.session.detail.status != "signed_off":
            return True
        signoff = self.session.detail.signoff
        by = signoff.signer_name if signoff is not None else self.tr("your supervisor")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Save a signed-off item?"),
            self.tr("This item is signed off by {name}.").format(name=by),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("renewSignoffPrompt")
        box.setInformativeText(
            self.tr(
                "If you save your changes, the sign-off will need renewing: it will show as "
                "edited since sign-off until you submit the item for review again. The signed "
                "version stays in the history."
            )
        )
        save = box.addButton(self.tr("&Save changes"), QMessageBox.ButtonRole.AcceptRole)
        save.setObjectName("saveAnywayButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is save

    def _focus_error(self, error: PortfolioError) -> None:
        """Focus the input an :class:`InvalidInput` names in its ``field``."""
        path = error.field if isinstance(error, InvalidInput) else None
        widget = self._field_widget(path) if path else None
        if widget is not None:
            self.form_scroll.ensureWidgetVisible(widget)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _field_widget(self, path: str) -> QWidget | None:
        area, _, rest = path.partition(".")
        if area == "fields":
            return self.form.find_by_path(rest)
        if area == "links":
            if rest:
                self.domains.show_code(rest)
                return self.domains.justification
            return self.domains.tree
        widgets: dict[str, QWidget] = {
            "title": self.title_edit,
            "occurred_until": self.until_edit,
            "text": self.main_text,
            "tags": self.tags_edit,
        }
        return widgets.get(area)

    def _confirm_drop_hidden(self, labels: list[str]) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Save without hidden sections?"),
            self.tr(
                "These sections are hidden by your current choices, and their "
                "text will not be saved:"
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discardHiddenPrompt")
        box.setInformativeText(
            "\n".join(f"• {label}" for label in labels)
            + "\n\n"
            + self.tr("The text stays in this window until you close it.")
        )
        save = box.addButton(self.tr("Save without them"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is save

    def _on_submitted(self, detail: EvidenceDetail) -> None:
        self._update_status()
        self.message_bar.show_info(
            self.tr("Submitted for review. Your supervisor will see it in the next review pack.")
        )

    # =========================================================================================
    # Privacy
    # =========================================================================================

    def _privacy_sources(self) -> list[TextSource]:
        """Every free text the trainee can type here, with the widget that edits it."""
        assert self._template is not None
        sources = [TextSource("title", self.tr("Title"), self.title_edit, self.title_edit.text())]
        for path, label, widget in self.form.text_widgets():
            if path in NAME_FIELDS:
                continue  # the assessor's or supervisor's name belongs there
            text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
            sources.append(TextSource(f"fields.{path}", label, widget, text))
        if self._template.text_label is not None:
            sources.append(
                TextSource(
                    "text", self._template.text_label, self.main_text, self.main_text.toPlainText()
                )
            )
        current = self.domains.current_code()
        for code in self.domains.checked_codes():
            show = None if code == current else (lambda c=code: self.domains.show_code(c))
            sources.append(
                TextSource(
                    f"links.{code}",
                    self.tr("Why {code}").format(code=code),
                    self.domains.justification,
                    self.domains.justification_for(code),
                    show,
                )
            )
        return [source for source in sources if source.text]

    def _make_privacy_panel(self) -> PrivacyPanel:
        """The findings panel, at the top of the side column (built when first needed)."""
        panel = PrivacyPanel(self._side)
        panel.set_tab_anchor(self.main_text)
        self._side_layout.insertWidget(0, panel, 0)
        self.privacy_panel = panel
        return panel

    def _remember_dismissal(self, finding: Finding) -> None:
        """Not patient data: stored for a saved item; kept until the first save for a new one."""
        if self.session.uuid is None:
            if (finding.kind, finding.text) not in self.session.pending_keys:
                self.session.pending_dismissals.append(finding)
                self._changed()  # stored by the first save, and stashed till then
            return
        portfolio, uuid = self._portfolio, self.session.uuid
        key = (finding.kind, finding.text)

        def done(_: object) -> None:
            self.session.dismissed.add(key)

        def failed(error: PortfolioError) -> None:
            self.privacy.dismissals.discard(key)
            self.privacy.scan_now()
            self.message_bar.show_error(
                self.tr("Could not remember that: {error}").format(error=error)
            )

        self._ops.database(self, lambda: portfolio.privacy.dismiss(uuid, finding)).success(
            done
        ).failure(failed).changes(ChangeKind.PRIVACY, uuids=[uuid]).run()

    # =========================================================================================
    # Attachments
    # =========================================================================================

    def choose_attachments(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        if names:
            self.add_attachment_files([Path(name) for name in names])

    def add_attachment_files(self, paths: Sequence[Path]) -> None:
        """Attach files (the file dialog and drag-and-drop call this); a new item is saved
        first."""
        paths = [Path(p) for p in paths]
        if not paths or not self.is_loaded:
            return
        if self.session.uuid is None:
            self._save(after=lambda _detail: self._attach(paths))
        else:
            self._attach(paths)

    def _attach(self, paths: list[Path]) -> None:
        evidence = self._portfolio.evidence
        uuid = self.session.uuid
        assert uuid is not None

        def work() -> EvidenceDetail:
            for path in paths:
                evidence.attach(uuid, path)
            return evidence.get(uuid)

        self._ops.database(self, work).success(self._on_attachments_changed).failure(
            self._on_attach_failed
        ).changes(ChangeKind.EVIDENCE, uuids=[uuid]).run()

    def _on_attachments_changed(self, detail: EvidenceDetail) -> None:
        self.session.attachments_changed(detail)
        self.attachments.set_attachments(detail.attachments)
        self._update_status()

    def _on_attach_failed(self, error: PortfolioError) -> None:
        self.message_bar.show_error(str(error))
        if self.session.uuid is not None:  # some files may have been attached before the failure
            evidence, uuid = self._portfolio.evidence, self.session.uuid
            self._ops.database(self, lambda: evidence.get(uuid)).success(
                self._on_attachments_changed
            ).changes(ChangeKind.EVIDENCE, uuids=[uuid]).run()

    def remove_attachment(self, sha256: str, filename: str = "") -> None:
        if self.session.uuid is None:
            return
        evidence, uuid = self._portfolio.evidence, self.session.uuid

        def work() -> EvidenceDetail:
            evidence.detach(uuid, sha256)
            return evidence.get(uuid)

        self._ops.database(self, work).success(self._on_attachments_changed).failure(
            self._on_attach_failed
        ).changes(ChangeKind.EVIDENCE, uuids=[uuid]).run()
        if filename:
            self.message_bar.show_info(
                self.tr("Removed “{name}”. Earlier revisions still hold it.").format(name=filename)
            )

    def open_attachment(self, sha256: str, filename: str) -> None:
        """Show the attachment in a viewer of the app's own: no copy is written anywhere."""
        evidence = self._portfolio.evidence
        self.attachment_viewer = view_attachment(
            self, self._ops, filename, lambda: evidence.attachment_content(sha256)
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.is_loaded and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self.is_loaded and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event.mimeData().urls())
        if files:
            event.acceptProposedAction()
            self.add_attachment_files(files)

    # =========================================================================================
    # History and status
    # =========================================================================================

    def show_history(self) -> None:
        if self.session.uuid is None:
            self.message_bar.show_info(self.tr("The history starts when you first save."))
            return
        evidence, uuid = self._portfolio.evidence, self.session.uuid
        self._ops.database(self, lambda: evidence.revisions(uuid)).success(self._open_history).run()

    def _open_history(self, revisions: list[Any]) -> None:
        if self.history_dialog is not None:
            self.history_dialog.close()
        self.history_dialog = HistoryDialog(
            revisions,
            self._template,
            domain_titles=self.domains.titles,
            placement_names={
                p.id: placement_name(p) for p in self.session.placements if p.id is not None
            },
            parent=self,
        )
        self.history_dialog.open()

    def _update_status(self) -> None:
        """Status chip and banner. The status is computed by the service from the verified
        sign-off: draft, ready, changes_requested, signed_off, edited (since sign-off), invalid.
        """
        status = self.session.detail.status if self.session.detail is not None else None
        self.status_chip.setText(
            status_label(status) if status is not None else self.tr("Not saved yet")
        )
        self.status_chip.setProperty("status", status or "new")
        self.status_chip.style().unpolish(self.status_chip)
        self.status_chip.style().polish(self.status_chip)
        banners = {
            "signed_off": self.tr(
                "This item is signed off. If you change and save it, the sign-off will need "
                "renewing: it will show as edited since sign-off."
            ),
            "edited": self.tr(
                "This item was edited since it was signed off. Submit it for review again to "
                "renew the sign-off."
            ),
            "invalid": self.tr(
                "The sign-off on this item cannot be verified. Submit it for review again."
            ),
            "unvouched": self.tr(
                "The signature checks out, but nobody you trust vouches for the signer's key, "
                "so it does not count yet: pin your supervisor's card (checked with them) or "
                "import your deanery's supervisor directory on the Reviews page."
            ),
            "revoked": self.tr(
                "This sign-off was revoked and does not count. Submit it for review again."
            ),
            "changes_requested": self.tr(
                "Your supervisor asked for changes. Edit, save and submit it again."
            ),
        }
        text = banners.get(status or "")
        if text:
            signoff = getattr(self.session.detail, "signoff", None)
            if signoff is not None:
                text += "\n" + trust_words(signoff) + "."
            comment = getattr(signoff, "comment", "") if signoff is not None else ""
            if comment:
                text += "\n" + self.tr("Supervisor's comment: {comment}").format(comment=comment)
            self.banner.show_text(text)
        else:
            self.banner.hide()
        self.history_button.setEnabled(self.session.uuid is not None)
        self.history_action.setEnabled(self.session.uuid is not None)
        self._update_actions()

    def _can_submit(self) -> bool:
        """Not for an item already waiting for review or signed off, unless it has changed."""
        detail = self.session.detail
        status = detail.status if detail is not None else None
        return self.is_loaded and (self.is_dirty or status not in UNSUBMITTABLE_STATUSES)

    def _update_actions(self) -> None:
        if not hasattr(self, "submit_button"):
            return  # still opening
        enabled = self._can_submit()
        self.submit_button.setEnabled(enabled)
        self.submit_action.setEnabled(enabled)
        detail = self.session.detail
        if enabled:
            tip = self.tr("Save, then mark ready for your supervisor (Ctrl+Enter).")
        elif detail is not None and detail.status == "ready":
            tip = self.tr("Already submitted: it is waiting for your supervisor's review.")
        else:
            tip = self.tr("Signed off. Change something to submit a new version for review.")
        self.submit_button.setToolTip(tip)

    def _update_title(self) -> None:
        kind = self._template.title if self._template else self.tr("Evidence")
        title = self.title_edit.text().strip() if hasattr(self, "title_edit") else ""
        self.setWindowTitle(
            self.tr("{title}[*] — {kind} — GPC Portfolio").format(
                title=title or self.tr("Untitled"), kind=kind
            )
        )

    # =========================================================================================
    # Closing
    # =========================================================================================

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ctrl+W, the window's close button, the main window closing: keep or ask."""
        state = self.editor_state
        if state is EditorState.CLOSED:
            event.accept()
        elif state in SAVING_STATES:  # close when the save is done (not if it fails)
            self.session.close_when_saved()
            event.ignore()
        elif state is not EditorState.DIRTY:  # loading, unavailable or clean: nothing to lose
            event.accept()
            self.session.close()
        else:
            event.ignore()
            choice = self._ask_unsaved()
            if choice == QMessageBox.StandardButton.Save:
                self._save(closing=True)
            elif choice == QMessageBox.StandardButton.Discard:
                self.session.discard()  # closes the session at once: the window closes now
                event.accept()

    def close_keeping_draft(self) -> None:
        """Close without asking, unsaved changes stashed first (app quit, tests)."""
        self.session.close_keeping_draft()

    def _ask_unsaved(self) -> QMessageBox.StandardButton:
        title = self.title_edit.text().strip() or self.tr("Untitled")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Unsaved changes"),
            self.tr("Save your changes to “{title}”?").format(title=title),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("unsavedPrompt")
        box.setInformativeText(
            self.tr(
                "Discard throws away what you changed since the last "
                "save, including the autosaved draft."
            )
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec())

    def _on_session_closed(self) -> None:
        self._disconnect_focus()
        if self.history_dialog is not None:
            self.history_dialog.close()
        self.close()  # accepted now the session is closed (a no-op inside closeEvent)
        self.closed.emit()


# =============================================================================================
# Helpers
# =============================================================================================


def placement_name(placement: PlacementData) -> str:
    start = f"{placement.starts_on:%b %Y}"
    end = f"{placement.ends_on:%b %Y}" if placement.ends_on else "…"
    where = " · ".join(part for part in (placement.trust, placement.department) if part)
    return f"{where} ({start} – {end})"


def _dismissal(kind: object, text: object) -> Finding:
    """A finding rebuilt from a stash: only its kind and text matter to a dismissal."""
    text = str(text)
    return Finding(str(kind), 0, len(text), text, "", "")


def _local_files(urls: Sequence[QUrl]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


def _same_field(old: QWidget, new: QWidget) -> bool:
    """Focus moving inside one compound widget (a date edit's line edit, a combo's popup)."""
    return old.isAncestorOf(new) or new.isAncestorOf(old)


_STYLE = """
QWidget#editorHeader { border-bottom: 1px solid palette(midlight); }
QLabel#kindLabel { font-weight: 600; letter-spacing: 1px; }
QLabel#statusChip {
    border: 1px solid palette(mid); border-radius: 9px; padding: 1px 9px;
}
QLabel#statusChip[status="signed_off"], QLabel#statusChip[status="changes_requested"] {
    border-color: palette(highlight);
}
QLabel#statusChip[status="ready"] { border-color: palette(highlight); }
QLineEdit#titleEdit { padding: 6px 8px; }
QFrame#editorCard {
    background: palette(base); border: 1px solid palette(midlight); border-radius: 10px;
}
QLabel#cardTitle { font-weight: 600; }
QFrame#repeatEntry {
    border: 1px solid palette(midlight); border-radius: 8px; background: palette(alternate-base);
}
QWidget#editorButtons { border-top: 1px solid palette(midlight); }
QScrollArea#formScroll, QWidget#formContent, QWidget#sideColumn, QScrollArea#sideScroll {
    background: transparent;
}
"""
