"""Many trainees in one PostgreSQL database: row ownership and row-level security

Every table holding a portfolio gets an owner column (the role that wrote the row), keys that
start with it, and a forced row-level security policy (portfolio/storage/ownership.py). SQLite
is one portfolio per file: nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from portfolio.storage.ownership import disown_tables, own_tables

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    own_tables(op.get_bind())


def downgrade() -> None:
    disown_tables(op.get_bind())
