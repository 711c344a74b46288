"""Help menu: the keyboard shortcuts, read from the window's own actions, and the user guide."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.resource_files import resource_root


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortcutsDialog", text)


def context_keys() -> list[tuple[str, str]]:
    """Keys that belong to one place rather than to a menu action."""
    return [
        (_tr("Clear the search (in the search box)"), "Esc"),
        (_tr("Move the selected items to the trash (in the evidence table)"), "Del"),
        (_tr("Open the selected item (in the evidence table)"), "Return"),
        (_tr("Submit the selected items for review (in the evidence table)"), "Ctrl+Return"),
        (_tr("Save the item (in the editor)"), "Ctrl+S"),
        (_tr("Save and submit the item for review (in the editor)"), "Ctrl+Return"),
        (_tr("Close the item (in the editor)"), "Ctrl+W"),
        (_tr("Choose a menu command or button: hold Alt and press its underlined letter"), "Alt"),
    ]


def action_keys(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """What each action with a shortcut does, as its menu shows it, and its keys."""
    rows = []
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append(
                (action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"), keys)
            )
    return rows


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: every shortcut of the window, then the keys of each place."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = action_keys(actions) + context_keys()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)


def guide_path() -> Path | None:
    """The README: inside the installed package's resources, or at the top of a checkout."""
    for candidate in (
        Path(str(resource_root())) / "README.md",
        Path(str(files("portfolio"))).parent / "README.md",
    ):
        if candidate.is_file():
            return candidate
    return None
