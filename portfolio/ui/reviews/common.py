"""What the parts of the Reviews page share: their buttons, and what they do with a refusal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QPushButton, QWidget

from portfolio.ui.widgets import icon, show_message


def button(
    parent: QWidget, name: str, text: str, icon_name: str | None, slot: Callable[[], object]
) -> QPushButton:
    made = QPushButton(text, parent)
    made.setObjectName(name)
    if icon_name:
        made.setIcon(icon(icon_name))
    made.clicked.connect(lambda: slot())  # never the "checked" argument
    return made


def refuse(
    widget: QWidget, failed: SignalInstance, error: Exception, name: str, title: str = ""
) -> None:
    """Say ``error`` in a message box named ``name`` and announce it on ``failed``."""
    title = title or QCoreApplication.translate("ReviewsPage", "Reviews")
    show_message(widget, title, str(error), name=name)
    failed.emit(str(error))
