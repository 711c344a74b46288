"""Reports as a service of the application (``Portfolio.reports``): gather
(``reports.gather``), lay out (``reports.arcp``, ``reports.item``) and write atomically.

ReportLab is imported only inside the methods that lay out a PDF, and callers (the window, the
command line) reach this module only when a report is asked for. The atomic write is given in
by the composition root (``storage.files.write_atomically``), so reports import no storage.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.reports import ReportCancelled
from portfolio.reports.gather import (
    CheckRead,
    Reflections,
    ReportSources,
    build_arcp_report,
    build_item_report,
)
from portfolio.reports.model import ArcpReport
from portfolio.reproducible import reproducible

if TYPE_CHECKING:
    from portfolio.reports.cohort_model import CohortReport

Progress = Callable[[int, int], None]
"""``progress(done, total)``; reports call it with ``total == PROGRESS_TOTAL``."""
Cancelled = Callable[[], bool]
WriteFile = Callable[[Path, bytes], Path]
"""Write the bytes to the path atomically (nothing there unless complete); returns the path."""

PROGRESS_TOTAL = 1000
_GATHERED = 100
"""Gathering the data counts for the first tenth of the progress; laying it out for the rest."""


class ReportService:
    def __init__(self, sources: ReportSources, write: WriteFile) -> None:
        self._sources = sources
        self._write = write

    def build_arcp(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        include_private: Collection[str] = (),
        reflections: Reflections = "all",
        check: CheckRead | None = None,
    ) -> ArcpReport:
        """The ARCP summary of the period, gathered (see ``gather.build_arcp_report``);
        ``check`` sees the items it prints as soon as they are read."""
        return build_arcp_report(
            self._sources,
            date_from=date_from,
            date_to=date_to,
            include_private=include_private,
            reflections=reflections,
            check=check,
        )

    def arcp_pdf(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        include_private: Collection[str] = (),
        reflections: Reflections = "all",
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> bytes:
        """The ARCP summary of the period as PDF bytes, in memory (printing writes no file).

        ``include_private``: uuids of private items the trainee chose to include (none by
        default). ``reflections``: ``"all"`` reflections in the period, or the uuids of those
        to print in full (``()`` for none). Raises :class:`ReportCancelled` when
        ``cancelled()`` turns true.
        """
        _check(cancelled)
        report = self.build_arcp(
            date_from=date_from,
            date_to=date_to,
            include_private=include_private,
            reflections=reflections,
        )
        return render_arcp_pdf(report, progress=progress, cancelled=cancelled)

    def write_arcp(
        self,
        out: Path,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        include_private: Collection[str] = (),
        reflections: Reflections = "all",
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Path:
        """Write the ARCP summary of the period to ``out`` (atomically) and return ``out``.

        The options are :meth:`arcp_pdf`'s; nothing is written when it is cancelled.
        """
        data = self.arcp_pdf(
            date_from=date_from,
            date_to=date_to,
            include_private=include_private,
            reflections=reflections,
            progress=progress,
            cancelled=cancelled,
        )
        return self._write(Path(out), data)

    def write_arcp_pdf(
        self,
        report: ArcpReport,
        out: Path,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Path:
        """Lay out a gathered report and write it to ``out`` atomically (nothing when
        cancelled): no database needed, so the window runs this beside the database thread."""
        return self._write(
            Path(out), render_arcp_pdf(report, progress=progress, cancelled=cancelled)
        )

    def write_cohort(self, report: CohortReport, out: Path) -> Path:
        """Write the mentor's cohort report (gathered by ``cohort_report.gather_cohort``)."""
        from portfolio.reports.cohort_report import cohort_pdf

        return self._write(Path(out), cohort_pdf(report))

    def write_item(self, item_uuid: str, out: Path) -> Path:
        """Print one item on its own (the trainee chose it, so a private item prints too)."""
        report = build_item_report(self._sources, item_uuid)
        from portfolio.reports.item import render_item

        buffer = BytesIO()
        render_item(report, buffer, invariant=reproducible())
        return self._write(Path(out), buffer.getvalue())


def render_arcp_pdf(
    report: ArcpReport,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> bytes:
    """Lay out a gathered report as PDF bytes: no database needed, so the window runs this
    beside the database thread."""
    _check(cancelled)
    if progress is not None:
        progress(_GATHERED, PROGRESS_TOTAL)
    from portfolio.reports.arcp import render_arcp

    def layout(done: int, total: int) -> None:
        if progress is not None:
            progress(
                _GATHERED + (PROGRESS_TOTAL - _GATHERED) * done // max(total, 1), PROGRESS_TOTAL
            )

    buffer = BytesIO()
    render_arcp(report, buffer, invariant=reproducible(), progress=layout, cancelled=cancelled)
    if progress is not None:
        progress(PROGRESS_TOTAL, PROGRESS_TOTAL)
    return buffer.getvalue()


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ReportCancelled("The report was cancelled; nothing was written.")
