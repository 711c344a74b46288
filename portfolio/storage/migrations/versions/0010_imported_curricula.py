"""Imported curricula: the trainee's own curriculum files, kept in the database

A curriculum imported from a CASE file is stored here (its curriculum file as JSON) rather than
as a file in the data folder, so that backups, encryption at rest and the portable archive
cover it together with the evidence that links to its nodes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_curriculum",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_curriculum")),
    )


def downgrade() -> None:
    """The nodes stay in ``curriculum_node`` (links refer to them); only the files go."""
    op.drop_table("imported_curriculum")
