"""The deanery's figures are computed in SQL, yet equal the file-based view's on the same
files: the same CSV, the same report model (so the same PDF), the same suppression."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio.deanery.store import DeaneryStore
from portfolio.errors import InvalidInput
from portfolio.reports.cohort_report import cohort_report
from portfolio.services.cohort import FEWER, cohort_csv, cohort_figures
from tests.deanery.generate import summaries, write_summaries


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both views stamp their figures with SOURCE_DATE_EPOCH, so whole models compare."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")


@pytest.mark.parametrize(
    ("count", "seed", "trusts"),
    [
        (1, 1, ("North Trust",)),  # one trainee: every quartile is their own count
        (3, 2, ("North Trust", "")),  # a small cohort: spreads and shares suppressed
        (4, 3, ("North Trust",)),
        (7, 4, ("North Trust", "South Trust")),
        (60, 5, ("North Trust", "South Trust", "", "Ærø Trust", "east trust")),
        (250, 6, ("North Trust", "South Trust", "", "Ærø Trust", "east trust")),
    ],
)
def test_figures_csv_and_report_equal_the_file_based_views(
    store: DeaneryStore, tmp_path: Path, count: int, seed: int, trusts: tuple[str, ...]
) -> None:
    made = summaries(count, seed, trusts)
    report = store.load([write_summaries(tmp_path / "inbox", made)])
    assert report.count("summary", "loaded") == count and not report.refused
    ours = store.figures()
    theirs = cohort_figures(made)
    assert cohort_csv(ours) == cohort_csv(theirs)
    assert cohort_report(ours) == cohort_report(theirs)
    assert ours == theirs


def test_small_numbers_are_suppressed_by_the_one_rule(store: DeaneryStore, tmp_path: Path) -> None:
    store.load([write_summaries(tmp_path / "inbox", summaries(3, 9, ("North Trust",)))])
    table = cohort_csv(store.figures())
    assert f"all,trainees,,{FEWER}" in table
    assert "all,qi_activity_percent,," in table.splitlines()
    assert "all,domain_items_median,GPC1," in table.splitlines()


def test_an_empty_store_has_no_figures_but_a_clear_message(store: DeaneryStore) -> None:
    with pytest.raises(InvalidInput, match="holds no cohort summaries yet"):
        store.figures()
