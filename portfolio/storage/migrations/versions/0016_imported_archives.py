"""The archives a portfolio has imported, by the SHA-256 of their bytes

An archive imported again unchanged is recognised from its digest instead of being parsed
again (services/archive.py). On PostgreSQL the table is owned per trainee like every other.

Revision ID: 0016
Revises: 0014 (the lead rechains it after 0015)
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portfolio.storage.ownership import own_tables

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_archive",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("profile", sa.String(10), nullable=False),
        sa.Column("profile_differences", sa.JSON(), nullable=False),
        sa.Column("context", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_imported_archive"),
    )
    own_tables(op.get_bind())


def downgrade() -> None:
    op.drop_table("imported_archive")
