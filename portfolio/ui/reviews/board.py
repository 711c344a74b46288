"""The queue, the item in full and the decision: the view both signing roles share.

The board knows nothing of keys, packs or services. It lists rows, shows the item the role
fetched, collects a decision and says when any of that changed (``state_changed``) so the page
can ask the active role which controls are enabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from portfolio.services.dto import EvidenceDetail
from portfolio.ui.review_dialogs import ATTACHMENT_SCHEME, item_html
from portfolio.ui.widgets import FieldError, bold, icon, status_icon

UUID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class QueueRow:
    uuid: str
    text: str
    status: str
    """Which status icon the row shows."""
    tooltip: str


@dataclass(frozen=True)
class Controls:
    """What the active role allows now."""

    deciding: bool
    """The radios and the comment take input."""
    sign_text: str
    sign_enabled: bool
    hint: str


class ReviewBoard(QWidget):
    chosen = Signal(str)
    """A row was chosen: the role fetches that item and calls :meth:`show_detail`."""
    decide = Signal()
    """The sign button was pressed."""
    state_changed = Signal()
    """The item, the decision or the comment changed: the controls need working out again."""
    detail_shown = Signal(str)
    attachment_clicked = Signal(str)
    """An attachment link of the item shown: its sha256."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: EvidenceDetail | None = None
        self._keep_row = 0

        self.source = bold(QLabel(self))
        self.source.setObjectName("reviewSource")
        self.source.setWordWrap(True)
        self.source_row = QHBoxLayout()
        """The source line; the roles add their buttons after it."""
        self.source_row.addWidget(self.source, 1)

        self.queue = QListWidget(self)
        self.queue.setObjectName("reviewQueue")
        self.queue.setAccessibleName(self.tr("Items to review"))
        self.queue.setIconSize(QSize(18, 18))
        self.queue.setMinimumWidth(220)
        self.queue.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue.setUniformItemSizes(True)
        self.queue.currentRowChanged.connect(self._row_chosen)
        self.empty_queue = QLabel(self.tr("Nothing is waiting for review."), self)
        self.empty_queue.setObjectName("emptyQueueLabel")
        self.empty_queue.setWordWrap(True)
        self.empty_queue.setVisible(False)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.queue, 1)
        left_layout.addWidget(self.empty_queue)

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("reviewDetail")
        self.detail.setAccessibleName(self.tr("The item under review (read-only)"))
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._anchor_clicked)
        self.detail.setPlaceholderText(self.tr("Choose an item on the left to read it in full."))
        self.decision_box = self._decision_box()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(self.decision_box)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("reviewSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.source_row)
        layout.addWidget(self.splitter, 1)

    def _decision_box(self) -> QFrame:
        box = QFrame(self)
        box.setObjectName("decisionBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.sign_off_radio = QRadioButton(self.tr("&Sign off"), box)
        self.sign_off_radio.setObjectName("signOffRadio")
        self.sign_off_radio.setIcon(status_icon("signed_off", self.palette()))
        self.changes_radio = QRadioButton(self.tr("Request &changes"), box)
        self.changes_radio.setObjectName("changesRadio")
        self.changes_radio.setIcon(status_icon("changes_requested", self.palette()))
        self.decision_group = QButtonGroup(box)
        self.decision_group.addButton(self.sign_off_radio)
        self.decision_group.addButton(self.changes_radio)
        self.decision_group.buttonToggled.connect(lambda *_: self.state_changed.emit())
        self.comment = QPlainTextEdit(box)
        self.comment.setObjectName("reviewComment")
        self.comment.setAccessibleName(self.tr("Supervisor's comment"))
        self.comment.setPlaceholderText(
            self.tr("Comment for the trainee (needed when asking for changes)")
        )
        self.comment.setMaximumHeight(self.comment.fontMetrics().height() * 5)
        self.comment.textChanged.connect(self.state_changed)
        self.sign_button = QPushButton(icon("key"), self.tr("Sign &now"), box)
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self.decide)
        self.decision_hint = QLabel(box)
        self.decision_hint.setObjectName("decisionHint")
        self.decision_hint.setWordWrap(True)
        self.decision_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # A line of its own, two lines high whatever it says: a longer hint never waits for the
        # box to grow (squeezed beside the buttons it wrapped and was cut off at the bottom).
        self.decision_hint.setMinimumHeight(self.decision_hint.fontMetrics().lineSpacing() * 2)
        self.decision_error = FieldError("decisionError", box)

        radios = QHBoxLayout()
        radios.addWidget(QLabel(self.tr("Decision:"), box))
        radios.addWidget(self.sign_off_radio)
        radios.addWidget(self.changes_radio)
        radios.addStretch(1)
        self._actions = QHBoxLayout()
        """The sign button at the right; a role may add a button before it."""
        self._actions.addStretch(1)
        self._actions.addWidget(self.sign_button)
        layout = QVBoxLayout(box)
        layout.addLayout(radios)
        layout.addWidget(self.comment)
        layout.addWidget(self.decision_error)
        layout.addWidget(self.decision_hint)
        layout.addLayout(self._actions)
        return box

    def add_action(self, button: QPushButton) -> None:
        """A button of the role's, just before the sign button."""
        self._actions.insertWidget(self._actions.indexOf(self.sign_button), button)

    # -- the queue ---------------------------------------------------------------------------

    @property
    def current(self) -> EvidenceDetail | None:
        """The item shown in full."""
        return self._current

    def set_rows(self, rows: list[QueueRow], *, keep: str | None, from_top: bool = False) -> None:
        """List ``rows``, choosing ``keep`` again (else the row where the last choice was, or
        with ``from_top`` the first)."""
        if from_top:
            self._current = None
            self._keep_row = 0
        self.queue.blockSignals(True)
        self.queue.clear()
        for row in rows:
            item = QListWidgetItem(status_icon(row.status, self.palette()), row.text)
            item.setData(UUID_ROLE, row.uuid)
            item.setToolTip(row.tooltip)
            self.queue.addItem(item)
        self.queue.blockSignals(False)
        self._after_queue_change(keep)

    def clear(self) -> None:
        self._current = None
        self.queue.clear()
        self.show_detail(None, show_status=True)

    def current_uuid(self) -> str | None:
        row = self.queue.currentItem()
        return row.data(UUID_ROLE) if row is not None else None

    def uuids(self) -> list[str]:
        return [self.queue.item(r).data(UUID_ROLE) for r in range(self.queue.count())]

    def mark(self, item_uuid: str, status: str, text: str) -> None:
        """Show a decision recorded for the row of ``item_uuid``."""
        row = self.queue.item(self._row_of(item_uuid))
        row.setIcon(status_icon(status, self.palette()))
        row.setText(text)

    def remove(self, item_uuid: str) -> bool:
        """Take the row out and choose the one that took its place (False: not listed)."""
        row = self._row_of(item_uuid)
        if row < 0:
            return False
        self.queue.blockSignals(True)
        self.queue.takeItem(row)
        self.queue.blockSignals(False)
        self._current = None
        self._keep_row = row
        self._after_queue_change(None)
        return True

    def choose_next(self, item_uuid: str, done: set[str]) -> None:
        """Choose the next row after ``item_uuid`` not in ``done``, wrapping round."""
        row = self._row_of(item_uuid)
        if row < 0:
            return
        undecided = [r for r, uuid in enumerate(self.uuids()) if uuid not in done]
        after = [r for r in undecided if r > row] or undecided
        if after:
            self.queue.setCurrentRow(after[0])
        else:
            self.state_changed.emit()

    def choose_first(self) -> None:
        if self.queue.currentRow() < 0 and self.queue.count():
            self.queue.setCurrentRow(0)

    def _after_queue_change(self, keep: str | None) -> None:
        self.empty_queue.setVisible(self.queue.count() == 0)
        row = self._row_of(keep) if keep else -1
        if row < 0 and self.queue.count():
            row = min(self._keep_row, self.queue.count() - 1)
        if row >= 0:
            if row == self.queue.currentRow():
                self._row_chosen(row)
            else:
                self.queue.setCurrentRow(row)
        else:
            self.show_detail(None, show_status=True)

    def _row_of(self, item_uuid: str | None) -> int:
        return next((r for r, uuid in enumerate(self.uuids()) if uuid == item_uuid), -1)

    def _row_chosen(self, row: int) -> None:
        if row < 0:
            self.show_detail(None, show_status=True)
            return
        self._keep_row = row
        self.chosen.emit(self.queue.item(row).data(UUID_ROLE))

    # -- the item and the decision -----------------------------------------------------------

    def show_detail(
        self,
        detail: EvidenceDetail | None,
        *,
        show_status: bool,
        earlier: tuple[str, str] | None = None,
    ) -> None:
        """Show ``detail`` in full; a new item starts with no decision (or ``earlier``'s)."""
        changed = detail is None or self._current is None or self._current.uuid != detail.uuid
        self._current = detail
        if detail is None:
            self.detail.clear()
        else:
            self.detail.setHtml(item_html(detail, show_status=show_status))
        if changed:
            self._reset_decision(earlier)
        self.state_changed.emit()
        if detail is not None:
            self.detail_shown.emit(detail.uuid)

    def _reset_decision(self, earlier: tuple[str, str] | None) -> None:
        self.decision_group.setExclusive(False)
        self.sign_off_radio.setChecked(False)
        self.changes_radio.setChecked(False)
        self.decision_group.setExclusive(True)
        self.comment.clear()
        self.decision_error.show_error("")
        if earlier is not None:
            decision, comment = earlier
            (self.sign_off_radio if decision == "signed_off" else self.changes_radio).setChecked(
                True
            )
            self.comment.setPlainText(comment)

    def decision(self) -> str | None:
        if self.sign_off_radio.isChecked():
            return "signed_off"
        if self.changes_radio.isChecked():
            return "changes_requested"
        return None

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def apply(self, controls: Controls) -> None:
        for widget in (self.sign_off_radio, self.changes_radio, self.comment):
            widget.setEnabled(self._current is not None and controls.deciding)
        self.sign_button.setText(controls.sign_text)
        self.sign_button.setEnabled(controls.sign_enabled)
        self.decision_hint.setText(controls.hint)

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == ATTACHMENT_SCHEME:
            self.attachment_clicked.emit(url.path())
