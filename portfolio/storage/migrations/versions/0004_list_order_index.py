"""An index that serves the evidence list's default order without sorting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_evidence_live_date", "evidence", ["deleted_at", "occurred_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_live_date", table_name="evidence")
