"""Plain, frozen read-models that services return. ORM objects never leave a session.

The read commands' own (the list's, the coverage's and a sign-off's status) are defined in
``read_models``, which builds only those classes, and named here too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portfolio.services.read_models import Coverage as Coverage
from portfolio.services.read_models import DomainCoverage as DomainCoverage
from portfolio.services.read_models import EvidenceSummary as EvidenceSummary
from portfolio.services.read_models import SignOffStatus as SignOffStatus
from portfolio.services.read_models import Vouch as Vouch


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
