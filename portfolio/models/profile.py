"""The trainee and their placements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio import tables
from portfolio.models.base import Base


class Profile(Base):
    """The one trainee whose portfolio this is; see ``tables.profile``."""

    __table__ = tables.profile

    id: Mapped[int]
    name: Mapped[str]
    gmc_number: Mapped[str]
    grade: Mapped[str]
    specialty: Mapped[str]
    programme: Mapped[str]
    region: Mapped[str]
    trust: Mapped[str]
    training_start: Mapped[date | None]
    training_end: Mapped[date | None]
    educational_supervisor: Mapped[str]
    meeting_lock_minutes: Mapped[int]
    curriculum_id: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Placement(Base):
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trust: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    clinical_supervisor: Mapped[str] = mapped_column(String(200), default="")
