"""Coverage of the nine GPC domains: items per domain by status, and the gaps."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import gpc
from portfolio.models import Evidence, EvidenceLink, NodeDomain
from portfolio.services.dto import Coverage, DomainCoverage
from portfolio.services.verification import SIGNED_STATUSES, latest_statuses, shown_status


class CoverageService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def coverage(self, *, include_private: bool = True) -> Coverage:
        """Each item counts once per domain, however many of the domain's codes it links to.

        Reviewed items count by their verified sign-off status, never by the status column.
        """
        live = [Evidence.deleted_at.is_(None)]
        if not include_private:
            live.append(Evidence.private.is_(False))
        with self._sessions() as session:
            linked = (
                select(NodeDomain.domain, Evidence.id, Evidence.status)
                .join(EvidenceLink, EvidenceLink.code == NodeDomain.code)
                .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
                .where(*live)
                .subquery()
            )
            counted = session.execute(
                select(linked.c.domain, linked.c.status, func.count(distinct(linked.c.id)))
                .where(linked.c.status.not_in(SIGNED_STATUSES))
                .group_by(linked.c.domain, linked.c.status)
            ).all()
            reviewed = session.execute(
                select(linked.c.domain, linked.c.id, linked.c.status)
                .distinct()
                .where(linked.c.status.in_(SIGNED_STATUSES))
            ).all()
            verified = latest_statuses(session, {row.id for row in reviewed})
            totals: dict[str, int] = {
                status: number
                for status, number in session.execute(
                    select(Evidence.status, func.count()).where(*live).group_by(Evidence.status)
                )
            }
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for domain, status, number in counted:
            counts[domain][status] += number
        for domain, evidence_id, status in reviewed:
            counts[domain][shown_status(status, verified.get(evidence_id))] += 1
        domains = tuple(
            DomainCoverage(
                node.code, node.title, sum(counts[node.code].values()), dict(counts[node.code])
            )
            for node in gpc().top_level()
        )
        return Coverage(domains, totals.get("ready", 0), sum(totals.values()))
