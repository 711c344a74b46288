"""The SQL text a Core statement compiles to for a dialect, with its bound parameters in order
and the values compiled in: run on the driver's cursor, it skips building and compiling the
statement again (``compile_reads`` writes such texts into a module; a search compiles its own
once per process)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select

CompiledSql = tuple[str, tuple[tuple[str, Any], ...]]
"""The SQL text, and its bound parameters' names in order, each with its compiled-in value."""


def compiled_sql(connection: Connection, statement: Select[Any]) -> CompiledSql:
    """``statement`` compiled for ``connection``'s dialect."""
    done = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    names = done.positiontup or []
    return done.string, tuple((name, done.params[name]) for name in names)
