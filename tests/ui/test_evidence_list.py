"""The evidence list: search as you type, filters, database sorting, trash, lazy rows."""

from __future__ import annotations

import sys
import threading
from datetime import date

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
)
from sqlalchemy import event

from portfolio.services.dto import EvidenceDraft, Link, PlacementData
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.evidence_model import COL_TITLE, FIRST_ROWS, PAGE_SIZE, EvidenceTableModel
from portfolio.vocabulary import ChangeKind


@pytest.fixture
def page(main_window, qtbot, settle):
    main_window.show_page("evidence")  # built when first shown: its first query and choices
    settle()
    return main_window.evidence


def titles(page) -> list[str]:
    model = page.model
    return [model.index(row, COL_TITLE).data() for row in range(model.rowCount())]


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_model_passes_qtmodeltester(qtmodeltester, qtbot, portfolio, ops, settle) -> None:
    model = EvidenceTableModel(portfolio.evidence, ops)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery())
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)
    settle()


def test_rows_are_fetched_lazily_in_pages(qtbot, portfolio, ops, settle) -> None:
    drafts = [
        EvidenceDraft(
            kind="teaching",
            title=f"Session {n:04d}",
            occurred_on=date(2023, 1, 1),
            links=(Link("GPC8"),),
        )
        for n in range(PAGE_SIZE * 2 + 50)
    ]
    portfolio.evidence.bulk_create(drafts)
    model = EvidenceTableModel(portfolio.evidence, ops)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery(sort="title", descending=False))
    far = model.index(PAGE_SIZE * 2 + 10, COL_TITLE)
    assert far.data() == "…"  # not fetched yet: asks for its page
    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        pass
    assert far.data().startswith("Session")
    assert model.index(0, COL_TITLE).data() == "Handover on a busy night"
    settle()


def test_the_first_page_fetches_only_the_rows_its_first_rows_left_out(
    qtbot, portfolio, ops, settle
) -> None:
    """A new query paints its first rows (fewer than a page) first; the rest of their page
    comes when shown, without fetching the first rows again."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(kind="teaching", title=f"Session {n:04d}", occurred_on=date(2023, 1, 1))
        for n in range(PAGE_SIZE + 50)
    )
    model = EvidenceTableModel(portfolio.evidence, ops)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery(sort="title", descending=False))
    first = model.index(FIRST_ROWS - 1, COL_TITLE)
    beyond = model.index(FIRST_ROWS, COL_TITLE)
    assert first.data().startswith("Session")  # fetched with the first rows
    list_rows = portfolio.evidence.list_rows
    expected = list_rows([model.ids[FIRST_ROWS]])[0].title
    fetched: list[list[int]] = []
    portfolio.evidence.list_rows = lambda ids: fetched.append(list(ids)) or list_rows(ids)
    assert beyond.data() == "…"
    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        pass
    assert beyond.data() == expected
    assert fetched == [list(model.ids[FIRST_ROWS:PAGE_SIZE])]
    settle()


def test_a_query_typed_over_is_cancelled_and_only_the_newest_shows(
    qtbot, portfolio, ops, settle
) -> None:
    """Search as you type: queries typed while one waits are not all run; the stale ones stop
    (cancelled) and the list shows the newest query's rows, reset once."""
    model = EvidenceTableModel(portfolio.evidence, ops)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery())
    release = threading.Event()
    ops.database(model, lambda: release.wait(10)).run()  # holds the database thread
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    searched: list[object] = []

    def executed(_conn, _cursor, statement, parameters, *_: object) -> None:
        if "MATCH" in statement:
            searched.append(parameters)

    engine = portfolio.database.engine
    event.listen(engine, "before_cursor_execute", executed)
    try:
        for typed in ("s", "se", "sep", "sepsis"):
            model.set_query(EvidenceQuery(text=typed))
        release.set()
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            pass
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    assert len(searched) == 1  # only the newest search ran: "s" stopped before its query
    assert model.query.text == "sepsis"
    assert [model.index(row, COL_TITLE).data() for row in range(model.rowCount())] == [
        "Sepsis six audit"
    ]
    assert resets == [1]  # "s" was cancelled before it showed anything
    settle()


def session_drafts(count: int) -> list[EvidenceDraft]:
    return [
        EvidenceDraft(
            kind="teaching",
            title=f"Session {n:04d}",
            occurred_on=date(2023, 1, 1),
            links=(Link("GPC8"),),
        )
        for n in range(count)
    ]


def searches_run(portfolio, into: list[str]):
    """Collects the full-text searches the database runs (each query of ids is one)."""

    def executed(_conn, _cursor, statement, *_: object) -> None:
        if "MATCH" in statement:
            into.append(statement)

    event.listen(portfolio.database.engine, "before_cursor_execute", executed)
    return lambda: event.remove(portfolio.database.engine, "before_cursor_execute", executed)


@pytest.fixture
def shown_list(qtbot, portfolio, ops) -> tuple[QTableView, EvidenceTableModel]:
    """A page and a half of items, in a shown table whose model paints the first page first."""
    portfolio.evidence.bulk_create(session_drafts(PAGE_SIZE + 50))
    view = QTableView()
    qtbot.addWidget(view)
    model = EvidenceTableModel(portfolio.evidence, ops, view)
    view.setModel(model)
    model.paint_first(view.viewport())
    view.show()
    qtbot.waitExposed(view)
    return view, model


def test_the_rest_of_the_ids_wait_until_the_first_page_is_painted(
    qtbot, portfolio, ops, settle, shown_list
) -> None:
    """Fetched beside the first paint, the ids of every row slowed it fourfold (issue 17): the
    query for the rest starts only once the shown view has painted the first page."""
    view, model = shown_list
    searched: list[str] = []
    stop = searches_run(portfolio, searched)
    try:
        with qtbot.waitSignal(model.first_page_shown, timeout=10_000):
            model.set_query(EvidenceQuery(text="session"))
        assert ops.wait(10_000)  # the database thread is idle, and still only the first page
        assert len(searched) == 1 and model.rowCount() == FIRST_ROWS and model.is_loading
        with qtbot.waitSignal(model.loaded, timeout=10_000) as loaded:
            view.viewport().repaint()
    finally:
        stop()
    assert loaded.args == [PAGE_SIZE + 50] and len(searched) == 2
    settle()


def test_a_query_typed_while_the_rest_waits_for_a_paint_still_runs(
    qtbot, portfolio, settle, shown_list
) -> None:
    """The view hidden before it painted the first page: the next query is not held up behind
    the rest of the ids of the one before, which are never fetched."""
    view, model = shown_list
    with qtbot.waitSignal(model.first_page_shown, timeout=10_000):
        model.set_query(EvidenceQuery(text="session"))
    view.hide()
    searched: list[str] = []
    stop = searches_run(portfolio, searched)
    try:
        with qtbot.waitSignal(model.loaded, timeout=10_000) as loaded:
            model.set_query(EvidenceQuery(text="sepsis"))
        settle()
    finally:
        stop()
    assert loaded.args == [1] and len(searched) == 1
    assert model.index(0, COL_TITLE).data() == "Sepsis six audit"
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()  # the stale query's paint comes and goes: nothing more is run
    settle()
    assert len(searched) == 1 and not model.is_loading


def test_each_cell_shows_its_text_tooltip_colour_icon_and_font(
    qtbot, empty_portfolio, ops, settle
) -> None:
    """What every role of every cell gives, for the demo's statuses, sign-offs and private
    items; the roles a cell does not use give nothing."""
    from PySide6.QtGui import QColor, QIcon

    from portfolio.demo import fill_demo
    from portfolio.services.signoff_words import signoff_words
    from portfolio.ui.evidence_model import UUID_ROLE
    from portfolio.ui.widgets import (
        kind_title,
        status_colour,
        status_description,
        status_icon,
        status_label,
    )

    fill_demo(empty_portfolio)
    evidence = empty_portfolio.evidence
    model = EvidenceTableModel(evidence, ops)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery())
    rows = evidence.list_rows(list(model.ids))
    assert {row.private for row in rows} == {True, False}
    assert any(row.signoff is not None for row in rows)
    assert {row.status for row in rows} >= {"draft", "ready", "signed_off"}
    palette = QApplication.palette()
    R = Qt.ItemDataRole
    unused = (R.TextAlignmentRole, R.BackgroundRole, R.CheckStateRole, R.SizeHintRole)
    for number, row in enumerate(rows):
        label = status_label(row.status)
        texts = (row.occurred_on, kind_title(row.kind), row.title, row.domains, label)
        status_tip = f"{label}: {status_description(row.status)}"
        if row.signoff is not None:
            status_tip += "\n" + signoff_words(row.signoff)
        title_tip = f"{row.title} (private)" if row.private else row.title
        tips = (*texts[:2], title_tip, texts[3], status_tip)
        for column in range(5):
            cell = model.index(number, column)
            assert cell.data(R.DisplayRole) == texts[column]
            assert cell.data(R.AccessibleTextRole) == texts[column]
            assert cell.data(R.ToolTipRole) == tips[column]
            assert cell.data(UUID_ROLE) == row.uuid
            for role in unused:
                assert cell.data(role) is None
            colour, decoration, font = (
                cell.data(R.ForegroundRole),
                cell.data(R.DecorationRole),
                cell.data(R.FontRole),
            )
            if column == 4:
                assert QColor(colour) == status_colour(row.status, palette)
                assert isinstance(decoration, QIcon)
                shape = status_icon(row.status, palette, at_once=True)  # drawn when the row came
                assert decoration.cacheKey() == shape.cacheKey()
            else:
                assert colour is None and decoration is None
            if column == COL_TITLE and row.private:
                assert font.italic()
            else:
                assert font is None
    assert model.index(0, 0).data(R.DisplayRole) is not None
    assert model.index(len(rows), 0).data(R.DisplayRole) is None
    settle()


def test_typing_in_the_search_box_filters(qtbot, page) -> None:
    search = page.findChild(QLineEdit, "searchBox")
    qtbot.keyClicks(search, "sepsis")
    qtbot.waitUntil(lambda: titles(page) == ["Sepsis six audit"], timeout=5_000)
    search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5_000)
    qtbot.keyClicks(search, "nosuchword")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5_000)
    assert page.empty_label.isVisible()


def test_the_search_box_repaints_each_key_typed_without_calling_into_python(
    qtbot, page, settle
) -> None:
    """Its repaint runs beside the key's query on the database thread; Python there (an icon
    drawn when asked) holds the interpreter the query's own Python waits for."""
    search = page.findChild(QLineEdit, "searchBox")
    qtbot.keyClicks(search, "sep")
    qtbot.waitUntil(lambda: titles(page) == ["Sepsis six audit"], timeout=5_000)
    settle()
    called: list[str] = []

    def watch(frame, event, _arg) -> None:
        if event == "call":
            called.append(f"{frame.f_code.co_filename}:{frame.f_code.co_qualname}")

    qtbot.keyClicks(search, "sis")  # each key starts its query; the box's paint is left
    sys.setprofile(watch)
    try:
        search.repaint()
    finally:
        sys.setprofile(None)
    settle()
    assert called == []
    glass = search.actions()[0].icon().pixmap(16, 16).toImage()  # and it is still drawn
    assert any(glass.pixelColor(x, y).alpha() for x in range(16) for y in range(16))


def test_escape_in_the_search_box_clears_the_search(qtbot, page, main_window) -> None:
    main_window.activateWindow()
    search = page.findChild(QLineEdit, "searchBox")
    search.setFocus()
    qtbot.keyClicks(search, "sepsis")
    qtbot.waitUntil(lambda: titles(page) == ["Sepsis six audit"], timeout=5_000)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5_000)


def test_filters_run_in_the_database(qtbot, page, portfolio, settle) -> None:
    choose(page.findChild(QComboBox, "kindFilter"), "teaching")
    qtbot.waitUntil(lambda: titles(page) == ["Teaching medical students ECGs"])
    page.filters.reset()
    choose(page.findChild(QComboBox, "statusFilter"), "ready")
    qtbot.waitUntil(
        lambda: sorted(titles(page)) == ["Handover on a busy night", "Sepsis six audit"]
    )
    page.filters.reset()
    choose(page.findChild(QComboBox, "domainFilter"), "GPC6.1")
    qtbot.waitUntil(lambda: titles(page) == ["Wrong-site blood sample"])
    page.filters.reset()
    settle()
    choose(page.findChild(QComboBox, "tagFilter"), "audit")
    qtbot.waitUntil(lambda: titles(page) == ["Sepsis six audit"])
    page.filters.reset()
    page.filters.date_from.setDate(QDate(2024, 3, 1))
    page.filters.date_to.setDate(QDate(2024, 4, 30))
    qtbot.waitUntil(
        lambda: titles(page) == ["Junior doctors' forum rep", "Teaching medical students ECGs"]
    )
    page.filters.date_from.clear_date()
    assert page.filters.date_from.text() == "From: any date"
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)


def test_placement_filter(qtbot, page, portfolio, ops, settle) -> None:
    placement = portfolio.placements.save(
        PlacementData(trust="Royal Devon", starts_on=date(2024, 1, 1))
    )
    item = portfolio.evidence.list()[0]
    draft = portfolio.evidence.get(item.uuid).as_draft()
    from dataclasses import replace

    portfolio.evidence.update(item.uuid, replace(draft, placement_id=placement.id))
    ops.announce(ChangeKind.EVIDENCE, [item.uuid])
    settle()
    combo = page.findChild(QComboBox, "placementFilter")
    choose(combo, placement.id)
    qtbot.waitUntil(lambda: titles(page) == [item.title])


def test_clicking_a_header_sorts_in_the_database(qtbot, page) -> None:
    table = page.findChild(QTableView, "evidenceTable")
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(COL_TITLE) + 10
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: page.model.query.sort == "title" and not page.model.is_loading)
    first = titles(page)
    assert first in (sorted(first, key=str.lower), sorted(first, key=str.lower, reverse=True))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: titles(page) == list(reversed(first)))
    for column, key in enumerate(("date", "kind", "title", "domains", "status")):
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(
            lambda key=key: (
                page.model.query.sort == key
                and not page.model.query.descending
                and not page.model.is_loading
            )
        )


def select_title(page, title: str) -> None:
    row = titles(page).index(title)
    page.table.setFocus()
    page.table.selectionModel().setCurrentIndex(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_delete_moves_to_trash_and_restore_brings_back(qtbot, main_window, page, portfolio) -> None:
    main_window.activateWindow()
    select_title(page, "Sepsis six audit")
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "Sepsis six audit" not in titles(page))
    assert "trash" in main_window.statusBar().currentMessage()
    assert portfolio.evidence.count() == 4

    toggle = page.findChild(QToolButton, "trashToggle")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: titles(page) == ["Sepsis six audit"])
    restore = page.findChild(QPushButton, "restoreButton")
    assert restore.isVisible()
    select_title(page, "Sepsis six audit")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and page.empty_label.isVisible())
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert portfolio.evidence.count() == 5


def test_undo_restores_what_was_deleted(qtbot, main_window, page, portfolio) -> None:
    select_title(page, "Handover on a busy night")
    main_window.delete_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    main_window.undo_delete_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert portfolio.evidence.count() == 5


def test_enter_and_double_click_ask_to_open(qtbot, page) -> None:
    select_title(page, "Sepsis six audit")
    with qtbot.waitSignal(page.open_requested) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args[0] == page.model.index(page.table.currentIndex().row(), 0).data(
        Qt.ItemDataRole.UserRole + 1
    )
    rect = page.table.visualRect(page.model.index(0, COL_TITLE))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.open_requested):
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# Submit from the list (issue 14 point 8): the context menu, the Edit menu and Ctrl+Return, each
# for items not already waiting for review or signed off.


def status_of(portfolio, title: str) -> str:
    [item] = [s for s in portfolio.evidence.list() if s.title == title]
    return item.status


def edit_menu(main_window) -> QMenu:
    (menu,) = [a.menu() for a in main_window.menuBar().actions() if a.text() == "&Edit"]
    return menu


def test_ctrl_return_submits_the_selected_items_not_those_already_submitted(
    qtbot, main_window, page, portfolio, settle
) -> None:
    main_window.activateWindow()
    select_title(page, "Sepsis six audit")  # already waiting for review
    assert not page.submit_action.isEnabled()
    [sepsis] = page.selected_uuids()
    before = len(portfolio.evidence.revisions(sepsis))
    page.table.selectionModel().select(
        page.model.index(titles(page).index("Teaching medical students ECGs"), 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert page.submit_action.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: status_of(portfolio, "Teaching medical students ECGs") == "ready")
    qtbot.waitUntil(
        lambda: main_window.statusBar().currentMessage() == "Submitted 1 item for review."
    )
    assert len(portfolio.evidence.revisions(sepsis)) == before  # not submitted again
    qtbot.waitUntil(lambda: not page.submit_action.isEnabled())  # both now wait for review
    settle()


def test_the_edit_menu_submits_and_greys_out_once_submitted(
    qtbot, main_window, page, portfolio, settle
) -> None:
    assert main_window.submit_action in edit_menu(main_window).actions()
    select_title(page, "Junior doctors' forum rep")
    assert main_window.submit_action.isEnabled()
    main_window.submit_action.trigger()
    qtbot.waitUntil(lambda: status_of(portfolio, "Junior doctors' forum rep") == "ready")
    qtbot.waitUntil(lambda: not main_window.submit_action.isEnabled())
    page.trash_toggle.setChecked(True)  # nothing in the trash is submitted
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert not main_window.submit_action.isEnabled()
    settle()


@pytest.mark.qt_log_ignore(  # an offscreen popup menu: no stacking, no keyboard grab
    "This plugin does not support (raise|grabbing|propagateSizeHints)"
)
def test_the_context_menu_offers_open_submit_and_trash(
    qtbot, main_window, page, portfolio, settle
) -> None:
    main_window.activateWindow()
    row = titles(page).index("Wrong-site blood sample")
    rect = page.table.visualRect(page.model.index(row, COL_TITLE))
    seen: list[list[str]] = []

    def pick_submit() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick_submit)
            return
        seen.append([a.text() for a in menu.actions() if a.isEnabled()])
        [submit] = [a for a in menu.actions() if a.text() == "&Submit for review"]
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(submit).center())

    viewport = page.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=rect.center())  # selects the row
    QTimer.singleShot(0, pick_submit)
    menu_event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), viewport.mapToGlobal(rect.center())
    )
    QApplication.sendEvent(viewport, menu_event)  # the menu the window system asks for
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] == ["&Open", "&Submit for review", "Move to &Trash"]
    qtbot.waitUntil(lambda: status_of(portfolio, "Wrong-site blood sample") == "ready")
    qtbot.waitUntil(lambda: not page.submit_action.isEnabled())
    settle()


def test_every_header_sorts_as_the_database_orders_and_domains_sort_once(
    qtbot, portfolio, ops, settle
) -> None:
    """Each column both ways shows the service's order; the domains' order, which no index
    walks, is one sort of every row with its first page (it was two: the first page, then the
    rest), and the rows shown are those of that order."""
    portfolio.evidence.bulk_create(
        EvidenceDraft(
            kind="teaching",
            title=f"{'ABab'[n % 4]}ession {n:04d}",
            occurred_on=date(2023, 1, 1 + n % 28),
            links=(Link(f"GPC{n % 9 + 1}"),) if n % 5 else (),
        )
        for n in range(PAGE_SIZE + 60)
    )
    view = QTableView()
    qtbot.addWidget(view)
    model = EvidenceTableModel(portfolio.evidence, ops, view)
    view.setModel(model)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(EvidenceQuery())
    for column, key in enumerate(("date", "kind", "title", "domains", "status")):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ordered: list[str] = []

            def executed(_conn, _cursor, statement, *_: object, into=ordered) -> None:
                if "ORDER BY" in statement:
                    into.append(statement)

            event.listen(portfolio.database.engine, "before_cursor_execute", executed)
            try:
                with qtbot.waitSignal(model.loaded, timeout=10_000):
                    model.sort(column, order)
            finally:
                event.remove(portfolio.database.engine, "before_cursor_execute", executed)
            descending = order == Qt.SortOrder.DescendingOrder
            expected = portfolio.evidence.query_ids(EvidenceQuery(sort=key, descending=descending))
            assert list(model.ids) == expected, (key, order)
            assert len(ordered) == (1 if key == "domains" else 2), (key, ordered)
            rows = portfolio.evidence.list_rows(expected[:3])
            assert [model.index(n, COL_TITLE).data() for n in range(3)] == [
                row.title for row in rows
            ]
    settle()


def test_the_filters_choices_are_read_after_the_first_page_not_beside_it(
    qtbot, portfolio, ops, settle
) -> None:
    """The tags' and placements' queries ran beside the first paint, holding the interpreter
    its calls to data() waited for: they come once the list is in, its every id too."""
    portfolio.evidence.bulk_create(session_drafts(PAGE_SIZE + 50))
    seen: list[str] = []

    def executed(_conn, _cursor, statement, *_: object) -> None:
        seen.append(statement)

    event.listen(portfolio.database.engine, "before_cursor_execute", executed)
    try:
        from portfolio.ui.evidence_list import EvidenceListPage

        page = EvidenceListPage(portfolio, ops)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            pass
        settle()
    finally:
        event.remove(portfolio.database.engine, "before_cursor_execute", executed)
    lists = [n for n, s in enumerate(seen) if "FROM evidence" in s and "ORDER BY" in s]
    tags = next(n for n, s in enumerate(seen) if "FROM tag" in s)
    assert len(lists) == 2 and tags > lists[-1]  # after the first page and the rest of the ids
    assert page.filters.tag.count() > 1  # the choices did come
