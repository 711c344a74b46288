"""Bulk load, search and coverage over 100,000 items, each beside a baseline from the same run.

Baselines are the least the work could cost: plain sqlite3 doing the same inserts, the same
FTS5 query and the same GROUP BY, without our validation, revisions or read-models.

    .venv/bin/python benchmarks/bench_core.py [--items N]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link

WORDS = [
    "sepsis",
    "handover",
    "escalation",
    "audit",
    "teaching",
    "rota",
    "delirium",
    "discharge",
    "feedback",
    "falls",
    "consent",
    "safeguarding",
    "prescribing",
    "insulin",
    "anticoagulation",
    "leadership",
    "committee",
    "deterioration",
    "communication",
    "simulation",
]
DOMAINS = ("GPC1", "GPC2.2", "GPC3.1", "GPC4", "GPC5", "GPC6.1", "GPC6.2", "GPC7", "GPC8", "GPC9")


def drafts(count: int) -> list[EvidenceDraft]:
    start = date(2020, 1, 1)
    return [
        EvidenceDraft(
            kind="reflection",
            title=f"{WORDS[n % 20].title()} on call {n}",
            occurred_on=start + timedelta(days=n % 2000),
            fields={
                "model": "what_so_what_now_what",
                "what": f"{WORDS[n % 20]} {WORDS[(n * 7) % 20]} item {n}",
            },
            text=" ".join(WORDS[(n + k) % 20] for k in range(40)),
            links=(Link(DOMAINS[n % 10]), Link(DOMAINS[(n * 3) % 10])),
        )
        for n in range(count)
    ]


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    """Median seconds over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        work()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples)


def baseline_load(path: Path, items: list[EvidenceDraft]) -> float:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE e (id INTEGER PRIMARY KEY, title, day, fields, body)")
    con.execute("CREATE TABLE l (e, code)")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(title, body)")

    def load() -> None:
        with con:
            con.executemany(
                "INSERT INTO e VALUES (?, ?, ?, ?, ?)",
                (
                    (n, d.title, d.occurred_on.isoformat(), json.dumps(d.fields), d.text)
                    for n, d in enumerate(items)
                ),
            )
            con.executemany(
                "INSERT INTO l VALUES (?, ?)",
                ((n, link.code) for n, d in enumerate(items) for link in d.links),
            )
            con.execute("INSERT INTO f(rowid, title, body) SELECT id, title, body FROM e")

    seconds = timed(load)
    con.close()
    return seconds


def report(name: str, ours: float, base: float, target: str) -> None:
    print(
        f"{name:<34} {ours * 1000:10.1f} ms   baseline {base * 1000:9.1f} ms   "
        f"ratio {ours / base:5.2f}x   ({target})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    count = parser.parse_args().items
    items = drafts(count)
    with tempfile.TemporaryDirectory() as folder:
        base_path = Path(folder) / "baseline.sqlite3"
        base_load = baseline_load(base_path, items)
        with open_portfolio(resolve_location(Path(folder) / "data")) as portfolio:
            load = timed(lambda: portfolio.evidence.bulk_create(items))
            report(f"bulk load of {count:,} items", load, base_load, "index built once at the end")

            con = sqlite3.connect(base_path)
            base_search = timed(
                lambda: con.execute(
                    "SELECT rowid FROM f WHERE f MATCH 'seps*' ORDER BY bm25(f) LIMIT 50"
                ).fetchall(),
                5,
            )
            search = timed(lambda: portfolio.evidence.search("seps", limit=50), 5)
            report("search top 50 ('seps…')", search, base_search, "as-you-type: < 50 ms")

            base_cov = timed(
                lambda: con.execute(
                    "SELECT code, count(DISTINCT e) FROM l GROUP BY code"
                ).fetchall(),
                3,
            )
            cov = timed(portfolio.coverage.coverage, 3)
            report("coverage of the nine domains", cov, base_cov, "per-domain counts by status")
            con.close()


if __name__ == "__main__":
    main()
