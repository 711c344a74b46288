"""Trust roots: supervisor directories the trainee trusts, and how each card was pinned

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

A pin made before this revision cannot say how it was made: a card pinned here is recorded as
"from a file", a key created on this computer as "created here". The pins are not dropped, so a
trainee's existing sign-offs keep the vouching they had, now labelled with what it is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trusted_directory",
        sa.Column("directory_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("publisher_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("directory_id", name=op.f("pk_trusted_directory")),
    )
    with op.batch_alter_table("supervisor_identity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pinned_how", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("pinned_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE supervisor_identity SET pinned_at = added_at, pinned_how = CASE "
        "WHEN has_private_key THEN 'created_here' ELSE 'file' END WHERE pinned"
    )
    with op.batch_alter_table("supervisor_identity", schema=None) as batch_op:
        batch_op.drop_column("pinned")


def downgrade() -> None:
    with op.batch_alter_table("supervisor_identity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE supervisor_identity SET pinned = (pinned_how IS NOT NULL)")
    with op.batch_alter_table("supervisor_identity", schema=None) as batch_op:
        batch_op.drop_column("pinned_at")
        batch_op.drop_column("pinned_how")
    op.drop_table("trusted_directory")
