"""The evidence list's table model: a list of ids in database order, rows fetched lazily.

Filtering, searching and sorting all happen in the database (``EvidenceService.query_ids``); the
model holds only the resulting ids. Rows (``ListRow`` tuples of the shown columns) are fetched on
the task runner a page at a time, when a row is first shown, and cached until the data changes.
So 100,000 items cost one list of integers plus the pages a person has actually scrolled
through. What a cell shows of a kind or a status is worked out once, not at every paint, and
the list's delegate paints a cell from it in one call (``EvidenceDelegate``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from portfolio.services.evidence import EvidenceQuery, EvidenceService, FirstRows, ListRow
from portfolio.services.signoff_words import signoff_words
from portfolio.ui.operations import Operations
from portfolio.ui.widgets import (
    kind_titles,
    status_colour,
    status_description,
    status_icon,
    status_label,
)

COL_DATE, COL_KIND, COL_TITLE, COL_DOMAINS, COL_STATUS = range(5)
SORT_KEYS = ("date", "kind", "title", "domains", "status")
PAGE_SIZE = 200
FIRST_ROWS = 80
"""The rows of a new query fetched before it is painted: more than a window shows at once (80
rows of 27 px fill a 4K screen's 2,160), fewer than a page. Each row more cost its search
(read among twice as many ranked matches, with its linked codes): 200 rows made the first page
of 'sepsis' in 100,000 items 0.5-0.9 ms slower than 80. The rest of its page comes when shown."""
CACHE_LIMIT = 20_000
"""Summaries kept at most; past this the cache starts again from the rows being shown."""

UUID_ROLE = Qt.ItemDataRole.UserRole.value + 1
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FONT = Qt.ItemDataRole.FontRole.value

_Shown = tuple[str, str, str, str, str, QFont | None, str, ListRow]
"""A fetched row as its cells show it: the five texts, the title's font, the uuid and the row
itself, last."""
_TEXTS, _TITLE_FONT, _UUID = (0, 1, 2, 3, 4), 5, 6
_ASKED = -1
"""A value worked out when asked: tooltips (shown on hover), and the status's colour and icon,
which follow the palette."""
_CELLS: dict[int, tuple[int | None, ...]] = {
    _DISPLAY: _TEXTS,
    _ACCESSIBLE_TEXT: _TEXTS,
    _FONT: (None, None, _TITLE_FONT, None, None),
    UUID_ROLE: (_UUID,) * 5,
    _TOOLTIP: (_ASKED,) * 5,
    _FOREGROUND: (None, None, None, None, _ASKED),
    _DECORATION: (None, None, None, None, _ASKED),
}
"""Each role's value column by column: where it is in a ``_Shown`` row, ``_ASKED``, or None
when that column never has one (answered before the row is looked up)."""

_Index = QModelIndex | QPersistentModelIndex
_NOT_FETCHED = "…"
"""What a row shows until its page comes."""


class EvidenceTableModel(QAbstractTableModel):
    """Rows of ``EvidenceService.query_ids(query)``; a row not fetched yet shows "…"."""

    first_page_shown = Signal()
    """The first page of a new query's rows is in the view (the rest of the ids may follow)."""
    loaded = Signal(int)
    """A new id list is in place (the argument is its length)."""
    rows_pending = Signal(bool)
    """True when the rows are a query's first page with the rest of its ids to come (the row
    count is not the query's yet); False once they came, or the query ended otherwise."""

    def __init__(
        self, evidence: EvidenceService, ops: Operations, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._evidence = evidence
        self._ops = ops
        self._query = EvidenceQuery()
        self._ids: list[int] = []
        self._rows: dict[int, _Shown] = {}
        """Fetched rows by id, each with what its cells show worked out once."""
        self._pending_pages: set[int] = set()
        self._generation = 0
        self._querying = False
        self._requery = False
        self._view: QWidget | None = None
        self._awaiting_paint = False
        """The first page is in; the rest of the ids wait for the view to paint it."""
        self._rows_pending = False
        self._cancelled = [False]
        """Set from the GUI thread to stop the running query (each query has its own)."""
        self._kinds = kind_titles()
        self._statuses: dict[str, tuple[str, str, Any, Any]] = {}
        self._labels: dict[str, str] = {}
        """A status's label, which (unlike its colour and icon) the palette does not change."""
        self._palette_key = -1
        self._private_font = QFont()
        self._private_font.setItalic(True)
        self._headers = (
            self.tr("Date"),
            self.tr("Kind"),
            self.tr("Title"),
            self.tr("Domains"),
            self.tr("Status"),
        )

    # -- the query ---------------------------------------------------------------------------

    @property
    def query(self) -> EvidenceQuery:
        return self._query

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def is_loading(self) -> bool:
        return self._querying

    def paint_first(self, view: QWidget) -> None:
        """Fetch the rest of a query's ids only once ``view`` (shown) has painted the first page.

        Fetched beside the paint, the ids of 100,000 rows hold the interpreter that every call
        the paint makes to ``data`` waits for: the first paint took four times as long."""
        self._view = view

    def set_query(self, query: EvidenceQuery) -> None:
        """Run ``query`` in the database. One still running is cancelled (its answer would be
        stale): only the newest query follows, so a search can run at every key typed."""
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Run the current query again (after the data changed)."""
        if self._awaiting_paint:  # the rest of the stale query's ids are never fetched
            self._awaiting_paint = self._querying = False
        if self._querying:
            self._requery = True
            self._cancelled[0] = True
            return
        self._querying = True
        self._cancelled = cancelled = [False]
        query = self._query
        evidence = self._evidence

        self._ops.database(
            self, lambda: evidence.first_rows_unless(query, lambda: cancelled[0], FIRST_ROWS)
        ).success(self._first_page_done).failure(self._query_failed).run()

    def _first_page_done(self, first: FirstRows | None) -> None:
        """Paint the first page at once; the rest of the ids follow in a second task."""
        if first is None or self._requery:  # a newer query is waiting: this one is stale
            self._run_newer()
            return
        ids = first.every_id or [row.id for row in first.rows]
        rows = {row.id: self._shown(row) for row in first.rows}
        retired = [self._ids, self._rows]
        """Freed once the page is painted: freeing 100,000 ids takes a millisecond."""
        final = first.every_id is not None or len(ids) < FIRST_ROWS
        self._pending(not final)
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._rows = rows
        self._pending_pages.clear()
        self.endResetModel()
        self.first_page_shown.emit()
        if final:
            self._after_paint(retired.clear)
            self._query_finished()
            return
        self._awaiting_paint = True
        self._after_paint(partial(self._fetch_rest, self._generation, retired))

    def _after_paint(self, then: Callable[[], None]) -> None:
        """``then`` once the view has painted what it now shows; at once if it is hidden."""
        if self._view is not None and self._view.isVisible():
            _AfterPaint(self._view, then)
        else:
            then()

    def _fetch_rest(self, generation: int, retired: list[Collection[int]]) -> None:
        """The rest of the query's ids, once its first page is painted; the previous query's
        ids and rows (``retired``) are freed then too, by the same watch on the paint."""
        retired.clear()
        if not self._awaiting_paint or generation != self._generation:
            return  # a newer query took over
        self._awaiting_paint = False
        query, evidence, cancelled = self._query, self._evidence, self._cancelled
        self._ops.database(
            self, lambda: evidence.query_ids_unless(query, lambda: cancelled[0])
        ).success(self._all_ids_done).failure(self._query_failed).run()

    def _all_ids_done(self, ids: list[int] | None) -> None:
        if ids is None:
            self._run_newer()
            return
        if ids[: len(self._ids)] == self._ids:
            if len(ids) > len(self._ids):
                self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:  # the data changed between the two tasks
            self.beginResetModel()
            self._ids = ids
            self.endResetModel()
        self._pending(False)
        self._query_finished()

    def _run_newer(self) -> None:
        """The answer was stale or cancelled: run the query waiting instead."""
        self._querying = self._requery = False
        self.refresh()

    def _pending(self, pending: bool) -> None:
        if pending != self._rows_pending:
            self._rows_pending = pending
            self.rows_pending.emit(pending)

    def _query_finished(self) -> None:
        self._querying = False
        self.loaded.emit(len(self._ids))
        if self._requery:
            self._requery = False
            self.refresh()

    def _query_failed(self, error: Exception) -> None:
        self._querying = False
        self._requery = False
        self._pending(False)
        self._ops.known_error.emit(str(error))

    # -- lazy rows ---------------------------------------------------------------------------

    def summary(self, row: int) -> ListRow | None:
        """The row if fetched; otherwise asks for its page and returns None."""
        shown = self.shown(row)
        return None if shown is None else shown[-1]

    def _fetch_page(self, page: int) -> None:
        if page in self._pending_pages:
            return
        self._pending_pages.add(page)
        page_ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        ids = [i for i in page_ids if i not in self._rows]  # the first rows came already
        generation = self._generation
        evidence = self._evidence
        self._ops.database(self, lambda: evidence.list_rows(ids)).success(
            lambda rows: self._page_done(generation, page, rows)
        ).run()

    def _page_done(self, generation: int, page: int, rows: list[ListRow]) -> None:
        if generation != self._generation:
            return
        self._pending_pages.discard(page)
        if len(self._rows) + len(rows) > CACHE_LIMIT:
            self._rows.clear()
        self._rows.update((row.id, self._shown(row)) for row in rows)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(SORT_KEYS) - 1))

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SORT_KEYS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        """A paint asks every cell for seven roles, most of which it does not show: a role a
        column never has is answered first (``_CELLS``), and the texts and the font are read
        from a tuple made when the row came, in one step per role."""
        cells = _CELLS.get(role)
        if cells is None:
            return None
        column = index.column()  # an invalid index's row and column are -1
        slot = cells[column]
        row = index.row()
        if slot is None or not 0 <= row < len(self._ids):
            return None
        shown = self.shown(row)
        if shown is None:
            return _NOT_FETCHED if role == _DISPLAY else None
        if slot != _ASKED:
            return shown[slot]
        item = shown[-1]
        if role == _TOOLTIP:
            if column == COL_TITLE:
                return self._title_tooltip(item)
            return self._status_tooltip(item) if column == COL_STATUS else shown[column]
        return self._status(item.status)[2 if role == _FOREGROUND else 3]  # palette checked

    def shown(self, row: int) -> _Shown | None:
        """What row ``row``'s cells show (see ``_Shown``); None if there is no such row or it is
        not fetched yet (its page is asked for)."""
        if not 0 <= row < len(self._ids):
            return None
        shown = self._rows.get(self._ids[row])
        if shown is None:
            self._fetch_page(row // PAGE_SIZE)
        return shown

    def _shown(self, item: ListRow) -> _Shown:
        return (
            item.occurred_on,
            self._kinds.get(item.kind, item.kind),
            item.title,
            item.domains,
            self._labels.get(item.status) or self._label(item.status),
            self._private_font if item.private else None,
            item.uuid,
            item,
        )

    def _label(self, status: str) -> str:
        label = self._labels[status] = status_label(status)
        return label

    def _title_tooltip(self, item: ListRow) -> str:
        if item.private:
            return self.tr("{title} (private)").format(title=item.title)
        return item.title

    def _status_tooltip(self, item: ListRow) -> str:
        text = self._status(item.status)[1]
        if item.signoff is not None:
            text += "\n" + signoff_words(item.signoff)
        return text

    def _status(self, status: str) -> tuple[str, str, Any, Any]:
        """A status's label, tooltip, colour and icon, made once for the palette in use."""
        palette = QApplication.palette()
        if palette.cacheKey() != self._palette_key:
            self._palette_key = palette.cacheKey()
            self._statuses.clear()
        shown = self._statuses.get(status)
        if shown is None:
            label = status_label(status)
            shown = self._statuses[status] = (
                label,
                f"{label}: {status_description(status)}",
                status_colour(status, palette),
                status_icon(status, palette, at_once=True),
            )
        return shown

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new query: the database orders the ids."""
        if not 0 <= column < len(SORT_KEYS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._query.sort == SORT_KEYS[column] and self._query.descending == descending:
            return
        self.set_query(replace(self._query, sort=SORT_KEYS[column], descending=descending))


_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_HAS_DECORATION = QStyleOptionViewItem.ViewItemFeature.HasDecoration
_TEXT = QPalette.ColorRole.Text


class EvidenceDelegate(QStyledItemDelegate):
    """Paints a cell of ``EvidenceTableModel`` in one call into Python: Qt's own delegate asks
    the model for seven roles of each cell (seven calls, 910 a paint of the rows in sight; a
    repaint of 'sepsis''s first page in 100,000 items took 3.7 ms with them, 3.3 without). The
    option it fills is the one Qt's fills from ``data``, so the pixels are the same (a test
    compares them), but for one flag: to paint, the option does not say the cell has a text.

    Told so, Qt's styles measure the text, laying it out and shaping it, before laying it out
    again to draw it: 14% of the instructions of a repaint of the rows in sight (callgrind).
    They draw a text that is not empty whatever the flag, in the same place when the icon is
    beside it, as here (QCommonStyle's drawing and layout, which Fusion, Windows Vista,
    Windows 11 and macOS use for item views, Qt 6.8 to 6.12). Only a size hint (a column
    fitted to its texts) needs the measure, and has the flag. A flag or'ed in Python costs
    1.3-2.5 us besides (PySide6's flags are Python enums), 0.2 ms a repaint."""

    def __init__(self, model: EvidenceTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        measured = QStyleOptionViewItem(option)
        measured.features |= _HAS_DISPLAY
        return super().sizeHint(measured, index)

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        option.index = index  # type: ignore[assignment]  # the stub wants a QModelIndex
        option.styleObject = None  # type: ignore[assignment]  # nullptr, as Qt's delegate sets
        shown = self._model.shown(index.row())
        if shown is None:
            option.text = _NOT_FETCHED
            return
        column = index.column()
        option.text = cast(str, shown[column])
        font_slot = _CELLS[_FONT][column]
        font = None if font_slot is None else cast(QFont | None, shown[font_slot])
        if font is not None:
            option.font = font.resolve(option.font)
            option.fontMetrics = QFontMetrics(option.font)
        coloured, decorated = _CELLS[_FOREGROUND][column], _CELLS[_DECORATION][column]
        if coloured is not None or decorated is not None:
            _, _, colour, icon = self._model._status(shown[-1].status)
            if coloured is not None:
                option.palette.setBrush(_TEXT, colour)
            if decorated is not None:
                option.features |= _HAS_DECORATION
                option.icon = icon


class _AfterPaint(QObject):
    """Calls ``then`` once, as soon as ``widget`` has finished its next paint."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # runs when this paint is over
            self.deleteLater()
        return False
