"""A process killed during a large import leaves the portfolio fully before or fully after."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.backups import BackupService
from tests.services.archive_helpers import archive_service, reflection

ITEMS = 3_000

CHILD = """
import sys
from pathlib import Path
from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.archive import ArchiveService

data_dir, archive, marker = sys.argv[1:4]

def progress(done, total):
    Path(marker + ".partial").write_text(f"{done} {total}")
    Path(marker + ".partial").replace(marker)

with open_portfolio(resolve_location(data_dir)) as portfolio:
    ArchiveService(portfolio.database).import_(Path(archive), progress=progress)
Path(marker).write_text("done")
"""


def evidence_count(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM evidence").fetchone()[0])
    finally:
        connection.close()


def wait_for(marker: Path, process: subprocess.Popen[bytes], threshold: int) -> str:
    """Poll (never a fixed sleep) until the import has got as far as ``threshold`` or ended."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "exited"
        try:
            text = marker.read_text()
        except FileNotFoundError:
            text = ""
        if text == "done":
            return "exited"
        if text and int(text.split()[0]) >= threshold:
            return "running"
        time.sleep(0.005)
    process.kill()
    pytest.fail("the import never got going")


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
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), str(archive), str(marker)],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
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
