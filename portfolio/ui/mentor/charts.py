"""A horizontal bar chart drawn with QPainter: one row per label, each bar in coloured
segments, a caption after it. A row marked ``hidden`` is a plain grey bar with its caption
only: its widths would give a small count away (the cohort model says which rows those are)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[tuple[float, str], ...]
    """(value, colour name) in drawing order; values on the chart's ``scale``."""
    caption: str
    hidden: bool = False


class BarChart(QWidget):
    """Bars scaled to ``scale`` (e.g. 100 for per cents, the cohort size for counts)."""

    ROW = 22
    LEGEND = 22

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # A Tab stop, so the keyboard reaches (and the scroll area scrolls to) every chart.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._bars: tuple[Bar, ...] = ()
        self._scale = 1.0
        self._legend: tuple[tuple[str, str], ...] = ()

    def set_bars(
        self, bars: Sequence[Bar], scale: float, legend: Sequence[tuple[str, str]] = ()
    ) -> None:
        self._bars, self._scale, self._legend = tuple(bars), max(scale, 1.0), tuple(legend)
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.caption}" for b in self._bars))
        self.setMinimumHeight(self._height())  # a scroll area never squeezes the bars
        self.updateGeometry()
        self.update()

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def sizeHint(self) -> QSize:
        return QSize(480, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self._height())

    def _height(self) -> int:
        return len(self._bars) * self.ROW + (self.LEGEND if self._legend else 0) + 4

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        width = self.width()
        label_width = min(
            max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0) + 12,
            int(width * 0.4),
        )
        caption_width = min(
            max((metrics.horizontalAdvance(b.caption) for b in self._bars), default=0),
            int(width * 0.3),
        )
        span = max(width - label_width - caption_width - 16, 40)
        for row, bar in enumerate(self._bars):
            top = row * self.ROW + 2
            height = self.ROW - 8
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top, label_width, height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8),
            )
            x = float(label_width)
            if bar.hidden:
                painter.fillRect(QRectF(x, top, span, height), QColor("#dddddd"))
                x += span
            else:
                for value, colour in bar.segments:
                    length = span * value / self._scale
                    if length > 0:
                        painter.fillRect(QRectF(x, top, length, height), QColor(colour))
                        x += length
            painter.setPen(muted if bar.hidden else text)
            painter.drawText(
                QRectF(x + 6, top, caption_width + 8, height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(bar.caption, Qt.TextElideMode.ElideRight, caption_width + 8),
            )
        x = 0.0
        top = len(self._bars) * self.ROW + 6
        for caption, colour in self._legend:
            painter.fillRect(QRectF(x, top + 3, 10, 10), QColor(colour))
            painter.setPen(muted)
            painter.drawText(QRectF(x + 14, top, 400, 16), Qt.AlignmentFlag.AlignVCenter, caption)
            x += 30 + metrics.horizontalAdvance(caption)
        if self.hasFocus():
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
