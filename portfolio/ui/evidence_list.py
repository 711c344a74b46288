"""The Evidence page: search, filters, the table, the trash.

Every filter, the search text and the sort order become one ``EvidenceQuery`` that the database
answers on the task runner; the table shows the ids it returns (see ``evidence_model``).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.curriculum import gpc
from portfolio.services.dto import PlacementData
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.evidence_model import (
    COL_DATE,
    COL_DOMAINS,
    COL_KIND,
    COL_STATUS,
    COL_TITLE,
    SORT_KEYS,
    UUID_ROLE,
    EvidenceDelegate,
    EvidenceTableModel,
)
from portfolio.ui.list_actions import ListActions
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.translations import counted
from portfolio.ui.widgets import (
    Connections,
    OptionalDateEdit,
    icon,
    kind_titles,
    placement_text,
    status_label,
)
from portfolio.vocabulary import SHOWN_STATUSES, UNSUBMITTABLE_STATUSES, ChangeKind


class FilterBar(QWidget):
    """The search box and the filters; ``changed`` when any of them changes."""

    changed = Signal()
    text_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("Search titles, text and tags  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search evidence"))
        looking_glass = self.search.addAction(  # drawn at once: the box repaints at each key
            icon("search", at_once=True), QLineEdit.ActionPosition.LeadingPosition
        )
        looking_glass.setText(self.tr("Search"))  # names its button for screen readers
        clear_search = QAction(self.search)  # Escape in the box clears what was typed
        clear_search.setObjectName("clearSearchAction")
        clear_search.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(self.search.clear)
        self.search.addAction(clear_search)

        self.kind = self._combo("kindFilter", self.tr("Kind"), self.tr("All kinds"))
        for kind, title in kind_titles().items():
            self.kind.addItem(title, kind)
        self.domain = self._combo("domainFilter", self.tr("GPC domain"), self.tr("All domains"))
        curriculum = gpc()
        for node in curriculum.top_level():
            self.domain.addItem(f"{node.code}  {node.title}", node.code)
            for child in curriculum.children(node.code):
                self.domain.addItem(f"    {child.code}  {child.title}", child.code)
        self.status = self._combo("statusFilter", self.tr("Status"), self.tr("Any status"))
        for status in SHOWN_STATUSES:
            self.status.addItem(status_label(status), status)
        self.date_from = self._date("dateFrom", self.tr("From date"), self.tr("From: any date"))
        self.date_to = self._date("dateTo", self.tr("To date"), self.tr("To: any date"))
        self.tag = self._combo("tagFilter", self.tr("Tag"), self.tr("All tags"))
        self.placement = self._combo(
            "placementFilter", self.tr("Placement"), self.tr("All placements")
        )
        self.clear = QToolButton(self)
        self.clear.setObjectName("clearFilters")
        self.clear.setText(self.tr("Clear filters"))
        self.clear.setAccessibleName(self.tr("Clear search and filters"))
        self.clear.clicked.connect(self.reset)

        self.search.textChanged.connect(self.text_edited)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        labelled = (
            (self.tr("Kind"), self.kind),
            (self.tr("Domain"), self.domain),
            (self.tr("Status"), self.status),
            (self.tr("Tag"), self.tag),
            (self.tr("From"), self.date_from),
            (self.tr("To"), self.date_to),
            (self.tr("Placement"), self.placement),
            ("", self.clear),
        )
        self._labelled: tuple[QWidget, ...] = tuple(widget for _, widget in labelled)
        for position, (text, widget) in enumerate(labelled):
            row, column = (position // 4) * 2, position % 4  # each label above its filter
            if text:  # the buddy gives screen readers the labelled-by relation
                label = QLabel(text, self)
                label.setBuddy(widget)
                grid.addWidget(label, row, column)
            grid.addWidget(widget, row + 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(grid)

    def in_order(self) -> tuple[QWidget, ...]:
        """The search box, the filters and Clear as they read, left to right, top to bottom."""
        return (self.search, *self._labelled)

    def _combo(self, name: str, accessible: str, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        combo.addItem(everything, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(9)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def _date(self, name: str, accessible: str, empty: str) -> OptionalDateEdit:
        edit = OptionalDateEdit(empty, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(accessible)
        edit.dateChanged.connect(self.changed)
        return edit

    def apply_to(self, query: EvidenceQuery) -> EvidenceQuery:
        return replace(
            query,
            text=self.search.text(),
            kind=self.kind.currentData(),
            domain=self.domain.currentData(),
            status=self.status.currentData(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            tag=self.tag.currentData(),
            placement_id=self.placement.currentData(),
        )

    def reset(self) -> None:
        """Back to everything, announcing one change."""
        with _Quiet(self):
            self._clear_all()
        self.changed.emit()

    def select_domain(self, code: str) -> None:
        """Only ``code`` (a domain or sub-heading); every other filter cleared."""
        with _Quiet(self):
            self._clear_all()
            self.domain.setCurrentIndex(max(0, self.domain.findData(code)))
        self.changed.emit()

    def _clear_all(self) -> None:
        self.search.clear()
        for combo in (self.kind, self.domain, self.status, self.tag, self.placement):
            combo.setCurrentIndex(0)
        self.date_from.clear_date()
        self.date_to.clear_date()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        for combo in self.findChildren(QComboBox):  # the open list shows whole names
            view = combo.view()
            view.setMinimumWidth(view.sizeHintForColumn(0) + 24)

    def set_tags(self, tags: list[str]) -> None:
        self._refill(self.tag, [(tag, tag) for tag in tags])

    def set_placements(self, placements: list[PlacementData]) -> None:
        self._refill(self.placement, [(placement_text(p), p.id) for p in placements])

    def _refill(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in items:
                combo.addItem(text, data)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)
        if chosen is not None and combo.currentData() != chosen:
            self.changed.emit()  # the chosen tag or placement is gone


class _Quiet:
    """Holds back ``changed`` while several filters are set at once."""

    def __init__(self, bar: FilterBar) -> None:
        self._bar = bar

    def __enter__(self) -> None:
        self._was = self._bar.blockSignals(True)
        for child in self._bar.findChildren(QWidget):
            child.blockSignals(True)

    def __exit__(self, *_: object) -> None:
        for child in self._bar.findChildren(QWidget):
            child.blockSignals(False)
        self._bar.blockSignals(self._was)


class EvidenceTable(QTableView):
    """The list's table: rows added below the ones in sight repaint none of those in sight.

    Every change in the number of rows makes ``QTableView`` lay its items out again and
    repaint the whole viewport. When the rest of a query's ids come (``EvidenceTableModel``
    appends them after the first page), only the scroll bar changes; a repaint of every cell
    in sight then ran beside the next query typed and held it up (the two share one
    interpreter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._out_of_sight = False
        """Rows were added below the last one in sight, and nothing else changed since."""
        self._inserted = 0
        """Insertions since the last layout: only a layout for one alone can skip the repaint."""

    def rowsInserted(self, parent: Any, start: int, end: int) -> None:
        self._inserted += 1
        last_in_sight = self.rowAt(self.viewport().height() - 1)
        self._out_of_sight = (
            self._inserted == 1
            and not parent.isValid()
            and last_in_sight != -1
            and start > last_in_sight
        )
        super().rowsInserted(parent, start, end)

    def rowsAboutToBeRemoved(self, parent: Any, start: int, end: int) -> None:
        self._out_of_sight = False
        super().rowsAboutToBeRemoved(parent, start, end)

    def reset(self) -> None:
        self._out_of_sight = False
        super().reset()

    def showEvent(self, event: Any) -> None:
        self._out_of_sight = False  # hidden, the view left its layout for later
        super().showEvent(event)

    def doItemsLayout(self) -> None:
        out_of_sight, self._out_of_sight, self._inserted = self._out_of_sight, False, 0
        if out_of_sight:  # QAbstractItemView's layout, but for its viewport's update()
            self.updateGeometries()
            return
        super().doItemsLayout()

    def hold_scroll_bar(self, held: bool) -> None:
        """Leave the scroll bar as painted while ``held`` (a query's first page is shown, the
        rest of its rows to come), so that it is painted once for each query, at its range.

        Painted for the first page, the bar was painted twice a query, the first time at a
        range that is not the query's, and in the paint the first page's rows wait for: a
        bar at a new range costs 1.1-1.6 ms to paint, a tenth of a search typed. A bar not
        in sight is painted when it shows (held, it would show what was under it)."""
        bar = self.verticalScrollBar()
        bar.setUpdatesEnabled(not (held and bar.isVisible()))


class EvidenceListPage(QWidget):
    """The evidence table with its search, filters and trash."""

    open_requested = Signal(str)
    message = Signal(str)
    loaded = Signal(int)

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        actions: ListActions | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceList")
        actions = actions or ListActions(self)
        self._portfolio = portfolio
        self._ops = ops
        self._last_deleted: list[str] = []
        self._connections = Connections(self)

        self.model = EvidenceTableModel(portfolio.evidence, ops, self)
        self.filters = FilterBar(self)
        self.trash_toggle = QToolButton(self)
        self.trash_toggle.setObjectName("trashToggle")
        self.trash_toggle.setCheckable(True)
        self.trash_toggle.setText(self.tr("Trash"))
        self.trash_toggle.setIcon(icon("trash"))
        self.trash_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.trash_toggle.setAccessibleName(self.tr("Show the trash"))
        self.trash_toggle.setToolTip(self.tr("Show items moved to the trash, to restore them"))

        self.table = self._make_table()
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("resultCount")
        self.restore_button = QPushButton(icon("restore"), self.tr("Restore"), self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setAccessibleName(self.tr("Restore the selected items from the trash"))
        self.restore_button.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(self.trash_toggle, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(bottom)

        # Right-click on the table offers its actions: open, submit, move to the trash.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_item_action = QAction(self.tr("&Open"), self)
        self.open_item_action.setObjectName("openItemAction")
        self.open_item_action.triggered.connect(self.open_selected)
        self.table.addAction(self.open_item_action)
        self.submit_action = actions.submit
        self.submit_action.triggered.connect(self.submit_selected)
        self.table.addAction(self.submit_action)
        self.delete_action = actions.delete
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)

        # As you type, with no delay: a query still running when the next key comes is
        # cancelled (``EvidenceTableModel.set_query``).
        self.filters.text_edited.connect(self.apply_filters)
        self.filters.changed.connect(self.apply_filters)
        self.trash_toggle.toggled.connect(self._trash_toggled)
        self.restore_button.clicked.connect(self.restore_selected)
        self.model.loaded.connect(self._loaded)
        self.model.dataChanged.connect(lambda *_: self._update_submit())
        self.model.modelReset.connect(self._update_submit)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_submit())
        self.table.doubleClicked.connect(self._open_index)
        self._connections.connect(ops.changed, self._data_changed)

        chain = (*self.filters.in_order(), self.trash_toggle, self.table, self.restore_button)
        for before, after in pairwise(chain):
            self.setTabOrder(before, after)
        self.apply_filters()
        # The tags and placements once the list is in: run beside its first paint, their
        # queries held the interpreter the paint waited for.
        self.model.loaded.connect(self._load_choices, Qt.ConnectionType.SingleShotConnection)

    def _make_table(self) -> EvidenceTable:
        table = EvidenceTable(self)
        table.setObjectName("evidenceTable")
        table.setAccessibleName(self.tr("Evidence items"))
        table.setModel(self.model)
        table.setItemDelegate(EvidenceDelegate(self.model, table))
        self.model.paint_first(table.viewport())
        self.model.rows_pending.connect(table.hold_scroll_bar)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        width = table.fontMetrics().horizontalAdvance
        header.resizeSection(COL_DATE, width("2024-12-31") + 32)
        header.resizeSection(COL_KIND, max(width(t) for t in kind_titles().values()) + 24)
        header.resizeSection(COL_DOMAINS, width("GPC5, GPC6.2, GPC9") + 24)
        header.resizeSection(COL_STATUS, width("Changes requested") + 24)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        table.installEventFilter(self)
        return table

    # -- public actions ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def show_domain(self, code: str) -> None:
        """Everything linked to one GPC domain or sub-heading, out of the trash."""
        self.trash_toggle.blockSignals(True)
        self.trash_toggle.setChecked(False)
        self.trash_toggle.blockSignals(False)
        self._trash_mode_widgets(False)
        self.filters.select_domain(code)

    def selected_uuids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        uuids = [self.model.index(row, 0).data(UUID_ROLE) for row in rows]
        return [u for u in uuids if u]

    def delete_selected(self) -> None:
        if self.model.query.trash:
            self.message.emit(self.tr("These items are already in the trash."))
            return
        uuids = self.selected_uuids()
        if not uuids:
            return
        evidence = self._portfolio.evidence

        def work() -> list[str]:
            for item_uuid in uuids:
                evidence.delete(item_uuid)
            return uuids

        def done(deleted: list[str]) -> None:
            self._last_deleted = deleted
            self.message.emit(
                counted(
                    "Moved %n item(s) to the trash. Undo with Ctrl+Z, or restore them from the Trash.",
                    len(deleted),
                )
            )

        self._ops.database(self, work).success(done).changes(ChangeKind.EVIDENCE, uuids=uuids).run()

    def submittable_uuids(self) -> list[str]:
        """The selected items Submit applies to: not in the trash, not already submitted or
        signed off."""
        if self.model.query.trash:
            return []
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        summaries = [self.model.summary(row) for row in rows]
        return [
            s.uuid for s in summaries if s is not None and s.status not in UNSUBMITTABLE_STATUSES
        ]

    def submit_selected(self) -> None:
        uuids = self.submittable_uuids()
        if not uuids:
            return
        evidence = self._portfolio.evidence

        def done(submitted: list[Any]) -> None:
            self.message.emit(counted("Submitted %n item(s) for review.", len(submitted)))

        self._ops.database(self, lambda: evidence.submit(uuids)).success(done).changes(
            ChangeKind.EVIDENCE, uuids=uuids
        ).run()

    def _update_submit(self) -> None:
        self.submit_action.setEnabled(bool(self.submittable_uuids()))

    def undo_delete(self) -> None:
        if self._last_deleted:
            uuids, self._last_deleted = self._last_deleted, []
            self._restore(uuids)

    def restore_selected(self) -> None:
        if self.model.query.trash:
            self._restore(self.selected_uuids())

    def open_selected(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self._open_index(current)

    def set_trash(self, on: bool) -> None:
        self.trash_toggle.setChecked(on)

    # -- internals ---------------------------------------------------------------------------

    def _restore(self, uuids: list[str]) -> None:
        if not uuids:
            return
        evidence = self._portfolio.evidence

        def work() -> list[str]:
            for item_uuid in uuids:
                evidence.undelete(item_uuid)
            return uuids

        def done(restored: list[str]) -> None:
            self.message.emit(counted("Restored %n item(s) from the trash.", len(restored)))

        self._ops.database(self, work).success(done).changes(ChangeKind.EVIDENCE, uuids=uuids).run()

    def apply_filters(self) -> None:
        query = self.filters.apply_to(self.model.query)
        query = replace(query, trash=self.trash_toggle.isChecked())
        if query != self.model.query or not self.model.ids:
            self.model.set_query(query)

    def _trash_toggled(self, on: bool) -> None:
        self._trash_mode_widgets(on)
        self.apply_filters()

    def _trash_mode_widgets(self, on: bool) -> None:
        self.restore_button.setVisible(on)
        self.delete_action.setEnabled(not on)
        self.open_item_action.setEnabled(not on)
        self.trash_toggle.setAccessibleName(
            self.tr("Leave the trash") if on else self.tr("Show the trash")
        )

    def _loaded(self, count: int) -> None:
        query = self.model.query
        if query.trash:
            text = self.tr("%Ln item(s) in the trash", "", count)
        else:
            text = self.tr("%Ln item(s)", "", count)
        self.count_label.setText(text)
        filtered = bool(
            query.text.strip()
            or query.kind
            or query.domain
            or query.status
            or query.date_from
            or query.date_to
            or query.tag
            or query.placement_id is not None
        )
        if count:
            self.empty_label.setVisible(False)
        else:
            if query.trash:
                empty = self.tr("The trash is empty.")
            elif filtered:
                empty = self.tr("Nothing matches this search and these filters.")
            else:
                empty = self.tr("No evidence yet. Press Ctrl+N to record your first item.")
            self.empty_label.setText(empty)
            self.empty_label.setVisible(True)
        if count and not self.table.currentIndex().isValid():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self.loaded.emit(count)

    def _open_index(self, index: Any) -> None:
        item_uuid = self.model.index(index.row(), 0).data(UUID_ROLE)
        if item_uuid and not self.model.query.trash:
            self.open_requested.emit(item_uuid)

    def _data_changed(self, changes: Changes) -> None:
        if changes.kind is ChangeKind.EVIDENCE:
            self.model.refresh()
            self._load_choices()
        elif changes.kind in (ChangeKind.PLACEMENT, ChangeKind.PROFILE):
            self._load_choices()

    def _load_choices(self) -> None:
        portfolio = self._portfolio

        def work() -> tuple[list[str], list[PlacementData]]:
            return portfolio.evidence.tags(), portfolio.placements.list()

        def done(result: tuple[list[str], list[PlacementData]]) -> None:
            tags, placements = result
            self.filters.set_tags(tags)
            self.filters.set_placements(placements)

        self._ops.database(self, work).success(done).run()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
        return super().eventFilter(watched, event)


__all__ = [
    "COL_DATE",
    "COL_DOMAINS",
    "COL_KIND",
    "COL_STATUS",
    "COL_TITLE",
    "SORT_KEYS",
    "EvidenceListPage",
    "FilterBar",
]
