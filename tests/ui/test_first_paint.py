"""The window paints its dashboard first and settles after (issue 17, row 1): the day's backup
and the ORM's mapping wait for that paint, and a click straight after it still works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from portfolio.app import Portfolio
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
    window.close()


def test_a_click_straight_after_the_first_paint_opens_the_list_and_an_item(
    qtbot, painted: MainWindow
) -> None:
    navigation = painted.navigation
    row = navigation.visualItemRect(navigation.item(1))  # Evidence
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert painted.current_page_key() == "evidence"
    page = painted.evidence
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=WAIT)
    first = page.table.visualRect(page.model.index(0, COL_TITLE))
    title = page.model.index(0, COL_TITLE).data()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    qtbot.waitUntil(
        lambda: len(painted.editors) == 1 and painted.editors[0].is_loaded, timeout=WAIT
    )
    assert painted.editors[0].title_edit.text() == title


def test_the_days_backup_waits_for_the_first_paint(qtbot, opened: Portfolio, ops) -> None:
    window = MainWindow(opened, ops)
    qtbot.addWidget(window)
    assert opened.backups.list() == []  # opened as the window opens it: not yet
    window.show()
    qtbot.waitUntil(lambda: [b.reason for b in opened.backups.list()] == ["daily"], timeout=WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    window.close()
