"""The batch writer on PostgreSQL: ids come from the column's own sequence (issue 17)."""

from __future__ import annotations

from pathlib import Path

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from tests.services.archive_helpers import reflection


def test_a_bulk_load_takes_its_ids_from_the_sequence(postgres_url: str, tmp_path: Path) -> None:
    with open_portfolio(resolve_location(tmp_path, postgres_url)) as portfolio:
        first = portfolio.evidence.create(reflection("Before the load"))
        assert portfolio.evidence.bulk_create(reflection(f"Loaded {n}", n) for n in range(30)) == 30
        after = portfolio.evidence.create(reflection("After the load"))  # the sequence moved on
        ids = sorted(s.id for s in portfolio.evidence.list())
        assert len(ids) == 32 and len(set(ids)) == 32
        assert first.id < min(set(ids) - {first.id, after.id}) and after.id == max(ids)
        assert [h.item.title for h in portfolio.evidence.search("Loaded 7")][:1] == ["Loaded 7"]
