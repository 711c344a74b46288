"""The trainee's file actions: export a review pack, import a sign-off file, pin a supervisor's
card, trust a supervisor directory.

Every file is read and written off the GUI thread; a dialog that waits on a file (the card's
confirmation) opens when the file has been read, and not at all if the page went away meanwhile.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.operations import Operations
from portfolio.ui.privacy_dialog import check_privacy_first
from portfolio.ui.review_dialogs import SignOffImportDialog
from portfolio.ui.reviews.common import button, refuse
from portfolio.ui.reviews.identity import SupervisorIdentity
from portfolio.ui.translations import counted
from portfolio.ui.widgets import role_label
from portfolio.vocabulary import ChangeKind, PinMethod

if TYPE_CHECKING:
    from portfolio.security.signing import PublicIdentity
    from portfolio.services.directories import DirectoryImport
    from portfolio.services.dto import EvidenceDetail
    from portfolio.services.privacy import Gathered
    from portfolio.services.signoffs import IdentityInfo, ImportOutcome


class TraineeActions(QWidget):
    """The "For the trainee:" row of buttons and what they do."""

    message = Signal(str)
    failed = Signal(str)
    open_requested = Signal(str)
    pack_exported = Signal(str)
    signoffs_imported = Signal(list)
    pin_asked = Signal(QMessageBox)
    """The card was read and its ``pinCardConfirm`` box is open."""
    trust_asked = Signal(QMessageBox)
    """The directory was read and verified, and its ``trustDirectoryConfirm`` box is open."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        identity: SupervisorIdentity,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._portfolio = portfolio
        self._ops = ops
        self._identity = identity
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("For the trainee:"), self))
        self.export_pack_button = button(
            self,
            "exportPackButton",
            self.tr("Export review pack…"),
            "export",
            self.choose_export_review_pack,
        )
        self.import_signoff_button = button(
            self,
            "importSignoffButton",
            self.tr("Import sign-off file…"),
            "import",
            self.choose_signoff_file,
        )
        self.pin_card_button = button(
            self, "pinCardButton", self.tr("Pin supervisor card…"), "card", self.choose_card
        )
        self.trust_directory_button = button(
            self,
            "trustDirectoryButton",
            self.tr("Trust supervisor directory…"),
            "import",
            self.choose_directory,
        )
        for made in (
            self.export_pack_button,
            self.import_signoff_button,
            self.pin_card_button,
            self.trust_directory_button,
        ):
            row.addWidget(made)
        row.addStretch(1)

    def _open_file(self, title: str, filters: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, title, str(Path.home()), filters)
        return Path(chosen) if chosen else None

    # -- review packs and sign-off files -----------------------------------------------------

    def choose_export_review_pack(self, uuids: tuple[str, ...] = ()) -> None:
        what = (
            counted("%n selected item(s)", len(uuids))
            if uuids
            else self.tr("all items ready for review")
        )
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export a review pack ({what})").format(what=what),
            str(Path.home() / "review pack.gpcreview"),
            self.tr("Review packs (*.gpcreview)"),
        )
        if chosen:
            path = Path(chosen)
            self.export_review_pack_to(
                path if path.suffix == ".gpcreview" else path.with_suffix(".gpcreview"), uuids
            )

    def export_review_pack_to(self, path: Path, uuids: tuple[str, ...] = ()) -> None:
        """Check privacy, then write the pack (the chosen items, or every ready one)."""
        portfolio = self._portfolio

        def gather() -> Gathered:
            if uuids:
                return portfolio.privacy.gather(uuids=tuple(uuids))
            return portfolio.privacy.gather(EvidenceQuery(status="ready", include_private=False))

        def export() -> None:
            def done(items: list[EvidenceDetail]) -> None:
                self.message.emit(
                    counted("Review pack of %n item(s) saved to {path}.", len(items)).format(
                        path=path
                    )
                )
                self.pack_exported.emit(str(path))

            self._ops.database(
                self, lambda: portfolio.signoffs.export_review_pack(path, uuids, ready=not uuids)
            ).success(done).failure(lambda error: self._refuse(error, "reviewPackError")).run()

        check_privacy_first(
            self,
            self._ops,
            gather,
            export,
            what=self.tr("the review pack is made"),
            open_item=self.open_requested.emit,
            on_error=lambda error: self._refuse(error, "reviewPackError"),
        )

    def choose_signoff_file(self) -> None:
        path = self._open_file(
            self.tr("Import a sign-off file"),
            self.tr("Sign-off files (*.gpcsignoff);;All files (*)"),
        )
        if path is not None:
            self.import_signoff_file_from(path)

    def import_signoff_file_from(self, path: Path) -> None:
        signoffs = self._portfolio.signoffs

        def done(outcomes: list[ImportOutcome]) -> None:
            report = SignOffImportDialog(path.name, outcomes, self)
            report.open()
            self.import_report = report
            self._identity.reload()
            self.signoffs_imported.emit(outcomes)

        self._ops.database(self, lambda: signoffs.import_signoff_file(path)).success(done).failure(
            lambda error: self._refuse(
                error, "signoffImportError", self.tr("Sign-off file refused")
            )
        ).changes(
            ChangeKind.EVIDENCE, uuids=lambda outcomes: [o.evidence_uuid for o in outcomes]
        ).run()

    # -- supervisors' cards and directories --------------------------------------------------

    def choose_card(self) -> None:
        path = self._open_file(
            self.tr("Pin a supervisor's identity card"),
            self.tr("Identity cards (*.json *.gpcidentity);;All files (*)"),
        )
        if path is not None:
            self.pin_card_from(path)

    def pin_card_from(self, path: Path) -> None:
        """Read the card off the GUI thread, then ask (``pin_asked``); pin once confirmed."""

        def read() -> PublicIdentity:
            from portfolio.formats.card import read_card_file

            return read_card_file(path)

        self._ops.render(self, read).success(self._ask_to_pin).failure(
            lambda error: self._refuse(error, "pinCardError")
        ).run()

    def _ask_to_pin(self, card: PublicIdentity) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Pin this supervisor's card?"),
            self.tr("Pin the card of {name}?").format(name=card.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("pinCardConfirm")
        box.setInformativeText(
            self.tr(
                "{role}, GMC {gmc}\nFingerprint: {fp}\n\nCheck the fingerprint with your supervisor "
                "(in person or by phone). Once pinned, a sign-off by any other key under this GMC "
                "number is refused. A pin is your own word: an ARCP panel sees that you pinned "
                "it, and how."
            ).format(role=role_label(card.role), gmc=card.gmc_number, fp=card.fingerprint)
        )
        in_meeting = QCheckBox(
            self.tr("I compared it in person with the fingerprint on my supervisor's own device"),
            box,
        )
        in_meeting.setObjectName("pinInMeeting")
        box.setCheckBox(in_meeting)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Pin"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        signoffs = self._portfolio.signoffs

        def answered(result: int) -> None:
            if result != QMessageBox.StandardButton.Yes:
                return

            def pinned(info: IdentityInfo) -> None:
                self.message.emit(
                    self.tr("Pinned the card of {name} ({fp}).").format(
                        name=info.identity.name, fp=info.fingerprint
                    )
                )

            how = PinMethod.MEETING if in_meeting.isChecked() else PinMethod.FILE
            self._ops.database(self, lambda: signoffs.pin_card(card, how)).success(pinned).failure(
                lambda error: self._refuse(error, "pinCardError")
            ).changes(ChangeKind.IDENTITIES, ChangeKind.EVIDENCE).run()

        box.finished.connect(answered)
        box.open()
        self.pin_asked.emit(box)

    def choose_directory(self) -> None:
        path = self._open_file(
            self.tr("Trust a supervisor directory"),
            self.tr("Supervisor directories (*.gpcdirectory);;All files (*)"),
        )
        if path is not None:
            self.trust_directory_from(path)

    def trust_directory_from(self, path: Path) -> None:
        """Read the directory off the GUI thread; show its publisher and fingerprint
        (``trust_asked``); trust it once the trainee confirms."""
        from portfolio.ui.directory_dialog import trust_directory

        def done(result: DirectoryImport) -> None:
            info = result.info
            self.message.emit(
                self.tr("Trusted “{name}” version {version} ({fp}).").format(
                    name=info.name, version=info.version, fp=info.publisher_fingerprint
                )
            )

        trust_directory(
            self,
            self._portfolio,
            self._ops,
            path,
            self.trust_asked.emit,
            done,
            lambda error: self._refuse(error, "trustDirectoryError"),
        )

    def _refuse(self, error: Exception, name: str, title: str = "") -> None:
        refuse(self, self.failed, error, name, title)
