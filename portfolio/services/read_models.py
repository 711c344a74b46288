"""The read-models a read command returns (``quick_reads``): the list's rows, the coverage and
a sign-off's verified status. Apart from ``dto``, which names them too, so that a read command
builds only these frozen dataclasses (each costs about a millisecond to build at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from portfolio.vocabulary import PinMethod, SignOffState


@dataclass(frozen=True)
class Vouch:
    """Who vouches that a signer's key is theirs: a trusted directory, or the trainee's pin."""

    kind: Literal["directory", "pinned"]
    directory: str = ""
    """The directory's name (kind "directory")."""
    publisher_fingerprint: str = ""
    """The fingerprint of the directory publisher's key (kind "directory")."""
    how: PinMethod | None = None
    """How the card was pinned (kind "pinned")."""


@dataclass(frozen=True)
class SignOffStatus:
    """The latest sign-off of an item, as verified now."""

    state: SignOffState
    decision: str
    comment: str
    signer_name: str
    signer_role: str
    fingerprint: str
    signed_at: str
    vouched_by: Vouch | None = None
    """None: nobody this portfolio trusts vouches for the signer's key."""
    reason: str = ""
    """Why the sign-off is revoked, or why nobody vouches for its signer."""
    warning: str = ""
    signature: str = ""
    """Names this record: a later one that replaces it gives this as its ``supersedes``."""
    supersedes: str | None = None
    chain_warning: str = ""
    """Set when a record the item's sign-offs name as superseded is missing from the portfolio."""
    other_trainee: str = ""
    """The GMC number a version 2 record names when it is not this portfolio's trainee's: the
    record was signed for another trainee and never counts here."""

    @property
    def trusted(self) -> bool:
        """Valid and vouched for: the only sign-offs that count."""
        return self.state == "valid" and self.vouched_by is not None


@dataclass(frozen=True)
class EvidenceSummary:
    """One row of the evidence list."""

    id: int
    uuid: str
    kind: str
    title: str
    occurred_on: date
    status: str
    domains: tuple[str, ...]
    private: bool
    updated_at: datetime
    deleted: bool
    signoff: SignOffStatus | None = None
    """The latest sign-off, verified when read (None when never reviewed)."""


@dataclass(frozen=True)
class DomainCoverage:
    code: str
    title: str
    total: int
    by_status: dict[str, int]

    @property
    def signed(self) -> int:
        return self.by_status.get("signed_off", 0)

    @property
    def awaiting_review(self) -> int:
        return self.by_status.get("ready", 0)


@dataclass(frozen=True)
class Coverage:
    domains: tuple[DomainCoverage, ...]
    awaiting_review: int
    total_items: int

    @property
    def without_evidence(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains if d.total == 0)

    @property
    def without_signed_evidence(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains if d.signed == 0)
