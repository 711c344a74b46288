"""The Opportunities page: import a signed catalogue → filter by domain and gaps → record
participation → create the linked evidence item; a forged file is refused; supervisor mode is
read-only; the cohort summary dialog writes exactly what it shows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.opportunities import OpportunityDraft
from portfolio.ui.operations import Operations

PASS = "correct horse battery staple"


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "devon.gpcopportunities"
    with open_portfolio(resolve_location(tmp_path / "clm")) as clm:
        info = clm.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
        unlocked = clm.signoffs.unlock(info.fingerprint, PASS)
        service = clm.opportunities
        catalogue = service.create_catalogue("Devon opportunities", "RDUH")
        for draft in (
            OpportunityDraft(
                "Rota lead",
                "role",
                "RDUH",
                "clm@example.nhs.uk",
                "Build the FY1 rota.",
                ("GPC5",),
                date(2026, 9, 1),
            ),
            OpportunityDraft("Sepsis QI project", "project", "RDUH", "", "", ("GPC6.2",)),
            OpportunityDraft("Research journal club", "event", "RDUH", "", "", ("GPC9",)),
        ):
            service.add_opportunity(catalogue.catalogue_id, draft)
        service.publish(catalogue.catalogue_id, out, unlocked)
    yield out


def titles(page: object) -> list[str]:
    table = page.table  # type: ignore[attr-defined]
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def make_page(qtbot: object, portfolio: Portfolio, ops: Operations, **options: object) -> object:
    from portfolio.ui.opportunities_page import OpportunitiesPage

    page = OpportunitiesPage(portfolio, ops, **options)  # type: ignore[arg-type]
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    page.show()
    return page


def test_import_filter_participate_and_create_evidence(
    qtbot: object,
    portfolio: Portfolio,
    ops: Operations,
    settle: Callable[[], None],
    catalogue_file: Path,
) -> None:
    page = make_page(qtbot, portfolio, ops)
    settle()
    assert page.objectName() == "opportunitiesPage"  # type: ignore[attr-defined]
    assert titles(page) == []
    page.import_catalogue(catalogue_file)  # type: ignore[attr-defined]
    settle()
    status = page.status.text()  # type: ignore[attr-defined]
    assert "Signature verified: published by Dr Ada Mentor (GMC 5000001), key" in status
    assert "Dr Ada Mentor · key" in page.catalogues.text()  # type: ignore[attr-defined]
    assert titles(page) == ["Rota lead", "Sepsis QI project", "Research journal club"]

    # The sample portfolio has evidence in GPC1, GPC5, GPC6, GPC8: GPC9 is a gap.
    page.gaps_filter.setChecked(True)  # type: ignore[attr-defined]
    settle()
    assert titles(page) == ["Research journal club"]
    page.gaps_filter.setChecked(False)  # type: ignore[attr-defined]
    combo = page.domain_filter  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findData("GPC5"))
    settle()
    assert titles(page) == ["Rota lead"]

    page.table.selectRow(0)  # type: ignore[attr-defined]
    assert "Published by Dr Ada Mentor" in page.detail.text()  # type: ignore[attr-defined]
    assert not page.evidence_button.isEnabled()  # type: ignore[attr-defined]
    page.status_buttons["participating"].click()  # type: ignore[attr-defined]
    settle()
    settle()
    assert page.table.item(0, 4).text() == "Participating"  # type: ignore[attr-defined]
    assert page.status_buttons["participating"].isChecked()  # type: ignore[attr-defined]
    assert page.evidence_button.isEnabled()  # type: ignore[attr-defined]

    with qtbot.waitSignal(page.evidence_created, timeout=10_000) as created:  # type: ignore[attr-defined]
        page.evidence_button.click()  # type: ignore[attr-defined]
    settle()
    item = portfolio.evidence.get(created.args[0])
    assert item.kind == "leadership_role" and item.title == "Rota lead"
    assert item.domains == ("GPC5",) and item.fields["organisation"] == "RDUH"
    progress = portfolio.opportunities.find()[0].progress
    assert progress is not None and progress.evidence_uuid == item.uuid
    assert f"Evidence item: {item.uuid}" in page.detail.text()  # type: ignore[attr-defined]
    assert not page.evidence_button.isEnabled()  # type: ignore[attr-defined]


def test_a_forged_catalogue_is_refused_on_the_page(
    qtbot: object,
    portfolio: Portfolio,
    ops: Operations,
    settle: Callable[[], None],
    catalogue_file: Path,
    tmp_path: Path,
) -> None:
    document = json.loads(catalogue_file.read_text(encoding="utf-8"))
    document["title"] = "Totally official"
    forged = tmp_path / "forged.gpcopportunities"
    forged.write_text(json.dumps(document), encoding="utf-8")
    page = make_page(qtbot, portfolio, ops)
    settle()
    page.import_catalogue(forged)  # type: ignore[attr-defined]
    settle()
    assert "signature does not match" in page.status.text()  # type: ignore[attr-defined]
    assert titles(page) == [] and portfolio.opportunities.catalogues() == []


def test_supervisor_mode_is_read_only(
    qtbot: object,
    portfolio: Portfolio,
    ops: Operations,
    settle: Callable[[], None],
    catalogue_file: Path,
) -> None:
    portfolio.opportunities.import_catalogue(catalogue_file)
    page = make_page(qtbot, portfolio, ops, read_only=True)
    settle()
    assert titles(page) == ["Rota lead", "Sepsis QI project", "Research journal club"]
    assert page.read_only  # type: ignore[attr-defined]
    assert not page.action_bar.isVisible()  # type: ignore[attr-defined]
    assert not page.summary_button.isVisible()  # type: ignore[attr-defined]
    assert not page.gaps_filter.isVisible()  # type: ignore[attr-defined]
    assert page.import_button.isVisible()  # type: ignore[attr-defined]


def test_the_summary_dialog_writes_what_it_shows(
    qtbot: object,
    portfolio: Portfolio,
    ops: Operations,
    settle: Callable[[], None],
    tmp_path: Path,
) -> None:
    page = make_page(qtbot, portfolio, ops)
    settle()
    dialog = page.open_summary()  # type: ignore[attr-defined]
    settle()
    shown = dialog.preview.toPlainText()
    assert '"trainee": null' in shown and "Dr Test Trainee" not in shown
    dialog.named.setChecked(True)
    settle()
    shown = dialog.preview.toPlainText()
    assert "Dr Test Trainee" in shown
    out = tmp_path / "me.gpccohort"
    with qtbot.waitSignal(dialog.written, timeout=10_000):  # type: ignore[attr-defined]
        dialog.write_to(out)
    settle()
    assert out.read_text(encoding="utf-8") == shown
    for word in ("Handover on a busy night", "What I learned", "Sepsis six audit"):
        assert word not in shown
    dialog.close()
