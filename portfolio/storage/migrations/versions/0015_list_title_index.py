"""Indexes that serve the evidence list's order by title, and on PostgreSQL its other orders,
without sorting

The list orders titles case-blind: ``lower(title)`` on PostgreSQL, ``title COLLATE NOCASE`` on
SQLite (the same order as SQLite's ASCII-only ``lower``). Sorting 100,000 live items built a
temporary B-tree every time; ``ix_evidence_live_title`` gives the order, and its reverse, as a
walk of an index. PostgreSQL does not walk 0004's and 0014's indexes in order for
``deleted_at IS NULL`` (not an equality), so there the live items' orders are partial indexes;
SQLite, whose planner prefers those indexes to a partial one, keeps them.

These differ per engine, so no model describes them: ``migrate.HAND_MADE_INDEXES`` leaves them
out of the comparison with the models (SQLAlchemy cannot reflect an expression index on SQLite).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRESQL = {
    "ix_evidence_live_title": "lower(title), id",
    "ix_evidence_live_date_partial": "occurred_on, id",
    "ix_evidence_live_kind_partial": "kind, id",
    "ix_evidence_live_status_partial": "status, id",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, columns in POSTGRESQL.items():
            op.execute(f"CREATE INDEX {name} ON evidence ({columns}) WHERE deleted_at IS NULL")
    else:
        op.execute(
            "CREATE INDEX ix_evidence_live_title ON evidence (deleted_at, title COLLATE NOCASE, id)"
        )


def downgrade() -> None:
    names = POSTGRESQL if op.get_bind().dialect.name == "postgresql" else ["ix_evidence_live_title"]
    for name in names:
        op.execute(f"DROP INDEX {name}")
