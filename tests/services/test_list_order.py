"""The evidence list's orders, on both engines: every column both ways gives the rows SQL itself
orders by the same expression, its first page comes in one statement, and an index serves
every order but the domains' (migration 0015)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TypeVar

import pytest
from sqlalchemy import event, text

from portfolio.app import Portfolio, open_portfolio
from portfolio.demo import fill_demo
from portfolio.paths import Location
from portfolio.services import evidence_query
from portfolio.services.dto import Link
from portfolio.services.evidence_query import SORTED_IN_FULL, EvidenceQuery
from portfolio.storage.search_index import FTS_TABLE
from tests.raw_database import raw_database
from tests.services.test_evidence import reflection

ORDERS = {
    "date": "occurred_on",
    "kind": "kind",
    "title": "lower(title)",  # the list's order as it always was; SQLite's index is NOCASE
    "status": "status",
    "domains": "(SELECT min(code) FROM evidence_link l WHERE l.evidence_id = e.id)",
}
T = TypeVar("T")
TITLES = ("apple", "Apple", "APPLE pie", "Éclair", "éclair", "Zebra", "zebra", "_notes", "10 days")


def awkward(portfolio: Portfolio) -> None:
    """The demo's kinds, statuses and sign-offs, with titles that differ only in case or in
    letters beyond ASCII, equal dates, no links, and an item in the trash."""
    fill_demo(portfolio)
    for number, title in enumerate(TITLES):
        links = () if number % 3 == 0 else (Link(f"GPC{number % 9 + 1}"), Link("GPC1"))
        portfolio.evidence.create(
            reflection(title, occurred_on=date(2025, 5, 1 + number % 2), links=links)
        )
    portfolio.evidence.delete(portfolio.evidence.create(reflection("Deleted")).uuid)


def sql_order(location: Location, key: str, descending: bool) -> list[int]:
    way = " DESC" if descending else ""
    with raw_database(location) as connection:
        return list(
            connection.execute(
                text(
                    f"SELECT id FROM evidence e WHERE deleted_at IS NULL "
                    f"ORDER BY {ORDERS[key]}{way}, id{way}"
                )
            ).scalars()
        )


def test_every_order_both_ways_is_the_one_sql_gives(
    portfolio: Portfolio, location: Location
) -> None:
    awkward(portfolio)
    evidence = portfolio.evidence
    for key in ORDERS:
        for descending in (False, True):
            query = EvidenceQuery(sort=key, descending=descending)
            expected = sql_order(location, key, descending)
            assert len(expected) == evidence.count() and len(set(expected)) == len(expected)
            assert evidence.query_ids(query) == expected, (key, descending)
            first = evidence.first_rows_unless(query, lambda: False, 5)
            assert first is not None
            assert first.rows == evidence.list_rows(expected[:5])  # as a later page reads it
            assert first.every_id == (expected if key in SORTED_IN_FULL else None)


def statements(portfolio: Portfolio, into: list[tuple[str, object]]):
    """Collects the statements about evidence that the portfolio runs, with their parameters."""

    def executed(_conn, _cursor, statement, parameters, *_: object) -> None:
        if "evidence" in statement:
            into.append((statement, parameters))

    engine = portfolio.database.engine
    event.listen(engine, "before_cursor_execute", executed)
    return lambda: event.remove(engine, "before_cursor_execute", executed)


def index_looks(portfolio: Portfolio, work: Callable[[], T]) -> tuple[T, int]:
    """What ``work()`` returns, and how many of its statements read the search index."""
    seen: list[tuple[str, object]] = []
    stop = statements(portfolio, seen)
    try:
        done = work()
    finally:
        stop()
    return done, sum(FTS_TABLE in statement for statement, _ in seen)


def test_a_searchs_first_page_is_one_statement_with_its_codes(portfolio: Portfolio) -> None:
    """Ids, columns and linked codes together (the search's first page waited for three)."""
    for number in range(30):
        links = (Link("GPC6.2"), Link("GPC2"), Link("GPC6")) if number % 2 else ()
        portfolio.evidence.create(reflection(f"Handover {number}", links=links))
    seen: list[tuple[str, object]] = []
    stop = statements(portfolio, seen)
    try:
        first = portfolio.evidence.first_rows_unless(
            EvidenceQuery(text="handover"), lambda: False, 20
        )
    finally:
        stop()
    assert len(seen) == 1, seen
    assert first is not None and len(first.rows) == 20 and first.every_id is None
    codes = {row.domains for row in first.rows}
    assert codes == {"", "GPC2, GPC6, GPC6.2"}  # in code order, as SQL orders them


def test_a_searchs_first_page_is_its_best_ranked_matches_in_full_order(
    portfolio: Portfolio,
) -> None:
    """Looked for among the best ranked matches only: ties beyond them still count (equal
    ranks go by date, newest first), and deleted matches crowding them out are made up for."""
    evidence = portfolio.evidence
    for day in range(1, 21):  # ranked equal: their dates order them, the newest made last
        evidence.create(reflection("Sepsis review", occurred_on=date(2026, 1, day)))
    for times in range(1, 9):  # ranked apart
        evidence.create(reflection(" ".join(["Audit"] * times), occurred_on=date(2025, 1, 1)))
    limit = 3  # among the best ranked 6

    sqlite = portfolio.database.engine.dialect.name == "sqlite"

    def first_page_is_the_lists(searched: EvidenceQuery, *, looks: int) -> None:
        """``looks``: how often SQLite's first page searches the index (once, or again for
        the full order)."""
        first, looked = index_looks(
            portfolio, lambda: evidence.first_rows_unless(searched, lambda: False, limit)
        )
        expected = evidence.query_ids(searched)
        assert first is not None and first.every_id is None
        assert first.rows == evidence.list_rows(expected[:limit])
        assert looked == (looks if sqlite else 1)

    first_page_is_the_lists(EvidenceQuery(text="sepsis"), looks=1)  # ties beyond the best kept
    audits = EvidenceQuery(text="audit")
    first_page_is_the_lists(audits, looks=1)
    for item in evidence.list_rows(evidence.query_ids(audits, limit=5)):
        evidence.delete(item.uuid)
    first_page_is_the_lists(audits, looks=2)  # deleted ones crowd out the best


def test_a_search_with_no_live_match_searches_the_index_once(portfolio: Portfolio) -> None:
    """No match, or only deleted ones: the first page's one look at the index says so (it
    looked a second time, for the full order, before)."""
    evidence = portfolio.evidence
    for number in range(30):
        evidence.create(reflection(f"Handover {number}"))
    evidence.delete(evidence.create(reflection("Sepsis review")).uuid)
    for typed in ("audit", "sepsis"):
        searched = EvidenceQuery(text=typed)
        first, looked = index_looks(
            portfolio, partial(evidence.first_rows_unless, searched, lambda: False, 20)
        )
        assert first is not None and first.rows == [] and first.every_id is None
        assert evidence.query_ids(searched) == []
        assert looked == 1, typed


def plan(location: Location, statement: str, parameters: object) -> str:
    with raw_database(location) as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(str(row[-1]) for row in rows)
        for kind in ("sort", "incremental_sort", "seqscan"):  # a sort only if no index serves
            connection.exec_driver_sql(f"SET enable_{kind} = off")
        return "\n".join(
            row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        )


@pytest.mark.parametrize("key", ["date", "kind", "title", "status"])
def test_an_index_serves_every_order_but_the_domains(
    portfolio: Portfolio, location: Location, key: str
) -> None:
    """Sorting 100,000 items by title took seconds: no order but the first linked code's
    sorts the rows (SQLite's temporary B-tree, PostgreSQL's Sort)."""
    awkward(portfolio)
    for descending in (False, True):
        seen: list[tuple[str, object]] = []
        stop = statements(portfolio, seen)
        try:
            portfolio.evidence.query_ids(EvidenceQuery(sort=key, descending=descending))
        finally:
            stop()
        (statement, parameters) = next(s for s in seen if "ORDER BY" in s[0])
        shown = plan(location, statement, parameters)
        assert "TEMP B-TREE" not in shown and "Sort" not in shown, shown


def test_a_searchs_compiled_sql_is_kept_once_however_many_portfolios_open(
    blank_location: Callable[[str], Location],
) -> None:
    """Each engine has a dialect object of its own; kept by dialect name, the SQL compiled
    for a search's first page is not kept again (with the dialect) for every portfolio opened."""
    searched = EvidenceQuery(text="sepsis")
    kept: dict[object, object] | None = None
    for _ in range(3):
        with open_portfolio(blank_location("searched")) as opened:
            opened.evidence.create(reflection("Sepsis review"))
            first = opened.evidence.first_rows_unless(searched, lambda: False, 20)
            assert first is not None and [row.title for row in first.rows] == ["Sepsis review"]
        kept = kept or dict(evidence_query._RANKED_PAGES)
        assert kept == evidence_query._RANKED_PAGES
