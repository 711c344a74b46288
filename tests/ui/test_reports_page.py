"""The Reports page: choose a period, save the PDF off the GUI thread, read it back."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QWidget

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.ui import reports_page
from portfolio.ui.operations import Operations
from portfolio.ui.printing import PrintPreview, page_count
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


def _print_preview(qtbot: Any, page: ReportsPage, settle: Any) -> PrintPreview:
    button = page.findChild(type(page.print_button), "printReportButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.print_preview is not None, timeout=60_000)
    settle()
    preview = page.print_preview
    assert isinstance(preview, PrintPreview) and preview.isVisible()
    assert preview.objectName() == "printPreview"
    return preview


def _to_pdf_printer(preview: PrintPreview, out: Path) -> QPrinter:
    printer = preview.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


def _greys(pdf: bytes, index: int) -> list[int]:
    """Page ``index`` drawn 40 pixels wide in grey levels: enough to tell two pages apart."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=80 / page.get_width(), rev_byteorder=True, prefer_bgrx=True)
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
        )
        small = image.scaled(
            40, 56, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        ).convertToFormat(QImage.Format.Format_Grayscale8)
        return [small.pixelColor(x, y).value() for y in range(56) for x in range(40)]
    finally:
        document.close()


def _distance(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def _similar(a: list[int], b: list[int]) -> bool:
    return _distance(a, b) < 12


def test_print_previews_every_page_and_prints_them_to_the_printer(
    qtbot: Any,
    page: ReportsPage,
    tmp_path: Path,
    settle: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch, home = tmp_path / "tmp", tmp_path / "home"
    scratch.mkdir()
    home.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("HOME", str(home))
    preview = _print_preview(qtbot, page, settle)
    pages = page_count(preview.pdf)
    assert pages >= 5
    shown = preview.findChild(QPrintPreviewWidget)
    assert shown.pageCount() == pages
    preview.grab().save("/tmp/desktop-print-preview.png")
    assert "choose Print" in page.status.text()

    out = tmp_path / "printed.pdf"
    _to_pdf_printer(preview, out)
    dialogs: list[QWidget] = []

    def accept_the_print_dialog() -> None:  # runs inside the dialog's own event loop
        dialog = QApplication.activeModalWidget()
        dialogs.append(dialog)
        if isinstance(dialog, QPrintDialog):
            dialog.accept()

    QTimer.singleShot(0, accept_the_print_dialog)
    (print_action,) = [a for a in preview.findChildren(QAction) if a.text() == "Print"]
    print_action.trigger()  # the preview's Print: the system print dialog, then the pages
    settle()
    assert len(dialogs) == 1 and isinstance(dialogs[0], QPrintDialog)
    printed = out.read_bytes()
    assert len(PdfReader(out).pages) == pages
    for index in (0, 1, pages - 1):
        assert _similar(_greys(printed, index), _greys(preview.pdf, index)), index
    first = _greys(printed, 0)  # and each printed page is its own, not merely a white one
    assert _distance(first, _greys(preview.pdf, 0)) < _distance(first, _greys(preview.pdf, 1))
    assert page.status.text() == f"Sent {pages} pages to {out}."
    assert page.print_preview is None
    # the report was made in memory: no copy of it anywhere outside the data folder
    assert list(scratch.iterdir()) == [] and list(home.iterdir()) == []


def test_print_honours_the_page_range_chosen(
    qtbot: Any, page: ReportsPage, tmp_path: Path, settle: Any
) -> None:
    preview = _print_preview(qtbot, page, settle)
    printer = _to_pdf_printer(preview, tmp_path / "two.pdf")
    printer.setFromTo(2, 3)
    preview.paintRequested.emit(printer)
    preview.accept()
    settle()
    printed = (tmp_path / "two.pdf").read_bytes()
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2
    assert _similar(_greys(printed, 0), _greys(preview.pdf, 1))
    assert page.status.text().startswith("Sent 2 pages to ")


def test_closing_the_preview_prints_nothing_and_says_so(
    qtbot: Any, page: ReportsPage, settle: Any
) -> None:
    preview = _print_preview(qtbot, page, settle)
    preview.reject()
    settle()
    assert page.status.text() == "Not printed."
    assert page.print_button.isEnabled()


def test_a_damaged_pdf_is_refused_for_printing(tmp_path: Path) -> None:
    from portfolio.errors import InvalidInput

    with pytest.raises(InvalidInput, match="could not be read"):
        page_count(b"%PDF-1.7 not really")


class Opened(QObject):
    """Stands in for the desktop's file handler: Qt hands it the URLs it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_save_offers_the_trainees_name_and_period_then_offers_to_open_it(
    qtbot: Any, page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settle: Any
) -> None:
    offered: list[str] = []

    class Dialog:
        @staticmethod
        def getSaveFileName(
            _parent: object, _title: str, where: str, _filter: str
        ) -> tuple[str, str]:
            offered.append(where)
            return str(tmp_path / Path(where).name), ""

    monkeypatch.setattr(reports_page, "QFileDialog", Dialog)
    page.date_from.set_value(date(2024, 1, 1))
    page.date_to.set_value(date(2024, 3, 31))
    assert not page.open_button.isVisible()
    with qtbot.waitSignal(page.saved, timeout=60_000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle()
    name = "ARCP summary - Dr Test Trainee - 2024-01-01 to 2024-03-31.pdf"
    assert Path(offered[0]).name == name
    assert Path(saved.args[0]) == tmp_path / name
    button = page.findChild(type(page.save_button), "openReportButton")
    assert button.isVisible()
    page.grab().save("/tmp/desktop-reports-saved.png")

    handler = Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in handler.urls] == [str(tmp_path / name)]
    assert page.status.text() == f"Opened {name} in your PDF viewer."


def test_open_says_when_no_viewer_could_be_started(
    qtbot: Any,
    qtlog: Any,
    page: ReportsPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settle: Any,
) -> None:
    FakeDialog.chosen = str(tmp_path / "summary.pdf")
    monkeypatch.setattr(reports_page, "QFileDialog", FakeDialog)
    with qtbot.waitSignal(page.saved, timeout=60_000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle()
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no xdg-open, no desktop launcher of any kind
    with qtlog.disabled():  # Qt warns that it found no launcher: that is the point
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("No PDF viewer could be started.")
    assert str(tmp_path / "summary.pdf") in page.status.text()
