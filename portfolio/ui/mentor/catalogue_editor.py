"""The mentor's catalogue of opportunities: create one, add, edit and remove its entries, then
sign and publish it as a ``.gpcopportunities`` file — what ``catalogue create/add/remove/
publish`` do on the command line, through the same service. With no signing identity yet,
publishing first makes one (in a mentor's words), then goes on. Catalogues imported from another
mentor are shown read-only: only their publisher can change them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.ui.identity_creation import create_identity
from portfolio.ui.mentor.catalogue_dialogs import (
    Form,
    NewCatalogueDialog,
    OpportunityDialog,
    PublishDialog,
)
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import Connections, FieldError, icon
from portfolio.vocabulary import OPPORTUNITY_KIND_LABELS, ChangeKind

if TYPE_CHECKING:
    from portfolio.services.opportunities import CatalogueInfo, OpportunityView
    from portfolio.services.signoffs import IdentityInfo

T = TypeVar("T")
UUID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Opportunity", "Kind", "Develops", "Dates", "Applications close")


@dataclass(frozen=True)
class Listing:
    catalogues: list[CatalogueInfo]
    chosen: CatalogueInfo | None
    opportunities: list[OpportunityView]


@dataclass(frozen=True)
class Signers:
    identities: list[IdentityInfo]
    needs_passphrase: bool
    key_location: str
    """Where a key made here would be kept, in words."""


class CatalogueEditor(QWidget):
    loaded = Signal()
    published = Signal(str)
    """The path of the catalogue file just written."""
    message = Signal(str)

    def __init__(self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("catalogueEditor")
        self._portfolio = portfolio
        self._ops = ops
        self._listing = Listing([], None, [])
        self._connections = Connections(self)
        self._connections.connect(ops.changed, self._changed)

        self.catalogue_combo = QComboBox(self)
        self.catalogue_combo.setObjectName("catalogueCombo")
        self.catalogue_combo.setAccessibleName(self.tr("Catalogue"))
        self.catalogue_combo.setMinimumContentsLength(30)
        self.catalogue_combo.activated.connect(lambda _: self.reload())
        label = QLabel(self.tr("&Catalogue:"), self)
        label.setBuddy(self.catalogue_combo)
        self.new_button = QPushButton(icon("new"), self.tr("&New catalogue…"), self)
        self.new_button.setObjectName("newCatalogueButton")
        self.new_button.clicked.connect(self.new_catalogue)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.catalogue_combo, 1)
        top.addWidget(self.new_button)

        self.state = QLabel(self)
        self.state.setObjectName("catalogueState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.error = FieldError("catalogueError", self)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("catalogueTable")
        self.table.setAccessibleName(self.tr("Opportunities in the catalogue"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _: self.edit_opportunity())

        self.add_button = QPushButton(icon("new"), self.tr("&Add…"), self)
        self.add_button.setObjectName("addOpportunityButton")
        self.add_button.clicked.connect(self.add_opportunity)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setObjectName("editOpportunityButton")
        self.edit_button.clicked.connect(self.edit_opportunity)
        self.remove_button = QPushButton(icon("trash"), self.tr("&Remove"), self)
        self.remove_button.setObjectName("removeOpportunityButton")
        self.remove_button.clicked.connect(self.remove_opportunity)
        self.publish_button = QPushButton(icon("key"), self.tr("Sign and &publish…"), self)
        self.publish_button.setObjectName("publishCatalogueButton")
        self.publish_button.clicked.connect(self.choose_destination)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.publish_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._update_buttons()

    # -- reading -----------------------------------------------------------------------------

    @property
    def chosen(self) -> CatalogueInfo | None:
        return self._listing.chosen

    @property
    def opportunities(self) -> list[OpportunityView]:
        return self._listing.opportunities

    def reload(self, select: str | None = None) -> None:
        from portfolio.services.opportunities import OpportunityQuery

        service = self._portfolio.opportunities
        wanted = select or self.catalogue_combo.currentData()

        def work() -> Listing:
            catalogues = service.catalogues()
            chosen = next((c for c in catalogues if c.catalogue_id == wanted), None)
            chosen = chosen or next((c for c in catalogues if c.own), None)
            chosen = chosen or (catalogues[0] if catalogues else None)
            views = (
                service.find(OpportunityQuery(catalogue_id=chosen.catalogue_id)) if chosen else []
            )
            return Listing(catalogues, chosen, views)

        self._ops.database(self, work).success(self._show).failure(self._failed).run()

    def _changed(self, changes: Changes) -> None:
        """Another screen changed the catalogues (this one's own forms reload it themselves)."""
        origin = changes.origin
        ours = origin is self or (isinstance(origin, QObject) and origin.parent() is self)
        if changes.touches(ChangeKind.OPPORTUNITIES) and not ours:
            self.reload()

    def _show(self, listing: Listing) -> None:
        self._listing = listing
        self.catalogue_combo.blockSignals(True)
        self.catalogue_combo.clear()
        for c in listing.catalogues:
            whose = self.tr("yours") if c.own else (c.publisher.name if c.publisher else "")
            self.catalogue_combo.addItem(f"{c.title} — {whose}", c.catalogue_id)
        if not listing.catalogues:
            self.catalogue_combo.addItem(self.tr("No catalogue yet: start one with New"), None)
        chosen = listing.chosen
        found = self.catalogue_combo.findData(chosen.catalogue_id) if chosen else 0
        self.catalogue_combo.setCurrentIndex(max(found, 0))
        self.catalogue_combo.blockSignals(False)
        self.state.setText(self._state_text(chosen))
        self.table.setRowCount(0)
        for view in listing.opportunities:
            row = self.table.rowCount()
            self.table.insertRow(row)
            dates = " – ".join(str(d) for d in (view.starts_on, view.ends_on) if d)
            cells = (
                view.title,
                OPPORTUNITY_KIND_LABELS.get(view.kind, view.kind),
                ", ".join(view.domains),
                dates,
                str(view.closes_on or ""),
            )
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setData(UUID_ROLE, view.uuid)
                self.table.setItem(row, column, cell)
        self._update_buttons()
        self.loaded.emit()

    def _state_text(self, c: CatalogueInfo | None) -> str:
        if c is None:
            return self.tr(
                "Write a catalogue of the roles, projects, teaching and events your trainees can "
                "take up, then sign and publish it for them to import."
            )
        if not c.own:
            who = f"{c.publisher.name}, key {c.publisher.fingerprint}" if c.publisher else ""
            return self.tr(
                "Version {v}, published by {who}. Only its publisher can change it; start "
                "your own with New catalogue."
            ).format(v=c.version, who=who)
        if c.version == 0:
            return self.tr("Not published yet: trainees see nothing until you publish it.")
        if c.changed:
            return self.tr(
                "Version {v} published {when}; changed since: publish again to tell trainees."
            ).format(v=c.version, when=c.published_at[:10])
        return self.tr("Version {v} published {when}; no changes since.").format(
            v=c.version, when=c.published_at[:10]
        )

    def _selected(self) -> OpportunityView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        uuid = cell.data(UUID_ROLE) if cell is not None else None
        return next((v for v in self._listing.opportunities if v.uuid == uuid), None)

    def _update_buttons(self) -> None:
        own = self.chosen is not None and self.chosen.own
        selected = self._selected() is not None
        self.add_button.setEnabled(own)
        self.edit_button.setEnabled(own and selected)
        self.remove_button.setEnabled(own and selected)
        self.publish_button.setEnabled(own and bool(self._listing.opportunities))

    def _failed(self, error: PortfolioError) -> None:
        self.error.show_error(str(error))

    # -- writing -----------------------------------------------------------------------------

    def new_catalogue(self) -> NewCatalogueDialog:
        dialog = NewCatalogueDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        service = self._portfolio.opportunities

        def send() -> None:
            title, trust = dialog.title.text(), dialog.trust.text()
            dialog.set_busy(True)

            def done(info: CatalogueInfo) -> None:
                dialog.accept()
                self.reload(select=info.catalogue_id)

            self._send(dialog, lambda: service.create_catalogue(title, trust), done)

        dialog.buttons.accepted.connect(send)
        dialog.open()
        return dialog

    def add_opportunity(self) -> OpportunityDialog | None:
        return self._opportunity_form(None)

    def edit_opportunity(self) -> OpportunityDialog | None:
        view = self._selected()
        return self._opportunity_form(view) if view is not None else None

    def _opportunity_form(self, view: OpportunityView | None) -> OpportunityDialog | None:
        chosen = self.chosen
        if chosen is None or not chosen.own:
            return None
        dialog = OpportunityDialog(view, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        service = self._portfolio.opportunities

        def send() -> None:
            draft = dialog.draft()
            dialog.set_busy(True)

            def work() -> OpportunityView:
                if view is None:
                    return service.add_opportunity(chosen.catalogue_id, draft)
                return service.update_opportunity(view.uuid, draft)

            def done(_: OpportunityView) -> None:
                dialog.accept()
                self.reload(select=chosen.catalogue_id)

            self._send(dialog, work, done)

        dialog.buttons.accepted.connect(send)
        dialog.open()
        return dialog

    def _send(self, dialog: Form, work: Callable[[], T], done: Callable[[T], object]) -> None:
        """Run ``work`` for a form; a refusal is shown in the form, which stays open."""

        def failed(error: PortfolioError) -> None:
            dialog.set_busy(False)
            dialog.error.show_error(str(error))

        self._ops.database(dialog, work).success(done).failure(failed).changes(
            ChangeKind.OPPORTUNITIES
        ).run()

    def remove_opportunity(self) -> QMessageBox | None:
        view = self._selected()
        chosen = self.chosen
        if view is None or chosen is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove opportunity"),
            self.tr(
                "Remove “{title}” from the catalogue? Trainees see it go when you publish again."
            ).format(title=view.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("removeOpportunityQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        service = self._portfolio.opportunities

        def answered(button: int) -> None:
            if button != QMessageBox.StandardButton.Yes:
                return
            self._ops.database(self, lambda: service.remove_opportunity(view.uuid)).success(
                lambda _: self.reload(select=chosen.catalogue_id)
            ).failure(self._failed).changes(ChangeKind.OPPORTUNITIES).run()

        box.finished.connect(answered)
        box.open()
        return box

    # -- publishing ----------------------------------------------------------------------------

    def choose_destination(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Publish the catalogue"),
            f"{chosen.title}.gpcopportunities",
            self.tr("Opportunity catalogues (*.gpcopportunities)"),
        )
        if path:
            self.publish_to(Path(path))

    def publish_to(self, path: Path) -> None:
        """Ask who signs (and their passphrase), then sign and write the next version."""
        chosen = self.chosen
        if chosen is None or not chosen.own:
            return
        signoffs = self._portfolio.signoffs

        def work() -> Signers:
            store = signoffs.keystore()
            return Signers(
                [i for i in signoffs.identities() if i.has_private_key],
                store.needs_passphrase,
                store.location(),
            )

        def ask(signers: Signers) -> None:
            if signers.identities:
                self._ask_signer(chosen, path, signers)
            else:
                self._create_signer(chosen, path, signers)

        self.error.show_error("")
        self._ops.database(self, work).success(ask).failure(self._failed).run()

    def _create_signer(self, chosen: CatalogueInfo, path: Path, signers: Signers) -> None:
        """No identity to sign with yet: make one here, then go on to publish with it."""

        def created(info: IdentityInfo) -> None:
            self.message.emit(
                self.tr("Identity created for {name}: fingerprint {fp}.").format(
                    name=info.identity.name, fp=info.fingerprint
                )
            )
            self._ask_signer(chosen, path, replace(signers, identities=[info]))

        dialog = create_identity(
            self,
            self._ops,
            self._portfolio.signoffs,
            needs_passphrase=signers.needs_passphrase,
            key_location=signers.key_location,
            purpose="mentor",
            created=created,
        )
        dialog.rejected.connect(
            lambda: self.error.show_error(
                self.tr(
                    "Nothing was published: a catalogue is signed with your own identity. "
                    "Choose Sign and publish… again to create it."
                )
            )
        )

    def _ask_signer(self, chosen: CatalogueInfo, path: Path, signers: Signers) -> None:
        dialog = PublishDialog(
            chosen.title, str(path), signers.identities, signers.needs_passphrase, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        portfolio = self._portfolio

        def send() -> None:
            fingerprint, passphrase = dialog.fingerprint(), dialog.passphrase_text()
            dialog.set_busy(True)

            def work() -> CatalogueInfo:
                unlocked = portfolio.signoffs.unlock(fingerprint, passphrase)
                return portfolio.opportunities.publish(chosen.catalogue_id, path, unlocked)

            def done(info: CatalogueInfo) -> None:
                dialog.accept()
                self.message.emit(
                    self.tr(
                        "Published version {v} of “{title}” ({n} opportunities) to {path}."
                    ).format(v=info.version, title=info.title, n=info.opportunities, path=path)
                )
                self.published.emit(str(path))
                self.reload(select=info.catalogue_id)

            self._send(dialog, work, done)

        dialog.buttons.accepted.connect(send)
        dialog.open()
