"""An index that serves the dashboard's "recently changed": live items newest-changed first

``ORDER BY updated_at DESC, id DESC`` among live items sorted every live item in a temporary
B-tree (15-20 ms for 10,000, on the window's path to its first paint); ``ix_evidence_live_updated``
gives that order as a backward walk of a covering index, as 0004's ``ix_evidence_live_date`` does
for the list's. PostgreSQL does not walk it in order for ``deleted_at IS NULL`` (not an
equality), so there a partial index gives the order too (as 0015's do; ``HAND_MADE_INDEXES``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTIAL = "ix_evidence_live_updated_partial"


def upgrade() -> None:
    op.create_index("ix_evidence_live_updated", "evidence", ["deleted_at", "updated_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {PARTIAL} ON evidence (updated_at, id) WHERE deleted_at IS NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {PARTIAL}")
    op.drop_index("ix_evidence_live_updated", table_name="evidence")
