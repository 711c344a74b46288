"""The precompiled reads are the Core statements' SQL now (issue 17): a change to a statement,
the schema or SQLAlchemy that compiles differently fails here until ``compile_reads`` is run."""

from __future__ import annotations

from portfolio.services.compile_reads import compiled, list_shapes, sqlite_connection
from portfolio.services.compiled_reads import STATEMENTS
from portfolio.services.evidence_rows import list_shape


def test_the_stored_sql_is_what_the_statements_compile_to_now() -> None:
    with sqlite_connection() as connection:
        assert compiled(connection) == STATEMENTS


def test_every_list_shape_has_its_own_statement() -> None:
    names = [list_shape(query) for query in list_shapes()]
    assert None not in names
    assert len(set(names)) == len(names)


def test_values_are_bound_never_written_into_the_sql() -> None:
    for sql, parameters in STATEMENTS.values():
        assert sql.count("?") == len(parameters)
        assert "reflection" not in sql and "'draft'" not in sql
