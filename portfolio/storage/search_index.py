"""Full-text index of evidence, ranked by bm25, with prefix matching, on SQLite and PostgreSQL.

On SQLite the index is an FTS5 table. On PostgreSQL it is a table of the same name holding a
``tsvector`` under a GIN index, and bm25 is computed in SQL exactly as FTS5 computes it (docs/
search.md). Both engines use one definition of a word: the tokens FTS5's ``unicode61
remove_diacritics 2`` tokenizer makes (case and accents folded), so the same items match and
rank in the same order. The evidence service maintains the index row by row and rebuilds it in
one pass after bulk loads; ``index_rows``, ``clear_index`` and ``indexed_ids`` serve both.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, Float, Integer, Subquery, bindparam, column, text

from portfolio.limits import MAX_SEARCH_WORDS

FTS_TABLE = "evidence_fts"
TOKENIZE = "unicode61 remove_diacritics 2"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    f"title, body, tokenize = '{TOKENIZE}', prefix = '2 3')"
)
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
"""bm25's column weights: a word in the title counts ten times one in the body."""
MAX_POSITIONS = 256
"""PostgreSQL keeps at most 256 positions of a word in a tsvector: the most a word counts."""
MAX_LEXEME = 500
"""Characters of a word PostgreSQL indexes (a lexeme holds at most 2,047 bytes)."""
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_TOKENIZER_LOCK = threading.Lock()
_BATCH = 1_000
"""Rows tokenized at a time when PostgreSQL's index is built."""


def body_of(fields_text: str, text_: str, tags: Iterable[str]) -> str:
    """The indexed body of an item: its kind's fields (``searchable_text``), its text, its tags."""
    return "\n".join(filter(None, [fields_text, text_, " ".join(tags)]))


def uses_fts(connection: Connection) -> bool:
    """Whether the database has a full-text index (SQLite's FTS5 or PostgreSQL's tsvector)."""
    return connection.dialect.name in ("sqlite", "postgresql")


@dataclass(frozen=True)
class Query:
    """What a person typed, as words: every one must match, the last as a prefix."""

    words: tuple[str, ...]

    def fts5(self) -> str:
        """FTS5 syntax; the words are quoted, so nothing typed is taken as an operator."""
        return " ".join(f'"{w}"' for w in self.words) + "*"

    def tsquery(self) -> str:
        return " & ".join(
            _term(w, prefix=i == len(self.words) - 1) for i, w in enumerate(self.words)
        )


def parse(query: str) -> Query | None:
    """The words of ``query`` (at most MAX_SEARCH_WORDS), or None when it has none."""
    words = tuple(_tokens([query])[0][:MAX_SEARCH_WORDS])
    return Query(words) if words else None


_SQLITE_MATCHES = (
    f"SELECT rowid, bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS rank "
    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
)
_SQLITE_BEST = (
    f"WITH ranked AS MATERIALIZED ({_SQLITE_MATCHES}), "
    "cut AS MATERIALIZED (SELECT (SELECT rank FROM ranked ORDER BY rank LIMIT 1 OFFSET :best - 1)"
    " AS edge) SELECT rowid, rank, edge FROM cut, ranked WHERE rank <= coalesce(edge, 1e308)"
)
"""The matches ranked no worse than the ``best``-th (its rank, ``edge``, NULL when there are
fewer), ties included: every match left out ranks strictly after every one kept. bm25 is
computed once, and the edge first: as a join, SQLite filtered by it only after reading each
match's row of evidence (the CTEs are materialised)."""


def matches(connection: Connection, query: Query, best: int | None = None) -> Subquery:
    """The ids of items matching ``query`` with their bm25 ``rank`` (lower is better).

    With ``best`` (SQLite's only), only those ranked no worse than the ``best``-th match, whose
    rank is the ``edge`` column (NULL when every match is kept): a first page in rank order
    then joins the evidence table for a few hundred matches rather than for each of 15,000
    (reading each row's ``deleted_at`` and ``occurred_on`` costs more than ranking it)."""
    if best is not None:
        return (
            text(_SQLITE_BEST)
            .bindparams(q=query.fts5(), best=best)
            .columns(column("rowid", Integer), column("rank", Float), column("edge", Float))
            .subquery("matches")
        )
    if connection.dialect.name == "sqlite":
        statement = text(_SQLITE_MATCHES).bindparams(q=query.fts5())
    else:
        last = len(query.words) - 1
        statement = text(_PG_BM25).bindparams(
            q=query.tsquery(),
            words=[_lexeme(w) for w in query.words],
            prefixes=[i == last for i in range(len(query.words))],
            terms=[_term(w, prefix=i == last) for i, w in enumerate(query.words)],
        )
    return statement.columns(column("rowid", Integer), column("rank", Float)).subquery("matches")


def snippets(connection: Connection, query: Query, ids: Sequence[int]) -> dict[int, str]:
    """A short extract of each item's body around the words found, matches in [brackets]."""
    if not ids:
        return {}
    if connection.dialect.name == "sqlite":
        statement = text(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, '[', ']', '…', 12) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :q AND rowid IN :ids"
        ).bindparams(bindparam("ids", expanding=True), q=query.fts5())
        rows = connection.execute(statement, {"ids": list(ids)})
        return {r[0]: " ".join((r[1] or "").split()) for r in rows}
    statement = text(f"SELECT rowid, body FROM {FTS_TABLE} WHERE rowid IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    rows = connection.execute(statement, {"ids": list(ids)})
    return {r[0]: _snippet(r[1], query) for r in rows}


def index_rows(
    connection: Connection, rows: Iterable[tuple[int, str, str]], *, replace: bool = True
) -> None:
    """Insert (evidence id, title, body) rows, first removing their old entries if ``replace``."""
    if not uses_fts(connection):
        return
    rows = list(rows)
    if not rows:
        return
    if replace:
        connection.execute(
            text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), [{"id": r[0]} for r in rows]
        )
    if connection.dialect.name == "sqlite":  # the driver's own executemany of plain tuples
        connection.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)", rows
        )
        return
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        tokens = _tokens(text_ for r in batch for text_ in (r[1], r[2]))
        connection.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, body, tokens, document) "
                "VALUES (:id, :b, :n, CAST(:d AS tsvector))"
            ),
            [
                {"id": r[0], "b": r[2], "n": len(title) + len(body), "d": _tsvector(title, body)}
                for r, title, body in zip(batch, tokens[0::2], tokens[1::2], strict=True)
            ],
        )


def clear_index(connection: Connection) -> None:
    if uses_fts(connection):
        connection.execute(text(f"DELETE FROM {FTS_TABLE}"))


def optimise_index(connection: Connection) -> None:
    """After a rebuild: FTS5 merges its segments; PostgreSQL learns the new sizes."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
    elif connection.dialect.name == "postgresql":
        connection.execute(text(f"ANALYZE {FTS_TABLE}"))


def indexed_ids(connection: Connection) -> set[int]:
    if not uses_fts(connection):
        return set()
    return {row[0] for row in connection.execute(text(f"SELECT rowid FROM {FTS_TABLE}"))}


# -- one tokenizer for both engines ------------------------------------------------------------


def _tokens(texts: Iterable[str]) -> list[list[str]]:
    """Each text's words, in order, as FTS5 makes them.

    ASCII text is split here: FTS5 takes its letters and digits as words, lower-cased, and every
    other ASCII character as a separator. Other text goes through FTS5's own tokenizer, in a
    private in-memory SQLite database, so that PostgreSQL's index and every query see exactly
    the words the SQLite index holds.
    """
    texts = list(texts)
    found = [_ASCII_WORD.findall(t.lower()) if t.isascii() else [] for t in texts]
    rest = [(n, t) for n, t in enumerate(texts) if not t.isascii()]
    if rest:
        with _TOKENIZER_LOCK:
            con = _tokenizer()
            try:
                con.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", rest)
                for doc, term in con.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
                    found[doc].append(term)
            finally:  # a failure must not leave these texts behind for the next caller
                con.execute("DELETE FROM t")
    return found


@cache
def _tokenizer() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    # FTS5 cuts an over-long token at a byte count, which can split a character in two.
    con.text_factory = lambda raw: raw.decode("utf-8", "replace")
    con.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '{TOKENIZE}')")
    con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    return con


# -- PostgreSQL ----------------------------------------------------------------------------------


def _lexeme(word: str) -> str:
    return word[:MAX_LEXEME]


def _quoted(word: str) -> str:
    return "'" + _lexeme(word).replace("\\", "\\\\").replace("'", "''") + "'"


def _term(word: str, *, prefix: bool) -> str:
    return _quoted(word) + (":*" if prefix else "")


def _tsvector(title: Sequence[str], body: Sequence[str]) -> str:
    """A tsvector literal: each word once, a position per occurrence, A for the title, D for the
    body. Positions are counters, not places in the text: only their number and weight count."""
    weights: dict[str, list[str]] = {}
    for tokens, weight in ((title, "A"), (body, "")):
        for word, count in Counter(_lexeme(w) for w in tokens).items():
            weights.setdefault(word, []).extend([weight] * count)
    return " ".join(
        _quoted(word) + ":" + ",".join(f"{n}{w}" for n, w in enumerate(ws[:MAX_POSITIONS], 1))
        for word, ws in weights.items()
    )


_PG_BM25 = f"""
WITH stats AS MATERIALIZED (
    SELECT count(*)::float8 AS rows, avg(tokens)::float8 AS avgdl FROM {FTS_TABLE}
),
counted AS MATERIALIZED (
    SELECT q.word, q.prefix, hits.n::float8 AS hits
    FROM unnest(CAST(:words AS text[]), CAST(:prefixes AS boolean[]), CAST(:terms AS tsquery[]))
        AS q(word, prefix, term)
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM {FTS_TABLE} WHERE document @@ q.term
    ) hits
),
terms AS MATERIALIZED (
    SELECT t.word, t.prefix, ln((s.rows - t.hits + 0.5) / (t.hits + 0.5)) AS idf
    FROM counted t CROSS JOIN stats s
)
SELECT f.rowid, -sum(
    CASE WHEN t.idf <= 0 THEN 1e-6 ELSE t.idf END * (freq.f * 2.2)
    / (freq.f + 1.2 * (0.25 + 0.75 * f.tokens / s.avgdl))
) AS rank
FROM {FTS_TABLE} f CROSS JOIN stats s CROSS JOIN terms t
CROSS JOIN LATERAL (
    SELECT sum(CASE w WHEN 'A' THEN {TITLE_WEIGHT} ELSE {BODY_WEIGHT} END)::float8 AS f
    FROM unnest(f.document) AS u(lexeme, positions, weights), unnest(u.weights) AS w
    WHERE CASE WHEN t.prefix THEN starts_with(u.lexeme, t.word) ELSE u.lexeme = t.word END
) freq
WHERE f.document @@ CAST(:q AS tsquery)
GROUP BY f.rowid
"""
"""FTS5's bm25 (k1 = 1.2, b = 0.75; fts5_aux.c): per word, its idf over the whole index times
its weighted count in the row, saturated and normalised by the row's length in tokens."""


def _snippet(body: str, query: Query, size: int = 12) -> str:
    """Up to ``size`` words of ``body`` from just before the first match, matches bracketed."""
    words = list(_WORD.finditer(body))
    if not words:
        return " ".join(body.split())
    whole, prefix = set(query.words[:-1]), query.words[-1]
    hits = [
        bool(t) and (t[0] in whole or t[0].startswith(prefix))
        for t in _tokens(m.group() for m in words)
    ]
    first = hits.index(True) if True in hits else 0
    start = max(0, min(first - 2, len(words) - size))
    stop = min(start + size, len(words))
    parts, at = [], words[start].start()
    for word, hit in zip(words[start:stop], hits[start:stop], strict=True):
        parts += [body[at : word.start()], f"[{word.group()}]" if hit else word.group()]
        at = word.end()
    shown = " ".join("".join(parts).split())
    return ("…" if start > 0 else "") + shown + ("…" if stop < len(words) else "")
