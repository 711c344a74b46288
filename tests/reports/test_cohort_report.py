"""The mentor's PDF: the known cohort's shares appear exactly, Trusts are compared, skipped
files are listed, and the same figures give the same bytes under SOURCE_DATE_EPOCH."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.reports.cohort_model import CohortReport
from portfolio.reports.cohort_report import cohort_pdf, cohort_report
from portfolio.services.cohort import Skipped, cohort_figures
from portfolio.storage.files import write_atomically
from tests.services.test_cohort import cohort_of_ten, summary


def write_cohort_pdf(report: CohortReport, out: Path) -> Path:
    """What ``Portfolio.reports.write_cohort`` does, without a portfolio."""
    return write_atomically(out, cohort_pdf(report))


def pdf_text(path: Path) -> str:
    """The text of every page, lines joined with spaces (headings wrap)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_the_report_shows_the_cohorts_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    figures = cohort_figures(
        cohort_of_ten() * 2,  # twenty trainees: each of the ten twice
        skipped=[Skipped("inbox/broken.gpccohort", "broken.gpccohort is not complete JSON.")],
    )
    out = write_cohort_pdf(cohort_report(figures), tmp_path / "cohort.pdf")
    text = pdf_text(out)
    assert "Leadership and quality improvement in the cohort" in text
    assert "40%" in text and "with a QI activity (8)" in text
    assert "30%" in text and "with a leadership role (6)" in text
    assert "8 of 20 (40%)" in text
    assert "Differences between Trusts" in text
    assert "North Trust" in text and "South Trust" in text and "50%" in text
    assert "Capabilities in leadership and team working" in text
    assert "broken.gpccohort" in text
    again = write_cohort_pdf(cohort_report(figures), tmp_path / "again.pdf")
    assert again.read_bytes() == out.read_bytes()


def test_one_trust_and_no_uptake(tmp_path: Path) -> None:
    out = write_cohort_pdf(
        cohort_report(cohort_figures([summary("Only Trust", qi=True)])), tmp_path / "one.pdf"
    )
    text = pdf_text(out)
    assert "Differences between Trusts" not in text and "Summaries skipped" not in text
    assert "No trainee recorded an opportunity" in text
    # One trainee: every figure would be theirs, so none is shown (SMALL_NUMBER).
    assert "100%" not in text and "not shown" in text and "fewer than 5" in text


def test_small_numbers_in_the_pdf_read_fewer_than_5_without_shares(tmp_path: Path) -> None:
    text = pdf_text(
        write_cohort_pdf(cohort_report(cohort_figures(cohort_of_ten())), tmp_path / "ten.pdf")
    )
    assert "with a QI activity (fewer than 5)" in text and "40%" not in text
    assert "fewer than 5 of 10" in text and "<5: fewer than 5" in text
    assert "South Trust" in text and "25%" not in text


def test_sections_are_numbered_as_printed_without_gaps(tmp_path: Path) -> None:
    """One Trust (no comparison) but a skipped file: "Summaries skipped" is section 4, not 5."""
    figures = cohort_figures(
        [summary("Only Trust", qi=True)] * 6,
        skipped=[Skipped("inbox/broken.gpccohort", "broken.gpccohort is not complete JSON.")],
    )
    text = pdf_text(write_cohort_pdf(cohort_report(figures), tmp_path / "gaps.pdf"))
    assert "Differences between Trusts" not in text
    assert "3 Opportunity uptake" in text and "4 Summaries skipped" in text
    assert "5 Summaries skipped" not in text


def test_the_model_carries_the_suppression_the_pdf_and_window_share() -> None:
    report = cohort_report(cohort_figures(cohort_of_ten()))
    qi = report.overall.qi_activity
    assert qi.count.value == 4 and qi.count.small and qi.count.shown == "fewer than 5"
    assert qi.percent is None and qi.shown_percent == "not shown"
    assert qi.sentence == "fewer than 5 of 10"
    assert report.trainees.shown == "10" and not report.small_cohort
    twenty = cohort_report(cohort_figures(cohort_of_ten() * 2)).overall.qi_activity
    assert (twenty.percent, twenty.sentence) == (40, "8 of 20 (40%)")
    one = cohort_report(cohort_figures([summary("Only Trust", qi=True)]))
    assert one.small_cohort and all(d.spread is None and d.bands_hidden for d in one.domains)
    assert one.overall.median_items is None
