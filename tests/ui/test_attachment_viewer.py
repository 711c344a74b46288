"""Attachments are shown inside the app from memory: no plaintext copy lands in the system temp
folder or the home folder, from the editor or from the Reviews page; an unknown type is saved
only where the user chooses."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListWidget, QPushButton, QTextBrowser, QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from portfolio.app import Portfolio
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui import attachment_viewer
from portfolio.ui.attachment_viewer import AttachmentViewer, Kind, prepare
from portfolio.ui.main_window import MainWindow
from portfolio.ui.review_dialogs import ATTACHMENT_SCHEME
from portfolio.ui.reviews import ReviewsPage
from tests.ui.test_editor import Env, child, type_into
from tests.ui.test_reviews import WAIT, choose_row, reviews_of

TEXT = "Discussed the sepsis six with the FY1.\nThe lactate was repeated at one hour.\n"


def pdf_bytes(pages: int = 2) -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        sheet.setFont("Helvetica-Bold", 28)
        sheet.drawString(72, 760, f"ALS certificate, page {number}")
        sheet.rect(72, 400, 300, 200, fill=1)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def png_bytes() -> bytes:
    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a7ab0"))
    for x in range(100, 540):
        for y in range(150, 250):
            image.setPixelColor(x, y, QColor("#f4c542"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


FILES = {  # the PNG's name says JPEG: the bytes decide
    "certificate.pdf": (pdf_bytes(), Kind.PDF),
    "ward round.jpeg": (png_bytes(), Kind.IMAGE),
    "notes.txt": (TEXT.encode(), Kind.TEXT),
}
UNKNOWN = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4


@pytest.fixture
def no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Empty stand-ins for the system temp folder and $HOME, checked empty at the end."""
    folders = [tmp_path / "tmp", tmp_path / "home"]
    for folder in folders:
        folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folders[0]))
    monkeypatch.setenv("TMPDIR", str(folders[0]))
    monkeypatch.setenv("HOME", str(folders[1]))
    yield folders
    for folder in folders:
        assert list(folder.rglob("*")) == [], folder


def shown(qtbot: Any, viewer: AttachmentViewer | None) -> AttachmentViewer:
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.shown is not None, timeout=WAIT)
    assert viewer.isVisible() and viewer.isWindow()
    return viewer


def check_shown(viewer: AttachmentViewer, data: bytes, kind: Kind) -> None:
    assert viewer.data == data
    assert viewer.shown is not None and viewer.shown.kind is kind
    if kind is Kind.TEXT:
        assert viewer.text.toPlainText() == TEXT and viewer.text.isReadOnly()
        assert viewer.stack.currentWidget() is viewer.text
        return
    assert viewer.stack.currentWidget() is viewer.pages
    labels = viewer.findChildren(QWidget, "attachmentPage")
    assert len(labels) == (2 if kind is Kind.PDF else 1)
    assert all(not label.pixmap().isNull() for label in labels)  # type: ignore[attr-defined]
    assert not viewer.message.isVisible() and viewer.zoom_in.isVisible()


def test_pdf_image_and_text_open_from_the_editor_with_nothing_written(
    env: Env, qtbot: Any, tmp_path: Path, no_temp: list[Path]
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, (data, _kind) in FILES.items():
        (sources / name).write_bytes(data)
    editor = env.open(kind="course")
    type_into(qtbot, editor.title_edit, "Advanced life support")
    editor.add_attachment_files(sorted(sources.iterdir()))
    attachments = child(editor, QWidget, "attachmentList")
    qtbot.waitUntil(lambda: attachments.count() == 3, timeout=WAIT)
    env.idle()

    for row in range(3):
        attachments.setCurrentRow(row)
        name = attachments.item(row).data(Qt.ItemDataRole.UserRole + 1)
        data, kind = FILES[name]
        qtbot.mouseClick(child(editor, QPushButton, "openAttachment"), Qt.MouseButton.LeftButton)
        viewer = shown(qtbot, editor.attachment_viewer)
        assert viewer.windowTitle() == name
        check_shown(viewer, data, kind)
        if kind is not Kind.TEXT:
            viewer.grab().save(f"/tmp/viewer-{kind.value}.png")
        if kind is Kind.IMAGE:  # fitted, then zoomed in and back
            fitted = viewer.pages.scale()
            qtbot.mouseClick(viewer.zoom_in, Qt.MouseButton.LeftButton)
            assert viewer.pages.scale() == pytest.approx(fitted * 1.25)
            qtbot.mouseClick(viewer.zoom_fit, Qt.MouseButton.LeftButton)
            assert viewer.pages.scale() == pytest.approx(fitted)
        viewer.close()
    env.idle()


def test_an_unknown_type_is_saved_only_where_the_user_chooses(
    env: Env, qtbot: Any, tmp_path: Path, no_temp: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = env.open(kind="course")
    type_into(qtbot, editor.title_edit, "Audit")
    source = tmp_path / "audit.docx"
    source.write_bytes(UNKNOWN)
    editor.add_attachment_files([source])
    attachments = child(editor, QWidget, "attachmentList")
    qtbot.waitUntil(lambda: attachments.count() == 1, timeout=WAIT)
    env.idle()
    attachments.setCurrentRow(0)
    qtbot.mouseClick(child(editor, QPushButton, "openAttachment"), Qt.MouseButton.LeftButton)
    viewer = shown(qtbot, editor.attachment_viewer)
    assert viewer.shown is not None and viewer.shown.kind is Kind.OTHER
    assert "can show PDFs, images and text itself" in viewer.message.text()
    assert "Save a copy" in viewer.message.text()
    assert not viewer.zoom_in.isVisible() and not viewer.pages.isVisible()
    viewer.grab().save("/tmp/viewer-other.png")

    chosen = tmp_path / "chosen" / "my audit.docx"
    chosen.parent.mkdir()
    offered: list[str] = []

    class Dialog:
        @staticmethod
        def getSaveFileName(_parent: object, _title: str, where: str, _filter: str) -> Any:
            offered.append(where)
            return str(chosen), ""

    monkeypatch.setattr(attachment_viewer, "QFileDialog", Dialog)
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.saved_to is not None, timeout=WAIT)
    assert Path(offered[0]).name == "audit.docx"
    assert chosen.read_bytes() == UNKNOWN
    assert list(chosen.parent.iterdir()) == [chosen]  # no temporary left beside it
    assert viewer.message.text() == f"Saved a copy to {chosen}."

    class Cancelled:
        @staticmethod
        def getSaveFileName(*_args: object) -> Any:
            return "", ""

    monkeypatch.setattr(attachment_viewer, "QFileDialog", Cancelled)
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    env.idle()
    assert list(chosen.parent.iterdir()) == [chosen]

    folder = tmp_path / "a folder"  # a folder is not replaced; the message says why
    folder.mkdir()
    viewer.save_copy_to(folder)
    qtbot.waitUntil(lambda: "Saved" not in viewer.message.text(), timeout=WAIT)
    assert folder.is_dir() and list(folder.iterdir()) == []
    viewer.close()
    env.idle()


def test_a_damaged_pdf_is_not_shown_but_can_be_saved() -> None:
    result = prepare(b"%PDF-1.7 cut short")
    assert result.kind is Kind.OTHER and "could not be read" in result.problem
    assert prepare(b"plain words\x00with a NUL").kind is Kind.OTHER
    assert prepare(b"\xef\xbb\xbfcaf\xc3\xa9").text == "café"


@pytest.fixture
def attached_window(qtbot: Any, demo: Portfolio, ops: Any, settle: Any) -> Iterator[MainWindow]:
    """The demo portfolio with a PDF, an image and a text file on each item to review."""
    for item in demo.evidence.list(EvidenceQuery(status="ready")):
        for name, (data, _kind) in FILES.items():
            demo.evidence.attach_bytes(item.uuid, name, data)
    window = MainWindow(demo, ops)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        window.show()
    settle()
    yield window
    settle()
    window.close()
    settle()


def test_pdf_image_and_text_open_from_the_reviews_page_with_nothing_written(
    qtbot: Any, attached_window: MainWindow, no_temp: list[Path], settle: Any
) -> None:
    page: ReviewsPage = reviews_of(qtbot, attached_window)
    queue = child(page, QListWidget, "reviewQueue")
    qtbot.waitUntil(lambda: queue.count() > 0, timeout=WAIT)  # read when the page first shows
    choose_row(qtbot, page, 0)
    detail = page.board.current
    assert detail is not None and len(detail.attachments) == 3
    browser = child(page, QTextBrowser, "reviewDetail")
    for attachment in detail.attachments:
        link = f"{ATTACHMENT_SCHEME}:{attachment.sha256}"
        assert link in browser.toHtml()
        browser.anchorClicked.emit(QUrl(link))
        viewer = shown(qtbot, page.attachment_viewer)
        data, kind = FILES[attachment.filename]
        check_shown(viewer, data, kind)
        viewer.close()
    settle()


def test_a_review_packs_attachments_open_from_memory_for_the_supervisor(
    qtbot: Any,
    attached_window: MainWindow,
    supervisor: Any,
    tmp_path: Path,
    no_temp: list[Path],
    settle: Any,
) -> None:
    pack_path = tmp_path / "for supervisor.gpcreview"
    trainee = reviews_of(qtbot, attached_window)
    with qtbot.waitSignal(trainee.trainee.pack_exported, timeout=WAIT):
        attached_window.export_review_pack_to(pack_path)
    _, window, _ = supervisor
    page = reviews_of(qtbot, window)
    with qtbot.waitSignal(page.signing.opened, timeout=WAIT):
        page.signing.open_review_pack(pack_path)
    assert child(page, QListWidget, "reviewQueue").count() > 0
    choose_row(qtbot, page, 0)
    detail = page.board.current
    assert detail is not None and len(detail.attachments) == 3
    for attachment in detail.attachments:
        page.findChild(QTextBrowser, "reviewDetail").anchorClicked.emit(
            QUrl(f"{ATTACHMENT_SCHEME}:{attachment.sha256}")
        )
        viewer = shown(qtbot, page.attachment_viewer)
        data, kind = FILES[attachment.filename]
        check_shown(viewer, data, kind)
        viewer.close()
    settle()


def test_an_attachment_that_cannot_be_read_says_so_in_the_viewer(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="course")
    evidence = env.portfolio.evidence
    viewer = attachment_viewer.view_attachment(
        editor, env.ops, "gone.pdf", lambda: evidence.attachment_content("0" * 64)
    )
    qtbot.waitUntil(lambda: "Opening" not in viewer.message.text(), timeout=WAIT)
    assert viewer.shown is None and viewer.data is None
    assert viewer.message.isVisible() and viewer.message.text()
    assert not viewer.save_button.isEnabled()
    viewer.close()
    env.idle()
