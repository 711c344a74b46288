"""Printing a PDF held in memory: Qt's print preview, whose Print button opens the system print
dialog, with every page drawn by PDFium through pypdfium2.

Why pypdfium2: Qt's own PDF renderer (QtPdf) comes only with PySide6-Addons, a further wheel of
some 200 MB that the app needs for nothing else; pypdfium2 is a small, regularly released binding
to the PDF engine of Chromium, with wheels for Linux, Windows and macOS, and it renders from
bytes. So the report is never written to disk to be printed: no plaintext copy of a trainee's
reflections is left in a temporary folder.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from portfolio.errors import InvalidInput
from portfolio.ui.screen_fit import fit_to_screen

PRINT_DPI = 300
"""Pages are rasterised at up to this resolution for the printer (sharp text, modest memory)."""
PREVIEW_DPI = 110
"""…and at this one for the preview, which keeps a copy of every page it shows."""


def page_count(pdf: bytes) -> int:
    document = _open(pdf)
    try:
        return len(document)
    finally:
        document.close()


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw the pages of ``pdf`` in the printer's page range (all when none is set) onto
    ``printer``, each fitted to the printable area; returns how many were drawn."""
    document = _open(pdf)
    painter = QPainter()
    try:
        total = len(document)
        first = min(max(printer.fromPage(), 1), total)
        last = min(printer.toPage() or total, total)
        if not painter.begin(printer):
            raise InvalidInput("The printer could not be started; nothing was printed.")
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        previewing = painter.paintEngine().type() == QPaintEngine.Type.Picture
        dpi = min(printer.resolution(), PREVIEW_DPI if previewing else PRINT_DPI)
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            page = document[number - 1]
            width, height = page.get_size()
            painter.drawImage(
                _fitted(QSizeF(width, height), painter.viewport()), page_image(page, dpi)
            )
        return last - first + 1
    finally:
        if painter.isActive():
            painter.end()
        document.close()


def page_images(pdf: bytes, dpi: int, limit: int) -> tuple[list[QImage], int]:
    """The first ``limit`` pages of ``pdf`` drawn at ``dpi``, and how many there are in all."""
    document = _open(pdf, "shown")
    try:
        total = len(document)
        return [page_image(document[index], dpi) for index in range(min(total, limit))], total
    finally:
        document.close()


def page_image(page: pdfium.PdfPage, dpi: int) -> QImage:
    """The page drawn at ``dpi``, as an image of its own (safe to keep, made on any thread)."""
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
    image = QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
    )
    return image.copy()  # the view above shares PDFium's buffer, freed with the bitmap


def _open(pdf: bytes, purpose: str = "printed") -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise InvalidInput(f"The PDF could not be read to be {purpose} ({error}).") from None


def _fitted(page: QSizeF, area: QRect) -> QRectF:
    """The largest rectangle of the page's shape inside ``area``, centred."""
    size = page.scaled(QSizeF(area.size()), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.x() + (area.width() - size.width()) / 2
    top = area.y() + (area.height() - size.height()) / 2
    return QRectF(left, top, size.width(), size.height())


class PrintPreview(QPrintPreviewDialog):
    """The pages as they will print; *Print* there opens the system print dialog."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFromTo(1, page_count(pdf))
        super().__init__(printer, parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("Print {title}").format(title=title))
        fit_to_screen(self, QSize(1000, 1100))  # the whole tool bar, Print at its end, shows
        self._printer = printer  # the dialog does not own it
        self.pdf = pdf
        self.pages_printed = 0
        """Pages sent to the printer (not counting the preview's own drawing)."""
        self.paintRequested.connect(self._paint)

    def _paint(self, printer: QPrinter) -> None:
        drawn = paint_pdf(self.pdf, printer)
        if printer.paintEngine().type() != QPaintEngine.Type.Picture:
            self.pages_printed = drawn
