"""The archives a portfolio has imported, so the same bytes imported again are not parsed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class ImportedArchive(Base):
    """One archive file imported here, by the SHA-256 of its bytes (services/archive.py)."""

    __tablename__ = "imported_archive"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    items: Mapped[list[str]] = mapped_column(JSON)
    """Every item's uuid, in the archive's order."""
    profile: Mapped[str] = mapped_column(String(10))
    """What importing it again reports of the profile: none, same or kept_local."""
    profile_differences: Mapped[list[str]] = mapped_column(JSON)
    context: Mapped[str] = mapped_column(String(64))
    """The digest of what else that report depends on (the profile, the placements) at the
    import: when it differs now, the archive is parsed again."""
