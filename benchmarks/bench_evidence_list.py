"""The evidence list with 100,000 items: first paint, search as you type, sort, memory.

Each figure sits next to its baseline from the same run (DESIGN.md targets):
- first paint < 100 ms      baseline: a QTableView painting 100,000 cached rows
- search < 50 ms            baseline: raw SQLite FTS5, top 50 matches
- sort < 0.5 s              baseline: raw SQLite ORDER BY on the same column
- RSS < 300 MB              baseline: a process holding the cached-rows table view

    .venv/bin/python benchmarks/bench_evidence_list.py [--items N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, median_ms, row, rss_mb, sample_portfolio

SEARCHES = ("q", "qu", "qua", "qual", "quality", "sepsis", "handover team")
COLUMNS = ("date", "kind", "title", "domains", "status")


def baseline_table(count: int) -> tuple[float, float]:
    """Paint a table of ``count`` cached rows: (ms to first paint, MB resident)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    rows = [
        (f"2024-01-{n % 28 + 1:02d}", "Reflection", f"Title {n}", "GPC1, GPC5", "Draft")
        for n in range(count)
    ]

    class Model(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else len(rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else 5

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return rows[index.row()][index.column()]
            return None

    started = time.perf_counter()
    view = QTableView()
    view.setModel(Model())
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    view.viewport().repaint()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, rss_mb()


def child_baseline_rss(count: int) -> None:
    import sqlalchemy.orm  # noqa: F401

    _, rss = baseline_table(count)
    print(f"rss {rss}")


def wait(app, signal, timeout: float = 30.0) -> None:
    from PySide6.QtCore import QObject

    fired: list[bool] = []

    def mark(*_: object) -> None:
        fired.append(True)

    connection = signal.connect(mark)
    deadline = time.perf_counter() + timeout
    try:
        while not fired:
            app.processEvents()
            if time.perf_counter() > deadline:
                raise SystemExit("timed out")
            time.sleep(0.0005)
    finally:
        QObject.disconnect(connection)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--child-rss", action="store_true")
    args = parser.parse_args()
    if args.child_rss:
        return child_baseline_rss(args.items)

    folder = sample_portfolio(args.items)
    from PySide6.QtWidgets import QApplication

    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.services.evidence import EvidenceQuery
    from portfolio.ui.evidence_list import EvidenceListPage
    from portfolio.ui.evidence_model import SORT_KEYS
    from portfolio.ui.operations import Operations

    app = QApplication.instance() or QApplication([])
    base_paint, _ = baseline_table(args.items)
    portfolio = open_portfolio(resolve_location(folder))
    ops = Operations()
    portfolio.evidence.query_ids(EvidenceQuery())  # warm SQLite's page cache like the baseline

    started = time.perf_counter()
    page = EvidenceListPage(portfolio, ops)
    page.resize(1280, 800)
    page.show()
    wait(app, page.model.first_page_shown)
    page.table.viewport().repaint()
    first_paint = (time.perf_counter() - started) * 1000

    def search(text: str) -> float:
        reset_search()  # each run types into an unfiltered list
        page.filters.search.blockSignals(True)
        page.filters.search.setText(text)
        page.filters.search.blockSignals(False)
        begun = time.perf_counter()
        page.apply_filters()  # what the 150 ms debounce timer calls
        wait(app, page.model.first_page_shown)
        page.table.viewport().repaint()
        return time.perf_counter() - begun

    def reset_search() -> None:
        page.filters.search.blockSignals(True)
        page.filters.search.setText("")
        page.filters.search.blockSignals(False)
        if page.model.query.text:
            page.apply_filters()
            wait(app, page.model.loaded)

    database = sqlite3.connect(str(folder / "portfolio.sqlite3"))

    def fts(text: str) -> float:
        words = " ".join(f'"{w}"*' for w in text.split())
        begun = time.perf_counter()
        database.execute(
            "SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ? ORDER BY rank LIMIT 50",
            (words,),
        ).fetchall()
        return time.perf_counter() - begun

    print(f"Evidence list, {args.items:,} items (offscreen, 1280x800, median of 3)")
    print(row("first paint", first_paint, base_paint, target="target < 100 ms"))
    for text in SEARCHES:
        ours = median_ms(lambda text=text: search(text), 3)
        matches = page.model.rowCount()
        raw = median_ms(lambda text=text: fts(text), 3)
        print(row(f"search '{text}' ({matches:,} hits)", ours, raw, target="target < 50 ms"))

    columns = {
        "date": "occurred_on",
        "kind": "kind",
        "title": "lower(title)",
        "status": "status",
        "domains": "(SELECT min(code) FROM evidence_link l WHERE l.evidence_id = e.id)",
    }

    def raw_sort(key: str) -> float:
        begun = time.perf_counter()
        database.execute(
            f"SELECT id FROM evidence e WHERE deleted_at IS NULL ORDER BY {columns[key]}, id"
        ).fetchall()
        return time.perf_counter() - begun

    def sort(column: int, descending: bool) -> float:
        from PySide6.QtCore import Qt

        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        begun = time.perf_counter()
        page.table.horizontalHeader().setSortIndicator(column, order)
        wait(app, page.model.loaded)
        page.table.viewport().repaint()
        return time.perf_counter() - begun

    def toggled(column: int) -> float:
        """The other order from the current one, so every run is a new query."""
        query = page.model.query
        return sort(column, not (query.sort == SORT_KEYS[column] and query.descending))

    for column, key in enumerate(SORT_KEYS):
        ours = median_ms(lambda column=column: toggled(column), 3)
        print(
            row(
                f"sort by {key}",
                ours,
                median_ms(lambda key=key: raw_sort(key), 3),
                target="target < 500 ms",
            )
        )

    for start in range(0, args.items, args.items // 20):  # scroll through, fetching pages
        page.table.scrollTo(page.model.index(start, 0))
        app.processEvents()
    ops.wait()
    app.processEvents()
    ours_rss = rss_mb()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    out = subprocess.run(
        [sys.executable, __file__, "--child-rss", "--items", str(args.items)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    base_rss = float(out.split("rss", 1)[1].split()[0])
    print(row("resident memory", ours_rss, base_rss, "MB", target="target < 300 MB"))
    ops.wait()
    app.processEvents()
    page.close()
    portfolio.close()


if __name__ == "__main__":
    main()
