"""The mentor's cohort: open a folder of ``.gpccohort`` summaries, verified as ``cohort`` verifies
them, and see the figures with charts; export the PDF and CSV the command line writes.

Every figure and chart is drawn from the report model (``portfolio.reports.cohort_model``), in
which counts from 1 to 4 are already "fewer than 5" and shares computed from them have no
percent, so the window suppresses exactly as the PDF does. Files that could not be read are
listed with their reason; none of them is counted. Reading runs on the database lane (the
opportunity titles come from the catalogues held here), writing the files on the render lane.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.ui.mentor.charts import Bar, BarChart
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import Connections, FieldError, app_settings, bold, icon
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.reports.cohort_model import CohortReport, Share
    from portfolio.reports.cohort_report import GatheredCohort

ACCENT = "#1d4e6b"
BAND_COLOURS = ("#e9c3bd", "#8fb3c9", "#4f84a6", ACCENT)
"""As in the PDF: trainees with 0, 1–2, 3–5 and 6 or more items in a domain."""
STATUS_COLOURS = ("#d9e4ec", "#8fb3c9", "#4f84a6", ACCENT)
STATUS_CAPTIONS = ("interested", "applied", "taking part", "completed")
FOLDER_KEY = "mentor/cohortFolder"


class CohortView(QWidget):
    loaded = Signal()
    """A folder was read (figures shown, or the reasons nothing could be counted)."""
    exported = Signal(str)
    """The path of a PDF or CSV just written."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cohortView")
        self._portfolio = portfolio
        self._ops = ops
        self._settings = settings or app_settings()
        self._gathered: GatheredCohort | None = None
        self._folder: Path | None = None
        self._first_shown = False
        self._connections = Connections(self)
        self._connections.connect(ops.changed, self._changed)

        self.open_button = QPushButton(icon("import"), self.tr("&Open folder of summaries…"), self)
        self.open_button.setObjectName("openCohortButton")
        self.open_button.clicked.connect(self.choose_folder)
        self.pdf_button = QPushButton(icon("reports"), self.tr("Export &PDF…"), self)
        self.pdf_button.setObjectName("exportCohortPdfButton")
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.csv_button = QPushButton(icon("export"), self.tr("Export &CSV…"), self)
        self.csv_button.setObjectName("exportCohortCsvButton")
        self.csv_button.clicked.connect(self.choose_csv)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.csv_button)

        self.folder_label = QLabel(
            self.tr(
                "Trainees send you their anonymised summaries (.gpccohort files, from "
                "Opportunities → Cohort summary). Put them in one folder and open it here."
            ),
            self,
        )
        self.folder_label.setObjectName("cohortFolderLabel")
        self.folder_label.setWordWrap(True)
        self.summary_label = bold(QLabel(self), 1.15)
        self.summary_label.setObjectName("cohortSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.error = FieldError("cohortError", self)

        self.headline = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        for column, (key, caption) in enumerate(
            (
                ("trainees", self.tr("trainees")),
                ("qi", self.tr("with a QI activity")),
                ("leadership", self.tr("with a leadership role")),
                ("taken_up", self.tr("took up an opportunity")),
            )
        ):
            figure = bold(QLabel("–", self), 1.8)
            figure.setObjectName(f"cohortFigure_{key}")
            self.figures[key] = figure
            label = QLabel(caption, self)
            label.setBuddy(figure)
            self.headline.addWidget(figure, 0, column)
            self.headline.addWidget(label, 1, column)

        self.shares_chart = BarChart("sharesChart", self.tr("QI and leadership"), self)
        self.uptake_chart = BarChart("uptakeChart", self.tr("Uptake of opportunities"), self)
        self.domains_chart = BarChart(
            "domainsChart", self.tr("Trainees by number of items in each GPC domain"), self
        )
        self.trusts_chart = BarChart("trustsChart", self.tr("Differences between Trusts"), self)
        self.small_note = QLabel(
            self.tr(
                "Counts from 1 to 4 read “fewer than 5” (<5), and no share or bar is drawn from "
                "them, so that no trainee can be picked out of a small group — as in the PDF."
            ),
            self,
        )
        self.small_note.setWordWrap(True)
        self.skipped_list = QListWidget(self)
        self.skipped_list.setObjectName("skippedList")
        self.skipped_list.setAccessibleName(self.tr("Files not counted"))
        self.skipped_list.setWordWrap(True)
        self.skipped_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.skipped_list.setMaximumHeight(self.fontMetrics().height() * 7)
        self.skipped_heading = bold(QLabel(self.tr("Files not counted"), self))
        self.skipped_heading.setBuddy(self.skipped_list)

        body = QWidget(self)
        rows = QVBoxLayout(body)
        rows.addWidget(self.skipped_heading)  # first: a mentor must see what was left out
        rows.addWidget(self.skipped_list)
        rows.addLayout(self.headline)
        self.sections: dict[str, QLabel] = {}
        for key, chart in (
            ("shares", self.shares_chart),
            ("uptake", self.uptake_chart),
            ("domains", self.domains_chart),
            ("trusts", self.trusts_chart),
        ):
            heading = bold(QLabel(chart.accessibleName(), body))
            heading.setBuddy(chart)
            self.sections[key] = heading
            rows.addSpacing(8)
            rows.addWidget(heading)
            rows.addWidget(chart)
        rows.addWidget(self.small_note)
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("cohortScroll")
        scroll.setAccessibleName(self.tr("Cohort figures"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the charts inside are the Tab stops
        scroll.setWidget(body)
        self._body = body

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error)
        layout.addWidget(scroll, 1)
        self._show(None)

    @property
    def gathered(self) -> GatheredCohort | None:
        return self._gathered

    # -- opening a folder ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """First shown: reopen the last folder, or the demo's cohort in the demo portfolio."""
        super().showEvent(event)
        if self._first_shown:
            return
        self._first_shown = True
        folder = self.default_folder()
        if folder is not None:
            self.open_folder(folder)

    def default_folder(self) -> Path | None:
        from portfolio.demo import DEMO_FOLDER
        from portfolio.demo.cohort import COHORT_FOLDER

        remembered = str(self._settings.value(FOLDER_KEY, "") or "")
        demo = self._portfolio.location.data_dir / DEMO_FOLDER / COHORT_FOLDER
        for folder in (Path(remembered) if remembered else None, demo):
            if folder is not None and folder.is_dir():
                return folder
        return None

    def choose_folder(self) -> None:
        start = str(self.default_folder() or Path.home())
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Open a folder of cohort summaries"), start
        )
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        from portfolio.reports.cohort_report import gather_cohort

        cohort = self._portfolio.cohort
        self.open_button.setEnabled(False)
        self.summary_label.setText(
            self.tr("Reading the summaries in {folder}…").format(folder=folder)
        )

        def done(gathered: GatheredCohort) -> None:
            self._folder = folder
            self.open_button.setEnabled(True)
            self._settings.setValue(FOLDER_KEY, str(folder))
            self.folder_label.setText(self.tr("Folder: {folder}").format(folder=_shown(folder)))
            self._show(gathered)
            self.loaded.emit()

        def failed(error: PortfolioError) -> None:
            self.open_button.setEnabled(True)
            self.summary_label.setText("")
            self.error.show_error(str(error))
            self.loaded.emit()

        self._ops.database(self, lambda: gather_cohort(cohort, [folder])).success(done).failure(
            failed
        ).run()

    def _changed(self, changes: Changes) -> None:
        """A catalogue came or changed: the uptake's opportunity titles may have too."""
        if changes.touches(ChangeKind.OPPORTUNITIES) and self._folder is not None:
            self.open_folder(self._folder)

    # -- showing the figures -------------------------------------------------------------------

    def _show(self, gathered: GatheredCohort | None) -> None:
        self._gathered = gathered
        report = gathered.report if gathered is not None else None
        self.error.show_error("")
        self.pdf_button.setEnabled(report is not None)
        self.csv_button.setEnabled(report is not None)
        self._body.setVisible(gathered is not None)
        self.skipped_list.clear()
        skipped = gathered.load.skipped if gathered is not None else ()
        for s in skipped:
            self.skipped_list.addItem(f"{Path(s.source).name} — {s.reason}")
        self.skipped_list.setVisible(bool(skipped))
        self.skipped_heading.setVisible(bool(skipped))
        if gathered is None:
            self.summary_label.setText("")
            return
        if report is None:
            self.summary_label.setText(
                self.tr("No summary in this folder could be read, so nothing is counted.")
                if skipped
                else self.tr("There are no .gpccohort files in this folder.")
            )
            for figure in self.figures.values():
                figure.setText("–")
            for key, heading in self.sections.items():
                heading.setVisible(False)
                getattr(self, f"{key}_chart").setVisible(False)
            self.small_note.setVisible(False)
            return
        self._show_report(report, len(skipped))

    def _show_report(self, report: CohortReport, skipped: int) -> None:
        g = report.overall
        summary = self.tr("Trainees: {n} · Trusts: {trusts} · {period}").format(
            n=g.trainees.shown, trusts=len(report.trusts) or 1, period=report.period
        )
        if skipped:
            summary += " · " + self.tr("Files not counted: {n}").format(n=skipped)
        self.summary_label.setText(summary)
        self.figures["trainees"].setText(g.trainees.shown)
        for key, share in (
            ("qi", g.qi_activity),
            ("leadership", g.leadership),
            ("taken_up", g.taken_up),
        ):
            self.figures[key].setText(share.shown_percent)
            self.figures[key].setToolTip(share.sentence)
        for key, heading in self.sections.items():
            heading.setVisible(True)
            getattr(self, f"{key}_chart").setVisible(True)
        self.small_note.setVisible(True)
        self.shares_chart.set_bars(
            [
                _share_bar(self.tr("QI activity"), g.qi_activity),
                _share_bar(self.tr("Leadership role"), g.leadership),
                _share_bar(self.tr("Took up an opportunity"), g.taken_up),
            ],
            100,
        )
        self.uptake_chart.set_bars(
            [
                Bar(
                    o.title
                    or self.tr("Not in a catalogue held here ({id}…)").format(
                        id=o.opportunity_id[:8]
                    ),
                    tuple(
                        (c.value, colour)
                        for c, colour in zip(o.by_status, STATUS_COLOURS, strict=True)
                    ),
                    " · ".join(
                        f"{c.cell} {caption}"
                        for c, caption in zip(o.by_status, STATUS_CAPTIONS, strict=True)
                        if c.value
                    ),
                    hidden=any(c.small for c in o.by_status),
                )
                for o in report.opportunities
            ]
            or [Bar(self.tr("No trainee recorded an opportunity"), (), "")],
            g.trainees.value,
            tuple(zip(STATUS_CAPTIONS, STATUS_COLOURS, strict=True)),
        )
        self.domains_chart.set_bars(
            [
                Bar(
                    d.code,
                    tuple(
                        (band.value, colour)
                        for band, colour in zip(d.bands, BAND_COLOURS, strict=True)
                    ),
                    self.tr("median: {median}").format(median=_number(d.spread[2]))
                    if d.spread is not None
                    else "",
                    hidden=d.bands_hidden,
                )
                for d in report.domains
            ],
            g.trainees.value,
            tuple(
                (self.tr("{band} items").format(band=band), colour)
                for band, colour in zip(report.bands, BAND_COLOURS, strict=True)
            ),
        )
        self.domains_chart.setToolTip(
            "\n".join(
                f"{d.code} {d.title}: "
                + ", ".join(
                    f"{band.cell} {self.tr('with')} {caption}"
                    for band, caption in zip(d.bands, report.bands, strict=True)
                )
                for d in report.domains
            )
        )
        self.sections["trusts"].setVisible(bool(report.trusts))
        self.trusts_chart.setVisible(bool(report.trusts))
        self.trusts_chart.set_bars(
            [
                _share_bar(f"{t.name} ({t.trainees.shown}) · {measure}", share)
                for t in report.trusts
                for measure, share in (
                    (self.tr("QI"), t.qi_activity),
                    (self.tr("leadership"), t.leadership),
                    (self.tr("took up"), t.taken_up),
                )
            ],
            100,
        )

    # -- exporting ----------------------------------------------------------------------------

    def choose_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the cohort report"), "Cohort summary.pdf", "PDF (*.pdf)"
        )
        if path:
            self.export_pdf_to(Path(path))

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the cohort figures"), "Cohort figures.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv_to(Path(path))

    def export_pdf_to(self, path: Path) -> None:
        reports = self._portfolio.reports
        report = self._gathered.report if self._gathered is not None else None
        if report is not None:
            self._export(lambda: reports.write_cohort(report, path))

    def export_csv_to(self, path: Path) -> None:
        from portfolio.services.cohort import CohortService

        figures = self._gathered.figures if self._gathered is not None else None
        if figures is not None:
            self._export(lambda: CohortService.write_csv(path, figures))

    def _export(self, work: Callable[[], Path]) -> None:
        def failed(error: PortfolioError) -> None:
            self.error.show_error(str(error))

        self.error.show_error("")
        self._ops.render(self, work).success(
            lambda written: self.exported.emit(str(written))
        ).failure(failed).run()


def _share_bar(label: str, share: Share) -> Bar:
    hidden = share.percent is None
    return Bar(label, ((share.percent or 0, ACCENT),), share.sentence, hidden=hidden)


def _shown(folder: Path) -> str:
    """The folder as a person reads it: under the home folder, from "~"."""
    try:
        return str(Path("~") / folder.resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(folder)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
