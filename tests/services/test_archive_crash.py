"""A process killed during a large import leaves the portfolio fully before or fully after."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
from pathlib import Path

import pytest

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.backups import BackupService
from tests.services.archive_helpers import archive_service, import_in_child, reflection, wait_for

ITEMS = 3_000


def evidence_count(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM evidence").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.slow
def test_killing_an_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    with open_portfolio(resolve_location(tmp_path / "source")) as source:
        source.evidence.bulk_create(
            reflection(f"Item {n}", n % 700, what=f"Audit number {n}", tags=("bulk",))
            for n in range(ITEMS)
        )
        some = source.evidence.list()[:20]
        for number, item in enumerate(some):
            source.evidence.attach_bytes(item.uuid, f"f{number}.txt", f"file {number}".encode())
        archive = archive_service(source).export(tmp_path / "big.gpcportfolio").path

    rng = random.Random(int(os.environ.get("ARCHIVE_CRASH_SEED", "20260301")))
    outcomes = []
    for round_ in range(3):
        folder = tmp_path / f"target{round_}"
        with open_portfolio(resolve_location(folder)):
            pass  # created and migrated, empty
        database = folder / "portfolio.sqlite3"
        marker = tmp_path / f"marker{round_}"
        # the reading and checking phases count 2 x ITEMS steps; writing is the last third
        threshold = rng.randrange(2 * ITEMS, 3 * ITEMS)
        process = import_in_child(resolve_location(folder), archive, marker)
        state = wait_for(marker, process, threshold)
        if state == "running":
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        count = evidence_count(database)
        assert count in (0, ITEMS), count
        outcomes.append((state, count))
        with open_portfolio(resolve_location(folder)) as reopened:
            assert BackupService(reopened.database).check() == []
            assert reopened.evidence.count() == count
    assert any(state == "running" for state, _ in outcomes), outcomes
