"""The tables every read touches, as SQLAlchemy Core ``Table`` objects in the one ``metadata``.

The ORM classes of ``portfolio.models`` map onto these same objects (``__table__``), so each
table is declared once; a read command queries them through Core and never imports
``sqlalchemy.orm``, which with the mapping of every class costs more than the query.
The other tables are declared by their ORM classes, in this same ``metadata``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from portfolio.vocabulary import STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints: Alembic's SQLite batch mode needs the names."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now, in UTC, to the second (stored naive; every timestamp in the database is UTC)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("kind", String(40), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("occurred_until", Date),
    Column("fields", JSON, nullable=False, default=dict),
    Column("text", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, default="draft", index=True),
    Column("private", Boolean, nullable=False, default=False),
    Column("placement_id", ForeignKey("placement.id", ondelete="SET NULL"), index=True),
    Column("revision", Integer, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("updated_at", DateTime, nullable=False, default=utcnow, index=True),
    Column("deleted_at", DateTime, index=True),
    CheckConstraint(f"status IN ({', '.join(map(repr, map(str, STATUSES)))})", name="status"),
    # The list's default order, walked without sorting: newest first among live items.
    Index("ix_evidence_live_date", "deleted_at", "occurred_on", "id"),
    # The list's orders by kind and by status (migration 0014).
    Index("ix_evidence_live_kind", "deleted_at", "kind", "id"),
    Index("ix_evidence_live_status", "deleted_at", "status", "id"),
    # The dashboard's "recently changed", newest first, walked without sorting (migration 0017).
    Index("ix_evidence_live_updated", "deleted_at", "updated_at", "id"),
)

evidence_link = Table(
    "evidence_link",
    metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("code", ForeignKey("curriculum_node.code"), primary_key=True, index=True),
    Column("justification", Text, nullable=False, default=""),
)
"""Evidence ↔ a curriculum node (GPC domain, sub-heading or capability) by code."""

tag = Table(
    "tag",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
)

evidence_tag = Table(
    "evidence_tag",
    metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

revision = Table(
    "revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evidence_id", ForeignKey("evidence.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("saved_at", DateTime, nullable=False, default=utcnow),
    Column("reason", String(40), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("snapshot", JSON, nullable=False),
    UniqueConstraint("evidence_id", "number", name="evidence_number"),
)
"""A snapshot of an item as saved. Append-only: a trigger refuses UPDATE and DELETE on SQLite."""

unsaved_draft = Table(
    "unsaved_draft",
    metadata,
    Column("key", String(64), primary_key=True),
    # the item's uuid, or a fresh uuid for an item not yet saved
    Column("evidence_uuid", String(36)),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False, default=""),
    Column("state", JSON, nullable=False),
    Column("saved_at", DateTime, nullable=False, default=utcnow),
)
"""Editor state autosaved between explicit saves, so a crash or a kill loses nothing."""

profile = Table(
    "profile",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("gmc_number", String(7), nullable=False),
    Column("grade", String(200), nullable=False, default=""),
    Column("specialty", String(200), nullable=False, default=""),
    Column("programme", String(200), nullable=False, default=""),
    Column("region", String(200), nullable=False, default=""),
    Column("trust", String(200), nullable=False, default=""),
    Column("training_start", Date),
    Column("training_end", Date),
    Column("educational_supervisor", String(200), nullable=False, default=""),
    Column("meeting_lock_minutes", Integer, nullable=False, default=2, server_default="2"),
    # minutes without input after which a supervisor's unlocked identity locks (never off)
    Column("curriculum_id", String(64), nullable=False, default="", server_default=""),
    # the trainee's own curriculum (a built-in curriculum id) shown beside GPC; "" for none
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("updated_at", DateTime, nullable=False, default=utcnow, onupdate=utcnow),
    CheckConstraint("id = 1", name="single_row"),
)
"""The one trainee whose portfolio this is (a single row, id 1)."""

curriculum = Table(
    "curriculum",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("edition", String(100), nullable=False, default=""),
    Column("content_digest", String(64), nullable=False, default=""),
)
"""A curriculum as stored, with the digest of the nodes it was last synchronised from."""

curriculum_node = Table(
    "curriculum_node",
    metadata,
    Column("code", String(64), primary_key=True),
    Column(
        "curriculum_id",
        ForeignKey("curriculum.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("parent_code", String(64)),
    Column("kind", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("guidance", Text, nullable=False, default=""),
    Column("position", Integer, nullable=False),
    Column("maps_to", String(300), nullable=False, default=""),
    # maps_to: space-separated GPC codes this node develops (empty for the GPC nodes themselves)
)

imported_curriculum = Table(
    "imported_curriculum",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("document", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("removed_at", DateTime, default=None),
)
"""A curriculum the trainee imported (from a CASE file): its curriculum file as canonical JSON
(format ``gpc-portfolio-curriculum``). A removed one keeps its row (``removed_at`` set) and
its nodes, so links to them survive; it is no longer offered or counted."""
