"""An archive imported into an empty portfolio builds the secondary indexes after the items
(SQLite): whether ``gpc-portfolio import`` finishes or is killed part way, every index is
there as it was, and the items are all there or none of them."""

from __future__ import annotations

import random
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import Location
from portfolio.services.backups import BackupService
from tests.conftest import run_cli_at
from tests.raw_database import indexes, raw_database
from tests.services.archive_helpers import (
    archive_service,
    import_in_child,
    reflection,
    sample_portfolio,
    wait_for,
)

LOADED = ("evidence", "evidence_link", "evidence_tag", "attachment", "revision")


def row_counts(location: Location) -> dict[str, int]:
    with raw_database(location) as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in LOADED
        }


def exported(source: Portfolio, out: Path, items: int) -> Path:
    """An archive of the sample portfolio and ``items`` more, linked and tagged in turn."""
    sample_portfolio(source)
    codes = ("GPC1", "GPC2", "GPC5", "GPC6.2", "GPC9")
    source.evidence.bulk_create(
        reflection(
            f"Item {n}",
            n % 300,
            what=f"Ward round number{n}",
            codes=(codes[n % 5], codes[(n + 2) % 5]),
            tags=(f"tag{n % 7}",),
        )
        for n in range(items)
    )
    return archive_service(source).export(out).path


def view(portfolio: Portfolio) -> tuple[object, ...]:
    """What the trainee sees of the items: the list, a search, the coverage, one history (the
    lists sorted: items of the same day may come in another order, their ids being others)."""
    listed = sorted((i.uuid, i.title, i.status) for i in portfolio.evidence.list())
    found = sorted((h.item.uuid, h.snippet) for h in portfolio.evidence.search("number17"))
    history = [(r.number, r.reason, r.digest) for r in portfolio.evidence.revisions(found[0][0])]
    return listed, found, portfolio.coverage.coverage(), history


def test_import_into_an_empty_portfolio_leaves_every_index_as_it_was(
    new_location: Callable[[str], Location], tmp_path: Path
) -> None:
    with open_portfolio(new_location("source")) as source:
        archive = exported(source, tmp_path / "all.gpcportfolio", 400)
        expected = view(source)
    target = new_location("target")
    with open_portfolio(target):
        pass  # created and migrated, empty
    before = indexes(target)
    result = run_cli_at(target, "import", str(archive))
    assert result.returncode == 0, result.stderr
    assert "403 added, 0 updated, 0 merged, 0 unchanged" in result.stdout
    assert indexes(target) == before
    with open_portfolio(target) as imported:
        assert view(imported) == expected
    again = run_cli_at(target, "import", str(archive))  # not empty now: nothing to defer
    assert again.returncode == 0 and "403 unchanged" in again.stdout
    assert indexes(target) == before


ITEMS = 4_000
"""Two batches of new items: a kill after the first lands while the indexes are away."""


@pytest.mark.slow
def test_killing_an_import_into_an_empty_portfolio_leaves_its_indexes(
    new_location: Callable[[str], Location], tmp_path: Path
) -> None:
    with open_portfolio(new_location("source")) as source:
        archive = exported(source, tmp_path / "big.gpcportfolio", ITEMS - 3)
    rng = random.Random(20261203)
    killed = 0
    for round_ in range(2):
        target = new_location(f"target{round_}")
        with open_portfolio(target):
            pass
        before = indexes(target)
        marker = tmp_path / f"marker{round_}"
        process = import_in_child(target, archive, marker)
        # reading and checking count 2 x ITEMS steps; the first batch of 2,000 is then written
        if wait_for(marker, process, rng.randrange(2 * ITEMS + 1, 2 * ITEMS + 2_000)) == "running":
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        counts = row_counts(target)
        assert counts["evidence"] in (0, ITEMS), counts
        assert indexes(target) == before
        with open_portfolio(target) as reopened:
            assert BackupService(reopened.database).check() == []
        if counts["evidence"] == 0:
            assert set(counts.values()) == {0}, counts  # no partial item anywhere
            finished = run_cli_at(target, "import", str(archive))
            assert finished.returncode == 0, finished.stderr
            assert f"{ITEMS} added" in finished.stdout
        assert indexes(target) == before
        with open_portfolio(target) as reopened:
            assert reopened.evidence.count() == ITEMS - 1  # one of the sample is in the trash
    assert killed, "every import ended before it could be killed"
