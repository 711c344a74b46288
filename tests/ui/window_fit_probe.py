"""Run in its own process on a chosen screen (tests/ui/test_window_fit.py): opens the first
window, every page and an editor on a portfolio, and prints as JSON what does not fit.

A control is reachable when it lies inside its window, or inside a scroll area that can bring
it into view. Usage: ``python -m tests.ui.window_fit_probe DATA_DIR SHOT_PREFIX``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.ui.main import make_application
from portfolio.ui.operations import Operations

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


def settle(app: QApplication, ops: Operations) -> None:
    for _ in range(20):
        ops.wait()
        app.processEvents()


def unreachable(window: QWidget) -> list[str]:
    """Controls shown in ``window`` that lie partly outside it, with no scroll area to help."""
    inside = window.rect()
    out = []
    for control in window.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or not control.isVisible():
            continue
        parent = control.parentWidget()
        scrolled = False
        while parent is not None and parent is not window:
            if isinstance(parent, QAbstractScrollArea) and parent is not control:
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        rect = control.rect().translated(control.mapTo(window, control.rect().topLeft()))
        if not inside.contains(rect):
            out.append(
                control.objectName() or f"{type(control).__name__}:{control.property('text')}"
            )
    return out


def main() -> int:
    data_dir, shots = Path(sys.argv[1]), sys.argv[2]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir / "settings")
    )
    app = make_application(["probe"])
    ops = Operations(app)
    from portfolio.ui.main_window import MainWindow

    with open_portfolio(resolve_location(data_dir)) as portfolio:
        window = MainWindow(portfolio, ops)
        window.show()
        settle(app, ops)
        area = window.screen().availableGeometry()
        result: dict[str, object] = {
            "screen": [area.width(), area.height()],
            "window": [window.frameGeometry().width(), window.frameGeometry().height()],
            "window_inside": area.contains(window.frameGeometry()),
            "pages": {},
        }
        for key in window._page_keys:
            window.show_page(key)
            settle(app, ops)
            result["pages"][key] = unreachable(window)  # type: ignore[index]
            window.grab().save(f"{shots}-{key}.png")
        editor = window.open_editor(kind="reflection")
        settle(app, ops)
        result["editor"] = [editor.frameGeometry().width(), editor.frameGeometry().height()]
        result["editor_inside"] = area.contains(editor.frameGeometry())
        result["editor_unreachable"] = unreachable(editor)
        editor.grab().save(f"{shots}-editor.png")
        editor.close()
        window.close()
        settle(app, ops)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
