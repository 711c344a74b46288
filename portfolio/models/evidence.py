"""Evidence items, their links, tags, attachments and append-only revisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.models.base import Base, utcnow
from portfolio.vocabulary import STATUSES

evidence_tag = Table(
    "evidence_tag",
    Base.metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(map(repr, map(str, STATUSES)))})", name="status"),
        # The list's default order, walked without sorting: newest first among live items.
        Index("ix_evidence_live_date", "deleted_at", "occurred_on", "id"),
        # The list's orders by kind and by status (migration 0014).
        Index("ix_evidence_live_kind", "deleted_at", "kind", "id"),
        Index("ix_evidence_live_status", "deleted_at", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    occurred_until: Mapped[date | None] = mapped_column(Date)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placement.id", ondelete="SET NULL"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="evidence",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="EvidenceLink.code",
    )
    tags: Mapped[list[Tag]] = relationship(secondary=evidence_tag, lazy="raise")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="evidence",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Attachment.id",
    )


class EvidenceLink(Base):
    """Evidence ↔ a curriculum node (GPC domain, sub-heading or capability) by code."""

    __tablename__ = "evidence_link"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(
        ForeignKey("curriculum_node.code"), primary_key=True, index=True
    )
    justification: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[Evidence] = relationship(back_populates="links", lazy="raise")


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Blob(Base):
    """File content, addressed by its SHA-256, kept in the database so that one backup holds all."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("evidence_id", "sha256", name="evidence_blob"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    evidence: Mapped[Evidence] = relationship(back_populates="attachments", lazy="raise")
    blob: Mapped[Blob] = relationship(lazy="raise")


class Revision(Base):
    """A snapshot of an item as saved. Append-only: a trigger refuses UPDATE and DELETE on SQLite."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("evidence_id", "number", name="evidence_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
