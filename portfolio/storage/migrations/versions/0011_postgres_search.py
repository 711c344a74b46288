"""Full-text search on PostgreSQL: a tsvector per item under a GIN index

SQLite has had its FTS5 index since 0001; this does nothing there. On PostgreSQL it creates
the index table and fills it for the items already stored, with the same words and weights
the app writes (portfolio/storage/search_index.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLE = "evidence_fts"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        FTS_TABLE,
        sa.Column("rowid", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("document", TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("rowid", name=op.f(f"pk_{FTS_TABLE}")),
    )
    op.create_index(f"ix_{FTS_TABLE}_document", FTS_TABLE, ["document"], postgresql_using="gin")
    _fill(op.get_bind())


def _fill(bind: sa.Connection) -> None:
    """Index the items already stored, as the app indexes them (an index is derived data, so
    this uses today's definition of what is indexed rather than a frozen copy)."""
    from portfolio.kinds import searchable_text
    from portfolio.storage import search_index

    tags: dict[int, list[str]] = {}
    for evidence_id, name in bind.execute(
        sa.text("SELECT et.evidence_id, t.name FROM evidence_tag et JOIN tag t ON t.id = et.tag_id")
    ):
        tags.setdefault(evidence_id, []).append(name)
    rows = bind.execute(sa.text("SELECT id, kind, title, fields, text FROM evidence"))
    search_index.index_rows(
        bind,
        replace=False,
        rows=(
            (
                r.id,
                r.title,
                search_index.body_of(searchable_text(r.kind, r.fields), r.text, tags.get(r.id, ())),
            )
            for r in rows
        ),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table(FTS_TABLE)
