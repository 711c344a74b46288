"""Secondary indexes built once after a large load instead of row by row during it.

Into an empty table SQLite writes rows far faster without its secondary indexes, and one
``CREATE INDEX`` afterwards sorts the rows once instead of inserting into every b-tree row by
row. DDL is transactional in SQLite: the indexes are dropped and made again inside the
caller's transaction, so a failed load rolls back to the indexes as they were, and other
connections never see the table without them. Unique indexes stay (they are checks, not
just lookups); PostgreSQL keeps its indexes (its loads are batched by the server).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, bindparam, text


@contextmanager
def indexes_deferred(
    connection: Connection, tables: Sequence[str], *, empty: str
) -> Iterator[None]:
    """Within the block, ``tables`` lack their non-unique indexes when table ``empty`` holds no
    row at the start; they are made again, from their own definitions, when the block ends.
    A block that raises leaves them to the transaction's rollback, which the caller owes."""
    if (
        connection.dialect.name != "sqlite"
        or connection.execute(text(f"SELECT EXISTS (SELECT 1 FROM {empty})")).scalar()
    ):
        yield
        return
    dropped = [
        (name, sql)
        for name, sql in connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN :tables ORDER BY rowid"
            ).bindparams(bindparam("tables", expanding=True)),
            {"tables": list(tables)},
        )
        if not sql.lstrip().upper().startswith("CREATE UNIQUE")
    ]
    for name, _sql in dropped:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in dropped:
        connection.exec_driver_sql(sql)
