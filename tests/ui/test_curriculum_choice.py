"""The trainee's own curriculum: chosen in the profile, shown on the dashboard beside GPC, and
counted towards GPC exactly as the ARCP summary counts it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidget

from portfolio.app import Portfolio
from portfolio.reports.gather import build_arcp_report
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.ui.profile_dialog import ProfileDialog

MIXED = (
    ("Consent for a lumbar puncture", ("IMT2019-G2", "GPC2.2")),
    ("Leading the take", ("IMT2019-C1", "IMT2019-C6", "GPC5")),
    ("Sepsis audit", ("IMT2019-G4", "GPC6.2", "GPC6.1")),
    ("Foundation ethics reflection", ("FP2021-FPC11",)),
    ("A group heading only", ("FP2021-HLO2", "RCGP2019-A")),
    ("Clinic letter feedback", ("ISCP2021-CIP1", "RCGP2019-C3")),
)


@pytest.fixture
def mixed(portfolio: Portfolio) -> Portfolio:
    """The sample items plus items linked to sub-headings, to capabilities of every curriculum
    (several towards one domain) and to group headings that count towards nothing."""
    for number, (title, codes) in enumerate(MIXED, start=1):
        portfolio.evidence.create(
            EvidenceDraft(
                kind="reflection",
                title=title,
                occurred_on=date(2024, 6, number),
                text=f"What I learned: {title.lower()}.",
                links=tuple(Link(code) for code in codes),
            )
        )
    return portfolio


def test_the_report_and_the_dashboard_count_the_same(mixed, main_window) -> None:
    report = build_arcp_report(mixed)
    shown = {
        code: int(card.findChild(QLabel, "domainTotal").text())
        for code, card in main_window.dashboard.cards.items()
    }
    assert shown == {row.code: row.items for row in report.domains}
    assert shown == {d.code: d.total for d in mixed.coverage.coverage().domains}
    # "Leading the take" links IMT2019-C1, IMT2019-C6 and GPC5, all towards GPC5: it counts once.
    # The group headings FP2021-HLO2 and RCGP2019-A count towards no domain.
    assert shown == {
        "GPC1": 3,  # handover; IMT2019-G2; FP2021-FPC11
        "GPC2": 3,  # consent (GPC2.2); the take (IMT2019-C1); clinic letter (ISCP, RCGP)
        "GPC3": 2,
        "GPC4": 0,
        "GPC5": 3,
        "GPC6": 4,
        "GPC7": 2,
        "GPC8": 1,
        "GPC9": 0,
    }
    assert next(i for i in report.items if i.title == "A group heading only").domains == ()


def test_choosing_a_curriculum_in_the_profile_shows_it_on_the_dashboard(
    qtbot, mixed, main_window, settle
) -> None:
    dashboard = main_window.dashboard
    assert dashboard.findChild(QTableWidget, "curriculumCoverage") is None  # none shown: none made
    assert not dashboard.findChild(QLabel, "curriculumHeading").isVisibleTo(dashboard)

    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    combo = dialog.findChild(QComboBox, "curriculumCombo")
    assert combo.currentData() == ""
    combo.setFocus()
    qtbot.keyClicks(combo, "Internal")
    assert combo.currentData() == "imt-2019"
    save = dialog.findChild(QPushButton, "saveProfile")
    with (
        qtbot.waitSignal(dashboard.loaded, timeout=10_000),
        qtbot.waitSignal(dialog.finished, timeout=10_000),
    ):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    settle()
    assert mixed.profile.get().curriculum_id == "imt-2019"

    heading = dashboard.findChild(QLabel, "curriculumHeading")
    assert heading.isVisibleTo(dashboard)
    table = dashboard.findChild(QTableWidget, "curriculumCoverage")
    assert table.isVisibleTo(dashboard) and heading.buddy() is table
    assert "Internal Medicine Training" in heading.text()
    assert "(4 of 14 capabilities have evidence)" in heading.text()
    assert table.rowCount() == 14
    rows = {table.item(r, 0).text().split()[0]: r for r in range(table.rowCount())}
    counts = {code: int(table.item(row, 1).text()) for code, row in rows.items()}
    assert counts["IMT2019-G2"] == counts["IMT2019-G4"] == counts["IMT2019-C1"] == 1
    assert counts["IMT2019-G5"] == 0
    assert sum(counts.values()) == 4

    main_window.profile_action.trigger()
    again = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    assert again.findChild(QComboBox, "curriculumCombo").currentData() == "imt-2019"
    again.reject()
    settle()
