"""Plain, frozen read-models that services return. ORM objects never leave a session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from portfolio.vocabulary import PinMethod, SignOffState


@dataclass(frozen=True)
class ProfileData:
    name: str
    gmc_number: str
    grade: str = ""
    specialty: str = ""
    programme: str = ""
    region: str = ""
    trust: str = ""
    training_start: date | None = None
    training_end: date | None = None
    educational_supervisor: str = ""
    meeting_lock_minutes: int = 2
    """A supervisor's unlocked identity locks after this many minutes without input."""
    curriculum_id: str = ""
    """The trainee's own curriculum, shown beside GPC; "" for GPC alone."""


@dataclass(frozen=True)
class PlacementData:
    trust: str
    starts_on: date
    department: str = ""
    ends_on: date | None = None
    clinical_supervisor: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Link:
    """A link from an item to a curriculum node (a GPC domain, sub-heading or capability)."""

    code: str
    justification: str = ""


@dataclass(frozen=True)
class AttachmentData:
    sha256: str
    filename: str
    size: int
    mime_type: str


@dataclass(frozen=True)
class EvidenceDraft:
    """What a trainee writes: the input to create, and (every field given) to a full edit."""

    kind: str
    title: str
    occurred_on: date
    occurred_until: date | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    private: bool = False
    placement_id: int | None = None


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
class EvidenceDetail:
    id: int
    uuid: str
    kind: str
    title: str
    occurred_on: date
    occurred_until: date | None
    fields: dict[str, Any]
    text: str
    status: str
    private: bool
    placement_id: int | None
    links: tuple[Link, ...]
    tags: tuple[str, ...]
    attachments: tuple[AttachmentData, ...]
    revision: int
    digest: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    signoff: SignOffStatus | None = None
    """The latest sign-off, verified when read (None when never reviewed)."""

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(link.code for link in self.links)

    def as_draft(self) -> EvidenceDraft:
        return EvidenceDraft(
            kind=self.kind,
            title=self.title,
            occurred_on=self.occurred_on,
            occurred_until=self.occurred_until,
            fields=dict(self.fields),
            text=self.text,
            links=self.links,
            tags=self.tags,
            private=self.private,
            placement_id=self.placement_id,
        )


@dataclass(frozen=True)
class RevisionData:
    number: int
    saved_at: datetime
    reason: str
    digest: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class SearchHit:
    item: EvidenceSummary
    snippet: str


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
