"""Counts read as English: "1 item", "5 items", never "item(s)" (Qt %n plural forms and the
app's English translation; issue 14 point 8)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.main_window import MainWindow
from portfolio.ui.translations import COUNTS
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


def test_no_count_in_the_window_is_written_with_s_in_brackets() -> None:
    """Every text of portfolio/ui with "(s)" is a %n text that the translation gives its
    singular and plural; counted() texts are in its Counts context."""
    tree = ElementTree.parse(TS)
    numerus = {
        (context.findtext("name"), message.findtext("source"))
        for context in tree.getroot()
        for message in context
        if message.tag == "message" and message.get("numerus") == "yes"
    }
    sources = {source for _, source in numerus}
    counted_sources = {source for context, source in numerus if context == COUNTS}
    checked = 0
    for path in (ROOT / "portfolio" / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "(s)" in node.value
                and id(node) not in docstrings
            ):
                assert node.value in sources, f"{path.name}: {node.value!r} counts with (s)"
                checked += 1
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "counted":
                text = ast.literal_eval(node.args[0])
                assert text in counted_sources, f"{path.name}: {text!r} not in {COUNTS}"
    assert checked > 20


@pytest.mark.parametrize(
    ("drafts", "words"),
    [(1, "1 draft was saved. Reopen it"), (2, "2 drafts were saved. Reopen them")],
)
def test_the_unsaved_work_prompt_says_draft_or_drafts(
    qtbot, portfolio, ops, drafts: int, words: str
) -> None:
    for number in range(drafts):
        portfolio.recovery.stash(
            f"draft-{number}", "reflection", None, f"Night {number}", {"title": f"Night {number}"}
        )
    window = MainWindow(portfolio, ops)
    qtbot.addWidget(window, before_close_func=MainWindow.keep_drafts)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryPrompt") is not None)
    prompt = window.findChild(QMessageBox, "recoveryPrompt")
    qtbot.waitUntil(prompt.isVisible)
    assert words in prompt.text() and "(s)" not in prompt.text()
    qtbot.mouseClick(prompt.findChild(QPushButton, "laterButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy)
