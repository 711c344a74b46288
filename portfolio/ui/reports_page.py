"""The Reports page: choose the period and what to include, then save the ARCP summary as a PDF
or print it. The report is made on the task runner's thread, with progress and Cancel.

Saving offers a name with the trainee's name and the period, then offers to open the file.
Printing makes the PDF in memory and shows it in the print preview (``portfolio.ui.printing``):
no copy is written anywhere.

``Portfolio.reports`` (and with it ReportLab) is loaded only when a report is first made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.services.dto import EvidenceSummary, ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import Connections, OptionalDateEdit, bold
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.reports.model import ArcpReport

if TYPE_CHECKING:
    from portfolio.ui.printing import PrintPreview

UUID_ROLE = Qt.ItemDataRole.UserRole + 1


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    moved = Signal(int, int)


class ReportsPage(QWidget):
    saved = Signal(str)
    """The path of a report just written."""

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self._portfolio = portfolio
        self._ops = ops
        self._cancel = threading.Event()
        self._running = False
        self._progress = _Progress(self)
        self._connections = Connections(self)
        self._trainee = ""

        title = bold(QLabel(self.tr("ARCP summary"), self), 1.4)
        intro = QLabel(
            self.tr(
                "A PDF for your ARCP panel: your details, coverage of the nine GPC domains, your "
                "evidence by domain with each sign-off verified, QI projects and leadership roles "
                "in full, and a register of every sign-off. Private items are left out unless you "
                "tick them below."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.date_from = OptionalDateEdit(self.tr("from the start"), self)
        self.date_from.setObjectName("reportFromDate")
        self.date_from.setAccessibleName(self.tr("Period starts"))
        self.date_to = OptionalDateEdit(self.tr("to today"), self)
        self.date_to.setObjectName("reportToDate")
        self.date_to.setAccessibleName(self.tr("Period ends"))
        until = QLabel(self.tr("to"), self)
        until.setBuddy(self.date_to)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(until)
        period.addWidget(self.date_to)
        period.addStretch(1)

        self.reflections = QComboBox(self)
        self.reflections.setObjectName("reportReflections")
        self.reflections.addItem(self.tr("All reflections in the period"), "all")
        self.reflections.addItem(self.tr("No reflections"), "none")

        self.private_items = QListWidget(self)
        self.private_items.setObjectName("privateItemsList")
        self.private_items.setAccessibleName(self.tr("Private items to include"))
        self.private_items.setMaximumHeight(140)
        self.private_note = QLabel(self.tr("You have no private items."), self)

        options = QGroupBox(self.tr("What to include"), self)
        form = QFormLayout(options)
        period_label = QLabel(self.tr("Period:"), options)
        period_label.setBuddy(self.date_from)
        form.addRow(period_label, period)
        form.addRow(self.tr("Reflections printed in full:"), self.reflections)
        form.addRow(self.tr("Private items (left out unless ticked):"), self.private_note)
        form.addRow("", self.private_items)

        self.save_button = QPushButton(self.tr("Save as PDF…"), self)
        self.save_button.setObjectName("saveReportButton")
        self.save_button.setDefault(True)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.setObjectName("printReportButton")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelReportButton")
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("reportProgress")
        self.progress.setAccessibleName(self.tr("Report progress"))
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setAccessibleName(self.tr("Report status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Open it"), self)
        self.open_button.setObjectName("openReportButton")
        self.open_button.setToolTip(self.tr("Open the saved report in your PDF viewer"))
        self.open_button.setVisible(False)
        self.last_saved: Path | None = None
        self.print_preview: PrintPreview | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress, 2)
        buttons.addWidget(self.cancel_button)
        done = QHBoxLayout()
        done.addWidget(self.status, 1)
        done.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(options)
        layout.addLayout(buttons)
        layout.addLayout(done)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_report)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_saved)
        self._progress.moved.connect(self._moved)
        self._connections.connect(ops.changed, self._data_changed)
        self.reload()

    # -- options ---------------------------------------------------------------------------------

    def reload(self) -> None:
        portfolio = self._portfolio
        self._ops.database(self, portfolio.profile.get).success(self._show_profile).run()
        self._ops.database(
            self,
            lambda: [
                s
                for s in portfolio.evidence.list(EvidenceQuery(include_private=True, sort="date"))
                if s.private
            ],
        ).success(self._show_private).run()

    def _data_changed(self, changes: Changes) -> None:
        if changes.kind in (ChangeKind.EVIDENCE, ChangeKind.PROFILE):
            self.reload()

    def _show_profile(self, profile: ProfileData | None) -> None:
        self._trainee = profile.name if profile is not None else ""

    def _show_private(self, items: list[EvidenceSummary]) -> None:
        ticked = set(self.included_private())
        self.private_items.clear()
        for summary in items:
            entry = QListWidgetItem(f"{summary.occurred_on:%Y-%m-%d}  {summary.title}")
            entry.setData(UUID_ROLE, summary.uuid)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked if summary.uuid in ticked else Qt.CheckState.Unchecked
            )
            self.private_items.addItem(entry)
        self.private_items.setVisible(bool(items))
        self.private_note.setVisible(not items)

    def included_private(self) -> list[str]:
        return [
            self.private_items.item(row).data(UUID_ROLE)
            for row in range(self.private_items.count())
            if self.private_items.item(row).checkState() == Qt.CheckState.Checked
        ]

    def period(self) -> tuple[date | None, date | None]:
        return self.date_from.value(), self.date_to.value()

    # -- making the report -----------------------------------------------------------------------

    def file_name(self) -> str:
        """The name the save dialog offers: the trainee's and the period's."""
        from portfolio.reports.gather import arcp_file_name

        date_from, date_to = self.period()
        return arcp_file_name(self._trainee, date_from, date_to, date.today())

    def save_as(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the ARCP summary"),
            str(Path.home() / self.file_name()),
            self.tr("PDF documents (*.pdf)"),
        )
        if chosen:
            path = Path(chosen)
            out = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

            reports = self._portfolio.reports

            def write(report: ArcpReport, **options: Any) -> Path:
                return reports.write_arcp_pdf(report, out, **options)

            self.make_report(write, self._saved)

    def print_report(self) -> None:
        def in_memory(report: ArcpReport, **options: Any) -> bytes:  # printing writes no file
            from portfolio.reports.service import render_arcp_pdf

            return render_arcp_pdf(report, **options)

        self.make_report(in_memory, self._preview)

    def cancel(self) -> None:
        self._cancel.set()
        self.status.setText(self.tr("Cancelling…"))

    def make_report(self, produce: Callable[..., Any], then: Callable[[Any], None]) -> None:
        """Gather the report on the database thread, ``produce(report, progress=…,
        cancelled=…)`` beside it, then ``then(its result)`` on the GUI thread."""
        if self._running:
            return
        date_from, date_to = self.period()
        reflections: Any = "all" if self.reflections.currentData() == "all" else ()
        private = self.included_private()
        portfolio, cancel, moved = self._portfolio, self._cancel, self._progress.moved
        cancel.clear()
        self.open_button.setVisible(False)

        def gather() -> ArcpReport:
            return portfolio.reports.build_arcp(
                date_from=date_from,
                date_to=date_to,
                include_private=private,
                reflections=reflections,
            )

        def render(report: ArcpReport) -> None:  # beside the database thread, not behind it
            self._ops.render(
                self, lambda: produce(report, progress=moved.emit, cancelled=cancel.is_set)
            ).success(done).failure(self._failed).run()

        def done(result: Any) -> None:
            self._set_running(False)
            then(result)

        self._set_running(True)
        self.status.setText(self.tr("Making the report…"))
        self._ops.database(self, gather).success(render).failure(self._failed).run()

    def _failed(self, error: PortfolioError) -> None:
        from portfolio.reports import ReportCancelled

        self._set_running(False)
        if isinstance(error, ReportCancelled):
            self.status.setText(self.tr("Cancelled; nothing was saved."))
        else:
            self.status.setText(str(error))

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.save_button.setEnabled(not running)
        self.print_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)

    def _moved(self, done: int, total: int) -> None:
        if self._running:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        self.status.setText(self.tr("Saved to {path}").format(path=path))
        self.open_button.setVisible(True)
        self.open_button.setFocus()
        self.saved.emit(str(path))

    def open_saved(self) -> None:
        """Open the report just saved in the system's PDF viewer, saying so only if it opened."""
        path = self.last_saved
        if path is None:
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.status.setText(self.tr("Opened {name} in your PDF viewer.").format(name=path.name))
        else:
            self.status.setText(
                self.tr(
                    "No PDF viewer could be started. The report is saved at {path}; open it "
                    "from your file manager."
                ).format(path=path)
            )

    def _preview(self, pdf: bytes) -> None:
        from portfolio.ui.printing import PrintPreview

        title = self.file_name().removesuffix(".pdf")
        preview = PrintPreview(pdf, title, self)
        preview.finished.connect(lambda _result: self._printed(preview))
        self.print_preview = preview
        self.status.setText(self.tr("Check the pages, then choose Print to pick a printer."))
        preview.open()

    def _printed(self, preview: PrintPreview) -> None:
        printer = preview.printer()
        if preview.pages_printed:
            where = printer.printerName() or printer.outputFileName()
            pages = preview.pages_printed
            message = (
                self.tr("Sent 1 page to {printer}.")
                if pages == 1
                else self.tr("Sent {n} pages to {printer}.")
            )
            self.status.setText(message.format(n=pages, printer=where))
        else:
            self.status.setText(self.tr("Not printed."))
        self.print_preview = None
        preview.deleteLater()
