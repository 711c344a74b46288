"""Full-text index of evidence (SQLite FTS5): ranked, with prefix matching.

The index is maintained by the evidence service row by row, and rebuilt in one pass after bulk
loads. Other databases fall back to a case-insensitive substring search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Connection, text

FTS_TABLE = "evidence_fts"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def uses_fts(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def match_expression(query: str) -> str | None:
    """Turn what a person types into an FTS5 query: every word must match, the last as a prefix.

    Words are quoted, so FTS5 operators and punctuation in the input are taken literally.
    """
    words = _TOKEN.findall(query)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


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
    connection.execute(
        text(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (:id, :t, :b)"),
        [{"id": r[0], "t": r[1], "b": r[2]} for r in rows],
    )


def clear_index(connection: Connection) -> None:
    if uses_fts(connection):
        connection.execute(text(f"DELETE FROM {FTS_TABLE}"))


def optimise_index(connection: Connection) -> None:
    if uses_fts(connection):
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))


def indexed_ids(connection: Connection) -> set[int]:
    if not uses_fts(connection):
        return set()
    return {row[0] for row in connection.execute(text(f"SELECT rowid FROM {FTS_TABLE}"))}
