"""Alembic environment, run in-process by portfolio.storage.migrate with an open connection."""

from __future__ import annotations

from alembic import context

from portfolio.models import Base

SEARCH_TABLE_PREFIX = "evidence_fts"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The full-text index is a virtual table managed by hand in migrations.
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
