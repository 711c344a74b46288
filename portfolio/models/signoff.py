"""Supervisors' public identities and their signed decisions about evidence items.

A sign-off row is the signed record exactly as made: nothing here is trusted for display until
its signature has been verified and its digest compared with the item's content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base, utcnow


class SupervisorIdentity(Base):
    __tablename__ = "supervisor_identity"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    gmc_number: Mapped[str] = mapped_column(String(7))
    role: Mapped[str] = mapped_column(String(40))
    has_private_key: Mapped[bool] = mapped_column(Boolean, default=False)
    """True when this copy of the app keeps the private key (created here)."""
    pinned_how: Mapped[str | None] = mapped_column(String(20), default=None)
    """How the trainee confirmed this card is the supervisor's (a ``PinMethod``), or None.
    Set only by an act in this portfolio, never by a file."""
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def pinned(self) -> bool:
        return self.pinned_how is not None


class SignOff(Base):
    __tablename__ = "signoff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_uuid: Mapped[str] = mapped_column(ForeignKey("evidence.uuid"), index=True)
    evidence_digest: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_gmc: Mapped[str] = mapped_column(String(7))
    signer_role: Mapped[str] = mapped_column(String(40))
    public_key: Mapped[str] = mapped_column(String(64), index=True)
    signed_at: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(100), unique=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(20))
    """How it arrived: "meeting" (signed on this machine) or "file" (a .gpcsignoff import)."""
