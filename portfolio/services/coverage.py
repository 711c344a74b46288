"""Coverage of the nine GPC domains and of the trainee's own curriculum: items by status.

Counted through Core over ``portfolio.tables``, so the ``coverage`` command reads it on a bare
connection without importing the ORM (``coverage_of``); the window asks ``CoverageService``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Connection, func, select

from portfolio import tables
from portfolio.curriculum import GPC_ID, gpc
from portfolio.curriculum.domains import domain_map, gpc_domain_of
from portfolio.errors import NotFound
from portfolio.services.dto import Coverage, DomainCoverage
from portfolio.services.evidence_query import verified_signoffs
from portfolio.services.stored_curricula import curricula_in, imported_in
from portfolio.services.verification import shown_status
from portfolio.vocabulary import SHOWN_STATUSES, SIGNED_STATUSES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

Evidence = tables.evidence.c
EvidenceLink = tables.evidence_link.c

Counts = defaultdict[str, Counter[str]]
"""Items by status, for each code counted towards."""


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
        """Items linked to each capability of a curriculum other than GPC (built in or imported),
        in file order."""
        with self._sessions() as session:
            connection = session.connection()
            known = curricula_in(connection)
            curriculum = next((c for c in known if c.id == curriculum_id != GPC_ID), None)
            if curriculum is None:
                raise NotFound(f"There is no curriculum '{curriculum_id}' in this portfolio.")
            capabilities = [node for node in curriculum if node.kind == "capability"]
            counts = _counts(connection, {n.code: {n.code} for n in capabilities}, include_private)
        return tuple(_row(node.code, node.title, counts) for node in capabilities)


def coverage_of(connection: Connection, *, include_private: bool = True) -> Coverage:
    """Each item counts once per domain, however many codes counting towards it it links to.

    Reviewed items count by their verified sign-off status, never by the status column.
    """
    totals: dict[str, int] = {
        status: number
        for status, number in connection.execute(
            select(Evidence.status, func.count())
            .where(*_live(include_private))
            .group_by(Evidence.status)
        )
    }
    targets = domain_map(imported_in(connection)).targets
    towards = {
        code: {gpc_domain_of(target) for target in gpc_codes} for code, gpc_codes in targets.items()
    }
    counts = _counts(connection, towards, include_private)
    domains = tuple(_row(node.code, node.title, counts) for node in gpc().top_level())
    return Coverage(domains, totals.get("ready", 0), sum(totals.values()))


def _live(include_private: bool) -> list[ColumnElement[bool]]:
    live: list[ColumnElement[bool]] = [Evidence.deleted_at.is_(None)]
    if not include_private:
        live.append(Evidence.private.is_(False))
    return live


def _counts(
    connection: Connection, towards: Mapping[str, Iterable[str]], include_private: bool
) -> Counts:
    """Live items by shown status for each key that a code they link to counts ``towards``,
    each item once per key. The database counts the items of each set of linked codes; only
    reviewed items, whose status depends on verifying their sign-off, come back one by one.
    """
    counts: Counts = defaultdict(Counter)

    def add(codes: Iterable[str], status: str, number: int) -> None:
        for key in set().union(*(towards.get(code, ()) for code in codes)):
            counts[key][status] += number

    linked = (
        select(Evidence.id, Evidence.status)
        .join(tables.evidence_link, EvidenceLink.evidence_id == Evidence.id)
        .where(*_live(include_private))
    )
    per_item = (
        linked.add_columns(func.aggregate_strings(EvidenceLink.code, " ").label("codes"))
        .where(Evidence.status.not_in(SIGNED_STATUSES))
        .group_by(Evidence.id, Evidence.status)
        .subquery()
    )
    for codes, status, number in connection.execute(
        select(per_item.c.codes, per_item.c.status, func.count()).group_by(
            per_item.c.codes, per_item.c.status
        )
    ):
        add(codes.split(" "), status, number)  # codes never hold a space
    reviewed: defaultdict[int, list[str]] = defaultdict(list)
    status_of: dict[int, str] = {}
    for evidence_id, status, code in connection.execute(
        linked.add_columns(EvidenceLink.code).where(Evidence.status.in_(SIGNED_STATUSES))
    ):
        reviewed[evidence_id].append(code)
        status_of[evidence_id] = status
    verified = verified_signoffs(connection, list(reviewed))
    for evidence_id, codes in reviewed.items():
        add(codes, shown_status(status_of[evidence_id], verified.get(evidence_id)), 1)
    return counts


_ORDER = {str(status): n for n, status in enumerate(SHOWN_STATUSES)}


def _row(code: str, title: str, counts: Counts) -> DomainCoverage:
    """``by_status`` lists the statuses in the vocabulary's order."""
    found = counts[code]
    by_status = {s: found[s] for s in sorted(found, key=lambda s: _ORDER.get(s, len(_ORDER)))}
    return DomainCoverage(code, title, sum(by_status.values()), by_status)
