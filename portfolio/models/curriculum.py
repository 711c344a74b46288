"""Curricula as stored: every node (domain, sub-heading, group, capability) with its GPC mapping.

Rows are synchronised from the curriculum files in ``resources/curricula`` when a portfolio
opens, and from an imported curriculum when it is imported; evidence links refer to nodes by
their code, which is stable across versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base


class Curriculum(Base):
    __tablename__ = "curriculum"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    edition: Mapped[str] = mapped_column(String(100), default="")
    content_digest: Mapped[str] = mapped_column(String(64), default="")


class CurriculumNode(Base):
    __tablename__ = "curriculum_node"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    curriculum_id: Mapped[str] = mapped_column(
        ForeignKey("curriculum.id", ondelete="CASCADE"), index=True
    )
    parent_code: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    guidance: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    maps_to: Mapped[str] = mapped_column(String(300), default="")
    """Space-separated GPC codes this node develops (empty for the GPC nodes themselves)."""


class ImportedCurriculum(Base):
    """A curriculum the trainee imported (from a CASE file): its curriculum file, kept here so
    that backups, encryption and the portable archive carry it with the links to its nodes.

    A removed one keeps its row (``removed_at`` set) and its nodes, so links to them survive and
    an archive still carries what they are; it is no longer offered or counted."""

    __tablename__ = "imported_curriculum"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    """The curriculum file (format ``gpc-portfolio-curriculum``) as canonical JSON."""
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
