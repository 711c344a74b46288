"""Fill an empty portfolio with a believable, entirely fictional FY2 year (``gpc-portfolio demo``).

The content lives in :mod:`portfolio.demo.content` as plain dicts; this module only
turns it into calls on the ordinary services, so every item is validated exactly as if a
trainee had typed it. Then the year's other people have their say, again through the
services and their files: a trusted supervisor signs (:mod:`.signoffs`), the Trust's mentor
publishes opportunities (:mod:`.opportunities`) and a small cohort's summaries are written for
the mentor's view (:mod:`.cohort`). Those files stay in the ``demo`` folder beside the
database. Keys and dates are fixed, so the result is the same on every run apart from uuids
and the times items were saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from portfolio.demo.cohort import write_cohort
from portfolio.demo.content import ITEMS, PLACEMENTS, PROFILE, TRUST
from portfolio.demo.opportunities import publish_and_take_up
from portfolio.demo.signoffs import sign_ready, trust_supervisor
from portfolio.errors import InvalidInput
from portfolio.kinds import validate_fields
from portfolio.services.dto import EvidenceDraft, Link, PlacementData, ProfileData

if TYPE_CHECKING:
    from portfolio.app import Portfolio

__all__ = ["DEMO_FOLDER", "NOT_EMPTY", "fill_demo"]

NOT_EMPTY = "This portfolio already has evidence; the demo fills only an empty one."
DEMO_FOLDER = "demo"
"""Beside the database: the directory, catalogue and cohort files the demo's people wrote."""


def fill_demo(portfolio: Portfolio) -> int:
    """Add the demo profile (when there is none), placements and items; return the item count.

    Raises :class:`InvalidInput` and changes nothing when the portfolio has live evidence.
    Every item is checked against its kind before anything is written.
    """
    if portfolio.evidence.count() > 0:
        raise InvalidInput(NOT_EMPTY)
    _preflight(ITEMS, PLACEMENTS)

    profile = portfolio.profile.get()
    if profile is None:
        profile = portfolio.profile.save(_profile(PROFILE))
    placement_ids = _placements(portfolio, profile.trust or TRUST)

    drafts: dict[str, EvidenceDraft] = {}
    ready: list[str] = []
    for entry in ITEMS:
        draft = _draft(entry, placement_ids[entry["placement"]])
        item = portfolio.evidence.create(draft)
        drafts[item.uuid] = draft
        for filename, content in entry.get("attachments", ()):
            portfolio.evidence.attach_bytes(item.uuid, filename, content.encode("utf-8"))
        if entry.get("submit"):
            ready.append(item.uuid)
    folder = portfolio.location.data_dir / DEMO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    trust_supervisor(portfolio, folder)
    sign_ready(portfolio, portfolio.evidence.submit(ready), drafts)
    publish_and_take_up(portfolio, folder)
    write_cohort(portfolio, folder)
    return len(ITEMS)


def _profile(data: Mapping[str, Any]) -> ProfileData:
    return ProfileData(
        name=data["name"],
        gmc_number=data["gmc_number"],
        grade=data["grade"],
        specialty=data["specialty"],
        programme=data["programme"],
        region=data["region"],
        trust=data["trust"],
        training_start=date.fromisoformat(data["training_start"]),
        training_end=date.fromisoformat(data["training_end"]),
        educational_supervisor=data["educational_supervisor"],
    )


def _placements(portfolio: Portfolio, trust: str) -> dict[str, int]:
    """The demo placements' ids by key, reusing any identical placement already there."""
    existing = {(p.department, p.starts_on): p for p in portfolio.placements.list()}
    ids: dict[str, int] = {}
    for key, data in PLACEMENTS.items():
        starts_on = date.fromisoformat(data["starts_on"])
        found = existing.get((data["department"], starts_on))
        if found is None:
            found = portfolio.placements.save(
                PlacementData(
                    trust=trust,
                    department=data["department"],
                    starts_on=starts_on,
                    ends_on=date.fromisoformat(data["ends_on"]),
                    clinical_supervisor=data["clinical_supervisor"],
                )
            )
        assert found.id is not None
        ids[key] = found.id
    return ids


def _links(values: Iterable[str | tuple[str, str]]) -> tuple[Link, ...]:
    return tuple(
        Link(value) if isinstance(value, str) else Link(value[0], value[1]) for value in values
    )


def _draft(entry: Mapping[str, Any], placement_id: int | None) -> EvidenceDraft:
    until = entry.get("until")
    return EvidenceDraft(
        kind=entry["kind"],
        title=entry["title"],
        occurred_on=date.fromisoformat(entry["date"]),
        occurred_until=date.fromisoformat(until) if until else None,
        fields=dict(entry.get("fields", {})),
        text=entry.get("text", ""),
        links=_links(entry.get("links", ())),
        tags=tuple(entry.get("tags", ())),
        private=bool(entry.get("private", False)),
        placement_id=placement_id,
    )


def _preflight(
    items: Iterable[Mapping[str, Any]], placements: Mapping[str, Mapping[str, str]]
) -> None:
    """Check every item before writing, so a content mistake cannot leave half a demo."""
    spans = {
        key: (date.fromisoformat(p["starts_on"]), date.fromisoformat(p["ends_on"]))
        for key, p in placements.items()
    }
    for entry in items:
        title = entry.get("title", "?")
        span = spans.get(entry.get("placement", ""))
        if span is None:
            raise InvalidInput(f"Demo item '{title}' names an unknown placement.")
        draft = _draft(entry, None)
        if not span[0] <= draft.occurred_on <= span[1]:
            raise InvalidInput(f"Demo item '{title}' falls outside its placement.")
        if not draft.links:
            raise InvalidInput(f"Demo item '{title}' links to no GPC domain.")
        validate_fields(draft.kind, draft.fields)
