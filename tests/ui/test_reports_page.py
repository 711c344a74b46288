"""The Reports page: choose a period, save the PDF off the GUI thread, read it back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.ui import reports_page
from portfolio.ui.operations import Operations
from portfolio.ui.reports_page import ReportsPage


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.fixture
def page(qtbot: Any, portfolio: Portfolio, ops: Operations, settle: Any) -> ReportsPage:
    portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="A private worry about nights",
            occurred_on=date(2024, 2, 9),
            fields={"model": "what_so_what_now_what", "what": "Tired."},
            links=(Link("GPC1"),),
            private=True,
        )
    )
    widget = ReportsPage(portfolio, ops)
    qtbot.addWidget(widget)
    widget.show()
    settle()
    return widget


class FakeDialog:
    chosen = ""

    @staticmethod
    def getSaveFileName(*_: object) -> tuple[str, str]:
        return FakeDialog.chosen, "PDF documents (*.pdf)"


def test_save_a_period_as_pdf(
    qtbot: Any, page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settle: Any
) -> None:
    assert page.objectName() == "reportsPage"
    private = page.findChild(type(page.private_items), "privateItemsList")
    assert private.count() == 1
    assert private.item(0).checkState() == Qt.CheckState.Unchecked
    page.date_from.set_value(date(2024, 1, 1))
    page.date_to.set_value(date(2024, 3, 31))
    FakeDialog.chosen = str(tmp_path / "summary")
    monkeypatch.setattr(reports_page, "QFileDialog", FakeDialog)

    button = page.findChild(type(page.save_button), "saveReportButton")
    with qtbot.waitSignal(page.saved, timeout=60_000) as saved:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()
    out = Path(saved.args[0])
    assert out == tmp_path / "summary.pdf" and out.exists()
    text = text_of(out)
    assert "Dr Test Trainee" in text
    assert "Handover on a busy night" in text and "Sepsis six audit" in text
    assert "Junior doctors' forum rep" not in text  # April: outside the period
    assert "A private worry about nights" not in text
    assert "Saved to" in page.status.text()
    assert not page.progress.isVisible() and page.save_button.isEnabled()

    private.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(page.saved, timeout=60_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()
    assert "A private worry about nights" in text_of(out)


def test_print_opens_the_viewer_where_printing_directly_is_not_possible(
    qtbot: Any, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, settle: Any
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(reports_page, "print_pdf", lambda path, parent: False)
    monkeypatch.setattr(reports_page.QDesktopServices, "openUrl", opened.append)
    button = page.findChild(type(page.print_button), "printReportButton")
    with qtbot.waitSignal(page.saved, timeout=60_000) as saved:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()
    assert [url.toLocalFile() for url in opened] == [saved.args[0]]
    assert Path(saved.args[0]).read_bytes().startswith(b"%PDF")
    Path(saved.args[0]).unlink()
    Path(saved.args[0]).parent.rmdir()
