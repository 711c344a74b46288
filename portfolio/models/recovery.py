"""Editor state autosaved between explicit saves, so a crash or a kill loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Mapped

from portfolio import tables
from portfolio.models.base import Base


class UnsavedDraft(Base):
    """See ``tables.unsaved_draft``."""

    __table__ = tables.unsaved_draft

    key: Mapped[str]
    evidence_uuid: Mapped[str | None]
    kind: Mapped[str]
    title: Mapped[str]
    state: Mapped[dict[str, Any]]
    saved_at: Mapped[datetime]
