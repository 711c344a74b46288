"""What the evidence list paints: rows added out of sight without a repaint of those in sight, a
new search shown from its top, and the cells' flags (asked at every paint)."""

from __future__ import annotations

import enum
import sys
from datetime import date

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLineEdit, QStyledItemDelegate

from portfolio.app import Portfolio
from portfolio.demo import fill_demo
from portfolio.services.dto import EvidenceDraft
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.evidence_list import EvidenceListPage, EvidenceTable
from portfolio.ui.evidence_model import (
    COL_KIND,
    COL_STATUS,
    COL_TITLE,
    FIRST_ROWS,
    PAGE_SIZE,
    EvidenceDelegate,
)
from portfolio.ui.operations import Operations


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


def shown_page(
    qtbot, portfolio: Portfolio, ops: Operations, settle, width: int, height: int
) -> EvidenceListPage:
    """The list page of ``portfolio``, shown at ``width`` x ``height``, its rows all in."""
    page = EvidenceListPage(portfolio, ops)
    qtbot.addWidget(page)
    page.resize(width, height)
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.show()
    settle()
    return page


def test_cells_are_enabled_and_selectable_never_editable(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """QAbstractTableModel's own flags (asked at every cell of every paint): no Python call."""
    model = shown_page(qtbot, portfolio, ops, settle, 700, 500).model
    flag = Qt.ItemFlag
    assert model.flags(model.index(0, COL_TITLE)) == (
        flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren
    )
    assert model.flags(model.index(model.rowCount(), 0)) == flag.NoItemFlags


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


def test_rows_added_in_sight_then_out_of_sight_are_painted(qtbot) -> None:
    """Two insertions before the view lays its rows out again: the one in sight is painted."""
    table, model = shown_table(qtbot, 40, 200)
    paints = Paints(table.viewport())
    model.insertRow(0, [QStandardItem("added on top")])
    model.insertRows(41, 10)
    full = table.viewport().width() * table.viewport().height()
    qtbot.waitUntil(lambda: full in paints.areas, timeout=5_000)
    assert table.indexAt(table.viewport().rect().topLeft()).data() == "added on top"


def test_rows_added_in_sight_are_painted(qtbot) -> None:
    table, model = shown_table(qtbot, 2, 400)
    paints = Paints(table.viewport())
    model.appendRow([QStandardItem("added")])
    qtbot.waitUntil(lambda: bool(paints.areas), timeout=5_000)
    assert table.rowAt(table.rowViewportPosition(2) + 1) == 2


def test_a_new_search_shows_its_rows_from_the_top_nothing_selected_the_first_current(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """Scrolled down with rows selected, a search typed shows its best matches from the top,
    with no row selected and the first one current; its rows are the service's."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Session {n:04d}", occurred_on=date(2023, 1, 1))
        for n in range(PAGE_SIZE + 50)
    )
    page = shown_page(qtbot, portfolio, ops, settle, 900, 600)
    table = page.table
    table.scrollToBottom()
    table.selectRow(table.model().rowCount() - 1)
    assert table.verticalScrollBar().value() > 0 and table.selectionModel().hasSelection()
    search = page.findChild(QLineEdit, "searchBox")
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        search.setText("session")
    settle()
    expected = portfolio.evidence.query_ids(EvidenceQuery(text="session"))
    assert list(page.model.ids) == expected
    titles = [row.title for row in portfolio.evidence.list_rows(expected[:5])]
    assert [page.model.index(n, COL_TITLE).data() for n in range(5)] == titles
    assert table.verticalScrollBar().value() == 0
    assert not table.selectionModel().hasSelection()
    assert table.currentIndex().row() == 0
    assert table.rowAt(0) == 0


class BarPaints(QObject):
    """The rows of the list at each paint of its scroll bar."""

    def __init__(self, page: EvidenceListPage) -> None:
        super().__init__(page)
        self.rows: list[int] = []
        self._model = page.model
        page.table.verticalScrollBar().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rows.append(self._model.rowCount())
        return False


def searched(qtbot, page: EvidenceListPage, text: str, settle) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.findChild(QLineEdit, "searchBox").setText(text)
    settle()


def test_a_search_paints_the_scroll_bar_once_its_rows_are_all_in(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """The first page of a search comes before the rest of its rows: the scroll bar in sight
    is painted at the search's range only, not at the first page's too (in its paint)."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"{topic} {n:04d}", occurred_on=date(2023, 1, 1))
        for n in range(2 * FIRST_ROWS)
        for topic in ("Audit", "Session")
    )
    page = shown_page(qtbot, portfolio, ops, settle, 900, 600)
    bar = page.table.verticalScrollBar()
    assert bar.isVisible()
    paints = BarPaints(page)
    searched(qtbot, page, "audit", settle)
    qtbot.waitUntil(lambda: bool(paints.rows), timeout=5_000)
    audits = len(portfolio.evidence.query_ids(EvidenceQuery(text="audit")))
    assert audits > FIRST_ROWS and set(paints.rows) == {audits}
    assert bar.updatesEnabled()
    assert bar.maximum() == audits * page.table.rowHeight(0) - page.table.viewport().height()


def test_a_scroll_bar_that_a_first_page_brings_is_painted_with_it(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """A bar that was not in sight has nothing painted under it to leave: it shows at once."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Session {n:04d}", occurred_on=date(2023, 1, 1))
        for n in range(2 * FIRST_ROWS)
    )
    portfolio.evidence.bulk_create(
        [EvidenceDraft(kind="teaching", title="Zymurgy", occurred_on=date(2023, 1, 1))]
    )
    page = shown_page(qtbot, portfolio, ops, settle, 900, 600)
    searched(qtbot, page, "zymurgy", settle)
    bar = page.table.verticalScrollBar()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5_000)
    paints = BarPaints(page)
    searched(qtbot, page, "session", settle)
    qtbot.waitUntil(lambda: paints.rows[-1:] == [2 * FIRST_ROWS], timeout=5_000)
    assert paints.rows[0] == FIRST_ROWS


def test_the_lists_delegate_paints_the_pixels_qts_own_paints_from_the_models_roles(
    qtbot, empty_portfolio: Portfolio, ops: Operations, settle
) -> None:
    """Private titles in italics, each status in its colour with its shape, a selected row, and
    rows not fetched yet: painted in one call into Python a cell, as from the seven roles."""
    fill_demo(empty_portfolio)
    empty_portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Session {n:04d}", occurred_on=date(2001, 1, 1))
        for n in range(2 * PAGE_SIZE)
    )
    page = shown_page(qtbot, empty_portfolio, ops, settle, 1000, 700)
    table, model = page.table, page.model
    assert isinstance(table.itemDelegate(), EvidenceDelegate)
    in_sight = [model.summary(row) for row in range(table.rowAt(table.viewport().height() - 1))]
    assert {row.private for row in in_sight if row} == {True, False}
    assert len({row.status for row in in_sight if row}) >= 3
    table.selectRow(1)

    def painted_by(delegate: QStyledItemDelegate) -> QImage:
        table.setItemDelegate(delegate)
        return table.viewport().grab().toImage()

    def both() -> tuple[QImage, QImage]:
        return painted_by(EvidenceDelegate(model, table)), painted_by(QStyledItemDelegate(table))

    ours, qts = both()
    assert ours == qts
    table.scrollToBottom()
    ours, qts = both()  # before the rows in sight come: they show "…"
    assert model.shown(model.rowCount() - 1) is None
    assert ours == qts
    settle()
    ours, qts = both()
    assert model.shown(model.rowCount() - 1) is not None and ours == qts


def test_a_repaint_ors_no_flag_in_python_but_the_status_icons(
    qtbot, empty_portfolio: Portfolio, ops: Operations, settle
) -> None:
    """PySide6's flags are Python enums: one or'ed in Python for each cell cost 0.2 ms a repaint
    of a page in sight. The cells leave out that they have a text (Qt's styles would measure it
    at every paint; the pixels are Qt's delegate's all the same, tested above), so the only
    flag left is the status cells' icon."""
    fill_demo(empty_portfolio)
    table = shown_page(qtbot, empty_portfolio, ops, settle, 1000, 700).table
    or_ed: list[int] = []
    cells: list[int] = []

    def watch(frame, event, _arg) -> None:
        if event == "call" and frame.f_code is enum.Flag.__or__.__code__:
            or_ed.append(1)
        elif event == "call" and frame.f_code is EvidenceDelegate.initStyleOption.__code__:
            cells.append(frame.f_locals["index"].column())

    sys.setprofile(watch)
    try:
        table.viewport().repaint()
    finally:
        sys.setprofile(None)
    assert len(cells) > 50
    assert len(or_ed) == cells.count(COL_STATUS)  # one a row: its status's icon


def test_a_double_click_on_a_columns_edge_fits_it_to_its_texts(
    qtbot, empty_portfolio: Portfolio, ops: Operations, settle
) -> None:
    """As in Qt's own delegate: the size hint measures each cell's text (a paint does not)."""
    fill_demo(empty_portfolio)
    page = shown_page(qtbot, empty_portfolio, ops, settle, 1000, 700)
    table, model = page.table, page.model
    header = table.horizontalHeader()
    header.resizeSection(COL_KIND, 12)  # dragged narrow by hand
    edge = header.sectionViewportPosition(COL_KIND) + header.sectionSize(COL_KIND) - 1
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, 5))
    widest = max(
        table.fontMetrics().horizontalAdvance(model.index(row, COL_KIND).data())
        for row in range(model.rowCount())
    )
    assert widest > 40
    assert header.sectionSize(COL_KIND) >= widest


def test_a_status_set_by_hand_shows_as_invalid_in_the_list_searched_or_not(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """The attack: a trainee writes 'signed_off' into the status column of the file. The list
    paints the status its rows were read with (the first page of a search runs SQL of its own),
    and every path verifies the sign-off: none is believed."""
    from portfolio.ui.widgets import status_label

    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Sepsis teaching {n}", occurred_on=date(2030, 1, 1))
        for n in range(FIRST_ROWS + 5)
    )
    with portfolio.database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE evidence SET status = 'signed_off' WHERE title LIKE 'Sepsis teaching %'"
        )
    page = shown_page(qtbot, portfolio, ops, settle, 900, 600)

    def statuses_in_sight() -> set[str]:
        model = page.model
        rows = range(page.table.rowAt(page.table.viewport().height() - 1))
        return {model.index(row, COL_STATUS).data() for row in rows}

    assert statuses_in_sight() == {status_label("invalid")}  # the newest: every one forged
    searched(qtbot, page, "sepsis teaching", settle)
    assert statuses_in_sight() == {status_label("invalid")}


def test_a_scroll_bar_held_for_the_rest_of_a_search_is_let_go_when_that_read_fails(
    qtbot, portfolio: Portfolio, ops: Operations, settle
) -> None:
    """The rest of a search's rows cannot be read (its index gone from the file between the
    two reads): the trainee is told, and the bar is painted again rather than left stale."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Audit {n:04d}", occurred_on=date(2023, 1, 1))
        for n in range(2 * FIRST_ROWS)
    )
    page = shown_page(qtbot, portfolio, ops, settle, 900, 600)
    bar = page.table.verticalScrollBar()
    assert bar.isVisible()

    def break_the_index() -> None:
        assert not bar.updatesEnabled()  # held: the rest of the rows is still to come
        with portfolio.database.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE evidence_fts")

    page.model.first_page_shown.connect(break_the_index, Qt.ConnectionType.SingleShotConnection)
    with qtbot.waitSignal(ops.known_error, timeout=10_000) as told:
        page.findChild(QLineEdit, "searchBox").setText("audit")
    settle()
    assert told.args and told.args[0]
    assert bar.updatesEnabled() and not page.model.is_loading
