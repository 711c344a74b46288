"""Supervisors' public identities and their signed decisions about evidence items.

A sign-off row is the signed record exactly as made: nothing here is trusted for display until
its signature has been verified and its digest compared with the item's content. Sign-off rows
are append-only: on SQLite triggers refuse UPDATE and DELETE (migration 0007).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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
    format_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    supersedes: Mapped[str | None] = mapped_column(String(100), index=True)
    """The signature of the record this one replaces (signed, from format version 2)."""
    trainee_gmc: Mapped[str | None] = mapped_column(String(7))
    """The trainee the record was signed for (signed, from format version 2; None in version 1)."""


class SigningLogEntry(Base):
    """One record this copy signed for someone else's portfolio (a supervisor's own copy).

    Each entry is signed by the signer and names the digest of the entry before it, so a copy of
    the log shows any entry taken out of its middle (docs/formats.md, "Signing log").
    Append-only like sign-offs.
    """

    __tablename__ = "signing_log"
    __table_args__ = (UniqueConstraint("fingerprint", "sequence", name="fingerprint_sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    trainee_gmc: Mapped[str] = mapped_column(String(7))
    previous: Mapped[str | None] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[str] = mapped_column(String(100))
