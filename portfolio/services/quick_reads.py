"""The list and the GPC coverage read from a SQLite portfolio at this app's schema by the SQL
their Core statements compile to (``compiled_reads``), on a bare DB-API connection
(``storage.read_only``): a read command then never imports SQLAlchemy, whose import costs
more than the query. The rows become summaries and counts through the same functions as
Core's rows (``evidence_rows``, ``coverage_counts``).

Precompiled: the whole list with any kind, status (not a verified one), trash and order
(``evidence_rows.list_shape``), and the coverage of every item, with the imported curricula,
and the rows that verify the reviewed items' sign-offs (``signoff_reads.REVIEWED_READS``,
verified by ``verification.verified_latest`` as on Core's path; only ``cryptography`` is
imported for the signatures). ``list_summaries`` returns None for what only the Core path
reads (its caller then takes it): another shape of query; an empty list (Core tells an empty
portfolio from a damaged one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portfolio.services.compiled_reads import STATEMENTS
from portfolio.services.evidence_rows import (
    EvidenceQuery,
    check_filters,
    list_shape,
    summaries_of_rows,
)
from portfolio.services.read_models import Coverage, EvidenceSummary, SignOffStatus
from portfolio.vocabulary import SIGNED_STATUSES


def _rows(connection: Any, name: str, given: Mapping[str, object] | None = None) -> list[Any]:
    """The rows of the precompiled statement ``name``; ``given``: the query's parameters."""
    sql, parameters = STATEMENTS[name]
    values = [(given or {}).get(key, value) for key, value in parameters]
    return list(connection.execute(sql, values).fetchall())


def list_summaries(connection: Any, query: EvidenceQuery) -> list[EvidenceSummary] | None:
    """``evidence_query.list_summaries``, or None (see the module)."""
    name = list_shape(query)
    if name is None or name not in STATEMENTS:
        return None
    check_filters(query)
    rows = _rows(connection, name, {"kind": query.kind, "status": query.status})
    if not rows:
        return None
    reviewed = any(row[5] in SIGNED_STATUSES for row in rows)
    signoffs = _verified_signoffs(connection) if reviewed else {}
    return summaries_of_rows(rows, False, signoffs)  # SQLite's group_concat has no order


def coverage(connection: Any) -> Coverage:
    """``coverage.coverage_of`` of every item."""
    from portfolio.services.coverage_counts import counts_of, coverage_from, gpc_towards
    from portfolio.services.stored_curricula import imported_of  # the curricula: not for a list

    reviewed = _rows(connection, "coverage reviewed")
    verified = _verified_signoffs(connection) if reviewed else {}
    towards = gpc_towards(imported_of(_rows(connection, "imported curricula")))
    counts = counts_of(towards, _rows(connection, "coverage grouped"), reviewed, verified)
    return coverage_from(_rows(connection, "coverage totals"), counts)


def _verified_signoffs(connection: Any) -> dict[int, SignOffStatus]:
    """The verified latest sign-off of every reviewed item (``signoff_reads.REVIEWED_READS``)."""
    from portfolio.services.item_digest import digests_of_rows
    from portfolio.services.verification import verified_latest

    def rows(name: str) -> list[Any]:
        return _rows(connection, f"signoff {name}")

    digests = digests_of_rows(rows("contents"), rows("links"), rows("attachments"), as_stored=True)
    return verified_latest(
        rows("signoffs"), digests, rows("identities"), rows("trainee"), rows("directories")
    )
