"""Editor state autosaved between explicit saves, so a crash or a kill loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class UnsavedDraft(Base):
    __tablename__ = "unsaved_draft"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The item's uuid, or a fresh uuid for an item not yet saved."""
    evidence_uuid: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
