"""The mentor's PDF: the known cohort's shares appear exactly, Trusts are compared, skipped
files are listed, and the same figures give the same bytes under SOURCE_DATE_EPOCH."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.services.cohort import CohortService, Skipped, cohort_figures
from tests.services.test_cohort import cohort_of_ten, summary


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
    out = CohortService.write_report(tmp_path / "cohort.pdf", figures)
    text = pdf_text(out)
    assert "Leadership and quality improvement in the cohort" in text
    assert "40%" in text and "with a QI activity (8)" in text
    assert "30%" in text and "with a leadership role (6)" in text
    assert "8 of 20 (40%)" in text
    assert "Differences between Trusts" in text
    assert "North Trust" in text and "South Trust" in text and "50%" in text
    assert "Capabilities in leadership and team working" in text
    assert "broken.gpccohort" in text
    again = CohortService.write_report(tmp_path / "again.pdf", figures)
    assert again.read_bytes() == out.read_bytes()


def test_one_trust_and_no_uptake(tmp_path: Path) -> None:
    out = CohortService.write_report(
        tmp_path / "one.pdf", cohort_figures([summary("Only Trust", qi=True)])
    )
    text = pdf_text(out)
    assert "Differences between Trusts" not in text and "Summaries skipped" not in text
    assert "No trainee recorded an opportunity" in text
    # One trainee: every figure would be theirs, so none is shown (SMALL_NUMBER).
    assert "100%" not in text and "not shown" in text and "fewer than 5" in text


def test_small_numbers_in_the_pdf_read_fewer_than_5_without_shares(tmp_path: Path) -> None:
    text = pdf_text(
        CohortService.write_report(tmp_path / "ten.pdf", cohort_figures(cohort_of_ten()))
    )
    assert "with a QI activity (fewer than 5)" in text and "40%" not in text
    assert "fewer than 5 of 10" in text and "<5: fewer than 5" in text
    assert "South Trust" in text and "25%" not in text
