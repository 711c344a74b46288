"""Full-text search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector): docs/search.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from portfolio.app import Portfolio, open_portfolio
from portfolio.limits import MAX_SEARCH_WORDS
from portfolio.paths import Location, resolve_location
from portfolio.services.dto import EvidenceDraft
from portfolio.services.evidence import EvidenceQuery
from portfolio.storage import migrate

ENGINES = ("sqlite", "postgresql")
RANKING_TOLERANCE = 1.0
"""The least Kendall tau between the engines' orders, per query (measured: 1.0 on every query)."""


def draft(title: str, body: str = "", **changes: object) -> EvidenceDraft:
    base = EvidenceDraft(
        kind="reflection",
        title=title,
        occurred_on=date(2026, 3, 1),
        fields={"model": "what_so_what_now_what", "what": ""},
        text=body,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(params=ENGINES)
def location_on(request: pytest.FixtureRequest, tmp_path: Path) -> Location:
    """A portfolio's location on each engine in turn."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return resolve_location(tmp_path / "data", url)


@pytest.fixture
def on(location_on: Location) -> Iterator[Portfolio]:
    with open_portfolio(location_on) as opened:
        yield opened


def titles(portfolio: Portfolio, query: str) -> list[str]:
    return [hit.item.title for hit in portfolio.evidence.search(query)]


def listed(portfolio: Portfolio, query: str) -> set[str]:
    return {s.title for s in portfolio.evidence.list(EvidenceQuery(text=query))}


def test_every_word_must_match_in_any_order_and_any_field(on: Portfolio) -> None:
    on.evidence.create(draft("Sepsis recognition", "sepsis on the ward round"))
    on.evidence.create(draft("Night shift", "a patient with sepsis", tags=("handover",)))
    on.evidence.create(
        draft("Clinic letter", fields={"model": "what_so_what_now_what", "what": "Audit of VTE"})
    )
    assert titles(on, "sepsis ward") == ["Sepsis recognition"]
    assert titles(on, "ward sepsis") == ["Sepsis recognition"]
    assert titles(on, "sepsis handover") == ["Night shift"]  # a tag
    assert titles(on, "audit vte") == ["Clinic letter"]  # a field of the kind
    assert titles(on, "sepsis audit") == []
    assert listed(on, "sepsis ward") == {"Sepsis recognition"}
    assert listed(on, "night sepsis") == {"Night shift"}


def test_the_last_word_matches_as_you_type_and_only_the_last(on: Portfolio) -> None:
    on.evidence.create(draft("Quality improvement project", "rota audit"))
    assert titles(on, "q") == titles(on, "quali") == ["Quality improvement project"]
    assert titles(on, "quality impro") == ["Quality improvement project"]
    assert titles(on, "quali improvement") == []
    assert listed(on, "rota aud") == {"Quality improvement project"}


def test_accents_are_folded_both_ways(on: Portfolio) -> None:
    on.evidence.create(draft("Café conversation", "with Zoë about naïve ideas"))
    on.evidence.create(draft("Cafe rota", "Zoe"))
    assert set(titles(on, "cafe")) == set(titles(on, "CAFÉ")) == {"Café conversation", "Cafe rota"}
    assert set(titles(on, "zoë")) == {"Café conversation", "Cafe rota"}
    assert titles(on, "naive") == titles(on, "naïv") == ["Café conversation"]
    assert titles(on, "Émile") == []


HOSTILE = (
    "%",
    "_",
    "%%",
    "'",
    '"',
    "\\",
    "&|!():*",
    "z:*",
    "!",
    "<->",
    "(",
    "-",
    "''",
    "'; DROP TABLE evidence; --",
    "title:*",
    "AND OR NOT",
    "NEAR(z b)",
)


@pytest.mark.parametrize("query", HOSTILE)
def test_operators_and_wildcards_are_plain_text_never_everything(on: Portfolio, query: str) -> None:
    on.evidence.create(draft("Sepsis recognition", "sepsis"))
    on.evidence.create(draft("Night shift", "a patient"))
    assert titles(on, query) == []
    assert listed(on, query) == set()
    assert on.evidence.count() == 2


def test_a_blank_search_finds_nothing_and_a_blank_filter_filters_nothing(on: Portfolio) -> None:
    on.evidence.create(draft("Sepsis recognition", "sepsis"))
    for blank in ("", "   ", "\n"):
        assert titles(on, blank) == []
        assert listed(on, blank) == {"Sepsis recognition"}


def test_punctuation_around_words_is_ignored(on: Portfolio) -> None:
    on.evidence.create(draft("Audit 100% complete", "O'Neil's e-learning, GPC6.2"))
    on.evidence.create(draft("Another", "nothing"))
    for query in ("100%", "%100%", "o'neil", "e-learn", "gpc6.2", "_audit_", '"audit"', "audit:*"):
        assert titles(on, query) == ["Audit 100% complete"], query


def test_trashed_items_are_not_found_and_results_are_limited(on: Portfolio) -> None:
    items = [on.evidence.create(draft(f"Teaching {n}", "teaching")) for n in range(5)]
    on.evidence.delete(items[0].uuid)
    assert len(on.evidence.search("teaching")) == 4
    assert len(on.evidence.search("teaching", limit=2)) == 2


def test_words_beyond_the_limit_are_ignored_on_both(on: Portfolio) -> None:
    words = [f"w{n}" for n in range(MAX_SEARCH_WORDS)]
    on.evidence.create(draft("Many words", " ".join(words)))
    assert titles(on, " ".join(words)) == ["Many words"]
    assert titles(on, " ".join([*words, "absent"])) == ["Many words"]
    assert titles(on, " ".join(["absent", *words])) == []


def test_long_and_repeated_words_are_stored_and_found(on: Portfolio) -> None:
    long_word = "x" * 3_000
    on.evidence.create(draft("Long", f"{long_word} " + "sepsis " * 1_000))
    assert titles(on, "xxxx") == ["Long"]
    assert titles(on, long_word) == ["Long"]
    assert titles(on, "sepsis") == ["Long"]


def test_snippets_bracket_the_words_found(on: Portfolio) -> None:
    on.evidence.create(draft("Night shift", "Called to see a patient with sepsis on the ward."))
    (hit,) = on.evidence.search("sepsis war")
    assert "[sepsis]" in hit.snippet and "[ward]" in hit.snippet


def test_bulk_loads_and_rebuilds_index_on_both(on: Portfolio) -> None:
    assert on.evidence.bulk_create([draft(f"Bulk {n}", f"unique{n}") for n in range(30)]) == 30
    assert titles(on, "unique7") == ["Bulk 7"]
    on.evidence.rebuild_search_index()
    assert titles(on, "unique7 bulk") == ["Bulk 7"]
    assert on.backups.check() == []


def test_migration_0011_indexes_what_a_server_database_already_holds(
    postgres_url: str, tmp_path: Path
) -> None:
    location = resolve_location(tmp_path / "data", postgres_url)
    with open_portfolio(location) as portfolio:
        portfolio.evidence.create(draft("Sepsis recognition", "on the ward", tags=("acute",)))
        config = migrate.alembic_config()
        with portfolio.database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0010")
            assert not connection.execute(
                text("SELECT to_regclass('evidence_fts') IS NOT NULL")
            ).scalar()
    with open_portfolio(location) as portfolio:
        assert titles(portfolio, "acute ward") == ["Sepsis recognition"]
        assert portfolio.backups.check() == []


# -- through the command line ----------------------------------------------------------------


def cli(location: Location, *args: str) -> subprocess.CompletedProcess[str]:
    where = (
        ["--data-dir", str(location.data_dir)]
        if location.sqlite_path
        else ["--database", location.database_url]
    )
    return subprocess.run(
        [sys.executable, "-m", "portfolio", *where, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GPC_PORTFOLIO_DATA": str(location.data_dir)},
    )


def test_check_finds_the_index_out_of_step_and_repairs_it(location_on: Location) -> None:
    with open_portfolio(location_on) as portfolio:
        portfolio.evidence.create(draft("Sepsis recognition"))
        with portfolio.database.engine.begin() as connection:
            connection.execute(text("DELETE FROM evidence_fts"))
    found = cli(location_on, "check")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "Rebuild the search index with: gpc-portfolio check --repair" in found.stdout
    repaired = cli(location_on, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "The portfolio is sound" in repaired.stdout


RANKED_QUERIES = (
    "sepsis",
    "teach",
    "patient",
    "audit",
    "feedback",
    "team",
    "safe",
    "pa",
    "co",
    "re",
    "communication",
    "patient safety",
    "clinical",
    "ward round",
    "learn",
    "teaching sep",
    "leader",
    "handover night",
    "prescrib",
    "the",
    "gp",
    "reflection what",
)


def kendall_tau(a: list[str], b: list[str]) -> float:
    """Kendall's tau between two orders of the same items (1.0: the same order)."""
    where = {item: n for n, item in enumerate(b)}
    pairs = [(i, j) for i in range(len(a)) for j in range(i + 1, len(a))]
    if not pairs:
        return 1.0
    agree = sum(1 if where[a[i]] < where[a[j]] else -1 for i, j in pairs)
    return agree / len(pairs)


def through_cli(location: Location, query: str) -> list[str]:
    done = cli(location, "search", query, "--limit", "10000", "--json")
    assert done.returncode == 0, done.stderr
    return [f"{h['date']} {h['title']}" for h in json.loads(done.stdout)]


def through_service(location: Location, query: str) -> list[str]:
    with open_portfolio(location, write=False) as portfolio:
        hits = portfolio.evidence.search(query, limit=10_000)
    return [f"{h.item.occurred_on} {h.item.title}" for h in hits]


@pytest.mark.slow
def test_both_engines_rank_the_demo_as_fts5_does(postgres_url: str, tmp_path: Path) -> None:
    """The demo's 69 items, made and searched by the real command line on each engine (and,
    for more queries than processes can afford, by the service): the same items, in the same
    order, within RANKING_TOLERANCE."""
    sqlite_at = resolve_location(tmp_path / "sqlite")
    server_at = resolve_location(tmp_path / "server", postgres_url)
    for location in (sqlite_at, server_at):
        made = cli(location, "demo")
        assert made.returncode == 0, made.stderr
    for query in RANKED_QUERIES:
        search = through_cli if query in RANKED_QUERIES[:3] else through_service
        fts5, server = search(sqlite_at, query), search(server_at, query)
        assert fts5, query
        assert set(server) == set(fts5), query
        assert server[:10] == fts5[:10], query
        assert kendall_tau(fts5, server) >= RANKING_TOLERANCE, query


GENERATED_WORDS = [
    "sepsis",
    "ward",
    "handover",
    "teaching",
    "audit",
    "quality",
    "improvement",
    "feedback",
    "team",
    "safety",
    "prescribing",
    "night",
    "clinic",
    "reflection",
    "learning",
    "leadership",
    "consent",
    "café",
    "naïve",
    "Zoë",
    "Łódź",
    "déjà-vu",
    "GPC6.2",
    "O'Neil",
    "e-learning",
    "100%",
    "_rota_",
]


def generated(n: int) -> list[EvidenceDraft]:
    """Items of a fixed pseudo-random mix of words, titles short and bodies long, some tagged."""
    state = 12345

    def pick(k: int) -> str:
        nonlocal state
        words = []
        for _ in range(k):
            state = (state * 1103515245 + 12345) % 2**31
            words.append(GENERATED_WORDS[state % len(GENERATED_WORDS)])
        return " ".join(words)

    return [
        draft(
            pick(1 + n_ % 5),
            pick(5 + (n_ * 7) % 60),
            occurred_on=date(2026, 1, 1 + n_ % 28),
            tags=(pick(1).strip("%_'").lower() or "x",) if n_ % 3 == 0 else (),
        )
        for n_ in range(n)
    ]


def test_a_generated_corpus_ranks_the_same_on_both_engines(
    postgres_url: str, tmp_path: Path
) -> None:
    """Every item found on one engine is found on the other, in the same order: 200 items,
    accents and punctuation, words in titles, bodies and tags, one to three words a query."""
    orders: dict[str, list[list[str]]] = {}
    queries = [
        *GENERATED_WORDS,
        *(w[:2] for w in GENERATED_WORDS),
        "sepsis ward",
        "cafe naive",
        "team safety le",
        "deja vu",
        "quality im",
    ]
    for name, url in (("sqlite", None), ("postgresql", postgres_url)):
        with open_portfolio(resolve_location(tmp_path / name, url)) as portfolio:
            assert portfolio.evidence.bulk_create(generated(200)) == 200
            orders[name] = [
                [str(h.item.id) for h in portfolio.evidence.search(q, limit=10_000)]
                for q in queries
            ]
    for query, fts5, server in zip(queries, orders["sqlite"], orders["postgresql"], strict=True):
        assert fts5, query
        assert set(server) == set(fts5), query
        assert kendall_tau(fts5, server) >= RANKING_TOLERANCE, query
