"""The engine factory: SQLite tuned for one local writer (WAL, foreign keys), or any URL.

An encrypted SQLite file gets its connections from SQLCipher, keyed before first use; a
server's connection lost during a COMMIT is said to leave the change in doubt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, ExceptionContext, create_engine, event, make_url

from portfolio.storage.encryption import BUSY_TIMEOUT_MS

PAGE_CACHE_KIB = 32_768
"""Each connection's page cache (SQLite's default is 2 MiB; it fills only as pages are read).
A search of 100,000 items reads about 10 MiB of index and rows, and the list's every id, read
between two searches, evicted them: in the window, the SQL of a search for 'sepsis' took
9.5 ms of CPU with 16 MiB, 8.4 ms with 32 MiB, 8.2 ms with 64 MiB. The full window of
100,000 items is then resident in 149 MB, against 120 MB with 2 MiB (bench_ui_startup; issue
17 allows 180)."""


def make_engine(url: str, key: bytes | None = None) -> Engine:
    """``key`` (from ``encryption.unlock``) opens an SQLCipher-encrypted SQLite file."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_pre_ping=True)
        _say_when_a_commit_is_lost(engine)
        return engine
    if key is None:
        engine = create_engine(url)
    else:
        from portfolio.storage import encryption

        database = make_url(url).database
        if not database or database == ":memory:":
            raise ValueError("an encryption key needs a SQLite file")
        path = Path(database)

        def _keyed_connection() -> Any:
            # PRAGMA key must come before anything reads the file, so the connection is
            # made here rather than by the dialect; the pragmas below then apply as usual.
            return encryption.connect(path, key, pooled=True)

        engine = create_engine(url, module=encryption.sqlcipher_module(), creator=_keyed_connection)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (SAVEPOINTs work).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


_COMMITTING = "gpc_portfolio.committing"
"""Set on a server connection from its COMMIT's start until its next transaction begins."""


def _say_when_a_commit_is_lost(engine: Engine) -> None:
    """A server connection lost during COMMIT leaves the change's fate unknown: its error says
    so (``failures.lost_while_saving``) instead of the server's, read as nothing changed. The
    only error without a statement between a COMMIT's start and the next BEGIN is the COMMIT's."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info.pop(_COMMITTING, None)

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Connection) -> None:
        connection.info[_COMMITTING] = True

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        connection = context.connection
        if connection is None or context.statement is not None:
            return
        if connection.info.pop(_COMMITTING, False) and context.is_disconnect:
            from portfolio.storage.failures import lost_while_saving

            where = engine.url.render_as_string(hide_password=True)
            raise lost_while_saving(where, context.original_exception)


def set_sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    """Switch SQLite foreign keys outside any transaction (a no-op on other databases)."""
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
