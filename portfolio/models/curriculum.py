"""Curricula as stored: every node (domain, sub-heading, group, capability) with its GPC mapping.

Rows are synchronised from the curriculum files in ``resources/curricula`` when a portfolio
opens, and from an imported curriculum when it is imported; evidence links refer to nodes by
their code, which is stable across versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from portfolio import tables
from portfolio.models.base import Base


class Curriculum(Base):
    __table__ = tables.curriculum

    id: Mapped[str]
    title: Mapped[str]
    edition: Mapped[str]
    content_digest: Mapped[str]


class CurriculumNode(Base):
    __table__ = tables.curriculum_node

    code: Mapped[str]
    curriculum_id: Mapped[str]
    parent_code: Mapped[str | None]
    kind: Mapped[str]
    title: Mapped[str]
    guidance: Mapped[str]
    position: Mapped[int]
    maps_to: Mapped[str]
    """Space-separated GPC codes this node develops (empty for the GPC nodes themselves)."""


class ImportedCurriculum(Base):
    """A curriculum the trainee imported (from a CASE file); see ``tables.imported_curriculum``."""

    __table__ = tables.imported_curriculum

    id: Mapped[str]
    document: Mapped[str]
    imported_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
