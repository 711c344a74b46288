"""The mentor's PDF and CSV from a deanery store's figures, through the file-based view's own
layout (``portfolio.reports.cohort_report``) and CSV (``portfolio.services.cohort.CohortService.write_csv``):
the same figures give the same files, suppressed by the same rule."""

from __future__ import annotations

from pathlib import Path

from portfolio.reports.cohort_report import cohort_pdf, cohort_report
from portfolio.services.cohort import CohortFigures, CohortService
from portfolio.storage.files import write_atomically


def write_pdf(figures: CohortFigures, out: Path) -> Path:
    return write_atomically(Path(out), cohort_pdf(cohort_report(figures)))


def write_csv(figures: CohortFigures, out: Path) -> Path:
    return CohortService.write_csv(Path(out), figures)
