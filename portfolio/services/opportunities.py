"""Leadership opportunities: a CLM builds and publishes a signed catalogue; a trainee imports it,
finds opportunities for the domains they lack, records what they did about each, and turns
participation into a linked evidence item. A supervisor browses the same catalogues.

File format: ``portfolio.formats.catalogue`` and docs/formats.md.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from portfolio.curriculum.domains import gpc_domain_of
from portfolio.errors import InvalidInput, NotFound
from portfolio.formats.catalogue import (
    CatalogueFile,
    OpportunityEntry,
    catalogue_payload,
    domain_codes,
    read_catalogue,
    write_catalogue,
)
from portfolio.models import Opportunity, OpportunityCatalogue, OpportunityProgress
from portfolio.models.base import utcnow
from portfolio.security.signing import fingerprint_of, utc_timestamp
from portfolio.services import validation
from portfolio.services.coverage import CoverageService
from portfolio.services.dto import EvidenceDetail, EvidenceDraft, Link
from portfolio.services.evidence import EvidenceService
from portfolio.services.signoffs import Unlocked
from portfolio.vocabulary import OPPORTUNITY_KINDS, PROGRESS_STATUSES

EVIDENCE_KINDS = {
    "role": "leadership_role",
    "project": "qi_project",
    "teaching": "course",
    "event": "course",
}
"""The kind of evidence item participation in each kind of opportunity becomes."""
TAKEN_UP = ("participating", "completed")


@dataclass(frozen=True)
class OpportunityDraft:
    """What a CLM writes about one opportunity."""

    title: str
    kind: str
    trust: str = ""
    contact: str = ""
    description: str = ""
    domains: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    closes_on: date | None = None


@dataclass(frozen=True)
class Publisher:
    name: str
    gmc_number: str
    role: str
    fingerprint: str


@dataclass(frozen=True)
class CatalogueInfo:
    catalogue_id: str
    title: str
    trust: str
    version: int
    """Last published (own) or imported version; 0 for an own catalogue never published."""
    own: bool
    published_at: str
    publisher: Publisher | None
    opportunities: int
    changed: bool = False
    """An own catalogue edited since it was last published."""


@dataclass(frozen=True)
class Progress:
    status: str
    interested_on: date | None = None
    applied_on: date | None = None
    participating_on: date | None = None
    completed_on: date | None = None
    evidence_uuid: str | None = None

    def date_of(self, status: str) -> date | None:
        value: date | None = getattr(self, f"{status}_on")
        return value


@dataclass(frozen=True)
class OpportunityView:
    uuid: str
    catalogue_id: str
    catalogue_title: str
    title: str
    kind: str
    trust: str
    contact: str
    description: str
    domains: tuple[str, ...]
    starts_on: date | None
    ends_on: date | None
    closes_on: date | None
    publisher: Publisher | None
    progress: Progress | None = None

    @property
    def gpc_domains(self) -> tuple[str, ...]:
        """The GPC domains (GPC1 … GPC9) it develops, each once."""
        return tuple(dict.fromkeys(gpc_domain_of(code) for code in self.domains))

    def is_open(self, today: date | None = None) -> bool:
        return self.closes_on is None or self.closes_on >= (today or date.today())


@dataclass(frozen=True)
class TrackedOpportunity:
    """Progress on an opportunity, whether or not a catalogue still lists it."""

    opportunity_uuid: str
    catalogue_id: str
    title: str
    kind: str
    progress: Progress
    listed: bool


@dataclass(frozen=True)
class OpportunityQuery:
    domain: str | None = None
    """A GPC domain or sub-heading: opportunities developing it (GPC6 includes GPC6.2)."""
    gaps: bool = False
    """Only opportunities for a domain in which the trainee has no evidence."""
    kind: str | None = None
    catalogue_id: str | None = None
    status: str | None = None
    """A progress status, or "none" for opportunities with nothing recorded."""
    open_only: bool = False
    """Leave out opportunities whose closing date has passed."""


@dataclass(frozen=True)
class CatalogueImport:
    catalogue: CatalogueInfo
    previous_version: int | None
    added: int
    removed: int
    kept_progress: int
    """Progress records of the trainee's that the catalogue no longer lists (kept)."""
    unchanged: bool = False
    """The same version was imported before; nothing changed."""


class OpportunityService:
    def __init__(
        self, sessions: sessionmaker[Session], evidence: EvidenceService, coverage: CoverageService
    ) -> None:
        self._sessions = sessions
        self._evidence = evidence
        self._coverage = coverage

    # -- the CLM's side: building and publishing ---------------------------------------------

    def create_catalogue(self, title: str, trust: str = "") -> CatalogueInfo:
        row = OpportunityCatalogue(
            catalogue_id=str(uuid_module.uuid4()),
            title=validation.required_text(title, "catalogue title", 200),
            trust=validation.optional_text(trust, "Trust", 200),
            version=0,
            own=True,
            published_at="",
            changed=True,
            opportunities=[],
        )
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            return self._info(session, row)

    def add_opportunity(self, catalogue_id: str, draft: OpportunityDraft) -> OpportunityView:
        entry = self._checked(draft, str(uuid_module.uuid4()))
        with self._sessions.begin() as session:
            catalogue = self._own(session, catalogue_id)
            last = session.scalars(
                select(Opportunity.position).where(Opportunity.catalogue_id == catalogue_id)
            ).all()
            row = self._row(entry, catalogue_id, max(last, default=-1) + 1)
            session.add(row)
            catalogue.changed = True
            catalogue.updated_at = utcnow()
            session.flush()
            return self._view(row, catalogue, None)

    def update_opportunity(self, opportunity_uuid: str, draft: OpportunityDraft) -> OpportunityView:
        entry = self._checked(draft, opportunity_uuid)
        with self._sessions.begin() as session:
            row = self._opportunity(session, opportunity_uuid)
            catalogue = self._own(session, row.catalogue_id)
            for key, value in self._columns(entry).items():
                setattr(row, key, value)
            catalogue.changed = True
            catalogue.updated_at = utcnow()
            return self._view(row, catalogue, None)

    def remove_opportunity(self, opportunity_uuid: str) -> None:
        with self._sessions.begin() as session:
            row = self._opportunity(session, opportunity_uuid)
            catalogue = self._own(session, row.catalogue_id)
            session.delete(row)
            catalogue.changed = True
            catalogue.updated_at = utcnow()

    def publish(self, catalogue_id: str, out: Path, unlocked: Unlocked) -> CatalogueInfo:
        """Sign the next version of an own catalogue and write it to ``out`` (atomically).

        A CLM signs with their own identity (role "other" until the app has a CLM role).
        """
        with self._sessions.begin() as session:
            row = self._own(session, catalogue_id)
            entries = tuple(self._entry(o) for o in self._opportunities(session, catalogue_id))
            if not entries:
                raise InvalidInput(
                    f"The catalogue '{row.title}' has no opportunities to publish yet."
                )
            version, published_at = row.version + 1, utc_timestamp()
            payload = catalogue_payload(
                catalogue_id,
                version,
                row.title,
                row.trust,
                published_at,
                unlocked.identity,
                entries,
            )
            write_catalogue(Path(out), payload, unlocked)
            identity = unlocked.identity
            row.version, row.published_at, row.changed = version, published_at, False
            row.publisher_name, row.publisher_gmc = identity.name, identity.gmc_number
            row.publisher_role, row.publisher_key = identity.role, identity.public_key
            row.signature = ""
            row.updated_at = utcnow()
            return self._info(session, row)

    # -- everyone: importing and browsing ----------------------------------------------------

    def read(self, path: Path) -> CatalogueFile:
        """A catalogue file, verified, without importing it (to show who published it)."""
        return read_catalogue(Path(path))

    def import_catalogue(self, path: Path) -> CatalogueImport:
        """Verify and import a catalogue; a newer version replaces the older one's opportunities
        and keeps every progress record. A bad file changes nothing."""
        document = read_catalogue(Path(path))
        name = Path(path).name
        with self._sessions.begin() as session:
            row = session.get(OpportunityCatalogue, document.catalogue_id)
            previous: int | None = None
            if row is not None:
                previous = row.version
                if row.own:
                    raise InvalidInput(
                        f"{name} is your own catalogue '{row.title}'; it is already here."
                    )
                if row.publisher_key != document.publisher.public_key:
                    raise InvalidInput(
                        f"{name} claims to be a version of '{row.title}' but is signed by "
                        f"another key ({document.publisher.fingerprint}) than the one you "
                        f"imported before ({_fingerprint(row.publisher_key)}). Nothing was "
                        "imported."
                    )
                if document.version < row.version:
                    raise InvalidInput(
                        f"{name} is version {document.version} of "
                        f"'{row.title}'; you already have the newer version "
                        f"{row.version}. Nothing was imported."
                    )
                if document.version == row.version:
                    if document.signature != row.signature:
                        raise InvalidInput(
                            f"{name} is version {row.version} of '{row.title}' "
                            "but differs from the version "
                            f"{row.version} you imported. Nothing was imported."
                        )
                    return CatalogueImport(
                        self._info(session, row),
                        previous,
                        0,
                        0,
                        self._orphans(session, row.catalogue_id),
                        True,
                    )
            new_ids = {entry.id for entry in document.opportunities}
            elsewhere = session.scalars(
                select(Opportunity.uuid).where(
                    Opportunity.uuid.in_(new_ids), Opportunity.catalogue_id != document.catalogue_id
                )
            ).first()
            if elsewhere is not None:
                raise InvalidInput(
                    f"{name}: opportunity {elsewhere} already belongs to another "
                    "catalogue here. Nothing was imported."
                )
            old_ids = set(
                session.scalars(
                    select(Opportunity.uuid).where(
                        Opportunity.catalogue_id == document.catalogue_id
                    )
                )
            )
            if row is None:
                row = OpportunityCatalogue(
                    catalogue_id=document.catalogue_id, own=False, opportunities=[]
                )
                session.add(row)
            publisher = document.publisher
            row.title, row.trust, row.version = document.title, document.trust, document.version
            row.published_at, row.signature, row.changed = (
                document.published_at,
                document.signature,
                False,
            )
            row.publisher_name, row.publisher_gmc = publisher.name, publisher.gmc_number
            row.publisher_role, row.publisher_key = publisher.role, publisher.public_key
            row.updated_at = utcnow()
            session.execute(
                delete(Opportunity).where(Opportunity.catalogue_id == document.catalogue_id)
            )
            session.flush()
            for position, entry in enumerate(document.opportunities):
                session.add(self._row(entry, document.catalogue_id, position))
                tracked = session.get(OpportunityProgress, entry.id)
                if tracked is not None:
                    tracked.title, tracked.kind = entry.title, entry.kind
            session.flush()
            return CatalogueImport(
                self._info(session, row),
                previous,
                len(new_ids - old_ids),
                len(old_ids - new_ids),
                self._orphans(session, row.catalogue_id),
            )

    def catalogues(self) -> list[CatalogueInfo]:
        with self._sessions() as session:
            rows = session.scalars(
                select(OpportunityCatalogue).order_by(
                    OpportunityCatalogue.own.desc(), OpportunityCatalogue.title
                )
            )
            return [self._info(session, row) for row in rows]

    def catalogue(self, catalogue_id: str) -> CatalogueInfo:
        with self._sessions() as session:
            row = session.get(OpportunityCatalogue, catalogue_id)
            if row is None:
                raise NotFound(f"There is no catalogue {catalogue_id}.")
            return self._info(session, row)

    def remove_catalogue(self, catalogue_id: str) -> None:
        """Forget a catalogue and its opportunities; the trainee's progress records stay."""
        with self._sessions.begin() as session:
            row = session.get(OpportunityCatalogue, catalogue_id)
            if row is None:
                raise NotFound(f"There is no catalogue {catalogue_id}.")
            session.execute(delete(Opportunity).where(Opportunity.catalogue_id == catalogue_id))
            session.delete(row)

    def find(self, query: OpportunityQuery = OpportunityQuery()) -> list[OpportunityView]:
        """Opportunities of every catalogue here, filtered, in catalogue order."""
        wanted_domain = resolve(query.domain) if query.domain else None
        if query.kind is not None and query.kind not in OPPORTUNITY_KINDS:
            raise InvalidInput(
                f"Unknown kind of opportunity '{query.kind}'; choose one of: "
                f"{', '.join(OPPORTUNITY_KINDS)}."
            )
        if query.status is not None and query.status not in (*PROGRESS_STATUSES, "none"):
            raise InvalidInput(
                f"Unknown status '{query.status}'; choose one of: "
                f"{', '.join(PROGRESS_STATUSES)} or none."
            )
        gaps = set(self._coverage.coverage().without_evidence) if query.gaps else set()
        with self._sessions() as session:
            statement = (
                select(Opportunity)
                .join(OpportunityCatalogue)
                .options(selectinload(Opportunity.catalogue))
                .order_by(OpportunityCatalogue.title, Opportunity.position)
            )
            if query.catalogue_id is not None:
                statement = statement.where(Opportunity.catalogue_id == query.catalogue_id)
            if query.kind is not None:
                statement = statement.where(Opportunity.kind == query.kind)
            rows = session.scalars(statement).all()
            progress = self._progress_of(session, [row.uuid for row in rows])
            views = [self._view(row, row.catalogue, progress.get(row.uuid)) for row in rows]
        today = date.today()
        out = []
        for view in views:
            if wanted_domain and not any(
                code == wanted_domain
                or code.startswith(wanted_domain + ".")
                or wanted_domain.startswith(code + ".")
                for code in view.domains
            ):
                continue
            if query.gaps and not gaps.intersection(view.gpc_domains):
                continue
            if query.status is not None:
                shown = view.progress.status if view.progress else "none"
                if shown != query.status:
                    continue
            if query.open_only and not view.is_open(today):
                continue
            out.append(view)
        return out

    def get(self, opportunity_uuid: str) -> OpportunityView:
        with self._sessions() as session:
            row = self._opportunity(session, opportunity_uuid)
            catalogue = session.get(OpportunityCatalogue, row.catalogue_id)
            assert catalogue is not None
            progress = self._progress_of(session, [row.uuid]).get(row.uuid)
            return self._view(row, catalogue, progress)

    # -- the trainee's side: progress and evidence -------------------------------------------

    def record_status(
        self, opportunity_uuid: str, status: str, on: date | None = None
    ) -> OpportunityView:
        """Record interest, application, participation or completion (dated ``on``, today by
        default). Going back to an earlier step forgets the dates of the later ones."""
        if status not in PROGRESS_STATUSES:
            raise InvalidInput(
                f"Unknown status '{status}'; choose one of: {', '.join(PROGRESS_STATUSES)}."
            )
        day = on or date.today()
        with self._sessions.begin() as session:
            row = self._opportunity(session, opportunity_uuid)
            tracked = session.get(OpportunityProgress, row.uuid)
            if tracked is None:
                tracked = OpportunityProgress(opportunity_uuid=row.uuid)
                session.add(tracked)
            tracked.catalogue_id, tracked.title, tracked.kind = (
                row.catalogue_id,
                row.title,
                row.kind,
            )
            step = PROGRESS_STATUSES.index(status)
            for later in PROGRESS_STATUSES[step + 1 :]:
                setattr(tracked, f"{later}_on", None)
            earlier = [getattr(tracked, f"{s}_on") for s in PROGRESS_STATUSES[:step]]
            if any(d is not None and d > day for d in earlier):
                raise InvalidInput(f"The date {day} is before the date of an earlier step.")
            setattr(tracked, f"{status}_on", day)
            tracked.status = status
            tracked.updated_at = utcnow()
            session.flush()
        return self.get(opportunity_uuid)

    def clear_status(self, opportunity_uuid: str) -> None:
        """Forget what was recorded (not allowed once it produced an evidence item)."""
        with self._sessions.begin() as session:
            tracked = session.get(OpportunityProgress, opportunity_uuid)
            if tracked is None:
                return
            if tracked.evidence_uuid:
                raise InvalidInput(f"'{tracked.title}' has an evidence item; its record stays.")
            session.delete(tracked)

    def tracked(self) -> list[TrackedOpportunity]:
        """Every progress record, including those for opportunities no longer listed."""
        with self._sessions() as session:
            listed = set(session.scalars(select(Opportunity.uuid)))
            rows = session.scalars(
                select(OpportunityProgress).order_by(
                    OpportunityProgress.updated_at, OpportunityProgress.opportunity_uuid
                )
            )
            return [
                TrackedOpportunity(
                    r.opportunity_uuid,
                    r.catalogue_id,
                    r.title,
                    r.kind,
                    _progress(r),
                    r.opportunity_uuid in listed,
                )
                for r in rows
            ]

    def evidence_draft(self, opportunity_uuid: str) -> EvidenceDraft:
        """The evidence item participation becomes, prefilled from the opportunity."""
        view = self.get(opportunity_uuid)
        progress = view.progress
        if progress is None or progress.status not in TAKEN_UP:
            raise InvalidInput(f"Record that you are participating in '{view.title}' first.")
        kind = EVIDENCE_KINDS[view.kind]
        started = progress.participating_on or view.starts_on or date.today()
        ended = progress.completed_on
        fields: dict[str, Any] = {}
        if kind == "leadership_role":
            fields = {
                "role": view.title[:500],
                "organisation": view.trust[:500],
                "started_on": started.isoformat(),
            }
            if ended is not None:
                fields["ended_on"] = ended.isoformat()
        elif kind == "course" and view.trust:
            fields = {"provider": view.trust[:500]}
        return EvidenceDraft(
            kind=kind,
            title=view.title,
            occurred_on=started,
            occurred_until=ended if ended is not None and ended > started else None,
            fields=fields,
            links=tuple(Link(code) for code in view.domains),
            tags=("opportunity",),
        )

    def create_evidence(self, opportunity_uuid: str) -> EvidenceDetail:
        """Create the draft evidence item for participation and link it to the opportunity."""
        with self._sessions() as session:
            tracked = session.get(OpportunityProgress, opportunity_uuid)
            existing = tracked.evidence_uuid if tracked is not None else None
        if existing:
            try:
                found = self._evidence.get(existing)
            except NotFound:
                found = None
            if found is not None and found.deleted_at is None:
                raise InvalidInput(f"'{found.title}' is already the evidence of this opportunity.")
        created = self._evidence.create(self.evidence_draft(opportunity_uuid))
        with self._sessions.begin() as session:
            tracked = session.get(OpportunityProgress, opportunity_uuid)
            assert tracked is not None
            tracked.evidence_uuid = created.uuid
            tracked.updated_at = utcnow()
        return created

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _checked(draft: OpportunityDraft, opportunity_id: str) -> OpportunityEntry:
        if draft.kind not in OPPORTUNITY_KINDS:
            raise InvalidInput(
                f"Unknown kind of opportunity '{draft.kind}'; choose one of: "
                f"{', '.join(OPPORTUNITY_KINDS)}."
            )
        if draft.starts_on is not None:
            validation.date_range(draft.starts_on, draft.ends_on, "opportunity")
        elif draft.ends_on is not None:
            raise InvalidInput("Give the opportunity's start date as well as its end date.")
        return OpportunityEntry(
            id=opportunity_id,
            title=validation.required_text(draft.title, "title", 300),
            kind=draft.kind,
            trust=validation.optional_text(draft.trust, "Trust", 200),
            contact=validation.optional_text(draft.contact, "contact", 300),
            description=validation.optional_text(draft.description, "description", 20_000),
            domains=domain_codes(tuple(draft.domains), "The opportunity"),
            starts_on=draft.starts_on,
            ends_on=draft.ends_on,
            closes_on=draft.closes_on,
        )

    @staticmethod
    def _columns(entry: OpportunityEntry) -> dict[str, Any]:
        return {
            "title": entry.title,
            "kind": entry.kind,
            "trust": entry.trust,
            "contact": entry.contact,
            "description": entry.description,
            "domains": list(entry.domains),
            "starts_on": entry.starts_on,
            "ends_on": entry.ends_on,
            "closes_on": entry.closes_on,
        }

    def _row(self, entry: OpportunityEntry, catalogue_id: str, position: int) -> Opportunity:
        return Opportunity(
            uuid=entry.id, catalogue_id=catalogue_id, position=position, **self._columns(entry)
        )

    @staticmethod
    def _entry(row: Opportunity) -> OpportunityEntry:
        return OpportunityEntry(
            id=row.uuid,
            title=row.title,
            kind=row.kind,
            trust=row.trust,
            contact=row.contact,
            description=row.description,
            domains=tuple(row.domains),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            closes_on=row.closes_on,
        )

    @staticmethod
    def _opportunities(session: Session, catalogue_id: str) -> list[Opportunity]:
        return list(
            session.scalars(
                select(Opportunity)
                .where(Opportunity.catalogue_id == catalogue_id)
                .order_by(Opportunity.position)
            )
        )

    @staticmethod
    def _opportunity(session: Session, opportunity_uuid: str) -> Opportunity:
        row = session.scalar(select(Opportunity).where(Opportunity.uuid == opportunity_uuid))
        if row is None:
            raise NotFound(f"There is no opportunity {opportunity_uuid}.")
        return row

    @staticmethod
    def _own(session: Session, catalogue_id: str) -> OpportunityCatalogue:
        row = session.get(OpportunityCatalogue, catalogue_id)
        if row is None:
            raise NotFound(f"There is no catalogue {catalogue_id}.")
        if not row.own:
            raise InvalidInput(
                f"'{row.title}' was published by {row.publisher_name}; only "
                "its publisher can change it."
            )
        return row

    @staticmethod
    def _orphans(session: Session, catalogue_id: str) -> int:
        listed = select(Opportunity.uuid).where(Opportunity.catalogue_id == catalogue_id)
        return len(
            session.scalars(
                select(OpportunityProgress.opportunity_uuid).where(
                    OpportunityProgress.catalogue_id == catalogue_id,
                    OpportunityProgress.opportunity_uuid.not_in(listed),
                )
            ).all()
        )

    @staticmethod
    def _progress_of(session: Session, uuids: list[str]) -> dict[str, Progress]:
        if not uuids:
            return {}
        rows = session.scalars(
            select(OpportunityProgress).where(OpportunityProgress.opportunity_uuid.in_(uuids))
        )
        return {row.opportunity_uuid: _progress(row) for row in rows}

    @staticmethod
    def _publisher(row: OpportunityCatalogue) -> Publisher | None:
        if not row.publisher_key:
            return None
        return Publisher(
            row.publisher_name,
            row.publisher_gmc,
            row.publisher_role,
            _fingerprint(row.publisher_key),
        )

    def _info(self, session: Session, row: OpportunityCatalogue) -> CatalogueInfo:
        count = len(
            session.scalars(
                select(Opportunity.id).where(Opportunity.catalogue_id == row.catalogue_id)
            ).all()
        )
        return CatalogueInfo(
            row.catalogue_id,
            row.title,
            row.trust,
            row.version,
            row.own,
            row.published_at,
            self._publisher(row),
            count,
            row.changed,
        )

    def _view(
        self, row: Opportunity, catalogue: OpportunityCatalogue, progress: Progress | None
    ) -> OpportunityView:
        return OpportunityView(
            uuid=row.uuid,
            catalogue_id=row.catalogue_id,
            catalogue_title=catalogue.title,
            title=row.title,
            kind=row.kind,
            trust=row.trust,
            contact=row.contact,
            description=row.description,
            domains=tuple(row.domains),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            closes_on=row.closes_on,
            publisher=self._publisher(catalogue),
            progress=progress,
        )


def resolve(code: str) -> str:
    return domain_codes((code,), "The domain filter")[0]


def _progress(row: OpportunityProgress) -> Progress:
    return Progress(
        row.status,
        row.interested_on,
        row.applied_on,
        row.participating_on,
        row.completed_on,
        row.evidence_uuid,
    )


def _fingerprint(public_key: str) -> str:
    return fingerprint_of(public_key)
