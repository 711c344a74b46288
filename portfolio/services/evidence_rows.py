"""The evidence list's terms without SQLAlchemy: its query (``EvidenceQuery``), the checks of
its filters, and the one function that turns a row, as stored, into an ``EvidenceSummary``,
whichever way it was read: through Core (``evidence_query``) or as precompiled SQL on a bare
DB-API connection (``quick_reads``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from portfolio.errors import InvalidInput
from portfolio.services.read_models import EvidenceSummary, SignOffStatus
from portfolio.services.verification import shown_status
from portfolio.vocabulary import SHOWN_STATUSES

VERIFIED_STATUSES = SHOWN_STATUSES[2:]
"""Statuses that depend on verifying a sign-off, so filtering by them cannot trust the column."""
SORT_KEYS = ("date", "kind", "title", "status", "domains", "updated")
CODE_SEPARATOR = ", "
"""Between the linked codes of a list row, as shown."""


@dataclass(frozen=True)
class EvidenceQuery:
    """Filters and order of the evidence list. Every filter is optional."""

    text: str = ""
    kind: str | None = None
    domain: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    tag: str | None = None
    placement_id: int | None = None
    trash: bool = False
    include_private: bool = True
    sort: str = "date"
    descending: bool = True


def check_filters(query: EvidenceQuery) -> None:
    """InvalidInput for a kind or status this app does not know."""
    if query.kind:
        from portfolio.kinds import template

        template(query.kind)
    if query.status and query.status not in SHOWN_STATUSES:
        raise InvalidInput(
            f"Unknown status '{query.status}'; choose one of: {', '.join(SHOWN_STATUSES)}."
        )


def list_shape(query: EvidenceQuery) -> str | None:
    """The name of ``query``'s precompiled list statement (``compiled_reads``); None for a shape
    not precompiled. Precompiled: any kind, status (not a verified one, which only the sign-offs
    decide), trash and order, without the other filters (text, domain, tag, dates, placement,
    private items left out)."""
    rest = replace(query, kind=None, status=None, trash=False, sort="date", descending=True)
    if rest != EvidenceQuery() or query.status in VERIFIED_STATUSES:
        return None
    return (
        f"list kind={bool(query.kind)} status={bool(query.status)} trash={query.trash} "
        f"sort={query.sort} descending={query.descending}"
    )


def split_codes(joined: str | None, in_order: bool) -> tuple[str, ...]:
    """The codes of a column of linked codes joined by ``CODE_SEPARATOR``, in code order
    (SQLite's group_concat has no order; BINARY order is code point order, as Python sorts)."""
    if not joined:
        return ()
    codes = joined.split(CODE_SEPARATOR)
    return tuple(codes) if in_order else tuple(sorted(codes))


def stored_date(value: date | str) -> date:
    """A Date column as stored: SQLite keeps ISO text, a server's driver gives a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def stored_datetime(value: datetime | str) -> datetime:
    """A DateTime column as stored (SQLAlchemy writes SQLite's as ISO text, naive UTC)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def summary_of(
    row: Any, domains: tuple[str, ...], signoff: SignOffStatus | None
) -> EvidenceSummary:
    """The summary of a row of ``evidence_query.SUMMARY_COLUMNS`` (unpacked: a 10,000-item list
    notices), its columns as stored."""
    id_, uuid, kind, title, occurred_on, status, private, updated_at, deleted_at = row
    return EvidenceSummary(
        id_,
        uuid,
        kind,
        title,
        stored_date(occurred_on),
        shown_status(status, signoff),
        domains,
        bool(private),
        stored_datetime(updated_at),
        deleted_at is not None,
        signoff,
    )


def summaries_of_rows(
    rows: Sequence[Any], in_order: bool, signoffs: Mapping[int, SignOffStatus]
) -> list[EvidenceSummary]:
    """The summaries of rows of ``evidence_query.list_statement`` (the summary's columns, then
    the linked codes), whoever read them; ``in_order``: the codes come sorted."""
    return [
        summary_of(row[:-1], split_codes(row[-1], in_order), signoffs.get(row[0])) for row in rows
    ]
