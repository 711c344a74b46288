"""The opportunity catalogue file (``.gpcopportunities``, format ``gpc-portfolio-opportunities``
version 1; docs/formats.md): a CLM's opportunities, signed with their Ed25519 key.

The signature covers the RFC 8785 canonical JSON of every top-level field except ``signature``.
The reader checks everything (shape, publisher card, signature) before anything is used; a bad
file gets one sentence naming the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from portfolio import __version__
from portfolio.curriculum import resolve_domain_code
from portfolio.errors import InvalidInput
from portfolio.formats.publisher import Signer, signed_by_publisher
from portfolio.formats.reader import read_bounded, validated, versioned_json
from portfolio.security.signing import PublicIdentity, sign
from portfolio.storage.files import write_atomically
from portfolio.vocabulary import OpportunityKind

CATALOGUE_FORMAT = "gpc-portfolio-opportunities"
CATALOGUE_FORMAT_VERSION = 1
CATALOGUE_SUFFIX = ".gpcopportunities"
MAX_CATALOGUE_BYTES = 5 * 2**20
MAX_OPPORTUNITIES = 2_000
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_UTC = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Opportunity(_Strict):
    id: str = Field(pattern=_UUID)
    title: str = Field(min_length=1, max_length=300)
    kind: OpportunityKind = Field(strict=False)  # the code, as JSON gives it
    trust: str = Field(max_length=200)
    contact: str = Field(max_length=300)
    description: str = Field(max_length=20_000)
    domains: list[str] = Field(max_length=40)
    starts_on: str | None = None
    ends_on: str | None = None
    closes_on: str | None = None


class _Catalogue(_Strict):
    format: str
    format_version: int
    app_version: str = Field(max_length=40)
    catalogue_id: str = Field(pattern=_UUID)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    trust: str = Field(max_length=200)
    published_at: str = Field(pattern=_UTC)
    publisher: dict[str, Any]
    opportunities: list[_Opportunity] = Field(max_length=MAX_OPPORTUNITIES)
    signature: str = Field(max_length=100)


@dataclass(frozen=True)
class OpportunityEntry:
    """One opportunity as it travels in a catalogue."""

    id: str
    title: str
    kind: str
    trust: str = ""
    contact: str = ""
    description: str = ""
    domains: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    closes_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "trust": self.trust,
            "contact": self.contact,
            "description": self.description,
            "domains": list(self.domains),
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
        }


@dataclass(frozen=True)
class CatalogueFile:
    """A catalogue whose signature has been verified."""

    catalogue_id: str
    version: int
    title: str
    trust: str
    published_at: str
    publisher: PublicIdentity
    opportunities: tuple[OpportunityEntry, ...]
    signature: str


def catalogue_payload(
    catalogue_id: str,
    version: int,
    title: str,
    trust: str,
    published_at: str,
    publisher: PublicIdentity,
    opportunities: tuple[OpportunityEntry, ...],
    app_version: str = __version__,
) -> dict[str, Any]:
    """Everything the signature covers."""
    return {
        "format": CATALOGUE_FORMAT,
        "format_version": CATALOGUE_FORMAT_VERSION,
        "app_version": app_version,
        "catalogue_id": catalogue_id,
        "version": version,
        "title": title,
        "trust": trust,
        "published_at": published_at,
        "publisher": publisher.to_card(),
        "opportunities": [entry.to_dict() for entry in opportunities],
    }


def write_catalogue(path: Path, payload: dict[str, Any], unlocked: Signer) -> Path:
    """Sign ``payload`` with the publisher's key and write it atomically."""
    document = {**payload, "signature": sign(unlocked.private_key, payload)}
    return write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False).encode())


def _day(value: str | None, what: str, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{name}: {what} '{value}' is not a date in the form YYYY-MM-DD."
        ) from None


def domain_codes(codes: tuple[str, ...] | list[str], where: str) -> tuple[str, ...]:
    """GPC domain and sub-heading codes in their canonical spelling, each once."""
    out: list[str] = []
    for code in codes:
        try:
            canonical = resolve_domain_code(code).code
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error}") from None
        if canonical not in out:
            out.append(canonical)
    return tuple(out)


def read_catalogue(path: Path) -> CatalogueFile:
    """Read and verify a catalogue; InvalidInput names the first problem."""
    name = Path(path).name
    raw = read_bounded(path, "opportunity catalogue", MAX_CATALOGUE_BYTES)
    data = versioned_json(
        raw, name, CATALOGUE_FORMAT, CATALOGUE_FORMAT_VERSION, "opportunity catalogue"
    )
    document = validated(_Catalogue, data, name)
    publisher = signed_by_publisher(data, document.publisher, document.signature, name, "catalogue")
    ids: set[str] = set()
    entries = []
    for number, item in enumerate(document.opportunities, start=1):
        where = f"{name}, opportunity {number}"
        if item.id in ids:
            raise InvalidInput(f"{where}: the id {item.id} appears twice.")
        ids.add(item.id)
        entry = OpportunityEntry(
            id=item.id,
            title=item.title,
            kind=item.kind,
            trust=item.trust,
            contact=item.contact,
            description=item.description,
            domains=domain_codes(item.domains, where),
            starts_on=_day(item.starts_on, "the start date", where),
            ends_on=_day(item.ends_on, "the end date", where),
            closes_on=_day(item.closes_on, "the closing date", where),
        )
        entries.append(entry)
    return CatalogueFile(
        document.catalogue_id,
        document.version,
        document.title,
        document.trust,
        document.published_at,
        publisher,
        tuple(entries),
        document.signature,
    )
