"""The trainee's own curriculum in the profile; no node_domain table (domains are computed)

Which GPC domain a code counts towards is defined once, in ``portfolio.curriculum.domains``;
the ``node_domain`` copy of it goes (its String(8) domain column could not hold every value it
was given). A downgrade recreates the table empty and clears the stored curriculum digests, so
the earlier version fills it again when it next opens the portfolio.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("curriculum_id", sa.String(length=64), server_default="", nullable=False)
        )
    op.drop_table("node_domain")


def downgrade() -> None:
    op.create_table(
        "node_domain",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            ["curriculum_node.code"],
            name=op.f("fk_node_domain_code_curriculum_node"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "domain", name=op.f("pk_node_domain")),
    )
    op.execute("UPDATE curriculum SET content_digest = ''")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_column("curriculum_id")
