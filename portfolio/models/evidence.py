"""Evidence items, their links, tags, attachments and append-only revisions.

The tables of items, links, tags and revisions are declared in ``portfolio.tables`` (read
commands query them without the ORM); these classes map onto them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio import tables
from portfolio.models.base import Base, utcnow
from portfolio.tables import evidence_tag

__all__ = ["Attachment", "Blob", "Evidence", "EvidenceLink", "Revision", "Tag", "evidence_tag"]


class Evidence(Base):
    __table__ = tables.evidence

    id: Mapped[int]
    uuid: Mapped[str]
    kind: Mapped[str]
    title: Mapped[str]
    occurred_on: Mapped[date]
    occurred_until: Mapped[date | None]
    fields: Mapped[dict[str, Any]]
    text: Mapped[str]
    status: Mapped[str]
    private: Mapped[bool]
    placement_id: Mapped[int | None]
    revision: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

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

    __table__ = tables.evidence_link

    evidence_id: Mapped[int]
    code: Mapped[str]
    justification: Mapped[str]

    evidence: Mapped[Evidence] = relationship(back_populates="links", lazy="raise")


class Tag(Base):
    __table__ = tables.tag

    id: Mapped[int]
    name: Mapped[str]


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

    __table__ = tables.revision

    id: Mapped[int]
    evidence_id: Mapped[int]
    number: Mapped[int]
    saved_at: Mapped[datetime]
    reason: Mapped[str]
    digest: Mapped[str]
    snapshot: Mapped[dict[str, Any]]
