"""What a benchmark's child process uses before and beside the program it measures.

A child imports this module alone of the benchmarks' own (``_common`` imports argparse,
statistics, subprocess, sqlite3 and more: 31 ms of CPU before the program's first line, in ours
and its baseline alike, which flattered the ratio), so what it measures is the program's own
imports. Nothing here imports more than the program does; Qt only inside ``cached_table``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LAUNCHED = "GPC_BENCH_LAUNCHED"
"""Set for a child: the parent's ``time.monotonic()`` just before starting it."""


def run_as_child(children: dict[str, Callable[..., None]]) -> bool:
    """When started as ``script --child NAME ARG…``, run that child and say so."""
    if sys.argv[1:2] != ["--child"]:
        return False
    children[sys.argv[2]](*sys.argv[3:])
    return True


def since_launch() -> float:
    """In a child: seconds since the parent started it (the monotonic clock is system-wide)."""
    return time.monotonic() - float(os.environ[LAUNCHED])


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cached_table(
    rows: list[tuple[str, ...]],
    widths: Sequence[int] = (),
    row_height: int = 0,
) -> Any:  # a QTableView: nothing here imports Qt before it is used
    """The baseline's view: a QTableView over a list of tuples; given the list's column
    ``widths`` and ``row_height``, laid out as the list is (rows of one height, text on one
    line, elided at the right, alternating colours)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QHeaderView, QTableView

    class Rows(QAbstractTableModel):
        def rowCount(self, parent: object = None) -> int:
            return len(rows)

        def columnCount(self, parent: object = None) -> int:
            return 5

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role == Qt.ItemDataRole.DisplayRole:
                return rows[index.row()][index.column()]
            return None

    view = QTableView()
    view.setModel(Rows(view))
    if widths:
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(row_height)
        for column, width in enumerate(widths):
            view.horizontalHeader().resizeSection(column, width)
    return view
