"""Backups of a server portfolio: every row copied into a SQLite portfolio file, and back.

A server database has no file to copy page by page, so its backup is a portfolio file like a
laptop's (``portfolio-…-<reason>.sqlite3`` in the backups folder, at the same schema): listed,
checked and opened like any other. Restoring replaces every row of the server's portfolio with
the file's in the caller's one transaction. The whole server (every database, the roles) is
the centre's own ``pg_dump`` (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, create_engine, insert, select, text

from portfolio.models import Base
from portfolio.storage import encryption
from portfolio.storage.backup import discard_partial
from portfolio.storage.engine import make_engine
from portfolio.storage.files import writable_target
from portfolio.storage.migrate import head_revision, upgrade

_BATCH = 500
"""Rows held in memory at once (attachments are rows too)."""


def copy_rows(source: Connection, target: Connection) -> None:
    """Every row of the portfolio's tables from ``source`` into the empty tables of ``target``
    (both at the same schema revision), parents before children."""
    for table in Base.metadata.sorted_tables:
        result = source.execution_options(yield_per=_BATCH).execute(select(table))
        for batch in result.mappings().partitions(_BATCH):
            target.execute(insert(table), [dict(row) for row in batch])


def write_copy(engine: Engine, target: Path, finish: Callable[[Connection], None]) -> Path:
    """A SQLite portfolio at ``target`` holding every row of the server portfolio at ``engine``,
    read in one repeatable-read transaction (a consistent picture); ``finish`` completes the
    copy in its transaction (the search index). Written beside, then renamed into place."""
    writable_target(target)
    partial = target.with_name(target.name + ".partial")
    discard_partial(partial)
    copy = None
    try:
        _empty_portfolio(partial)
        copy = make_engine(f"sqlite:///{partial}")
        snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with snapshot as source, source.begin(), copy.begin() as written:
            copy_rows(source, written)
            finish(written)
        copy.dispose()
        # One self-contained file: reading it later leaves no -wal or -shm beside it.
        written_file = encryption.connect(partial, None)
        try:
            written_file.execute("PRAGMA journal_mode=DELETE")
        finally:
            written_file.close()
        partial.replace(target)
    except BaseException:
        if copy is not None:
            copy.dispose()
        discard_partial(partial)
        raise
    return target


_empty: dict[str, bytes] = {}
"""An empty portfolio file at each schema revision, migrated once per process."""


def _empty_portfolio(path: Path) -> None:
    """A new, empty SQLite portfolio at ``path``, at this app's schema."""
    head = head_revision()
    if head not in _empty:
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade(engine, path, path.parent)  # a new file: no backup is taken of it
        finally:
            engine.dispose()  # the last connection's close folds the log into the file
        _empty[head] = path.read_bytes()
        return
    path.write_bytes(_empty[head])


def replace_rows(target: Connection, source: Path) -> None:
    """Inside the caller's transaction, the server portfolio at ``target`` becomes the SQLite
    portfolio ``source`` (a plain file at the same schema revision).

    TRUNCATE fires no row trigger: the append-only history is replaced whole, as restoring a
    file replaces it on a laptop; no UPDATE or DELETE of a revision is ever made.
    """
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    target.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    backup = create_engine(
        "sqlite://", creator=lambda: encryption.connect(source, None, readonly=True)
    )
    try:
        with backup.connect() as rows:
            copy_rows(rows, target)
    finally:
        backup.dispose()
    _continue_sequences(target)


def _continue_sequences(connection: Connection) -> None:
    """New rows after a restore take ids after the restored ones (PostgreSQL's sequences)."""
    for table in Base.metadata.sorted_tables:
        [*key] = table.primary_key.columns
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'coalesce(max("{key[0].name}"), 0) + 1, false) FROM "{table.name}" '
                "WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
            ),
            {"table": table.name, "column": key[0].name},
        )
