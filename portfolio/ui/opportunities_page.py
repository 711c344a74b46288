"""The Opportunities page: catalogues a CLM published, filtered by domain and by the trainee's
gaps, with the trainee's progress on each and "Create evidence from this". With ``read_only``
(supervisor mode) the same catalogues are browsable and nothing can be recorded.

The cohort-summary dialog shows the trainee exactly what the file will contain before writing.
All database work runs on the task runner's thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.curriculum import gpc
from portfolio.errors import PortfolioError
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import Connections, bold, word
from portfolio.vocabulary import OPPORTUNITY_KIND_LABELS, PROGRESS_LABELS, ChangeKind

if TYPE_CHECKING:  # the services are imported when the page is first used, not at start-up
    from portfolio.services.cohort import SummaryPreview
    from portfolio.services.dto import EvidenceDetail
    from portfolio.services.opportunities import CatalogueImport, OpportunityQuery, OpportunityView

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Opportunity", "Kind", "Develops", "Closes", "Your status")


class OpportunitiesPage(QWidget):
    evidence_created = Signal(str)
    """The uuid of an evidence item just made from an opportunity (the window may open it)."""
    loaded = Signal()

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("opportunitiesPage")
        self._portfolio = portfolio
        self._ops = ops
        self._read_only = read_only
        self._views: list[OpportunityView] = []
        self._connections = Connections(self)

        title = bold(QLabel(self.tr("Leadership opportunities"), self), 1.4)
        intro = QLabel(
            self.tr(
                "Roles, projects, teaching and events your Clinical Leadership Mentor published. "
                "Each catalogue is signed; the publisher and their key fingerprint are shown."
            )
            if not read_only
            else self.tr(
                "Opportunities published by Clinical Leadership Mentors, to point a trainee at "
                "during a meeting (read-only)."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.import_button = QPushButton(self.tr("Import catalogue…"), self)
        self.import_button.setObjectName("importCatalogueButton")
        self.domain_filter = QComboBox(self)
        self.domain_filter.setObjectName("opportunityDomainFilter")
        self.domain_filter.setAccessibleName(self.tr("Domain"))
        self.domain_filter.addItem(self.tr("All domains"), None)
        for node in gpc():
            if node.kind in ("domain", "subheading"):
                indent = "    " if node.kind == "subheading" else ""
                self.domain_filter.addItem(f"{indent}{node.code}  {node.title}", node.code)
        self.gaps_filter = QCheckBox(self.tr("Only domains where I have no evidence"), self)
        self.gaps_filter.setObjectName("opportunityGapsFilter")
        self.gaps_filter.setVisible(not read_only)
        # Long domain titles must not widen the whole window.
        self.domain_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.domain_filter.setMinimumContentsLength(11)  # room for its label at 780 px
        domain_label = QLabel(self.tr("Domain"), self)
        domain_label.setBuddy(self.domain_filter)
        filters = QHBoxLayout()
        filters.addWidget(self.import_button)
        filters.addWidget(domain_label)
        filters.addWidget(self.domain_filter, 1)
        filters.addWidget(self.gaps_filter)

        self.catalogues = QLabel(self)
        self.catalogues.setObjectName("catalogueLabel")
        self.catalogues.setWordWrap(True)
        self.catalogues.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("opportunityTable")
        self.table.setAccessibleName(self.tr("Opportunities"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.detail = QLabel(self.tr("Choose an opportunity to see its details."), self)
        self.detail.setObjectName("opportunityDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for status, label in PROGRESS_LABELS.items():
            button = QPushButton(word(label), self)
            button.setObjectName(f"{status}Button")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, s=status: self.record(s))
            self.status_buttons[status] = button
            actions.addWidget(button)
        self.evidence_button = QPushButton(self.tr("Create evidence from this"), self)
        self.evidence_button.setObjectName("createEvidenceButton")
        actions.addStretch(1)
        actions.addWidget(self.evidence_button)
        self.action_bar = QWidget(self)
        self.action_bar.setLayout(actions)
        self.action_bar.setVisible(not read_only)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        side_layout.addWidget(self.action_bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.summary_button = QPushButton(self.tr("Cohort summary for my CLM…"), self)
        self.summary_button.setObjectName("cohortSummaryButton")
        self.summary_button.setVisible(not read_only)
        self.status = QLabel(self)
        self.status.setObjectName("opportunitiesStatus")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.summary_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.catalogues)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.import_button.clicked.connect(self.choose_catalogue)
        self.domain_filter.currentIndexChanged.connect(lambda _: self.reload())
        self.gaps_filter.toggled.connect(lambda _: self.reload())
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.evidence_button.clicked.connect(self.create_evidence)
        self.summary_button.clicked.connect(self.open_summary)
        self._connections.connect(ops.changed, self._data_changed)
        self._show_selected()
        self.reload()

    @property
    def read_only(self) -> bool:
        return self._read_only

    # -- loading -----------------------------------------------------------------------------

    def query(self) -> OpportunityQuery:
        from portfolio.services.opportunities import OpportunityQuery

        return OpportunityQuery(
            domain=self.domain_filter.currentData(),
            gaps=self.gaps_filter.isChecked() and not self._read_only,
        )

    def reload(self) -> None:
        service, query = self._portfolio.opportunities, self.query()
        self._ops.database(self, lambda: (service.catalogues(), service.find(query))).success(
            self._show
        ).failure(self._failed).run()

    def _data_changed(self, changes: Changes) -> None:
        if changes.kind in (ChangeKind.EVIDENCE, ChangeKind.OPPORTUNITIES):
            self.reload()

    def _show(self, result: tuple[list[Any], list[OpportunityView]]) -> None:
        catalogues, views = result
        chosen = self.selected_uuid()
        lines = []
        for c in catalogues:
            who = (
                self.tr("your own")
                if c.own
                else (f"{c.publisher.name} · key {c.publisher.fingerprint}" if c.publisher else "")
            )
            lines.append(f"<b>{_escape(c.title)}</b> (version {c.version}) — {_escape(who)}")
        self.catalogues.setText(
            "<br/>".join(lines)
            if lines
            else self.tr("No catalogue yet: import the .gpcopportunities file your CLM sent you.")
        )
        self._views = views
        self.table.setRowCount(len(views))
        for row, view in enumerate(views):
            status = word(PROGRESS_LABELS.get(view.progress.status, "")) if view.progress else ""
            cells = (
                view.title,
                word(OPPORTUNITY_KIND_LABELS.get(view.kind, view.kind)),
                ", ".join(view.domains),
                view.closes_on.isoformat() if view.closes_on else "",
                status,
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(UUID_ROLE, view.uuid)
                if not view.is_open():
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
            if view.uuid == chosen:
                self.table.selectRow(row)
        self._show_selected()
        self.loaded.emit()

    def _failed(self, error: PortfolioError) -> None:
        self.status.setText(str(error))

    # -- the selected opportunity ------------------------------------------------------------

    def selected_uuid(self) -> str | None:
        view = self.selected()
        return view.uuid if view else None

    def selected(self) -> OpportunityView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._views):
            return None
        return self._views[rows[0].row()]

    def select(self, opportunity_uuid: str) -> None:
        for row, view in enumerate(self._views):
            if view.uuid == opportunity_uuid:
                self.table.selectRow(row)
                return

    def _show_selected(self) -> None:
        view = self.selected()
        for status, button in self.status_buttons.items():
            button.setEnabled(view is not None)
            button.setChecked(bool(view and view.progress and view.progress.status == status))
        progress = view.progress if view else None
        self.evidence_button.setEnabled(
            bool(
                progress
                and progress.status in ("participating", "completed")
                and not progress.evidence_uuid
            )
        )
        if view is None:
            self.detail.setText(self.tr("Choose an opportunity to see its details."))
            return
        parts = [
            f"<b>{_escape(view.title)}</b> · {word(OPPORTUNITY_KIND_LABELS.get(view.kind, view.kind))}"
        ]
        when = " – ".join(d.isoformat() for d in (view.starts_on, view.ends_on) if d)
        facts = [
            (self.tr("Trust"), view.trust),
            (self.tr("Contact"), view.contact),
            (self.tr("Dates"), when),
            (self.tr("Closing date"), view.closes_on.isoformat() if view.closes_on else ""),
            (self.tr("Develops"), ", ".join(view.domains)),
        ]
        parts += [f"{label}: {_escape(value)}" for label, value in facts if value]
        if view.description:
            parts.append(_escape(view.description).replace("\n", "<br/>"))
        if view.publisher:
            parts.append(
                self.tr(
                    "Published by {name} (GMC {gmc}) in '{catalogue}'; key {fingerprint}"
                ).format(
                    name=_escape(view.publisher.name),
                    gmc=view.publisher.gmc_number,
                    catalogue=_escape(view.catalogue_title),
                    fingerprint=view.publisher.fingerprint,
                )
            )
        if progress:
            steps = [
                f"{word(PROGRESS_LABELS[s])} {progress.date_of(s)}"
                for s in PROGRESS_LABELS
                if progress.date_of(s)
            ]
            parts.append(self.tr("Your record: ") + "; ".join(steps))
            if progress.evidence_uuid:
                parts.append(self.tr("Evidence item: {uuid}").format(uuid=progress.evidence_uuid))
        self.detail.setText("<br/>".join(parts))

    # -- acting ------------------------------------------------------------------------------

    def choose_catalogue(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import an opportunity catalogue"),
            str(Path.home()),
            self.tr("Opportunity catalogues (*.gpcopportunities);;All files (*)"),
        )
        if chosen:
            self.import_catalogue(Path(chosen))

    def import_catalogue(self, path: Path) -> None:
        service = self._portfolio.opportunities
        self.status.setText(self.tr("Checking the catalogue's signature…"))
        self._ops.database(self, lambda: service.import_catalogue(path)).success(
            self._imported
        ).failure(self._failed).changes(ChangeKind.OPPORTUNITIES).run()

    def _imported(self, result: CatalogueImport) -> None:
        info = result.catalogue
        who = (
            (
                f"{info.publisher.name} (GMC {info.publisher.gmc_number}), key "
                f"{info.publisher.fingerprint}"
            )
            if info.publisher
            else ""
        )
        if result.unchanged:
            text = self.tr("Version {v} of '{t}' was already imported.")
        elif result.previous_version is None:
            text = self.tr("Imported '{t}' version {v}.")
        else:
            text = self.tr("Updated '{t}' to version {v}; your records are kept.")
        self.status.setText(
            text.format(t=info.title, v=info.version)
            + " "
            + self.tr("Signature verified: published by {who}.").format(who=who)
        )

    def record(self, status: str, on: date | None = None) -> None:
        view = self.selected()
        if view is None or self._read_only:
            return
        service = self._portfolio.opportunities
        self._ops.database(self, lambda: service.record_status(view.uuid, status, on)).success(
            self._recorded
        ).failure(self._failed).changes(ChangeKind.OPPORTUNITIES, uuids=[view.uuid]).run()

    def _recorded(self, view: OpportunityView) -> None:
        self.status.setText(
            self.tr("Recorded: {status} — {title}").format(
                status=word(PROGRESS_LABELS[view.progress.status]) if view.progress else "",
                title=view.title,
            )
        )

    def create_evidence(self) -> None:
        view = self.selected()
        if view is None or self._read_only:
            return
        service = self._portfolio.opportunities
        self._ops.database(self, lambda: service.create_evidence(view.uuid)).success(
            self._created
        ).failure(self._failed).changes(ChangeKind.EVIDENCE, uuids=lambda item: [item.uuid]).run()

    def _created(self, item: EvidenceDetail) -> None:
        self.status.setText(
            self.tr("Created the draft '{title}'; open it to write about what you did.").format(
                title=item.title
            )
        )
        self.evidence_created.emit(item.uuid)

    def open_summary(self) -> CohortSummaryDialog:
        dialog = CohortSummaryDialog(self._portfolio, self._ops, self)
        dialog.open()
        return dialog


class CohortSummaryDialog(QDialog):
    """Shows the anonymised summary exactly as it will be written, then writes that."""

    written = Signal(str)

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cohortSummaryDialog")
        self.setWindowTitle(self.tr("Cohort summary for your CLM"))
        self._portfolio = portfolio
        self._ops = ops
        self._preview: SummaryPreview | None = None
        intro = QLabel(
            self.tr(
                "Your Clinical Leadership Mentor sees only counts: items per domain and per kind, "
                "whether you have a QI activity, leadership roles by type, the opportunities you "
                "took up, your Trust and grade. No titles, reflections or other text. This is the "
                "whole file:"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.named = QCheckBox(self.tr("Include my name and GMC number"), self)
        self.named.setObjectName("summaryNamed")
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("summaryPreview")
        self.preview.setReadOnly(True)
        self.status = QLabel(self)
        self.status.setObjectName("summaryStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.write_button = buttons.addButton(
            self.tr("Write…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.write_button.setObjectName("writeSummaryButton")
        self.write_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.write_button.clicked.connect(self.choose_file)
        self.named.toggled.connect(lambda _: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.named)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 620)
        self.refresh()

    def refresh(self) -> None:
        from portfolio.services.cohort import SummaryOptions

        service, options = self._portfolio.cohort, SummaryOptions(named=self.named.isChecked())
        self.write_button.setEnabled(False)
        self._ops.database(self, lambda: service.preview_summary(options)).success(
            self._show
        ).failure(self._failed).run()

    def _show(self, preview: SummaryPreview) -> None:
        self._preview = preview
        self.preview.setPlainText(preview.text)
        self.write_button.setEnabled(True)

    def _failed(self, error: PortfolioError) -> None:
        self.status.setText(str(error))

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the cohort summary"),
            str(Path.home() / "summary.gpccohort"),
            self.tr("Cohort summaries (*.gpccohort)"),
        )
        if chosen:
            self.write_to(Path(chosen))

    def write_to(self, path: Path) -> None:
        """Write exactly the summary shown."""
        preview = self._preview
        if preview is None:
            return
        service = self._portfolio.cohort
        self._ops.database(self, lambda: service.write_summary(path, preview)).success(
            lambda _: self._written(path)
        ).failure(self._failed).run()

    def _written(self, path: Path) -> None:
        self.status.setText(self.tr("Saved to {path}").format(path=path))
        self.written.emit(str(path))


def _escape(value: str) -> str:
    from html import escape

    return escape(value)
