"""Start-up to a usable main window with 10,000 items, against a baseline in the same run.

Baseline (DESIGN.md): a process that imports PySide6 and sqlalchemy.orm and paints an empty
QMainWindow with a QTableView. Target: the app within 1.6x of it. Each figure is the median of
several fresh processes, timed from launch to the line the child prints once painted/usable.

    .venv/bin/python benchmarks/bench_ui_startup.py [--items N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, row, sample_portfolio

TARGET = 1.6


def child_baseline() -> None:
    import sqlalchemy.orm  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1200, 760)
    window.show()
    app.processEvents()
    window.repaint()
    print("painted", flush=True)
    print("usable", flush=True)


def child_app(data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.ui.main import make_application
    from portfolio.ui.main_window import MainWindow
    from portfolio.ui.operations import Operations

    app = make_application([])
    portfolio = open_portfolio(resolve_location(data_dir))
    ops = Operations()
    window = MainWindow(portfolio, ops)

    def usable() -> None:
        window.repaint()
        print("usable", flush=True)
        app.quit()

    window.ready.connect(usable)
    window.show()
    QApplication.processEvents()
    window.repaint()
    print("painted", flush=True)
    app.exec()
    ops.wait()
    portfolio.close()


def launch(args: list[str]) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    marks: dict[str, float] = {}
    assert process.stdout is not None
    for line in process.stdout:
        word = line.strip()
        if word in ("painted", "usable"):
            marks[word] = time.perf_counter() - started
    if process.wait() != 0 or len(marks) != 2:
        raise SystemExit(f"child {args} failed")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=("app", "baseline"))
    parser.add_argument("data_dir", nargs="?")
    args = parser.parse_args()
    if args.child == "baseline":
        return child_baseline()
    if args.child == "app":
        return child_app(args.data_dir)

    folder = sample_portfolio(args.items)
    launch(["--child", "app", str(folder)])  # warm the caches (and upgrade the schema if needed)
    launch(["--child", "baseline"])
    apps, bases = [], []
    for _ in range(args.repeat):
        bases.append(launch(["--child", "baseline"]))
        apps.append(launch(["--child", "app", str(folder)]))
    base_usable = statistics.median(b["usable"] for b in bases) * 1000
    app_painted = statistics.median(a["painted"] for a in apps) * 1000
    app_usable = statistics.median(a["usable"] for a in apps) * 1000
    print(f"Start-up, {args.items:,} items, median of {args.repeat} processes each")
    print(row("window painted (no data yet)", app_painted, base_usable))
    print(
        row(
            "window usable (dashboard + list)",
            app_usable,
            base_usable,
            target=f"target <= {TARGET}x",
        )
    )
    verdict = "meets" if app_usable <= TARGET * base_usable else "MISSES"
    print(f"{verdict} the start-up target ({app_usable / base_usable:.2f}x of the baseline)")


if __name__ == "__main__":
    main()
