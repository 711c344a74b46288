"""Indexes that serve the evidence list's other orders without sorting

Sorting 100,000 live items by kind or status built a temporary B-tree every time; these give
each order (and its reverse) as a walk of an index, as ``ix_evidence_live_date`` does for the
date. (The title's order is ``lower(title)``: an expression index, which SQLAlchemy cannot
reflect to check the schema against the models, so it has none.)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_evidence_live_kind", "evidence", ["deleted_at", "kind", "id"])
    op.create_index("ix_evidence_live_status", "evidence", ["deleted_at", "status", "id"])


def downgrade() -> None:
    for name in ("ix_evidence_live_status", "ix_evidence_live_kind"):
        op.drop_index(name, table_name="evidence")
