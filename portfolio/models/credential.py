"""Sign-off credentials: W3C Verifiable Credentials derived from signed sign-off records.

The sign-off record stays the source of truth; a credential is kept beside it exactly as signed
(its JSON text), one per cryptosuite, and is verified again whenever it is read or exported.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.models.base import Base


class SignOffCredential(Base):
    __tablename__ = "signoff_credential"
    __table_args__ = (UniqueConstraint("signoff_id", "suite"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signoff_id: Mapped[int] = mapped_column(
        ForeignKey("signoff.id", ondelete="CASCADE"), index=True
    )
    suite: Mapped[str] = mapped_column(String(20))
    """The Data Integrity cryptosuite: eddsa-rdfc-2022 or eddsa-jcs-2022."""
    document: Mapped[str] = mapped_column(Text)
    """The signed credential as JSON text, byte for byte as issued."""
    issued_at: Mapped[str] = mapped_column(String(32))
    """The proof's `created`: when it was signed (later than the sign-off for older ones)."""
