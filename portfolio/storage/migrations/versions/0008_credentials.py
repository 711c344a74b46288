"""Sign-off credentials (W3C Verifiable Credentials derived from sign-off records)

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signoff_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signoff_id", sa.Integer(), nullable=False),
        sa.Column("suite", sa.String(length=20), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["signoff_id"],
            ["signoff.id"],
            name=op.f("fk_signoff_credential_signoff_id_signoff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signoff_credential")),
        sa.UniqueConstraint("signoff_id", "suite", name=op.f("uq_signoff_credential_signoff_id")),
    )
    with op.batch_alter_table("signoff_credential", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_credential_signoff_id"), ["signoff_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("signoff_credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_credential_signoff_id"))
    op.drop_table("signoff_credential")
