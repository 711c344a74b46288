"""Opportunity catalogues published by a Clinical Leadership Mentor, and the trainee's progress

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opportunity_catalogue",
        sa.Column("catalogue_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("trust", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.String(length=32), nullable=False),
        sa.Column("publisher_name", sa.String(length=200), nullable=False),
        sa.Column("publisher_gmc", sa.String(length=7), nullable=False),
        sa.Column("publisher_role", sa.String(length=40), nullable=False),
        sa.Column("publisher_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("catalogue_id", name=op.f("pk_opportunity_catalogue")),
    )
    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("catalogue_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("trust", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["catalogue_id"],
            ["opportunity_catalogue.catalogue_id"],
            name=op.f("fk_opportunity_catalogue_id_opportunity_catalogue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity")),
        sa.UniqueConstraint("uuid", name=op.f("uq_opportunity_uuid")),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_catalogue_id"), ["catalogue_id"], unique=False
        )
    op.create_table(
        "opportunity_progress",
        sa.Column("opportunity_uuid", sa.String(length=36), nullable=False),
        sa.Column("catalogue_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("interested_on", sa.Date(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("participating_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("evidence_uuid", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("opportunity_uuid", name=op.f("pk_opportunity_progress")),
    )
    with op.batch_alter_table("opportunity_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_progress_catalogue_id"), ["catalogue_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunity_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_progress_catalogue_id"))
    op.drop_table("opportunity_progress")
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_catalogue_id"))
    op.drop_table("opportunity")
    op.drop_table("opportunity_catalogue")
