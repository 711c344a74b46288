"""What the trainee marked "not patient data" in the privacy check

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_dismissal",
        sa.Column("evidence_uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_uuid"],
            ["evidence.uuid"],
            name=op.f("fk_privacy_dismissal_evidence_uuid_evidence"),
        ),
        sa.PrimaryKeyConstraint("evidence_uuid", "kind", "text", name=op.f("pk_privacy_dismissal")),
    )


def downgrade() -> None:
    op.drop_table("privacy_dismissal")
