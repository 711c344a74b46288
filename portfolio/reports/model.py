"""What a report prints: plain frozen dataclasses, filled by ``portfolio.reports.gather``.

Nothing here knows about databases, services or Qt; the documents in this package lay these
out and nothing else. Every text is final (labels already resolved from the kind templates),
so a document never has to look anything up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portfolio.vocabulary import DECISION_LABELS, ROLE_LABELS, Decision, SignOffState


@dataclass(frozen=True)
class Trainee:
    name: str
    gmc_number: str
    grade: str = ""
    specialty: str = ""
    programme: str = ""
    region: str = ""
    trust: str = ""
    educational_supervisor: str = ""


@dataclass(frozen=True)
class SignOffLine:
    """One sign-off as verified when the report was made."""

    state: SignOffState
    decision: str
    """``signed_off`` or ``changes_requested``."""
    signer_name: str
    signer_role: str
    fingerprint: str
    signed_at: str
    comment: str = ""
    warning: str = ""
    vouched: bool = False
    """A trusted directory or the trainee's pin vouches for the signer's key."""
    verdict: str = ""
    """"Valid and vouched for", "Valid signature, signer not vouched for", "Revoked"…"""
    trust: str = ""
    """Who vouches for the signer, or why nobody does (``signoff_words.trust_words``)."""
    vouch: str = ""
    """Who vouches, in a few words (``signoff_words.vouch_short``)."""
    reason: str = ""
    """Why it is revoked, or why nobody vouches for the signer."""

    @property
    def trusted(self) -> bool:
        return self.state == "valid" and self.vouched


@dataclass(frozen=True)
class Field:
    """A labelled value of an item; a repeat field (PDSA cycles) has ``entries`` instead."""

    label: str
    text: str = ""
    long: bool = False
    """Prose (printed under its label) rather than a short value (printed beside it)."""
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One entry of a repeat field, e.g. "PDSA cycle 2 · 13 October – 2 November 2025"."""

    caption: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Item:
    uuid: str
    kind: str
    kind_title: str
    title: str
    occurred_on: date
    occurred_until: date | None
    status: str
    """The shown status: draft, ready, changes_requested, signed_off, edited or invalid."""
    domains: tuple[str, ...]
    """The GPC domains (GPC1 … GPC9) the item counts towards."""
    links: tuple[str, ...] = ()
    """The codes the trainee linked, as written (GPC6.2, FPC9, …)."""
    fields: tuple[Field, ...] = ()
    text_label: str = ""
    text: str = ""
    signoff: SignOffLine | None = None
    private: bool = False
    tags: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    digest: str = ""
    credentials: tuple[str, ...] = ()
    """Names of the files embedded in the summary that hold the item's sign-off credentials."""


@dataclass(frozen=True)
class DomainRow:
    code: str
    title: str
    items: int
    signed: int
    """Items with a valid sign-off (decision: signed off)."""
    awaiting_review: int
    edited: int
    """Items signed off and then changed: the signature no longer covers what they say."""
    invalid: int = 0


@dataclass(frozen=True)
class RegisterEntry:
    item_uuid: str
    item_title: str
    signoff: SignOffLine


@dataclass(frozen=True)
class EmbeddedFile:
    """A file attached to a PDF (its EmbeddedFiles), bytes exactly as given."""

    name: str
    data: bytes
    description: str
    mime: str = "application/json"


@dataclass(frozen=True)
class ArcpReport:
    trainee: Trainee
    date_from: date | None
    date_to: date | None
    generated_at: datetime
    domains: tuple[DomainRow, ...]
    items: tuple[Item, ...]
    """Every item in the period, oldest first; the document groups them by domain."""
    projects: tuple[Item, ...] = ()
    """QI projects and leadership roles, printed in full."""
    reflections: tuple[Item, ...] = ()
    """The reflections the trainee chose to include, printed in full."""
    register: tuple[RegisterEntry, ...] = ()
    private_included: int = 0
    """How many private items the trainee chose to include (0: none)."""
    private_left_out: int = 0
    """How many private items in the period were left out (the app counts them; the report not)."""
    app_version: str = ""
    embedded: tuple[EmbeddedFile, ...] = ()
    """Credential and directory files the PDF carries, so it can be verified on its own."""
    directory_files: tuple[str, ...] = ()
    """Names of the embedded files that are supervisor directories."""
    curriculum_title: str = ""
    """The trainee's own curriculum, printed beside GPC ("" when they chose none)."""
    capabilities: tuple[DomainRow, ...] = ()
    """Items linked to each capability of the trainee's own curriculum."""

    @property
    def without_signed_evidence(self) -> tuple[DomainRow, ...]:
        return tuple(row for row in self.domains if row.signed == 0)

    def period_text(self) -> str:
        return period_text(self.date_from, self.date_to)


def period_text(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f"{long_date(date_from)} to {long_date(date_to)}"
    if date_from:
        return f"From {long_date(date_from)}"
    if date_to:
        return f"Up to {long_date(date_to)}"
    return "All evidence"


@dataclass(frozen=True)
class ItemReport:
    """One item printed on its own, with every sign-off it has had."""

    trainee: Trainee
    item: Item
    history: tuple[SignOffLine, ...]
    generated_at: datetime
    app_version: str = ""


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def dates_of(item: Item) -> str:
    if item.occurred_until and item.occurred_until != item.occurred_on:
        return f"{short_date(item.occurred_on)} – {short_date(item.occurred_until)}"
    return short_date(item.occurred_on)


def role_text(role: str) -> str:
    """The role's label within a sentence ("Dr A, clinical supervisor")."""
    return ROLE_LABELS.get(role, role).lower()


def decision_text(decision: str) -> str:
    label = DECISION_LABELS.get(decision, decision)
    if decision == Decision.WITHDRAWN:
        return f"{label} (the decision before it no longer counts)"
    return label
