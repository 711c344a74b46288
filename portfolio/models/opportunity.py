"""Opportunity catalogues published by a Clinical Leadership Mentor, and the trainee's progress.

A catalogue built here (``own``) is the CLM's working copy; an imported one keeps the
publisher's identity and signature as received. Progress rows are keyed by the opportunity's
stable id and not tied to a catalogue row, so a newer version of a catalogue can replace the
opportunities without losing what the trainee recorded.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.models.base import Base, utcnow


class OpportunityCatalogue(Base):
    __tablename__ = "opportunity_catalogue"

    catalogue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    trust: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    """The version last published (own) or imported; 0 for an own catalogue never published."""
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    """Built and published from this copy of the app (the CLM's)."""
    published_at: Mapped[str] = mapped_column(String(32), default="")
    publisher_name: Mapped[str] = mapped_column(String(200), default="")
    publisher_gmc: Mapped[str] = mapped_column(String(7), default="")
    publisher_role: Mapped[str] = mapped_column(String(40), default="")
    publisher_key: Mapped[str] = mapped_column(String(64), default="")
    signature: Mapped[str] = mapped_column(String(100), default="")
    changed: Mapped[bool] = mapped_column(Boolean, default=False)
    """An own catalogue edited since it was last published."""
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    opportunities: Mapped[list[Opportunity]] = relationship(
        back_populates="catalogue",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Opportunity.position",
    )


class Opportunity(Base):
    __tablename__ = "opportunity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    """Stable across versions of its catalogue."""
    catalogue_id: Mapped[str] = mapped_column(
        ForeignKey("opportunity_catalogue.catalogue_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    trust: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)

    catalogue: Mapped[OpportunityCatalogue] = relationship(
        back_populates="opportunities", lazy="raise"
    )


class OpportunityProgress(Base):
    """What the trainee did about one opportunity, with the date of each step."""

    __tablename__ = "opportunity_progress"

    opportunity_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    catalogue_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(300))
    """The title when progress was last recorded: shown if a newer catalogue drops it."""
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    interested_on: Mapped[date | None] = mapped_column(Date)
    applied_on: Mapped[date | None] = mapped_column(Date)
    participating_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    evidence_uuid: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
