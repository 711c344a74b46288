"""Coverage of the nine GPC domains: items per domain by status, and the gaps."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import gpc
from portfolio.models import Evidence, EvidenceLink, NodeDomain
from portfolio.services.dto import Coverage, DomainCoverage


class CoverageService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def coverage(self, *, include_private: bool = True) -> Coverage:
        """Each item counts once per domain, however many of the domain's codes it links to."""
        live = [Evidence.deleted_at.is_(None)]
        if not include_private:
            live.append(Evidence.private.is_(False))
        with self._sessions() as session:
            counted = session.execute(
                select(NodeDomain.domain, Evidence.status, func.count(distinct(Evidence.id)))
                .join(EvidenceLink, EvidenceLink.code == NodeDomain.code)
                .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
                .where(*live)
                .group_by(NodeDomain.domain, Evidence.status)
            ).all()
            by_status: dict[str, int] = {
                status: number for status, number in session.execute(
                    select(Evidence.status, func.count()).where(*live).group_by(Evidence.status))
            }
        counts: defaultdict[str, dict[str, int]] = defaultdict(dict)
        for domain, status, number in counted:
            counts[domain][status] = number
        domains = tuple(
            DomainCoverage(node.code, node.title, sum(counts[node.code].values()),
                           counts[node.code])
            for node in gpc().top_level()
        )
        return Coverage(domains, by_status.get("ready", 0), sum(by_status.values()))
