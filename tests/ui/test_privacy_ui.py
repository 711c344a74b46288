"""The privacy check in the window, and before anything leaves the laptop."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTreeWidget

from portfolio.services.dto import EvidenceDraft, Link

WAIT = 10_000
NHS_NUMBER = "943 476 5919"  # passes the modulus-11 check


@pytest.fixture
def planted(portfolio) -> str:
    item = portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="A night on the ward",
            occurred_on=date(2024, 7, 1),
            text=f"The patient (NHS number {NHS_NUMBER}) was moved late at night.",
            links=(Link("GPC1"),),
        )
    )
    return item.uuid


def open_check(qtbot, main_window) -> QDialog:
    main_window.privacy_action.trigger()
    dialog = main_window.findChild(QDialog, "privacyDialog")
    assert dialog is not None
    return dialog


def test_findings_are_listed_and_can_be_dismissed(qtbot, main_window, planted, settle) -> None:
    dialog = open_check(qtbot, main_window)
    qtbot.waitUntil(
        lambda: dialog.findChild(QTreeWidget, "privacyFindings").topLevelItemCount() > 0,
        timeout=WAIT,
    )
    tree = dialog.findChild(QTreeWidget, "privacyFindings")
    rows = [
        [tree.topLevelItem(i).text(c) for c in range(5)] for i in range(tree.topLevelItemCount())
    ]
    nhs = next(r for r in rows if r[2] == NHS_NUMBER)
    assert nhs[0] == "A night on the ward" and nhs[3] and nhs[4]
    tree.setCurrentItem(tree.topLevelItem(rows.index(nhs)))

    opened = []
    main_window.open_item = opened.append  # the editor is not under test here
    dialog.open_requested.disconnect()
    dialog.open_requested.connect(opened.append)
    dialog.findChild(QPushButton, "openFindingItem").click()
    assert opened == [planted]

    dialog.findChild(QPushButton, "dismissFinding").click()
    qtbot.waitUntil(
        lambda: all(
            tree.topLevelItem(i).text(2) != NHS_NUMBER for i in range(tree.topLevelItemCount())
        ),
        timeout=WAIT,
    )
    settle()
    with qtbot.waitSignal(dialog.checked, timeout=WAIT):
        dialog.findChild(QPushButton, "recheckPrivacy").click()
    assert all(tree.topLevelItem(i).text(2) != NHS_NUMBER for i in range(tree.topLevelItemCount()))
    if tree.topLevelItemCount() == 0:
        assert "Nothing found" in dialog.findChild(QLabel, "privacySummary").text()
    dialog.close()


def test_export_waits_for_the_trainee_to_choose(
    qtbot, main_window, planted, tmp_path, settle
) -> None:
    out = tmp_path / "out.gpcportfolio"
    main_window.export_portfolio_to(out)
    qtbot.waitUntil(lambda: main_window.findChild(QDialog, "privacyGate") is not None, timeout=WAIT)
    gate = main_window.findChild(QDialog, "privacyGate")
    assert gate.findChild(QTreeWidget, "privacyFindings").topLevelItemCount() >= 1
    gate.findChild(QPushButton, "goBack").click()
    settle()
    assert not out.exists()

    main_window.export_portfolio_to(out)
    qtbot.waitUntil(
        lambda: any(g.isVisible() for g in main_window.findChildren(QDialog, "privacyGate")),
        timeout=WAIT,
    )
    gate = next(g for g in main_window.findChildren(QDialog, "privacyGate") if g.isVisible())
    with qtbot.waitSignal(main_window.exported, timeout=WAIT):
        gate.findChild(QPushButton, "continueAnyway").click()
    assert out.exists()


def test_reports_page_checks_before_saving(
    qtbot, main_window, planted, tmp_path, monkeypatch, settle
) -> None:
    asked = []
    monkeypatch.setattr(
        "portfolio.ui.reports_page.QFileDialog.getSaveFileName",
        lambda *a, **k: asked.append(True) or ("", ""),
    )
    main_window.show_page("reports")
    main_window.reports.save_button.click()
    qtbot.waitUntil(lambda: main_window.findChild(QDialog, "privacyGate") is not None, timeout=WAIT)
    assert not asked  # the file dialog waits for the trainee's choice
    gate = main_window.findChild(QDialog, "privacyGate")
    gate.findChild(QPushButton, "continueAnyway").click()
    assert asked == [True]


def test_review_pack_export_checks_the_ready_items(
    qtbot, main_window, portfolio, planted, tmp_path, settle
) -> None:
    portfolio.evidence.submit([planted])
    pack = tmp_path / "pack.gpcreview"
    main_window.export_review_pack_to(pack)
    qtbot.waitUntil(lambda: main_window.findChild(QDialog, "privacyGate") is not None, timeout=WAIT)
    gate = main_window.findChild(QDialog, "privacyGate")
    assert "review pack" in gate.findChildren(QLabel)[0].text()
    with qtbot.waitSignal(main_window.reviews.trainee.pack_exported, timeout=WAIT):
        gate.findChild(QPushButton, "continueAnyway").click()
    assert pack.exists()
