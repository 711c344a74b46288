"""The evidence list of 100,000 items: first paint, search as you type, sort by each column.

In one process, each figure alternating with its baseline over the same rows:
- first paint: our list page, from construction to its first page of rows painted, against a
  QTableView painting cached rows (a Python list of tuples) of the same items: the texts the
  list shows, read from the same portfolio before timing, in the list's order, in a table of
  the list's table's size, column widths and row height (``shown_rows``, ``cached_table``);
- search: typing a query (what each key typed calls) until its first page is painted,
  against the same FTS5 match in raw SQL fetching the rows and columns that page shows;
- the repaint of a search's page in sight, against a bare QTableView repainting its texts:
  the part of a search its baseline does not do;
- sort: every live row in the column's order, against raw SQL ordering the same rows by the
  same expression (the list is unfiltered for both: the counts are checked equal).

The list fetches the rest of a query's ids once it has painted the first page, and paints its
scroll bar at the query's range once they are in: that is not timed, but it finishes before the
baseline's next run, so none of our work runs beside it.

    .venv/bin/python benchmarks/bench_evidence_list.py [--items N] [--repeat R]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _child import cached_table
from _common import (
    Target,
    alternate,
    arguments,
    report,
    sample_portfolio,
    seconds,
    shown_rows,
)

from portfolio.ui.evidence_model import FIRST_ROWS  # the rows fetched before the first paint

SEARCHES = ("q", "qu", "qua", "qual", "quality", "sepsis", "handover team")
RAW_ORDER = {
    "date": "occurred_on",
    "kind": "kind",
    "title": "title COLLATE NOCASE",  # portfolio.services.evidence orders titles so on SQLite
    "status": "status",
    "domains": "(SELECT min(code) FROM evidence_link l WHERE l.evidence_id = e.id)",
}
RAW_PAGE = (
    "SELECT e.id, e.occurred_on, e.kind, e.title, e.status, "
    "(SELECT group_concat(code) FROM evidence_link l WHERE l.evidence_id = e.id) "
    "FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid "
    "WHERE evidence_fts MATCH ? AND e.deleted_at IS NULL "
    "ORDER BY bm25(evidence_fts, 10.0, 1.0) LIMIT ?"
)


def wait_for(signal: Any, timeout_ms: int = 60_000) -> None:
    """Run the event loop until ``signal`` fires; stop the benchmark if it does not in time."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    fired: list[bool] = []

    def fire(*_: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(fire)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(fire)
    if not fired:
        raise SystemExit(f"the list did not answer within {timeout_ms // 1000} s")


def page_texts(model: Any, columns: int) -> list[tuple[Any, ...]]:
    """The texts of the first rows ``model`` shows (those fetched before its first paint)."""
    return [
        tuple(model.data(model.index(row, column)) for column in range(columns))
        for row in range(min(FIRST_ROWS, model.rowCount()))
    ]


def main() -> None:
    # 15 pairs: a search takes 11-25 ms, and the median of 5 pairs of the same code moved from
    # 1.08x to 1.19x between runs ('sepsis', session 11); of 15, 1.09-1.17x over ten runs.
    args = arguments(__doc__, repeat=15, items=(100_000, 50))
    folder = sample_portfolio(args.items)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.services.evidence import EvidenceQuery
    from portfolio.ui.evidence_list import EvidenceListPage
    from portfolio.ui.evidence_model import SORT_KEYS
    from portfolio.ui.operations import Operations

    app = QApplication.instance() or QApplication([])
    portfolio = open_portfolio(resolve_location(folder))
    ops = Operations()
    every_id = portfolio.evidence.query_ids(EvidenceQuery())  # SQLite's page cache warm for both
    cached = shown_rows(folder)
    if len(cached) != len(every_id):
        raise SystemExit(f"the baseline holds {len(cached):,} rows, the list {len(every_id):,}")

    def finish(page: EvidenceListPage) -> None:
        """The rest of the ids (fetched once the first page is painted) in, before the
        baseline runs: none of our work goes on beside it."""
        if page.model.is_loading:
            wait_for(page.model.loaded)
        ops.wait()
        app.processEvents()

    def paint_page() -> EvidenceListPage:
        page = EvidenceListPage(portfolio, ops)
        page.resize(1280, 800)
        page.show()
        wait_for(page.model.first_page_shown)
        page.table.viewport().repaint()
        return page

    def our_first_paint() -> float:
        page: list[EvidenceListPage] = []
        took = seconds(lambda: page.append(paint_page()))
        finish(page[0])
        page[0].close()
        page[0].deleteLater()
        app.processEvents()
        return took

    def cached_first_paint() -> float:
        def paint() -> Any:
            view = cached_table(cached, widths, row_height)
            view.resize(table_size)
            view.show()
            app.processEvents()
            view.viewport().repaint()
            return view

        view: list[Any] = []
        took = seconds(lambda: view.append(paint()))
        view[0].close()
        view[0].deleteLater()
        app.processEvents()
        return took

    shape = paint_page()  # the list's table as it is laid out, for the baseline's
    finish(shape)
    table_size = shape.table.size()
    header = shape.table.horizontalHeader()
    widths = [header.sectionSize(column) for column in range(header.count())]
    row_height = shape.table.verticalHeader().defaultSectionSize()
    first_page = page_texts(shape.model, len(widths))
    if first_page != cached[: len(first_page)]:
        raise SystemExit("the baseline's first rows are not the texts the list shows")
    shape.close()
    shape.deleteLater()
    app.processEvents()

    ours, base = alternate(our_first_paint, cached_first_paint, args.repeat, args.warmup)
    report(
        f"first paint, {args.items:,}-item list",
        ours,
        base,
        baseline=f"a QTableView painting the list's texts of the same {len(cached):,} items, "
        "cached (a list of tuples), at the list's table size, column widths and row height",
        target=Target("≤ 35 ms", at_most=0.035, issue_baseline=0.022),
        unit="ms",
    )

    page = EvidenceListPage(portfolio, ops)
    page.resize(1280, 800)
    page.show()
    wait_for(page.model.loaded)
    database = sqlite3.connect(str(folder / "portfolio.sqlite3"))

    def type_in(text: str) -> None:
        page.filters.search.blockSignals(True)
        page.filters.search.setText(text)
        page.filters.search.blockSignals(False)

    def clear_search() -> None:
        type_in("")
        if page.model.query.text:
            page.apply_filters()
            wait_for(page.model.loaded)

    def our_search(text: str) -> float:
        clear_search()  # each run types into the unfiltered list

        def search() -> None:
            type_in(text)
            page.apply_filters()  # what each key typed calls
            wait_for(page.model.first_page_shown)
            page.table.viewport().repaint()

        took = seconds(search)
        finish(page)
        return took

    def raw_search(text: str) -> float:
        words = [f'"{word}"' for word in text.split()]
        words[-1] += "*"
        page = (" ".join(words), FIRST_ROWS)
        return seconds(lambda: database.execute(RAW_PAGE, page).fetchall())

    for text in SEARCHES:
        ours, base = alternate(
            lambda text=text: our_search(text),
            lambda text=text: raw_search(text),
            args.repeat,
            args.warmup,
        )
        report(
            f"search as you type '{text}' ({page.model.rowCount():,} matches)",
            ours,
            base,
            baseline=f"the same FTS5 match in raw SQL, the first {FIRST_ROWS} rows with the "
            "columns the list shows",
            target=Target("≤ 30 ms", at_most=0.030, issue_baseline=0.026),
            unit="ms",
        )

    bare = cached_table(page_texts(page.model, len(widths)), widths, row_height)
    bare.resize(page.table.size())
    bare.show()
    app.processEvents()
    ours, base = alternate(
        lambda: seconds(page.table.viewport().repaint),
        lambda: seconds(bare.viewport().repaint),
        args.repeat,
        args.warmup,
    )
    report(
        f"repaint of the page of the search '{SEARCHES[-1]}' in sight",
        ours,
        base,
        baseline="a QTableView repainting the same texts, cached, at the list's table size, "
        "column widths and row height: the least a search pays beside its SQL",
        target=Target("none (a part of each search above, which its baseline does not do)"),
        unit="ms",
    )
    bare.close()

    clear_search()
    live = database.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()[0]
    if page.model.rowCount() != live:
        raise SystemExit(f"the list shows {page.model.rowCount():,} rows, not all {live:,}")

    def our_sort(column: int) -> float:
        """The other order from the current one, so every run is a new query."""
        query = page.model.query
        descending = not (query.sort == SORT_KEYS[column] and query.descending)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

        def sort() -> None:
            page.table.horizontalHeader().setSortIndicator(column, order)
            wait_for(page.model.loaded)
            page.table.viewport().repaint()

        return seconds(sort)

    def raw_sort(key: str) -> float:
        return seconds(
            lambda: database.execute(
                f"SELECT id FROM evidence e WHERE deleted_at IS NULL ORDER BY {RAW_ORDER[key]}, id"
            ).fetchall()
        )

    for column, key in enumerate(SORT_KEYS):
        ours, base = alternate(
            lambda column=column: our_sort(column),
            lambda key=key: raw_sort(key),
            args.repeat,
            args.warmup,
        )
        report(
            f"sort all {page.model.rowCount():,} rows by {key}",
            ours,
            base,
            baseline=f"raw SQL ordering the same {live:,} live rows by the same expression",
            target=Target("≤ 0.5 s (DESIGN.md)", at_most=0.5),
            unit="ms",
        )

    ops.wait()
    app.processEvents()
    page.close()
    database.close()
    portfolio.close()


if __name__ == "__main__":
    main()
