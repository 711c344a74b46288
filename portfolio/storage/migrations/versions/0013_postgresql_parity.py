"""PostgreSQL on a par with SQLite: append-only revisions, sign-offs and signing log; the
profile's grade as long as the app lets it be

SQLite has refused an UPDATE or DELETE of these rows since 0001 and 0007 (triggers raising
ABORT); on PostgreSQL a plpgsql trigger function per table raises the same message, as an
integrity violation (SQLSTATE 23000), so both engines refuse with the same kind of error.
One exception: a restore replaces a trainee's whole portfolio, history included, by DELETE
(row-level security keeps it to their own rows), so a DELETE is let through while the
transaction-local setting ``gpc_portfolio.restoring`` is on (storage/server_backup.py).

``profile.grade`` was String(100) while the app accepts 200 characters (limits.MAX_PROFILE_TEXT,
as for every other profile text): SQLite never enforced the length, PostgreSQL would refuse it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portfolio.storage.server_backup import RESTORING

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = {
    "revision": "revisions are append-only",
    "signoff": "sign-offs are append-only",
    "signing_log": "the signing log is append-only",
}
"""The messages of 0001's and 0007's SQLite triggers, table by table."""


def upgrade() -> None:
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.alter_column(
            "grade", existing_type=sa.String(length=100), type_=sa.String(length=200)
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, message in APPEND_ONLY.items():
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP = 'DELETE' AND current_setting('{RESTORING}', true) = 'on' "
            f"THEN RETURN OLD; END IF; RAISE EXCEPTION '{message}' "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )


def downgrade() -> None:
    """A grade longer than 100 characters would not fit again: it is cut to 100."""
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_append_only_{action} ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
    op.execute("UPDATE profile SET grade = substr(grade, 1, 100)")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.alter_column(
            "grade", existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
