"""The attacker's (or an old version's) own connection to a portfolio's database, on either
engine: not through the app, each statement committed on its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, text

from portfolio.paths import Location


@contextmanager
def raw_database(location: Location) -> Iterator[Connection]:
    engine = create_engine(location.database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def drop_trigger(connection: Connection, table: str, trigger: str) -> None:
    """What it takes to get past an append-only table: the trigger goes."""
    on = f" ON {table}" if connection.dialect.name == "postgresql" else ""
    connection.execute(text(f"DROP TRIGGER {trigger}{on}"))


def indexes(location: Location) -> list[tuple[str, str]]:
    """Every index the schema defines (SQLite's own for unique constraints aside), by name with
    its definition: committed state, read by a separate connection."""
    with raw_database(location) as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        else:
            query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        return sorted((name, sql) for name, sql in connection.execute(text(query)))
