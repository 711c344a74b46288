"""The demo's leadership opportunities: the Trust's Clinical Leadership Mentor publishes a signed
catalogue, the trainee imports it through the ordinary service and takes some up."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.demo.content import TRUST
from portfolio.demo.people import MENTOR, at
from portfolio.formats.catalogue import (
    OpportunityEntry,
    catalogue_payload,
    write_catalogue,
)
from portfolio.security.signing import utc_timestamp

if TYPE_CHECKING:
    from portfolio.app import Portfolio

CATALOGUE_FILE = "leadership-opportunities.gpcopportunities"
CATALOGUE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "gpc-portfolio:demo:catalogue"))
PUBLISHED_AT = utc_timestamp(at("2025-08-20T10:00"))
CONTACT = "Dr Tom Okafor, Clinical Leadership Mentor (leadership@swcoast.example)"


def _id(title: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gpc-portfolio:demo:opportunity:{title}"))


def _entry(
    title: str, kind: str, description: str, domains: tuple[str, ...], *days: str
) -> OpportunityEntry:
    starts, ends, closes = (date.fromisoformat(d) if d else None for d in days)
    return OpportunityEntry(
        _id(title), title, kind, TRUST, CONTACT, description, domains, starts, ends, closes
    )


OPPORTUNITIES = (
    _entry(
        "Foundation representative on the Patient Safety Group",
        "role",
        "Attend the monthly Patient Safety Group and bring the foundation doctors' view.",
        ("GPC5", "GPC6.1"),
        "2025-10-01",
        "2026-07-31",
        "2025-09-15",
    ),
    _entry(
        "Deteriorating patient: NEWS2 escalation audit",
        "project",
        "Join the Trust-wide audit of escalation after a NEWS2 of 5 or more.",
        ("GPC6.2", "GPC9"),
        "2025-11-01",
        "2026-04-30",
        "2025-10-20",
    ),
    _entry(
        "Teach on the final-year medical students' acute skills days",
        "teaching",
        "Lead small-group scenarios for visiting students; a short faculty briefing first.",
        ("GPC8",),
        "2026-01-12",
        "2026-06-29",
        "2026-01-05",
    ),
    _entry(
        "Leadership and management in the NHS: foundation study day",
        "event",
        "A day on how the Trust is run, with the medical director and the finance team.",
        ("GPC5", "GPC4"),
        "2026-03-18",
        "2026-03-18",
        "2026-03-01",
    ),
    _entry(
        "Rota and wellbeing working group",
        "role",
        "Help redesign the foundation rota with the medical staffing team.",
        ("GPC5", "GPC1"),
        "2026-02-01",
        "2026-07-31",
        "2026-01-20",
    ),
    _entry(
        "Sustainable healthcare: reducing desflurane and nitrous oxide waste",
        "project",
        "A green QI project with theatres and the sustainability lead.",
        ("GPC6.2", "GPC5"),
        "2026-08-03",
        "2027-01-29",
        "2026-07-17",
    ),
)
UPTAKE = {
    OPPORTUNITIES[1].id: (
        ("interested", "2025-10-06"),
        ("applied", "2025-10-10"),
        ("participating", "2025-11-03"),
        ("completed", "2026-04-30"),
    ),
    OPPORTUNITIES[2].id: (("applied", "2026-01-02"), ("participating", "2026-01-12")),
    OPPORTUNITIES[3].id: (("interested", "2026-02-10"), ("applied", "2026-02-17")),
    OPPORTUNITIES[4].id: (("interested", "2026-01-14"),),
}
"""What the trainee recorded about each opportunity, step by step."""


def publish_and_take_up(portfolio: Portfolio, folder: Path) -> Path:
    """The mentor's signed catalogue, imported; then the trainee's progress on some of it."""
    path = folder / CATALOGUE_FILE
    payload = catalogue_payload(
        CATALOGUE_ID,
        1,
        "Leadership opportunities for foundation doctors 2025–26",
        TRUST,
        PUBLISHED_AT,
        MENTOR.identity,
        OPPORTUNITIES,
    )
    write_catalogue(path, payload, MENTOR)
    portfolio.opportunities.import_catalogue(path)
    for opportunity_id, steps in UPTAKE.items():
        for status, day in steps:
            portfolio.opportunities.record_status(opportunity_id, status, date.fromisoformat(day))
    return path
