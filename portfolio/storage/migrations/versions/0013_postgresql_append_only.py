"""Append-only revisions, sign-offs and signing log on PostgreSQL too

SQLite has refused an UPDATE or DELETE of these rows since 0001 and 0007 (triggers raising
ABORT); on PostgreSQL a plpgsql trigger function per table raises the same message, as an
integrity violation (SQLSTATE 23000), so both engines refuse with the same kind of error.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = {
    "revision": "revisions are append-only",
    "signoff": "sign-offs are append-only",
    "signing_log": "the signing log is append-only",
}
"""The messages of 0001's and 0007's SQLite triggers, table by table."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, message in APPEND_ONLY.items():
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END $$"
        )
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_append_only_{action} ON {table}")
        op.execute(f"DROP FUNCTION {table}_append_only()")
