"""Append-only sign-offs that name the record they supersede and the trainee; the signer's log;
meeting lock

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = {
    "signoff": "sign-offs are append-only",
    "signing_log": "the signing log is append-only",
}


def upgrade() -> None:
    with op.batch_alter_table("signoff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("format_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("supersedes", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("trainee_gmc", sa.String(length=7), nullable=True))
        batch_op.create_index(batch_op.f("ix_signoff_supersedes"), ["supersedes"], unique=False)
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meeting_lock_minutes", sa.Integer(), server_default="2", nullable=False)
        )
    op.create_table(
        "signing_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("trainee_gmc", sa.String(length=7), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_log")),
        sa.UniqueConstraint("fingerprint", "sequence", name="fingerprint_sequence"),
    )
    with op.batch_alter_table("signing_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signing_log_fingerprint"), ["fingerprint"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        for table, message in APPEND_ONLY.items():
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_append_only_{action}")
    with op.batch_alter_table("signing_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_log_fingerprint"))
    op.drop_table("signing_log")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_column("meeting_lock_minutes")
    with op.batch_alter_table("signoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_supersedes"))
        batch_op.drop_column("trainee_gmc")
        batch_op.drop_column("supersedes")
        batch_op.drop_column("format_version")
