"""The window as a trainee starts it: usable and answering input with 10,000 items, and resident
with 100,000.

Each figure comes from a fresh process running the real program (``portfolio.cli.main``, as
``gpc-portfolio`` does), paired with a baseline process in turn. "Usable" is an event inside the
child's running event loop: the first paint after the dashboard has its data (and the evidence
list its first rows, when the window opens on it; each run opens on the dashboard, as a first
start does); the child prints the time since it was launched and the CPU time it has used
until then, and fails loudly (exit 3) when that paint has not come within a minute. "Answers
input" is later: the GUI thread handles a zero timer posted behind whatever that paint left
for it to do next (a timer the paint posts itself, then one posted from that one), so input
that arrived meanwhile would have been handled; its baseline is the empty window's first paint
(it has nothing left to do). Each run sees a first start of the day: the parent removes the sample's
daily backups of today first (the sample keeps any older backups, as a trainee's folder does),
so the day's backup is taken in every run, where the program takes it. The child imports nothing
before the program does (the program's own import order is measured), and the package is
byte-compiled first, as an install does.

    .venv/bin/python benchmarks/bench_ui_startup.py [--items N] [--memory-items N] [--repeat R]
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _child import cached_table, rss_mb, run_as_child, since_launch  # a child imports no more

TIMEOUT_S = 60
SCROLL_STEPS = 20
_KEPT: list[object] = []
"""Event filters kept alive for the life of the child."""


def _fail_after_timeout() -> None:
    """Exit 3 when the child is still running a minute after it started (a thread: it counts
    from before anything is imported)."""

    def fail() -> None:
        print(f"no usable window within {TIMEOUT_S} s", file=sys.stderr, flush=True)
        os._exit(3)

    timer = threading.Timer(TIMEOUT_S, fail)
    timer.daemon = True
    timer.start()


def _on_first_paint(widget: object, then: object, *, window: bool = False) -> None:
    """Call ``then()`` at the next paint event of ``widget``; a ``window``: as it starts its next
    repaint (it repaints every widget of its own while it handles an ``UpdateRequest``, or at its
    first show its own ``Paint``).

    Never a filter on the whole app: PySide6 would wrap every object that gets an event for the
    filter, Qt's private classes among them, and looking those up makes it create every class of
    its loaded modules (some 150 Python enums, 20-40 ms) in the measured process alone.
    """
    from PySide6.QtCore import QEvent, QObject

    starting = (QEvent.Type.UpdateRequest, QEvent.Type.Paint) if window else (QEvent.Type.Paint,)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() in starting:
                widget.removeEventFilter(self)  # type: ignore[attr-defined]
                then()  # type: ignore[operator]
            return False

    _KEPT.append(FirstPaint())
    widget.installEventFilter(_KEPT[-1])  # type: ignore[attr-defined]


def child_baseline(folder: str) -> None:
    """A QMainWindow with a QTableView, after importing sqlalchemy.orm; with a ``folder``, the
    table holds the texts the list shows of every item of the portfolio there (read with
    sqlite3: rows of the size the list's are), otherwise nothing."""
    _fail_after_timeout()
    import sqlalchemy.orm  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMainWindow

    cached: list[tuple[str, ...]] = []
    if folder:  # the memory figure's baseline: its rows read before it is measured
        from _common import shown_rows

        cached = shown_rows(Path(folder))
    app = QApplication([])
    window = QMainWindow()
    table = cached_table(cached)
    window.setCentralWidget(table)
    window.resize(1200, 760)

    def painted() -> None:
        print(f"usable {since_launch()}")
        print(f"cpu {time.process_time()}")
        print(f"rss {rss_mb()}")
        print(f"rows {len(cached)}", flush=True)
        app.quit()

    _on_first_paint(window, painted, window=True)  # the moment ours is marked at, too
    window.show()
    app.exec()


def _after_import(name: str, then: Callable[[ModuleType], None]) -> None:
    """Call ``then(module)`` as soon as the program itself has imported module ``name``.

    So the child imports nothing of its own before the program does: the program's import
    order (its core before Qt, because of PySide6's import hook) is what gets measured.
    """

    class Finder:
        def find_spec(self, fullname: str, path: object, target: object = None) -> object:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            run_module = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                run_module(module)
                then(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())  # type: ignore[arg-type]


def child_app(data_dir: str, memory: str) -> None:
    """The real program; with ``memory`` = "1", the list is scrolled through before measuring."""
    _fail_after_timeout()
    _after_import("portfolio.ui.main", lambda ui_main: watch_start(ui_main, memory))
    cli = importlib.import_module("portfolio.cli")  # as the installed script does
    sys.exit(cli.main(["--data-dir", data_dir]))


def watch_start(ui_main: ModuleType, memory: str) -> None:
    """Wrap the window's start: usable is its first paint once it has its data; it answers input
    once the GUI thread has done what that paint left for it and handles the next event."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from portfolio.ui.widgets import app_settings

    start_window = ui_main.start_window
    waiting = {"usable", "answers"} if memory != "1" else {"usable"}

    def done(what: str) -> None:
        waiting.discard(what)
        if not waiting:
            QApplication.quit()

    def answers() -> None:
        print(f"answers {since_launch()}", flush=True)
        done("answers")

    def watched_start(portfolio: object, ops: object) -> tuple[object, object]:
        app_settings().remove("main/page")  # each run opens on the dashboard, as a first start does
        window, current = start_window(portfolio, ops)
        if window is not None:
            watch(window)
        return window, current

    def watch(window: object) -> None:
        """Usable: the dashboard has its data (the status bar's count comes from it) and, when
        the window opened on the evidence list, the list its first rows."""
        waiting = {"dashboard"}

        def arrived(what: str) -> None:
            waiting.discard(what)
            if not waiting:
                _on_first_paint(window, lambda: usable(window), window=True)

        window.ready.connect(lambda: arrived("dashboard"))  # type: ignore[attr-defined]
        if window.current_page_key() == "evidence":  # type: ignore[attr-defined]
            waiting.add("list")
            window.evidence.model.first_page_shown.connect(  # type: ignore[attr-defined]
                lambda: arrived("list")
            )

    def usable(window: object) -> None:
        print(f"usable {since_launch()}")
        print(f"cpu {time.process_time()}", flush=True)
        if memory != "1":
            done("usable")
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, answers))  # behind the paint's own
            return
        window.show_page("evidence")  # type: ignore[attr-defined]
        model = window.evidence.model  # type: ignore[attr-defined]
        if model.is_loading or not model.ids:
            model.loaded.connect(lambda _: scroll_through(window))
        else:
            scroll_through(window)

    def scroll_through(window: object) -> None:
        """Every id is in the list: scroll to its end, fetching as a trainee would."""
        table = window.evidence.table  # type: ignore[attr-defined]
        model = table.model()
        steps = iter(range(0, model.rowCount(), max(1, model.rowCount() // SCROLL_STEPS)))

        def scroll() -> None:  # one step a turn of the event loop
            step = next(steps, None)
            if step is not None:
                table.scrollTo(model.index(step, 0))
                QTimer.singleShot(10, scroll)
            elif window.busy.isVisible():  # type: ignore[attr-defined]
                QTimer.singleShot(10, scroll)
            else:
                print(f"rows {model.rowCount()}")
                print(f"rss {rss_mb()}", flush=True)
                done("usable")

        scroll()

    ui_main.start_window = watched_start


def main() -> None:
    if run_as_child({"app": child_app, "baseline": child_baseline}):
        return
    from _common import (
        Target,
        alternate,
        arguments,
        byte_compile,
        report,
        run_child,
        sample_portfolio,
        without_todays_backup,
    )

    args = arguments(__doc__, repeat=5, items=(10_000, 30), memory_items=(100_000, 60))
    script = [sys.executable, __file__, "--child"]

    usable_folder = str(sample_portfolio(args.items))
    byte_compile()

    def ours_usable() -> dict[str, float]:
        without_todays_backup(Path(usable_folder))
        return run_child([*script, "app", usable_folder, "0"]).marks

    ours, base = alternate(
        ours_usable,
        lambda: run_child([*script, "baseline", ""]).marks,
        args.repeat,
        args.warmup,
    )
    report(
        f"window usable, {args.items:,} items (whole process, launch to first paint with data)",
        [marks["usable"] for marks in ours],
        [marks["usable"] for marks in base],
        baseline="a process that imports sqlalchemy.orm and PySide6 and paints an empty "
        "QMainWindow with a QTableView",
        target=Target("≤ 1.4x", ratio=1.4),
        unit="ms",
        cpu=([marks["cpu"] for marks in ours], [marks["cpu"] for marks in base]),
    )
    report(
        f"window answers input, {args.items:,} items (launch to the first event handled behind "
        "what the first paint left to do, the day's backup due)",
        [marks["answers"] for marks in ours],
        [marks["usable"] for marks in base],
        baseline="the same empty window's first paint (it has nothing left to do)",
        target=Target("≤ 1.4x", ratio=1.4),
        unit="ms",
    )

    memory_folder = str(sample_portfolio(args.memory_items))

    def our_memory() -> float:
        marks = run_child([*script, "app", memory_folder, "1"]).marks
        if marks["rows"] != args.memory_items:
            raise SystemExit(f"the list held {marks['rows']:,.0f} rows, not {args.memory_items:,}")
        return marks["rss"]

    def baseline_memory() -> float:
        marks = run_child([*script, "baseline", memory_folder]).marks
        if marks["rows"] != args.memory_items:
            raise SystemExit(
                f"the baseline held {marks['rows']:,.0f} rows, not {args.memory_items:,}"
            )
        return marks["rss"]

    ours, base = alternate(
        our_memory,
        baseline_memory,
        max(1, args.repeat // 2),
        args.warmup,
    )
    report(
        f"resident memory, full window, {args.memory_items:,} items (list scrolled through)",
        ours,
        base,
        baseline=f"the baseline window above, its table holding the list's texts of the same "
        f"{args.memory_items:,} items, cached (a list of tuples)",
        target=Target("≤ 180 MB", at_most=180),
        unit="MB",
    )


if __name__ == "__main__":
    main()
