"""Supervisor directories this portfolio trusts: the signed file is kept exactly as received.

Nothing is trusted from the columns: every read parses and verifies ``document`` again, so an
edit of the table cannot add a supervisor. The columns are for listing and finding versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class TrustedDirectory(Base):
    __tablename__ = "trusted_directory"

    directory_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    publisher_fingerprint: Mapped[str] = mapped_column(String(64))
    """Fixed when the trainee first trusted the directory: later versions must match it."""
    expires_at: Mapped[str] = mapped_column(String(32))
    document: Mapped[str] = mapped_column(Text)
    trusted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
