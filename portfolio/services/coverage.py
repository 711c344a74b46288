"""Coverage of the nine GPC domains and of the trainee's own curriculum: items by status.

Counted through Core over ``portfolio.tables``, so the ``coverage`` command reads it on a bare
connection without importing the ORM (``coverage_of``); the window asks ``CoverageService``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, Select, func, select

from portfolio import tables
from portfolio.curriculum import GPC_ID
from portfolio.errors import NotFound
from portfolio.services.coverage_counts import (
    Counts,
    Towards,
    counts_of,
    coverage_from,
    gpc_towards,
    row_of,
)
from portfolio.services.evidence_query import verified_signoffs
from portfolio.services.read_models import Coverage, DomainCoverage
from portfolio.services.stored_curricula import curricula_in, imported_in
from portfolio.vocabulary import SIGNED_STATUSES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

Evidence = tables.evidence.c
EvidenceLink = tables.evidence_link.c


class CoverageService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def coverage(self, *, include_private: bool = True) -> Coverage:
        """See :func:`coverage_of`."""
        with self._sessions() as session:
            return coverage_of(session.connection(), include_private=include_private)

    def capability_coverage(
        self, curriculum_id: str, *, include_private: bool = True
    ) -> tuple[DomainCoverage, ...]:
        """See :func:`capability_coverage_of`."""
        with self._sessions() as session:
            return capability_coverage_of(
                session.connection(), curriculum_id, include_private=include_private
            )


def capability_coverage_of(
    connection: Connection, curriculum_id: str, *, include_private: bool = True
) -> tuple[DomainCoverage, ...]:
    """Items linked to each capability of a curriculum other than GPC (built in or imported),
    in file order."""
    known = curricula_in(connection)
    curriculum = next((c for c in known if c.id == curriculum_id != GPC_ID), None)
    if curriculum is None:
        raise NotFound(f"There is no curriculum '{curriculum_id}' in this portfolio.")
    capabilities = [node for node in curriculum if node.kind == "capability"]
    counts = _counts(connection, {n.code: {n.code} for n in capabilities}, include_private)
    return tuple(row_of(node.code, node.title, counts) for node in capabilities)


def coverage_of(connection: Connection, *, include_private: bool = True) -> Coverage:
    """Each item counts once per domain, however many codes counting towards it it links to.

    Reviewed items count by their verified sign-off status, never by the status column.
    """
    totals = connection.execute(totals_statement(include_private)).all()
    towards = gpc_towards(imported_in(connection))
    return coverage_from(totals, _counts(connection, towards, include_private))


def totals_statement(include_private: bool) -> Select[Any]:
    """The live items by status column."""
    return (
        select(Evidence.status, func.count())
        .where(*_live(include_private))
        .group_by(Evidence.status)
    )


def _live(include_private: bool) -> list[ColumnElement[bool]]:
    live: list[ColumnElement[bool]] = [Evidence.deleted_at.is_(None)]
    if not include_private:
        live.append(Evidence.private.is_(False))
    return live


def _linked(include_private: bool) -> Select[Any]:
    return (
        select(Evidence.id, Evidence.status)
        .join(tables.evidence_link, EvidenceLink.evidence_id == Evidence.id)
        .where(*_live(include_private))
    )


def grouped_statement(include_private: bool) -> Select[Any]:
    """The live items not reviewed, counted by their set of linked codes and their status: the
    database counts them (``coverage_counts.counts_of``'s ``grouped``)."""
    per_item = (
        _linked(include_private)
        .add_columns(func.aggregate_strings(EvidenceLink.code, " ").label("codes"))
        .where(Evidence.status.not_in(SIGNED_STATUSES))
        .group_by(Evidence.id, Evidence.status)
        .subquery()
    )
    return select(per_item.c.codes, per_item.c.status, func.count()).group_by(
        per_item.c.codes, per_item.c.status
    )


def reviewed_statement(include_private: bool) -> Select[Any]:
    """Each link of a live reviewed item, one by one: its status is its verified sign-off's
    (``coverage_counts.counts_of``'s ``reviewed``)."""
    return (
        _linked(include_private)
        .add_columns(EvidenceLink.code)
        .where(Evidence.status.in_(SIGNED_STATUSES))
    )


def _counts(connection: Connection, towards: Towards, include_private: bool) -> Counts:
    """Live items by shown status for each key that a code they link to counts ``towards``."""
    grouped = connection.execute(grouped_statement(include_private)).all()
    reviewed = connection.execute(reviewed_statement(include_private)).all()
    verified = verified_signoffs(connection, list(dict.fromkeys(row[0] for row in reviewed)))
    return counts_of(towards, grouped, reviewed, verified)
