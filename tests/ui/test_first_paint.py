"""The window paints its dashboard first and settles after (issue 17, row 1): the ORM's mapping
and the day's backup wait for that paint, the backup on the database thread with no busy
indicator, and a click or a save straight after it still works."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from portfolio.app import Portfolio
from portfolio.ui.editor import EvidenceEditor
from portfolio.ui.evidence_model import COL_TITLE
from portfolio.ui.main import open_with_passphrase
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations

WAIT = 10_000


class Painted(QObject):
    """Counts paint events of any widget of the app while installed."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.fixture
def opened(portfolio: Portfolio) -> Iterator[Portfolio]:
    """The sample portfolio, opened again as the window opens it (``run_app``)."""
    location = portfolio.location
    portfolio.close()
    reopened = open_with_passphrase(location)
    assert reopened is not None
    yield reopened
    reopened.close()


@pytest.fixture
def painted(qtbot: object, opened: Portfolio, ops: Operations) -> Iterator[MainWindow]:
    """The window, shown, just after its first paint with the dashboard's data: nothing else
    has been waited for."""
    window = MainWindow(opened, ops)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    paints = Painted()
    with qtbot.waitSignal(window.ready, timeout=WAIT):  # type: ignore[attr-defined]
        window.show()
    QApplication.instance().installEventFilter(paints)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: paints.count > 0, timeout=WAIT)  # type: ignore[attr-defined]
    QApplication.instance().removeEventFilter(paints)  # type: ignore[union-attr]
    yield window
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)  # type: ignore[attr-defined]
    ops.wait()  # the day's backup too, which runs in the background
    if isValid(window):  # qtbot closed it and deleted it later; a wait may have run that
        window.close()


def open_first_item(qtbot, window: MainWindow) -> EvidenceEditor:
    """Clicks Evidence in the side bar, then double-clicks the list's first item."""
    navigation = window.navigation
    row = navigation.visualItemRect(navigation.item(1))  # Evidence
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert window.current_page_key() == "evidence"
    page = window.evidence
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=WAIT)
    first = page.table.visualRect(page.model.index(0, COL_TITLE))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    qtbot.waitUntil(lambda: len(window.editors) == 1 and window.editors[0].is_loaded, timeout=WAIT)
    return window.editors[0]


def test_a_click_straight_after_the_first_paint_opens_the_list_and_an_item(
    qtbot, painted: MainWindow
) -> None:
    editor = open_first_item(qtbot, painted)
    assert editor.title_edit.text() == painted.evidence.model.index(0, COL_TITLE).data()


def test_a_save_straight_after_the_first_paint_lands_beside_the_days_backup(
    qtbot, painted: MainWindow, opened: Portfolio
) -> None:
    editor = open_first_item(qtbot, painted)
    editor.title_edit.selectAll()
    qtbot.keyClicks(editor.title_edit, "Saved while the backup ran")
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as saved:
        qtbot.keyClick(editor.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert opened.evidence.get(str(saved.args[0])).title == "Saved while the backup ran"
    qtbot.waitUntil(lambda: [b.reason for b in opened.backups.list()] == ["daily"], timeout=WAIT)


def test_the_days_backup_waits_for_the_first_paint_and_shows_no_busy_indicator(
    qtbot, opened: Portfolio, ops
) -> None:
    window = MainWindow(opened, ops)
    qtbot.addWidget(window)
    assert opened.backups.list() == []  # opened as the window opens it: not yet
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        window.show()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)  # the reads the window asked for
    shown: list[bool] = []
    ops.busy_changed.connect(shown.append)
    qtbot.waitUntil(lambda: [b.reason for b in opened.backups.list()] == ["daily"], timeout=WAIT)
    ops.wait()
    assert shown == [] and not window.busy.isVisible()
    window.close()


def test_a_failed_days_backup_is_shown_as_a_known_problem(qtbot, opened: Portfolio, ops) -> None:
    backups = opened.location.backups_dir
    shutil.rmtree(backups, ignore_errors=True)
    backups.write_text("not a folder")
    window = MainWindow(opened, ops)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorMessage") is not None, timeout=WAIT)
    assert "under a file" in window.findChild(QMessageBox, "errorMessage").text()
    ops.wait()
    window.close()
