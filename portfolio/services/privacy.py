"""The privacy check: likely patient-identifiable data in what trainees wrote.

Guidance, not a guarantee (docs/privacy.md). Findings the trainee marks "not patient data" are
remembered for that item and not raised again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, true
from sqlalchemy.orm import Session, sessionmaker

from portfolio.kinds import free_texts, template
from portfolio.models import PrivacyDismissal
from portfolio.privacy import NAME_FIELDS, Finding, find_identifiers
from portfolio.services.dto import EvidenceDetail, Link
from portfolio.services.evidence import EvidenceQuery, EvidenceService


class Written(Protocol):
    """What the check reads of an item: an ``EvidenceDetail``, or an archive entry's words."""

    @property
    def uuid(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def fields(self) -> Mapping[str, Any]: ...
    @property
    def text(self) -> str: ...
    @property
    def links(self) -> Sequence[Link]: ...


@dataclass(frozen=True)
class _Entry:
    uuid: str
    title: str
    kind: str
    fields: Mapping[str, Any]
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Gathered:
    """What a check reads from the database; scanning it (:meth:`findings`) needs none, so the
    window runs that beside the database thread."""

    items: tuple[Written, ...]
    dismissed: frozenset[tuple[str, str, str]]
    """(evidence uuid, kind, text) marked "not patient data"."""

    def __add__(self, other: Gathered) -> Gathered:
        return Gathered(self.items + other.items, self.dismissed | other.dismissed)

    def findings(self) -> list[ItemFinding]:
        return [
            ItemFinding(item.uuid, item.title, path, label, finding)
            for item in self.items
            for path, label, text in texts_of(item)
            for finding in find_identifiers(text)
            if (item.uuid, finding.kind, finding.text) not in self.dismissed
        ]


@dataclass(frozen=True)
class ItemFinding:
    evidence_uuid: str
    evidence_title: str
    path: str
    """Where: "title", "text", or a field path such as "pdsa_cycles.2.plan"."""
    label: str
    finding: Finding


def texts_of(item: Written) -> Iterator[tuple[str, str, str]]:
    """(path, label, text) of everything the trainee wrote in an item, except the fields that
    hold the assessor's or supervisor's name (NAME_FIELDS), which belong there."""
    yield "title", "Title", item.title
    yield from (t for t in free_texts(item.kind, item.fields) if t[0] not in NAME_FIELDS)
    if item.text:
        yield "text", template(item.kind).text_label or "Text", item.text
    for link in item.links:
        if link.justification:
            yield f"links.{link.code}", f"Why {link.code}", link.justification


class PrivacyService:
    def __init__(self, sessions: sessionmaker[Session], evidence: EvidenceService) -> None:
        self._sessions = sessions
        self._evidence = evidence

    def scan(self, item: EvidenceDetail) -> list[ItemFinding]:
        """Findings in one item, as saved or as the editor holds it now."""
        return self._gathered([item]).findings()

    def check_items(self, items: Sequence[Written]) -> list[ItemFinding]:
        """Findings in items already read, in the order given: a report checks what it read
        rather than reading every item again."""
        return self._gathered(items).findings()

    def check(
        self,
        query: EvidenceQuery = EvidenceQuery(),
        uuids: tuple[str, ...] = (),
    ) -> list[ItemFinding]:
        """Findings across the portfolio (or the items named), in list order."""
        return self.gather(query, uuids).findings()

    def gather(
        self,
        query: EvidenceQuery = EvidenceQuery(),
        uuids: tuple[str, ...] = (),
    ) -> Gathered:
        """What :meth:`check` reads, for scanning elsewhere."""
        items = [self._evidence.get(u) for u in uuids] if uuids else self._evidence.details(query)
        return self._gathered(items)

    def check_entries(self, entries: Iterable[Mapping[str, Any]]) -> list[ItemFinding]:
        """Findings in archive entries (``formats.archive``'s item dictionaries), in the order
        given: the export checks what it has read, rather than reading every item again."""
        return self._gathered(
            [
                _Entry(
                    e["uuid"],
                    e["title"],
                    e["kind"],
                    e["fields"],
                    e["text"],
                    tuple(Link(link["code"], link["justification"]) for link in e["links"]),
                )
                for e in entries
            ]
        ).findings()

    def dismiss(self, evidence_uuid: str, finding: Finding) -> None:
        """Remember that this text in this item is not patient data."""
        self._evidence.get(evidence_uuid)
        with self._sessions.begin() as session:
            session.merge(
                PrivacyDismissal(
                    evidence_uuid=evidence_uuid, kind=finding.kind, text=finding.text[:300]
                )
            )

    def dismissed(self, evidence_uuid: str) -> set[tuple[str, str]]:
        """(kind, text) of what the trainee marked "not patient data" in this item."""
        with self._sessions() as session:
            rows = session.execute(
                select(PrivacyDismissal.kind, PrivacyDismissal.text).where(
                    PrivacyDismissal.evidence_uuid == evidence_uuid
                )
            )
            return {(kind, text) for kind, text in rows}

    def _gathered(self, items: Sequence[Written]) -> Gathered:
        uuids = {item.uuid for item in items}
        with self._sessions() as session:
            rows = session.execute(
                select(
                    PrivacyDismissal.evidence_uuid, PrivacyDismissal.kind, PrivacyDismissal.text
                ).where(PrivacyDismissal.evidence_uuid.in_(uuids) if len(uuids) < 900 else true())
            )
            dismissed = frozenset((r.evidence_uuid, r.kind, r.text) for r in rows)
        return Gathered(tuple(items), dismissed)
