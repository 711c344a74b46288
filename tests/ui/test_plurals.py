"""Counts read as English: "1 item", "5 items", never "item(s)" (Qt %n plural forms and the
app's English translation; issue 14 point 8)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

from portfolio.services.evidence import EvidenceQuery
from portfolio.vocabulary import ChangeKind

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "gpc_portfolio_en.ts"


def texts(window) -> tuple[str, str, str]:
    dashboard = window.dashboard
    return (
        window.item_count.text(),
        dashboard.findChild(QLabel, "coverageSummary").text(),
        dashboard.findChild(QLabel, "awaitingReview").text(),
    )


def test_status_bar_and_dashboard_say_item_or_items(qtbot, main_window, portfolio, ops) -> None:
    assert texts(main_window) == (
        "5 items",
        "5 items in your portfolio; 4 of 9 domains have evidence.",
        "2 items awaiting review by a supervisor",
    )
    card = main_window.dashboard.cards["GPC2"]
    assert card.findChild(QLabel, "domainTotal").toolTip().endswith("items in this domain")
    ready = [s.uuid for s in portfolio.evidence.list(EvidenceQuery(status="ready"))]
    for item in portfolio.evidence.list():
        if item.uuid != ready[0]:
            portfolio.evidence.delete(item.uuid)
    ops.announce(ChangeKind.EVIDENCE)
    qtbot.waitUntil(lambda: main_window.item_count.text() == "1 item", timeout=10_000)
    qtbot.waitUntil(
        lambda: texts(main_window)[2] == "1 item awaiting review by a supervisor", timeout=10_000
    )
    assert texts(main_window)[1].startswith("1 item in your portfolio;")
    assert not any("(s)" in text for text in texts(main_window))


def test_the_compiled_translation_is_that_of_its_source(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    out = tmp_path / "en.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(out)], check=True, timeout=60)
    assert out.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run `make translations`"
