"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 09:10:58.076508
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations are frozen history: the index definition is spelled out here, not imported.
FTS_TABLE = "evidence_fts"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


def upgrade() -> None:
    op.create_table(
        "unsaved_draft",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("evidence_uuid", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_unsaved_draft")),
    )
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    op.create_table(
        "curriculum",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("edition", sa.String(length=100), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curriculum")),
    )
    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trust", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("clinical_supervisor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("gmc_number", sa.String(length=7), nullable=False),
        sa.Column("grade", sa.String(length=100), nullable=False),
        sa.Column("specialty", sa.String(length=200), nullable=False),
        sa.Column("programme", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("trust", sa.String(length=200), nullable=False),
        sa.Column("training_start", sa.Date(), nullable=True),
        sa.Column("training_end", sa.Date(), nullable=True),
        sa.Column("educational_supervisor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_profile_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "curriculum_node",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("curriculum_id", sa.String(length=64), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("maps_to", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["curriculum_id"],
            ["curriculum.id"],
            name=op.f("fk_curriculum_node_curriculum_id_curriculum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_curriculum_node")),
    )
    with op.batch_alter_table("curriculum_node", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_curriculum_node_curriculum_id"), ["curriculum_id"], unique=False
        )

    op.create_table(
        "node_domain",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            ["curriculum_node.code"],
            name=op.f("fk_node_domain_code_curriculum_node"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "domain", name=op.f("pk_node_domain")),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("occurred_until", sa.Date(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'ready', 'changes_requested', 'signed_off')",
            name=op.f("ck_evidence_status"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_evidence_placement_id_placement"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("uuid", name=op.f("uq_evidence_uuid")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_occurred_on"), ["occurred_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_evidence_placement_id"), ["placement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_attachment_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blob.sha256"], name=op.f("fk_attachment_sha256_blob")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("evidence_id", "sha256", name="evidence_blob"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachment_evidence_id"), ["evidence_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "evidence_link",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"], ["curriculum_node.code"], name=op.f("fk_evidence_link_code_curriculum_node")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_link_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", "code", name=op.f("pk_evidence_link")),
    )
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_link_code"), ["code"], unique=False)

    op.create_table(
        "evidence_tag",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_tag_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_evidence_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("evidence_id", "tag_id", name=op.f("pk_evidence_tag")),
    )
    with op.batch_alter_table("evidence_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_revision_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("evidence_id", "number", name="evidence_number"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_evidence_id"), ["evidence_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(CREATE_FTS)
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER revision_append_only_{action.lower()} BEFORE {action} ON revision "
                "BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END"
            )


def downgrade() -> None:
    op.drop_table("node_domain")
    op.drop_table("unsaved_draft")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {FTS_TABLE}")
        op.execute("DROP TRIGGER revision_append_only_update")
        op.execute("DROP TRIGGER revision_append_only_delete")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_evidence_id"))

    op.drop_table("revision")
    with op.batch_alter_table("evidence_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_tag_tag_id"))

    op.drop_table("evidence_tag")
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_link_code"))

    op.drop_table("evidence_link")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_evidence_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_updated_at"))
        batch_op.drop_index(batch_op.f("ix_evidence_status"))
        batch_op.drop_index(batch_op.f("ix_evidence_placement_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_occurred_on"))
        batch_op.drop_index(batch_op.f("ix_evidence_kind"))
        batch_op.drop_index(batch_op.f("ix_evidence_deleted_at"))

    op.drop_table("evidence")
    with op.batch_alter_table("curriculum_node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_curriculum_node_curriculum_id"))

    op.drop_table("curriculum_node")
    op.drop_table("tag")
    op.drop_table("profile")
    op.drop_table("placement")
    op.drop_table("curriculum")
    op.drop_table("blob")
