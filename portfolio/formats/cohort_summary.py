"""The cohort summary (``.gpccohort``, format ``gpc-portfolio-cohort-summary`` version 1;
docs/formats.md): what a trainee sends their Clinical Leadership Mentor.

Only counts, yes/no answers and values from fixed lists travel, plus the trainee's Trust and
grade; never a title, a reflection or any other free text, and the trainee's name and GMC number
only when they opt in. The reader is strict: an unknown key, a value outside its list or a count
out of range makes the whole file malformed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from portfolio.errors import InvalidInput
from portfolio.formats.reader import read_bounded, validated, versioned_json
from portfolio.kinds import KINDS
from portfolio.vocabulary import GMC_NUMBER_PATTERN

SUMMARY_FORMAT = "gpc-portfolio-cohort-summary"
SUMMARY_FORMAT_VERSION = 1
SUMMARY_SUFFIX = ".gpccohort"
MAX_SUMMARY_BYTES = 256 * 2**10
DOMAINS = tuple(f"GPC{n}" for n in range(1, 10))
ROLE_TYPES = (
    "junior_doctors_committee",
    "chief_registrar",
    "leadership_fellowship",
    "rota_lead",
    "project_lead",
    "other",
)
ROLE_TYPE_LABELS = {
    "junior_doctors_committee": "Junior doctors' committee or forum",
    "chief_registrar": "Chief Registrar",
    "leadership_fellowship": "Leadership fellowship",
    "rota_lead": "Rota lead",
    "project_lead": "Project lead",
    "other": "Other leadership role",
}
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chief_registrar", re.compile(r"chief\s+registrar", re.I)),
    ("leadership_fellowship", re.compile(r"fellow", re.I)),
    ("rota_lead", re.compile(r"\brota\b", re.I)),
    (
        "junior_doctors_committee",
        re.compile(r"committee|forum|\brep\b|representative|\bjdc\b|\bldc\b|mess president", re.I),
    ),
    ("project_lead", re.compile(r"project|\bqi\b|improvement", re.I)),
)


def role_type(*texts: str) -> str:
    """The fixed-list type of a leadership role, judged from its role and title; only the type
    leaves the portfolio."""
    joined = " ".join(texts)
    for name, pattern in _ROLE_WORDS:
        if pattern.search(joined):
            return name
    return "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Period(_Strict):
    start: str | None = Field(default=None, alias="from")
    end: str | None = Field(default=None, alias="to")

    @field_validator("start", "end")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)
        return value


class _Trainee(_Strict):
    name: str = Field(min_length=1, max_length=200)
    gmc_number: str = Field(pattern=GMC_NUMBER_PATTERN)


class _Roles(_Strict):
    count: int = Field(ge=0, le=10_000)
    types: dict[Literal[ROLE_TYPES], int]  # type: ignore[valid-type]


class _Uptake(_Strict):
    catalogue_id: str = Field(pattern=_UUID)
    opportunity_id: str = Field(pattern=_UUID)
    kind: Literal["role", "project", "teaching", "event"]
    status: Literal["interested", "applied", "participating", "completed"]


class _Summary(_Strict):
    format: str
    format_version: int
    summary_id: str = Field(pattern=_UUID)
    app_version: str = Field(max_length=40)
    created_on: str
    trust: str = Field(max_length=200)
    grade: str = Field(max_length=100)
    period: _Period
    trainee: _Trainee | None
    evidence_items: int = Field(ge=0, le=10_000_000)
    domains: dict[Literal[DOMAINS], int]  # type: ignore[valid-type]
    kinds: dict[Literal[KINDS], int]  # type: ignore[valid-type]
    qi_activity: bool
    leadership_roles: _Roles
    opportunities: list[_Uptake] = Field(max_length=2_000)


@dataclass(frozen=True)
class Uptake:
    catalogue_id: str
    opportunity_id: str
    kind: str
    status: str


@dataclass(frozen=True)
class CohortSummary:
    """One trainee's summary as read (or about to be written)."""

    summary_id: str
    created_on: date
    trust: str
    grade: str
    period_from: date | None
    period_to: date | None
    trainee_name: str | None
    trainee_gmc: str | None
    evidence_items: int
    domains: dict[str, int]
    """Items per GPC domain, every domain present (0 when none)."""
    kinds: dict[str, int]
    """Items per kind of evidence, every kind present."""
    qi_activity: bool
    leadership_roles: int
    role_types: dict[str, int]
    opportunities: tuple[Uptake, ...]
    app_version: str = ""

    def to_document(self) -> dict[str, Any]:
        return {
            "format": SUMMARY_FORMAT,
            "format_version": SUMMARY_FORMAT_VERSION,
            "summary_id": self.summary_id,
            "app_version": self.app_version,
            "created_on": self.created_on.isoformat(),
            "trust": self.trust,
            "grade": self.grade,
            "period": {
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None,
            },
            "trainee": None
            if self.trainee_name is None
            else {"name": self.trainee_name, "gmc_number": self.trainee_gmc},
            "evidence_items": self.evidence_items,
            "domains": {code: self.domains.get(code, 0) for code in DOMAINS},
            "kinds": {kind: self.kinds.get(kind, 0) for kind in KINDS},
            "qi_activity": self.qi_activity,
            "leadership_roles": {
                "count": self.leadership_roles,
                "types": {t: n for t, n in self.role_types.items() if n},
            },
            "opportunities": [
                {
                    "catalogue_id": u.catalogue_id,
                    "opportunity_id": u.opportunity_id,
                    "kind": u.kind,
                    "status": u.status,
                }
                for u in self.opportunities
            ],
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_document(), indent=2, ensure_ascii=False) + "\n").encode()


def parse_summary(raw: bytes, name: str) -> CohortSummary:
    """A summary from the bytes of a file called ``name``; InvalidInput names the problem."""
    if len(raw) > MAX_SUMMARY_BYTES:
        raise InvalidInput(f"{name} is too large to be a cohort summary.")
    data = versioned_json(raw, name, SUMMARY_FORMAT, SUMMARY_FORMAT_VERSION, "cohort summary")
    document = validated(_Summary, data, name)
    try:
        created = date.fromisoformat(document.created_on)
    except ValueError:
        raise InvalidInput(f"{name} is malformed (created_on is not a date).") from None
    for where, counts in (
        ("domains", document.domains),
        ("kinds", document.kinds),
        ("leadership_roles.types", document.leadership_roles.types),
    ):
        if any(n < 0 or n > 10_000_000 for n in counts.values()):
            raise InvalidInput(f"{name} is malformed ({where}: a count out of range).")
    if set(document.domains) != set(DOMAINS):
        raise InvalidInput(f"{name} is malformed (domains: every GPC domain must be counted).")
    period = document.period
    return CohortSummary(
        summary_id=document.summary_id,
        created_on=created,
        trust=document.trust.strip(),
        grade=document.grade.strip(),
        period_from=date.fromisoformat(period.start) if period.start else None,
        period_to=date.fromisoformat(period.end) if period.end else None,
        trainee_name=document.trainee.name if document.trainee else None,
        trainee_gmc=document.trainee.gmc_number if document.trainee else None,
        evidence_items=document.evidence_items,
        domains={code: document.domains.get(code, 0) for code in DOMAINS},
        kinds={kind: document.kinds.get(kind, 0) for kind in KINDS},
        qi_activity=document.qi_activity,
        leadership_roles=document.leadership_roles.count,
        role_types={t: document.leadership_roles.types.get(t, 0) for t in ROLE_TYPES},
        opportunities=tuple(
            Uptake(u.catalogue_id, u.opportunity_id, u.kind, u.status)
            for u in document.opportunities
        ),
        app_version=document.app_version,
    )


def read_summary(path: Path) -> CohortSummary:
    return parse_summary(read_bounded(path, "cohort summary", MAX_SUMMARY_BYTES), path.name)
