"""Signing a review pack: the supervisor's own copy opens a ``.gpcreview`` and writes a sign-off
file.

The queue comes from the pack; decisions are recorded one by one and signed together into a
``.gpcsignoff`` (``SignOffService.sign_pack``). The pack is read off the GUI thread. Such a copy
also exports its signing log from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDetail
from portfolio.ui.operations import Operations
from portfolio.ui.reviews.board import Controls, QueueRow, ReviewBoard
from portfolio.ui.reviews.common import button, refuse
from portfolio.ui.reviews.identity import SupervisorIdentity
from portfolio.ui.translations import counted
from portfolio.ui.widgets import decision_label, kind_title, show_message

if TYPE_CHECKING:
    from portfolio.services.credentials import EarlierChoice
    from portfolio.services.review_files import ReviewPack


class PackSigning(QObject):
    """The role while a pack is open; its buttons sit in the board's rows."""

    message = Signal(str)
    failed = Signal(str)
    opened = Signal(int)
    """A pack was opened: how many items it holds."""
    closed = Signal()
    signed = Signal(str)
    """A decision was recorded for an item of the pack: its uuid."""
    signoff_saved = Signal(str)
    log_exported = Signal(str)

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        board: ReviewBoard,
        identity: SupervisorIdentity,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._portfolio = portfolio
        self._ops = ops
        self._board = board
        self._identity = identity
        self._window = parent
        """Where dialogs and message boxes open."""
        self._pack: ReviewPack | None = None
        self._pack_path: Path | None = None
        self._decisions: dict[str, tuple[str, str]] = {}

        self.export_log_button = button(
            parent,
            "exportLogButton",
            self.tr("Export signing log…"),
            "export",
            self.choose_log_destination,
        )
        self.export_log_button.setToolTip(
            self.tr(
                "Everything this copy signed, signed again as a log: a portfolio can be checked "
                "against it with 'gpc-portfolio verify --against'."
            )
        )
        self.export_log_button.setVisible(False)
        self.open_pack_button = button(
            parent,
            "openPackButton",
            self.tr("Open review pack…"),
            "import",
            self.choose_review_pack,
        )
        self.close_pack_button = button(
            parent, "closePackButton", self.tr("Close pack"), None, self.close_pack
        )
        self.close_pack_button.setVisible(False)
        for made in (self.export_log_button, self.open_pack_button, self.close_pack_button):
            board.source_row.addWidget(made)
        self.save_signoff_button = button(
            parent,
            "saveSignoffButton",
            self.tr("Save sign-off file…"),
            "export",
            self.choose_signoff_destination,
        )
        self.save_signoff_button.setVisible(False)
        board.add_action(self.save_signoff_button)
        identity.identities_loaded.connect(self._show_log_button)

    @property
    def pack(self) -> ReviewPack | None:
        return self._pack

    # -- opening and closing -----------------------------------------------------------------

    def choose_review_pack(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self._window,
            self.tr("Open a review pack"),
            str(Path.home()),
            self.tr("Review packs (*.gpcreview);;All files (*)"),
        )
        if chosen:
            self.open_review_pack(Path(chosen))

    def open_review_pack(self, path: Path) -> None:
        """Read the pack off the GUI thread (it needs no database); then list its items."""

        def read() -> ReviewPack:
            from portfolio.services.review_files import read_review_pack

            return read_review_pack(path)

        self._ops.render(self, read).success(lambda pack: self._opened(pack, path)).failure(
            lambda error: refuse(self._window, self.failed, error, "reviewPackError")
        ).run()

    def _opened(self, pack: ReviewPack, path: Path) -> None:
        self._pack, self._pack_path = pack, path
        self._decisions = {}
        self._board.source.setText(
            counted(
                "Review pack from {name} (GMC {gmc}{programme}), made {when}: %n item(s)",
                len(pack.items),
            ).format(
                name=pack.trainee_name,
                gmc=pack.trainee_gmc,
                programme=f", {pack.trainee_programme}" if pack.trainee_programme else "",
                when=pack.created_at[:10],
            )
        )
        self.close_pack_button.setVisible(True)
        rows = [
            QueueRow(
                item.detail.uuid,
                f"{item.detail.occurred_on.isoformat()}  {item.detail.title}",
                "ready",
                f"{item.detail.title}\n{kind_title(item.detail.kind)}",
            )
            for item in pack.items
        ]
        self._board.set_rows(rows, keep=None, from_top=True)
        self.message.emit(self.tr("Opened {file}.").format(file=path.name))
        self.opened.emit(len(pack.items))

    def close_pack(self) -> None:
        self._pack, self._pack_path = None, None
        self._decisions = {}
        self.close_pack_button.setVisible(False)
        self._board.clear()
        self.closed.emit()

    # -- the items ---------------------------------------------------------------------------

    def show_item(self, item_uuid: str) -> None:
        pack = self._pack
        assert pack is not None
        found = next(i for i in pack.items if i.detail.uuid == item_uuid)
        self._board.show_detail(
            found.detail, show_status=False, earlier=self._decisions.get(item_uuid)
        )

    def read_attachment(self, sha256: str) -> Callable[[], bytes]:
        """A pack's attachments were read with it."""
        pack, current = self._pack, self._board.current
        assert pack is not None and current is not None
        item = next(i for i in pack.items if i.detail.uuid == current.uuid)
        return lambda: item.attachment_data[sha256]

    def controls(self) -> Controls:
        board = self._board
        unlocked = self._identity.unlocked is not None
        decision = board.decision()
        if board.current is None:
            hint = ""
        elif decision is None:
            hint = self.tr("Choose sign off or request changes.")
        else:
            hint = counted(
                "%n decision(s) recorded; all are signed together when you save the sign-off file.",
                len(self._decisions),
            )
            if not unlocked:
                hint += " " + self.tr("Unlock your identity to save.")
        return Controls(
            deciding=True,
            sign_text=self.tr("&Record decision"),
            sign_enabled=board.current is not None and decision is not None,
            hint=hint,
        )

    def update_save(self) -> None:
        self.save_signoff_button.setVisible(self._pack is not None)
        self.save_signoff_button.setEnabled(
            bool(self._decisions) and self._identity.unlocked is not None
        )

    def decide(self, detail: EvidenceDetail, decision: str, comment: str) -> None:
        """Record the decision (signed with the others when the file is saved); move on."""
        self._decisions[detail.uuid] = (decision, comment)
        self._board.mark(
            detail.uuid,
            decision,
            f"{detail.occurred_on.isoformat()}  {detail.title}  ·  {decision_label(decision)}",
        )
        self.signed.emit(detail.uuid)
        self._board.choose_next(detail.uuid, set(self._decisions))

    # -- the sign-off file -------------------------------------------------------------------

    def choose_signoff_destination(self) -> None:
        pack = self._pack
        if pack is None:
            return
        folder = self._pack_path.parent if self._pack_path else Path.home()
        suggested = folder / f"sign-offs for {pack.trainee_name}.gpcsignoff"
        chosen, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Save the sign-off file"),
            str(suggested),
            self.tr("Sign-off files (*.gpcsignoff)"),
        )
        if chosen:
            path = Path(chosen)
            self.save_signoff_file_to(
                path if path.suffix == ".gpcsignoff" else path.with_suffix(".gpcsignoff")
            )

    def save_signoff_file_to(self, path: Path) -> None:
        pack, unlocked = self._pack, self._identity.unlocked
        if pack is None or not self._decisions:
            return
        if unlocked is None:
            self._board.decision_error.show_error(self.tr("Unlock your identity to sign the file."))
            return
        decisions = dict(self._decisions)
        signoffs = self._portfolio.signoffs

        def done(result: tuple[list[Any], EarlierChoice]) -> None:
            records, earlier = result
            self.message.emit(
                counted(
                    "Signed %n decision(s) into {file}; send it back to {name}.", len(records)
                ).format(file=path.name, name=pack.trainee_name)
            )
            show_message(
                self._window,
                self.tr("Sign-off file saved"),
                counted(
                    "%n signed decision(s) saved to\n{path}\n\nSend this file to {name}, who "
                    "imports it into their portfolio.",
                    len(records),
                ).format(path=path, name=pack.trainee_name)
                + self._earlier_words(earlier, pack.trainee_name),
                name="signoffSaved",
                icon_kind=QMessageBox.Icon.Information,
            )
            self.signoff_saved.emit(str(path))

        self._ops.database(
            self,
            lambda: (
                signoffs.sign_pack(pack, unlocked, decisions, path),
                signoffs.earlier_credentials(pack, unlocked.identity.public_key),
            ),
        ).success(done).failure(
            lambda error: refuse(self._window, self.failed, error, "signoffSaveError")
        ).run()

    def _earlier_words(self, earlier: EarlierChoice, trainee: str) -> str:
        """What the sign-off file says about credentials for the pack's earlier sign-offs."""
        words = ""
        if earlier.issued:
            words += counted(
                "\n\nAlso issued credentials for %n earlier sign-off(s) of yours.",
                len(earlier.issued),
            )
        if earlier.withheld:
            words += counted(
                "\n\nNo credential for %n earlier sign-off(s): nothing shows they were signed for "
                "{name} (not in your signing log for them).",
                len(earlier.withheld),
            ).format(name=trainee)
        return words

    # -- the signing log ---------------------------------------------------------------------

    def _show_log_button(self) -> None:
        keys = self._identity.keys
        self.export_log_button.setVisible(
            keys.own_copy and any(i.has_private_key for i in keys.identities)
        )

    def choose_log_destination(self) -> None:
        info = self._identity.chosen()
        if info is None:
            return
        suggested = Path.home() / f"signing log of {info.identity.name}.gpclog"
        chosen, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export the signing log"),
            str(suggested),
            self.tr("Signing logs (*.gpclog)"),
        )
        if chosen:
            path = Path(chosen)
            self.export_log_to(path if path.suffix == ".gpclog" else path.with_suffix(".gpclog"))

    def export_log_to(self, path: Path) -> None:
        """Write the chosen identity's signing log (no passphrase: its entries are signed)."""
        info = self._identity.chosen()
        if info is None:
            return
        signoffs = self._portfolio.signoffs

        def done(count: int) -> None:
            self.message.emit(
                counted("Wrote %n signed record(s) to {file}.", count).format(file=path.name)
            )
            self.log_exported.emit(str(path))

        self._ops.database(self, lambda: signoffs.export_log(path, info.fingerprint)).success(
            done
        ).failure(lambda error: refuse(self._window, self.failed, error, "exportLogError")).run()
