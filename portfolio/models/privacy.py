"""What a trainee told the privacy check is not patient data, remembered per item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class PrivacyDismissal(Base):
    __tablename__ = "privacy_dismissal"

    evidence_uuid: Mapped[str] = mapped_column(ForeignKey("evidence.uuid"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(String(300), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
