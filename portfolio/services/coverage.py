"""Coverage of the nine GPC domains and of the trainee's own curriculum: items by status."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import GPC_ID, gpc
from portfolio.curriculum.domains import domain_map
from portfolio.errors import NotFound
from portfolio.models import Evidence, EvidenceLink
from portfolio.services.curricula import curricula_in, imported_in
from portfolio.services.dto import Coverage, DomainCoverage
from portfolio.services.verification import SIGNED_STATUSES, latest_statuses, shown_status


class CoverageService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def coverage(self, *, include_private: bool = True) -> Coverage:
        """Each item counts once per domain, however many codes counting towards it it links to.

        Reviewed items count by their verified sign-off status, never by the status column.
        """
        with self._sessions() as session:
            links, shown = self._linked(session, include_private)
            live = self._live(include_private)
            totals: dict[str, int] = {
                status: number
                for status, number in session.execute(
                    select(Evidence.status, func.count()).where(*live).group_by(Evidence.status)
                )
            }
            domains_of = domain_map(imported_in(session)).domains_of
        counts = _count(links, shown, domains_of)
        domains = tuple(_row(node.code, node.title, counts) for node in gpc().top_level())
        return Coverage(domains, totals.get("ready", 0), sum(totals.values()))

    def capability_coverage(
        self, curriculum_id: str, *, include_private: bool = True
    ) -> tuple[DomainCoverage, ...]:
        """Items linked to each capability of a curriculum other than GPC (built in or imported),
        in file order."""
        with self._sessions() as session:
            known = curricula_in(session)
            curriculum = next((c for c in known if c.id == curriculum_id != GPC_ID), None)
            if curriculum is None:
                raise NotFound(f"There is no curriculum '{curriculum_id}' in this portfolio.")
            links, shown = self._linked(session, include_private)
        counts = _count(links, shown, lambda codes: codes)
        return tuple(
            _row(node.code, node.title, counts) for node in curriculum if node.kind == "capability"
        )

    @staticmethod
    def _live(include_private: bool) -> list[ColumnElement[bool]]:
        live: list[ColumnElement[bool]] = [Evidence.deleted_at.is_(None)]
        if not include_private:
            live.append(Evidence.private.is_(False))
        return live

    def _linked(
        self, session: Session, include_private: bool
    ) -> tuple[dict[int, list[str]], dict[int, str]]:
        """Each live item's linked codes, and the status each item is shown with."""
        rows = (
            session.connection()
            .execute(
                select(Evidence.id, Evidence.status, EvidenceLink.code)
                .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
                .where(*self._live(include_private))
            )
            .all()
        )
        links: defaultdict[int, list[str]] = defaultdict(list)
        status: dict[int, str] = {}
        for evidence_id, column, code in rows:
            links[evidence_id].append(code)
            status[evidence_id] = column
        verified = latest_statuses(session, [i for i, s in status.items() if s in SIGNED_STATUSES])
        shown = {i: shown_status(s, verified.get(i)) for i, s in status.items()}
        return links, shown


def _count(
    links: dict[int, list[str]],
    shown: dict[int, str],
    counted_towards: Callable[[list[str]], Iterable[str]],
) -> defaultdict[str, Counter[str]]:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for evidence_id, codes in links.items():
        for key in set(counted_towards(codes)):
            counts[key][shown[evidence_id]] += 1
    return counts


def _row(code: str, title: str, counts: defaultdict[str, Counter[str]]) -> DomainCoverage:
    return DomainCoverage(code, title, sum(counts[code].values()), dict(counts[code]))
