"""Alembic environment, run in-process by portfolio.storage.migrate with an open connection."""

from __future__ import annotations

from alembic import context

from portfolio.models import Base
from portfolio.storage.migrate import include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
