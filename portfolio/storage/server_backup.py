"""Backups of a server portfolio: every row copied into a SQLite portfolio file, and back.

A server database has no file to copy page by page, so its backup is a portfolio file like a
laptop's (``portfolio-…-<reason>.sqlite3`` in the backups folder, at the same schema): listed,
checked and opened like any other. Restoring replaces every row of the restorer's portfolio
(and no other trainee's) with the file's in the caller's one transaction. The whole server
(every database, the roles) is the centre's own ``pg_dump`` (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, create_engine, func, insert, select, text

from portfolio.errors import InvalidInput
from portfolio.models import Base
from portfolio.storage import encryption
from portfolio.storage.backup import discard_partial
from portfolio.storage.engine import make_engine
from portfolio.storage.files import writable_target
from portfolio.storage.migrate import head_revision, upgrade

RESTORING = "gpc_portfolio.restoring"
"""The transaction-local setting under which a restore may delete the append-only history."""

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

    Only the current role's portfolio: every table is emptied with DELETE, children first,
    which row-level security limits to the role's own rows (TRUNCATE would ignore it and empty
    every trainee's). The append-only history allows that DELETE only while ``RESTORING`` is
    on, for this transaction (migration 0013); no revision is ever updated.
    """
    target.execute(text("SELECT set_config(:name, 'on', true)"), {"name": RESTORING})
    for table in reversed(Base.metadata.sorted_tables):
        target.execute(table.delete())
    target.execute(text("SELECT set_config(:name, 'off', true)"), {"name": RESTORING})
    backup = create_engine(
        "sqlite://", creator=lambda: encryption.connect(source, None, readonly=True)
    )
    try:
        with backup.connect() as rows:
            copy_rows(rows, target)
    finally:
        backup.dispose()
    _continue_sequences(target)


MAX_ID_GAP = 1_000_000
"""How far beyond a shared sequence a restored id may be (ids are written one by one)."""


def _continue_sequences(connection: Connection) -> None:
    """New rows after a restore take ids after the restored ones.

    A sequence is shared by every trainee of the database, so it only ever moves forward, by
    ``nextval`` (which a trainee's role may call): ``setval`` back to the restorer's highest id
    would hand other trainees ids they already hold.
    """
    for table in Base.metadata.sorted_tables:
        [*key] = table.primary_key.columns
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": key[0].name},
        )
        highest = connection.scalar(select(func.max(key[0])))  # the role's own rows
        if sequence is None or highest is None:
            continue
        gap = highest - connection.scalar(
            text("SELECT coalesce(pg_sequence_last_value(CAST(:sequence AS regclass)), 0)"),
            {"sequence": sequence},
        )
        if gap > MAX_ID_GAP:
            raise InvalidInput(
                f"The backup's {table.name} ids run far beyond this database's (up to "
                f"{highest}); it could not be restored, and the portfolio was not changed."
            )
        connection.execute(
            text(
                "SELECT count(nextval(CAST(:sequence AS regclass))) FROM generate_series(1, :gap)"
            ),
            {"sequence": sequence, "gap": gap},
        )
