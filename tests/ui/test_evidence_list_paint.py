"""What the evidence list paints: rows added out of sight without a repaint of those in sight."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from portfolio.ui.evidence_list import EvidenceTable


class Paints(QObject):
    """Counts the paint events a widget gets, and the area they cover."""

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self.areas: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            rect = event.rect()  # type: ignore[attr-defined]
            self.areas.append(rect.width() * rect.height())
        return False


def shown_table(qtbot, rows: int, height: int) -> tuple[EvidenceTable, QStandardItemModel]:
    model = QStandardItemModel(rows, 2)
    for row in range(rows):
        model.setItem(row, 0, QStandardItem(f"row {row}"))
    table = EvidenceTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.verticalHeader().setVisible(False)  # as the list's: no row numbers to widen
    table.resize(300, height)
    first = Paints(table.viewport())
    table.show()
    qtbot.waitUntil(lambda: bool(first.areas), timeout=5_000)
    QApplication.processEvents()  # the paint's layout done and painted: nothing dirty is left
    return table, model


def test_rows_added_below_those_in_sight_repaint_none_of_them(qtbot) -> None:
    """The rest of a query's ids come after its first page: only the scroll bar changes."""
    table, model = shown_table(qtbot, 40, 200)
    bar = table.verticalScrollBar()
    before = bar.maximum()
    paints, bar_paints = Paints(table.viewport()), Paints(bar)
    model.insertRows(40, 60)
    # the scroll bar is painted with whatever else became dirty, in one paint of the window
    qtbot.waitUntil(lambda: bar.maximum() > before and bool(bar_paints.areas), timeout=5_000)
    assert table.viewport().width() * table.viewport().height() not in paints.areas
    table.scrollToBottom()  # the added rows are there to scroll to
    table.viewport().repaint()
    assert table.rowAt(table.viewport().height() - 1) == 99


def test_rows_added_in_sight_are_painted(qtbot) -> None:
    table, model = shown_table(qtbot, 2, 400)
    paints = Paints(table.viewport())
    model.appendRow([QStandardItem("added")])
    qtbot.waitUntil(lambda: bool(paints.areas), timeout=5_000)
    assert table.rowAt(table.rowViewportPosition(2) + 1) == 2
