"""Coverage of the nine GPC domains: items per domain by status, and the gaps."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import gpc
from portfolio.models import Evidence, EvidenceLink
from portfolio.services.domains import DomainMap
from portfolio.services.dto import Coverage, DomainCoverage


class CoverageService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def coverage(self, *, include_private: bool = True) -> Coverage:
        """Each item counts once per domain, however many of the domain's codes it links to."""
        with self._sessions() as session:
            domain_map = DomainMap.load(session)
            live = [Evidence.deleted_at.is_(None)]
            if not include_private:
                live.append(Evidence.private.is_(False))
            status_of = {
                row.id: row.status
                for row in session.execute(select(Evidence.id, Evidence.status).where(*live))
            }
            codes_of: defaultdict[int, list[str]] = defaultdict(list)
            for evidence_id, code in session.execute(
                select(EvidenceLink.evidence_id, EvidenceLink.code).join(Evidence).where(*live)
            ):
                codes_of[evidence_id].append(code)
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for evidence_id, codes in codes_of.items():
            for domain in domain_map.domains_of(codes):
                counts[domain][status_of[evidence_id]] += 1
        domains = tuple(
            DomainCoverage(node.code, node.title, sum(counts[node.code].values()),
                           dict(counts[node.code]))
            for node in gpc().top_level()
        )
        awaiting = sum(1 for status in status_of.values() if status == "ready")
        return Coverage(domains, awaiting, len(status_of))
