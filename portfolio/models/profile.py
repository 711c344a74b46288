"""The trainee and their placements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class Profile(Base):
    """The one trainee whose portfolio this is (a single row, id 1)."""

    __tablename__ = "profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    gmc_number: Mapped[str] = mapped_column(String(7))
    grade: Mapped[str] = mapped_column(String(200), default="")
    specialty: Mapped[str] = mapped_column(String(200), default="")
    programme: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    trust: Mapped[str] = mapped_column(String(200), default="")
    training_start: Mapped[date | None] = mapped_column(Date)
    training_end: Mapped[date | None] = mapped_column(Date)
    educational_supervisor: Mapped[str] = mapped_column(String(200), default="")
    meeting_lock_minutes: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    """Minutes without input after which a supervisor's unlocked identity locks (never off)."""
    curriculum_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The trainee's own curriculum (a built-in curriculum id) shown beside GPC; "" for none."""
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Placement(Base):
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trust: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    clinical_supervisor: Mapped[str] = mapped_column(String(200), default="")
