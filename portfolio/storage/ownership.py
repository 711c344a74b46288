"""Many trainees in one PostgreSQL database: every row belongs to the role that wrote it.

Each table holding a portfolio gets an ``owner`` column (``DEFAULT current_user``, so the
models never name it), a row-level security policy letting a role see and write only its own
rows (``FORCE``d, so not even the tables' owner is exempt), and keys that start with the owner:
primary keys, unique constraints and foreign keys are rebuilt as ``(owner, …)``, so two trainees
may each have a tag "audit" or the same attachment, and no row can refer to another trainee's.
Trainees' login roles are members of ``TRAINEE_ROLE``, which may read and write the tables
(``docs/deployment.md``). Only ``alembic_version`` is shared, and only readable.

Called by migration 0012 on PostgreSQL (and by any later migration that adds a table: it
handles only tables not yet owned); SQLite stays one portfolio per file and is left alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect

OWNER_COLUMN = "owner"
TRAINEE_ROLE = "gpc_portfolio_trainee"
POLICY = "own_rows"
SHARED = frozenset({"alembic_version"})


def _quoted(*names: str) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _keys(connection: Connection, table: str) -> tuple[list[tuple[str, list[str]]], list[Any]]:
    """The table's unique keys (name, columns), primary key first, and its unique indexes."""
    inspector = inspect(connection)
    primary = inspector.get_pk_constraint(table)
    keys = [(str(primary["name"]), list(primary["constrained_columns"]))]
    keys += [
        (str(u["name"]), list(u["column_names"])) for u in inspector.get_unique_constraints(table)
    ]
    indexes = [
        i
        for i in inspector.get_indexes(table)
        if i["unique"]
        and "duplicates_constraint" not in i
        and all(c is not None for c in i["column_names"])
    ]
    return keys, indexes


def _rekey(connection: Connection, tables: list[str], *, owned: bool) -> None:
    """Rebuild the keys of ``tables`` with the owner first (``owned``) or without it."""

    def columns(names: list[str]) -> list[str]:
        rest = [n for n in names if n != OWNER_COLUMN]
        return [OWNER_COLUMN, *rest] if owned else rest

    inspector = inspect(connection)
    foreign = {table: inspector.get_foreign_keys(table) for table in tables}
    for table, keys in foreign.items():
        for key in keys:
            connection.exec_driver_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{key["name"]}"')
    for table in tables:
        unique_keys, indexes = _keys(connection, table)
        for position, (name, names) in enumerate(unique_keys):
            kind = "PRIMARY KEY" if position == 0 else "UNIQUE"
            connection.exec_driver_sql(
                f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}", '
                f'ADD CONSTRAINT "{name}" {kind} ({_quoted(*columns(names))})'
            )
        for index in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{index["name"]}"')
            connection.exec_driver_sql(
                f'CREATE UNIQUE INDEX "{index["name"]}" ON "{table}" '
                f"({_quoted(*columns(index['column_names']))})"
            )
    for table, keys in foreign.items():
        for key in keys:
            ondelete = (key.get("options") or {}).get("ondelete")
            action = ""
            if ondelete == "SET NULL":  # only the key's own columns, never the owner
                action = f" ON DELETE SET NULL ({_quoted(*key['constrained_columns'])})"
            elif ondelete:
                action = f" ON DELETE {ondelete}"
            connection.exec_driver_sql(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{key["name"]}" FOREIGN KEY '
                f"({_quoted(*columns(key['constrained_columns']))}) "
                f'REFERENCES "{key["referred_table"]}" '
                f"({_quoted(*columns(key['referred_columns']))}){action}"
            )


def _tables(connection: Connection, *, owned: bool) -> list[str]:
    inspector = inspect(connection)
    return sorted(
        table
        for table in inspector.get_table_names()
        if table not in SHARED
        and (OWNER_COLUMN in {c["name"] for c in inspector.get_columns(table)}) == owned
    )


def own_tables(connection: Connection) -> None:
    """Give every table not yet owned its owner column, owner-first keys and policy."""
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{TRAINEE_ROLE}') THEN CREATE ROLE {TRAINEE_ROLE} NOLOGIN; END IF; END $$"
    )
    tables = _tables(connection, owned=False)
    for table in tables:
        connection.exec_driver_sql(
            f'ALTER TABLE "{table}" ADD COLUMN {OWNER_COLUMN} text NOT NULL DEFAULT CURRENT_USER'
        )
    _rekey(connection, tables, owned=True)
    for table in tables:
        connection.exec_driver_sql(
            f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY'
        )
        connection.exec_driver_sql(
            f'CREATE POLICY {POLICY} ON "{table}" USING ({OWNER_COLUMN} = CURRENT_USER) '
            f"WITH CHECK ({OWNER_COLUMN} = CURRENT_USER)"
        )
        connection.exec_driver_sql(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {TRAINEE_ROLE}'
        )
    for table in SHARED:
        connection.exec_driver_sql(f'GRANT SELECT ON "{table}" TO {TRAINEE_ROLE}')
    connection.exec_driver_sql(
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {TRAINEE_ROLE}"
    )


def disown_tables(connection: Connection) -> None:
    """Undo ``own_tables`` (it fails, changing nothing, when two owners share a key)."""
    if connection.dialect.name != "postgresql":
        return
    tables = _tables(connection, owned=True)
    for table in tables:
        connection.exec_driver_sql(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        connection.exec_driver_sql(
            f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY'
        )
        connection.exec_driver_sql(f'REVOKE ALL ON "{table}" FROM {TRAINEE_ROLE}')
    _rekey(connection, tables, owned=False)
    for table in tables:
        connection.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN {OWNER_COLUMN}')
    for table in SHARED:
        connection.exec_driver_sql(f'REVOKE ALL ON "{table}" FROM {TRAINEE_ROLE}')
    connection.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {TRAINEE_ROLE}")
