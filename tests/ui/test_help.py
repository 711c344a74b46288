"""Help → Keyboard shortcuts lists the window's real shortcuts; Help → User guide opens the
README (issue 14 point 8)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget

from portfolio.ui.help_dialogs import ShortcutsDialog

ROOT = Path(__file__).resolve().parents[2]


def help_menu(window) -> QMenu:
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    return menu


def test_help_offers_shortcuts_guide_and_about(main_window) -> None:
    names = [a.objectName() for a in help_menu(main_window).actions() if not a.isSeparator()]
    assert names == ["shortcutsAction", "guideAction", "aboutAction"]


def test_the_shortcuts_dialog_lists_every_shortcut_of_the_window(qtbot, main_window) -> None:
    main_window.shortcuts_action.trigger()
    qtbot.waitUntil(lambda: main_window.findChild(ShortcutsDialog) is not None)
    dialog = main_window.findChild(ShortcutsDialog)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["New evidence…"] == "Ctrl+N"
    assert rows["Find"] == "Ctrl+F"
    assert rows["Dashboard"] == "Ctrl+1"
    assert rows["Keyboard shortcuts"] == "F1"
    assert rows["Clear the search (in the search box)"] == "Esc"
    window_keys = {
        a.shortcut().toString()
        for a in [*main_window.actions(), *main_window.findChildren(QAction)]
        if a.parent() is main_window and not a.shortcut().isEmpty()
    }
    assert window_keys <= set(rows.values())
    dialog.close()


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_the_user_guide_opens_the_readme(main_window) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        main_window.guide_action.trigger()
        QApplication.processEvents()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in catcher.urls] == [ROOT / "README.md"]


def test_the_shortcuts_dialog_lists_submit_in_the_list_and_the_editor(qtbot, main_window) -> None:
    main_window.shortcuts_action.trigger()
    qtbot.waitUntil(lambda: main_window.findChild(ShortcutsDialog) is not None)
    dialog = main_window.findChild(ShortcutsDialog)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    submit = main_window.evidence.submit_action
    assert rows["Submit the selected items for review (in the evidence table)"] == (
        submit.shortcut().toString()
    )
    assert rows["Save and submit the item for review (in the editor)"] == "Ctrl+Return"
    taken = {k for k in rows.values() if k != "Ctrl+Return"}
    assert submit.shortcut().toString() not in taken  # clashes with nothing of the window
    dialog.close()
