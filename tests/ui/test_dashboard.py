"""The dashboard shows coverage() and leads to the evidence list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget

from portfolio.services.evidence import EvidenceQuery
from portfolio.vocabulary import ChangeKind


def test_counts_match_coverage(main_window, portfolio) -> None:
    coverage = portfolio.coverage.coverage()
    dashboard = main_window.findChild(type(main_window.dashboard), "dashboard")
    for domain in coverage.domains:
        card = dashboard.cards[domain.code]
        assert card.findChild(QLabel, "domainTotal").text() == str(domain.total)
        for status in ("draft", "ready", "changes_requested", "signed_off"):
            label = card.findChild(QLabel, f"count_{status}")
            assert label.text() == str(domain.by_status.get(status, 0))
        gap = card.findChild(QLabel, "gapLabel")
        if domain.code in coverage.without_evidence:
            assert "No evidence" in gap.text()
        elif domain.code in coverage.without_signed_evidence:
            assert "signed off" in gap.text()
        assert gap.isVisibleTo(card) == (domain.code in coverage.without_signed_evidence)
    awaiting = dashboard.findChild(QLabel, "awaitingReview")
    assert awaiting.text().startswith(str(coverage.awaiting_review))
    gaps = dashboard.findChild(QLabel, "gapSummary").text()
    assert all(code in gaps for code in coverage.without_evidence)


def test_recent_items_newest_first(main_window, portfolio) -> None:
    recent = main_window.findChild(QListWidget, "recentItems")
    newest = portfolio.evidence.list(EvidenceQuery(sort="updated"))[:8]
    assert recent.count() == len(newest)
    assert newest[0].title in recent.item(0).text()


def test_clicking_a_domain_filters_the_list(qtbot, main_window, portfolio, settle) -> None:
    card = main_window.dashboard.cards["GPC6"]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    settle()
    assert main_window.current_page_key() == "evidence"
    assert main_window.evidence.filters.domain.currentData() == "GPC6"
    expected = portfolio.evidence.query_ids(EvidenceQuery(domain="GPC6"))
    assert list(main_window.evidence.model.ids) == expected
    assert len(expected) == 2


def test_keyboard_opens_a_domain(qtbot, main_window, settle) -> None:
    card = main_window.dashboard.cards["GPC8"]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    settle()
    assert main_window.current_page_key() == "evidence"
    assert main_window.evidence.model.rowCount() == 1


def test_dashboard_refreshes_after_a_change(qtbot, main_window, portfolio, settle, ops) -> None:
    item = portfolio.evidence.list()[0]
    portfolio.evidence.delete(item.uuid)
    with qtbot.waitSignal(main_window.dashboard.loaded, timeout=10_000):
        ops.announce(ChangeKind.EVIDENCE, [item.uuid])
    assert main_window.dashboard.coverage.total_items == 4
    settle()
