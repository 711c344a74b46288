"""One definition of a word on both engines: the tokens PostgreSQL's index and every query use
are those SQLite's FTS5 index holds (docs/search.md)."""

from __future__ import annotations

import sqlite3
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.storage import search_index

TEXTS = st.text(alphabet=string.printable + "éÉèçñöøßæœŁłİıſµÀﬁ½²\u0301\u0338_", max_size=60)


def fts5_tokens(texts: list[str]) -> list[list[str]]:
    """The words the portfolio's own FTS5 table (migration 0001's definition) holds."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(search_index.CREATE_FTS)
        con.execute(f"CREATE VIRTUAL TABLE v USING fts5vocab({search_index.FTS_TABLE}, 'instance')")
        con.executemany(
            f"INSERT INTO {search_index.FTS_TABLE}(rowid, title, body) VALUES (?, '', ?)",
            enumerate(texts),
        )
        found: list[list[str]] = [[] for _ in texts]
        for doc, term in con.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
            found[doc].append(term)
        return found
    finally:
        con.close()


@settings(max_examples=300)
@given(st.lists(TEXTS, min_size=1, max_size=8))
def test_the_tokens_are_fts5s_for_ascii_and_other_text(texts: list[str]) -> None:
    assert search_index._tokens(texts) == fts5_tokens(texts)


def test_a_query_keeps_its_words_in_order_folded() -> None:
    query = search_index.parse("Café  'x' O'Neil GPC6.2 %_*")
    assert query is not None
    assert query.words == ("cafe", "x", "o", "neil", "gpc6", "2")
    assert query.fts5() == '"cafe" "x" "o" "neil" "gpc6" "2"*'
    assert query.tsquery() == "'cafe' & 'x' & 'o' & 'neil' & 'gpc6' & '2':*"
    assert search_index.parse("%_ *:&|!()'\"") is None
