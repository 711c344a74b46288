"""Meeting sign-off: the supervisor signs, in the trainee's app, the items ready for review.

Each decision is signed at once with the unlocked key (``SignOffService.sign_in_meeting``) and
listed in "Signed in this meeting", where it can be withdrawn by a signed record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.services.dto import EvidenceDetail, EvidenceSummary
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.operations import Operations
from portfolio.ui.reviews.board import UUID_ROLE, Controls, QueueRow, ReviewBoard
from portfolio.ui.reviews.common import refuse
from portfolio.ui.reviews.identity import SupervisorIdentity
from portfolio.ui.translations import counted
from portfolio.ui.widgets import decision_label, kind_title, status_icon
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.services.signoffs import SignOffInfo

SIGNATURE_ROLE = Qt.ItemDataRole.UserRole + 2
FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole + 3


class MeetingSignOff(QGroupBox):
    """The role while no pack is open; the widget is the "Signed in this meeting" box."""

    message = Signal(str)
    failed = Signal(str)
    signed = Signal(str)
    """An item was signed in the meeting: its uuid."""
    withdrawn = Signal(str)
    """A decision signed in this meeting was withdrawn: the item's uuid."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        board: ReviewBoard,
        identity: SupervisorIdentity,
        active: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        """``active`` says whether the board is this role's (no pack open)."""
        super().__init__(parent)
        self.setTitle(self.tr("Signed in this meeting"))
        self.setObjectName("meetingBox")
        self._portfolio = portfolio
        self._ops = ops
        self._board = board
        self._identity = identity
        self._active = active
        self._signing = False
        self.meeting_list = QListWidget(self)
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setAccessibleName(self.tr("Decisions signed in this meeting"))
        self.meeting_list.setMaximumHeight(self.meeting_list.fontMetrics().height() * 6)
        self.meeting_list.currentRowChanged.connect(lambda _: self.update_withdraw())
        self.withdraw_button = QPushButton(self.tr("&Withdraw decision"), self)
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.setToolTip(
            self.tr(
                "Sign a withdrawal of the chosen decision: it stays on record, no longer counts, "
                "and the item goes back to the queue."
            )
        )
        self.withdraw_button.clicked.connect(self.withdraw)
        layout = QHBoxLayout(self)
        layout.addWidget(self.meeting_list, 1)
        layout.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)

    # -- the queue ---------------------------------------------------------------------------

    def reload_queue(self) -> None:
        evidence = self._portfolio.evidence
        self._ops.database(
            self,
            lambda: evidence.list(EvidenceQuery(status="ready", sort="date", descending=False)),
        ).success(self._show_queue).failure(self._known_error).run()

    def _show_queue(self, items: list[EvidenceSummary]) -> None:
        if not self._active():
            return
        self._say_count(len(items))
        rows = []
        for summary in items:
            text = f"{summary.occurred_on.isoformat()}  {summary.title}"
            if summary.private:
                text += self.tr("  (private)")
            tooltip = f"{summary.title}\n{kind_title(summary.kind)} · {', '.join(summary.domains)}"
            rows.append(QueueRow(summary.uuid, text, summary.status, tooltip))
        self._board.set_rows(rows, keep=self._board.current_uuid())

    def _say_count(self, count: int) -> None:
        self._board.source.setText(
            self.tr("Items ready for review in this portfolio: {n}").format(n=count)
        )

    def show_item(self, item_uuid: str) -> None:
        """Read the chosen item in full (unless it is the one shown)."""
        board = self._board
        if board.current is not None and board.current.uuid == item_uuid:
            return
        evidence = self._portfolio.evidence

        def done(detail: EvidenceDetail) -> None:
            if board.current_uuid() == detail.uuid:
                board.show_detail(detail, show_status=True)

        self._ops.database(self, lambda: evidence.get(item_uuid)).success(done).failure(
            self._known_error
        ).run()

    def read_attachment(self, sha256: str) -> Callable[[], bytes]:
        evidence = self._portfolio.evidence
        return lambda: evidence.attachment_content(sha256)

    # -- deciding and signing ----------------------------------------------------------------

    def controls(self) -> Controls:
        board = self._board
        unlocked = self._identity.unlocked is not None
        decision = board.decision()
        if board.current is None:
            hint = ""
        elif not unlocked:
            hint = self.tr("Unlock a supervisor identity above to sign.")
        elif decision is None:
            hint = self.tr("Choose sign off or request changes.")
        else:
            hint = self.tr(
                "Signing records the decision now, with your key, for this exact "
                "version of the item."
            )
        return Controls(
            deciding=unlocked,
            sign_text=self.tr("Sign &now"),
            sign_enabled=(
                board.current is not None
                and decision is not None
                and unlocked
                and not self._signing
            ),
            hint=hint,
        )

    def decide(self, detail: EvidenceDetail, decision: str, comment: str) -> None:
        unlocked = self._identity.unlocked
        if unlocked is None:
            return
        signoffs = self._portfolio.signoffs
        self._set_signing(True)

        def done(info: SignOffInfo) -> None:
            self._set_signing(False)
            issued = (
                counted(
                    " Credentials issued for %n sign-off(s) of this trainee.",
                    info.credentials_issued,
                )
                if info.credentials_issued
                else ""
            )
            self.message.emit(
                self.tr("{decision}: “{title}”, signed by {name}.").format(
                    decision=decision_label(info.status.decision),
                    title=info.evidence_title,
                    name=info.status.signer_name,
                )
                + issued
            )
            self._add_to_meeting(info)
            if self._board.remove(info.evidence_uuid):
                self._say_count(self._board.queue.count())
            self.signed.emit(info.evidence_uuid)

        def failed(error: PortfolioError) -> None:
            self._set_signing(False)
            self._board.decision_error.show_error(str(error))
            self.failed.emit(str(error))

        self._ops.database(
            self, lambda: signoffs.sign_in_meeting(unlocked, detail.uuid, decision, comment)
        ).success(done).failure(failed).changes(
            ChangeKind.EVIDENCE, uuids=lambda info: [info.evidence_uuid]
        ).run()

    def _set_signing(self, signing: bool) -> None:
        self._signing = signing
        self._board.state_changed.emit()

    def _add_to_meeting(self, info: SignOffInfo) -> None:
        status = info.status
        row = QListWidgetItem(
            status_icon(status.decision, self.palette()),
            self.tr("{time}  {decision}: {title} — signed by {name}").format(
                time=datetime.strptime(status.signed_at, "%Y-%m-%dT%H:%M:%SZ")
                .replace(tzinfo=UTC)
                .astimezone()
                .strftime("%H:%M"),
                decision=decision_label(status.decision),
                title=info.evidence_title,
                name=status.signer_name,
            ),
        )
        row.setData(UUID_ROLE, info.evidence_uuid)
        row.setData(SIGNATURE_ROLE, status.signature)
        row.setData(FINGERPRINT_ROLE, status.fingerprint)
        self.meeting_list.insertItem(0, row)
        self.meeting_list.setCurrentRow(0)
        self.setVisible(True)

    def update_withdraw(self) -> None:
        """Only the signer of a decision still standing may withdraw it, while unlocked."""
        chosen = self.meeting_list.currentItem()
        unlocked = self._identity.unlocked
        self.withdraw_button.setEnabled(
            chosen is not None
            and chosen.data(SIGNATURE_ROLE) is not None
            and not self._signing
            and unlocked is not None
            and chosen.data(FINGERPRINT_ROLE) == unlocked.identity.fingerprint
        )

    def withdraw(self) -> None:
        """Sign a withdrawal of the decision chosen in "Signed in this meeting"."""
        chosen = self.meeting_list.currentItem()
        unlocked = self._identity.unlocked
        if chosen is None or unlocked is None or chosen.data(SIGNATURE_ROLE) is None:
            return
        signature = chosen.data(SIGNATURE_ROLE)
        signoffs = self._portfolio.signoffs
        self._set_signing(True)

        def done(info: SignOffInfo) -> None:
            self._set_signing(False)
            chosen.setData(SIGNATURE_ROLE, None)
            font = chosen.font()
            font.setStrikeOut(True)
            chosen.setFont(font)
            chosen.setToolTip(self.tr("Withdrawn by a signed record."))
            self._add_to_meeting(info)
            self.message.emit(
                self.tr("Withdrawn: the decision about “{title}” no longer counts.").format(
                    title=info.evidence_title
                )
            )
            self.withdrawn.emit(info.evidence_uuid)

        def failed(error: PortfolioError) -> None:
            self._set_signing(False)
            refuse(self, self.failed, error, "withdrawError")

        self._ops.database(self, lambda: signoffs.withdraw_in_meeting(unlocked, signature)).success(
            done
        ).failure(failed).changes(
            ChangeKind.EVIDENCE, uuids=lambda info: [info.evidence_uuid]
        ).run()

    def _known_error(self, error: PortfolioError) -> None:
        self._ops.known_error.emit(str(error))
