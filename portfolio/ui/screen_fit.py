"""Window sizes taken from the screen a window opens on, and remembered once the user changes them.

A fixed size in pixels is wrong both ways: cut off on a 1366×768 laptop, a postage stamp on a
large monitor. Windows here ask for a comfortable size and get at most a share of the screen's
available area (what the task bar leaves), so every button is on screen; the size the user then
gives a window is kept in the settings and used next time, shrunk if the screen got smaller.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92
"""Of the available area a window may take at first: the edges stay visible around it."""


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted_size(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted``, shrunk to fit the share of the screen, and never below what the window
    needs to lay out its contents unless the screen itself is smaller."""
    area = available_area(widget)
    limit = QSize(int(area.width() * SCREEN_SHARE), int(area.height() * SCREEN_SHARE))
    needed = widget.minimumSizeHint().boundedTo(area.size())
    return wanted.boundedTo(limit).expandedTo(needed)


def fit_to_screen(widget: QWidget, wanted: QSize) -> None:
    """Resize ``widget`` to :func:`fitted_size` and centre it in the available area."""
    size = fitted_size(widget, wanted)
    area = available_area(widget)
    widget.resize(size)
    widget.move(
        area.x() + (area.width() - size.width()) // 2,
        area.y() + (area.height() - size.height()) // 2,
    )


def keep_on_screen(widget: QWidget) -> None:
    """After restoring a saved geometry: shrink and move the window into the available area
    (the screen may be smaller than the one it was saved on)."""
    area = available_area(widget)
    frame = widget.frameGeometry()
    margins = frame.size() - widget.size()
    size = widget.size().boundedTo(area.size() - margins)
    if size != widget.size():
        widget.resize(size)
    left = min(max(frame.x(), area.x()), area.right() + 1 - widget.frameGeometry().width())
    top = min(max(frame.y(), area.y()), area.bottom() + 1 - widget.frameGeometry().height())
    if (left, top) != (frame.x(), frame.y()):
        widget.move(left, top)


class SizeMemory(QObject):
    """Remembers the size the user gives a kind of window (all editors share one), under
    ``key`` in the settings; :meth:`apply` sizes a new window from it."""

    def __init__(self, settings: QSettings, key: str, default: QSize, parent: QObject) -> None:
        super().__init__(parent)
        self._settings = settings
        self._key = key
        self._default = default

    def apply(self, window: QWidget) -> None:
        saved = self._settings.value(self._key)
        wanted = saved if isinstance(saved, QSize) and saved.isValid() else self._default
        fit_to_screen(window, wanted)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and isinstance(watched, QWidget)
            and watched.isVisible()
            and not watched.isMaximized()
            and not watched.isFullScreen()
        ):
            self._settings.setValue(self._key, watched.size())
        return False
