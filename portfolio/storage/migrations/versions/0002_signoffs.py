"""Supervisor identities and signed sign-offs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervisor_identity",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("gmc_number", sa.String(length=7), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("has_private_key", sa.Boolean(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_supervisor_identity")),
        sa.UniqueConstraint("public_key", name=op.f("uq_supervisor_identity_public_key")),
    )
    op.create_table(
        "signoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_uuid", sa.String(length=36), nullable=False),
        sa.Column("evidence_digest", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_gmc", sa.String(length=7), nullable=False),
        sa.Column("signer_role", sa.String(length=40), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_uuid"], ["evidence.uuid"], name=op.f("fk_signoff_evidence_uuid_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signoff")),
        sa.UniqueConstraint("signature", name=op.f("uq_signoff_signature")),
    )
    with op.batch_alter_table("signoff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_evidence_uuid"), ["evidence_uuid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signoff_public_key"), ["public_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_public_key"))
        batch_op.drop_index(batch_op.f("ix_signoff_evidence_uuid"))

    op.drop_table("signoff")
    op.drop_table("supervisor_identity")
