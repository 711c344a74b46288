"""Small pieces of the editor's look: cards, the inline message bar, the sign-off banner.

Colours come from the palette (or are translucent tints over it), so light and dark themes both
read well.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.resource_files import resource
from portfolio.ui.widgets import announce


def card(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel with a heading; returns the panel and the layout to fill."""
    frame = QFrame(parent)
    frame.setObjectName("editorCard")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 18)
    layout.setSpacing(10)
    heading = QLabel(title, frame)
    heading.setObjectName("cardTitle")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    heading.setFont(font)
    layout.addWidget(heading)
    return frame, layout


_TINTS = {
    "error": "rgba(220, 53, 69, 0.14)",
    "info": "rgba(13, 110, 253, 0.11)",
    "warning": "rgba(255, 170, 0, 0.16)",
}
_BORDERS = {
    "error": "rgba(220, 53, 69, 0.55)",
    "info": "rgba(13, 110, 253, 0.40)",
    "warning": "rgba(255, 170, 0, 0.60)",
}


def _tint(widget: QWidget, level: str) -> None:
    widget.setStyleSheet(
        f"QFrame#{widget.objectName()} {{ background: {_TINTS[level]}; "
        f"border: 1px solid {_BORDERS[level]}; border-radius: 8px; }}"
    )


class MessageBar(QFrame):
    """Inline messages (``messageBar``): validation errors naming the field, confirmations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.level = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 10, 28, 0)
        self._box = QFrame(self)
        self._box.setObjectName("messageBox")
        outer.addWidget(self._box)
        layout = QHBoxLayout(self._box)
        layout.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel(self._box)
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self._box)
        close.setObjectName("messageClose")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setAccessibleName(self.tr("Dismiss message"))
        close.clicked.connect(self.clear)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        parent = self.parentWidget()
        return self.label.text() if parent is not None and self.isVisibleTo(parent) else ""

    def show_error(self, text: str) -> None:
        self._show("error", text)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def _show(self, level: str, text: str) -> None:
        self.level = level
        _tint(self._box, level)
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        announce(self, text, urgent=level == "error")

    def clear(self) -> None:
        self.level = ""
        self.label.clear()
        self.hide()


class Banner(QFrame):
    """A calm, persistent notice (e.g. that an item is signed off)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 10, 28, 0)
        self._box = QFrame(self)
        self._box.setObjectName("bannerBox")
        _tint(self._box, "warning")
        outer.addWidget(self._box)
        layout = QHBoxLayout(self._box)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = QLabel(self._box)
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.show()


# Amber for privacy warnings: light and dark variants with at least 4.5:1 contrast against a
# typical light (white) or dark (#1e1e1e … #353535) window, like the status colours.
_AMBER = ("#9a4d00", "#f6b26b")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_colour(palette: QPalette) -> QColor:
    """The amber of privacy warnings, for this palette (light or dark)."""
    return QColor(_AMBER[1] if is_dark(palette) else _AMBER[0])


def warning_icon(palette: QPalette) -> QIcon:
    """A warning triangle in :func:`warning_colour` (shape and colour, never colour alone)."""
    return _svg_icon("status-invalid", warning_colour(palette).name())


@cache
def _svg_icon(name: str, colour: str) -> QIcon:
    from PySide6.QtSvg import QSvgRenderer

    svg = resource("icons", f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))
    result = QIcon()
    for size in (16, 20, 24, 32, 48):
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result
