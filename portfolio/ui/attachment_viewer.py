"""An attachment shown inside the app from its bytes in memory: nothing is written to disk.

Handing an attachment to the desktop's viewer means writing it, unencrypted, to a temporary
folder that outlives a crash, even when the portfolio is encrypted at rest. So PDFs (pages drawn
by PDFium, as for printing), images (any format Qt reads, told by the bytes, not the name) and
UTF-8 text are shown here; anything else gets *Save a copy…*, written only where the user chooses.

The bytes are read on the database lane, laid out on the render lane; both belong to the viewer,
so closing it mid-way drops the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from portfolio.errors import InvalidInput, PortfolioError
from portfolio.services.attachments import save_copy
from portfolio.ui.operations import Operations
from portfolio.ui.printing import PREVIEW_DPI, page_images
from portfolio.ui.screen_fit import fit_to_screen

MAX_PAGES = 40
"""Pages of a PDF drawn (each kept in memory); the rest are one *Save a copy…* away."""
ZOOM_STEP = 1.25


class Kind(Enum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    OTHER = "other"


@dataclass(frozen=True)
class Shown:
    """What the viewer shows, worked out off the GUI thread."""

    kind: Kind
    pages: list[QImage] = field(default_factory=list)
    total_pages: int = 0
    text: str = ""
    problem: str = ""
    """Why a file that looked like a PDF or an image could not be shown."""


def sniff(data: bytes) -> Kind:
    """The kind of ``data`` from its content alone (a name can lie)."""
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    if reader.canRead():
        return Kind.IMAGE
    return Kind.TEXT if _text(data) is not None else Kind.OTHER


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    controls = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}
    return None if any(c in controls for c in text) else text


def prepare(data: bytes) -> Shown:
    """Lay ``data`` out for showing (on the render lane: QImage is safe off the GUI thread)."""
    kind = sniff(data)
    if kind is Kind.PDF:
        try:
            pages, total = page_images(data, PREVIEW_DPI, MAX_PAGES)
        except InvalidInput as error:
            return Shown(Kind.OTHER, problem=str(error))
        return Shown(kind, pages=pages, total_pages=total)
    if kind is Kind.IMAGE:
        image = QImage.fromData(data)
        if image.isNull():
            return Shown(Kind.OTHER, problem="The image could not be read.")
        return Shown(kind, pages=[image], total_pages=1)
    if kind is Kind.TEXT:
        return Shown(kind, text=_text(data) or "")
    return Shown(kind)


class PagesView(QScrollArea):
    """Pages (or one image) one under another, fitted to the width (and, for a single page, the
    height) of the view, or zoomed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentPages")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._pages: list[QImage] = []
        self._labels: list[QLabel] = []
        self.zoom: float | None = None
        """None: fit to the view."""
        holder = QWidget()
        self._column = QVBoxLayout(holder)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(holder)

    def set_pages(self, pages: list[QImage]) -> None:
        self._pages = pages
        for _ in pages:
            label = QLabel()
            label.setObjectName("attachmentPage")
            self._column.addWidget(label)
            self._labels.append(label)
        self._draw()

    def scale(self) -> float:
        if self.zoom is not None:
            return self.zoom
        if not self._pages:
            return 1.0
        room = self.viewport().size() - QSize(24, 24)
        widest = max(page.width() for page in self._pages)
        fits = room.width() / widest
        if len(self._pages) == 1:
            fits = min(fits, room.height() / self._pages[0].height())
        return max(0.05, min(1.0, fits))

    def zoom_by(self, factor: float) -> None:
        self.zoom = max(0.1, min(8.0, self.scale() * factor))
        self._draw()

    def fit(self) -> None:
        self.zoom = None
        self._draw()

    def _draw(self) -> None:
        scale = self.scale()
        for page, label in zip(self._pages, self._labels, strict=True):
            size = QSize(round(page.width() * scale), round(page.height() * scale))
            label.setPixmap(
                QPixmap.fromImage(page).scaled(
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None:
            self._draw()


class AttachmentViewer(QWidget):
    """A window of its own for one attachment."""

    def __init__(self, filename: str, ops: Operations, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("attachmentViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.filename = Path(filename).name or "attachment"
        self.setWindowTitle(self.filename)
        self._ops = ops
        self.data: bytes | None = None
        self.shown: Shown | None = None
        self.saved_to: Path | None = None

        self.message = QLabel(self.tr("Opening “{name}”…").format(name=self.filename))
        self.message.setObjectName("attachmentMessage")
        self.message.setWordWrap(True)
        self.pages = PagesView(self)
        self.text = QPlainTextEdit()
        self.text.setObjectName("attachmentText")
        self.text.setReadOnly(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())  # nothing yet, or nothing to show
        self.stack.addWidget(self.pages)
        self.stack.addWidget(self.text)

        self.zoom_out = self._button("zoomOutButton", self.tr("Zoom out"))
        self.zoom_out.clicked.connect(lambda: self.pages.zoom_by(1 / ZOOM_STEP))
        self.zoom_in = self._button("zoomInButton", self.tr("Zoom in"))
        self.zoom_in.clicked.connect(lambda: self.pages.zoom_by(ZOOM_STEP))
        self.zoom_fit = self._button("zoomFitButton", self.tr("Fit"))
        self.zoom_fit.clicked.connect(self.pages.fit)
        self.save_button = self._button("saveAttachmentCopy", self.tr("Save a copy…"))
        self.save_button.clicked.connect(self.choose_copy_destination)
        close = self._button("closeAttachmentViewer", self.tr("Close"))
        close.clicked.connect(self.close)
        close.setEnabled(True)

        bar = QHBoxLayout()
        for button in (self.zoom_out, self.zoom_in, self.zoom_fit):
            button.setEnabled(True)
            button.hide()  # until there are pages to zoom
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.stack, 1)
        self._layout.addLayout(bar)
        fit_to_screen(self, QSize(900, 1000))

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setEnabled(False)
        return button

    def load(self, read: Callable[[], bytes]) -> None:
        """Read the bytes on the database lane, then lay them out on the render lane."""
        self._ops.database(self, read).success(self._read).failure(self._failed).run()

    def _read(self, data: bytes) -> None:
        self.data = data
        self.save_button.setEnabled(True)
        self._ops.render(self, lambda: prepare(data)).success(self._show).failure(
            self._failed
        ).run()

    def _show(self, shown: Shown) -> None:
        self.shown = shown
        if shown.kind is Kind.TEXT:
            self.text.setPlainText(shown.text)
            self.stack.setCurrentWidget(self.text)
            self.message.hide()
            return
        if shown.kind is Kind.OTHER:  # the message alone, in the middle of the window
            self.stack.hide()
            self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.setStretchFactor(self.message, 1)
            self.message.setText(
                " ".join(
                    part
                    for part in (
                        shown.problem,
                        self.tr(
                            "GPC Portfolio can show PDFs, images and text itself; “{name}” is "
                            "none of these. Choose Save a copy… to keep it somewhere you choose "
                            "and open it with another program."
                        ).format(name=self.filename),
                    )
                    if part
                )
            )
            return
        self.pages.set_pages(shown.pages)
        self.stack.setCurrentWidget(self.pages)
        for button in (self.zoom_out, self.zoom_in, self.zoom_fit):
            button.show()
        if shown.total_pages > len(shown.pages):
            self.message.setText(
                self.tr(
                    "Showing the first {shown} of {total} pages. Choose Save a copy… to read "
                    "the rest in another program."
                ).format(shown=len(shown.pages), total=shown.total_pages)
            )
        else:
            self.message.hide()

    def _failed(self, error: PortfolioError) -> None:
        self.message.setText(str(error))
        self.message.show()

    def choose_copy_destination(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save a copy of {name}").format(name=self.filename),
            str(Path.home() / self.filename),
            "",
        )
        if chosen:
            self.save_copy_to(Path(chosen))

    def save_copy_to(self, path: Path) -> None:
        data = self.data
        if data is None:
            return

        def saved(where: Path) -> None:
            self.saved_to = where
            self.message.setText(self.tr("Saved a copy to {path}.").format(path=where))
            self.message.show()

        self._ops.render(self, lambda: save_copy(path, data)).success(saved).failure(
            self._failed
        ).run()


def view_attachment(
    owner: QWidget, ops: Operations, filename: str, read: Callable[[], bytes]
) -> AttachmentViewer:
    """Open a viewer window (belonging to ``owner``) for the bytes ``read`` returns."""
    viewer = AttachmentViewer(filename, ops, owner)
    viewer.show()
    viewer.load(read)
    return viewer
