"""What the window's first page shows, read through Core: the coverage of the GPC domains and
of the trainee's own curriculum, and the items changed last.

Nothing here imports the ORM's classes or maps them, so the window paints its dashboard first
and pays for the rest after (``Portfolio.settle``). On SQLite the GPC coverage is read by the
SQL its statements compile to (``quick_reads``, as the ``coverage`` command reads it), so the
window's first read compiles none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from portfolio import tables
from portfolio.services.coverage import capability_coverage_of, coverage_of
from portfolio.services.evidence_query import EvidenceQuery, ids_in, summaries_of
from portfolio.services.read_models import Coverage, DomainCoverage, EvidenceSummary
from portfolio.services.stored_curricula import own_curriculum

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session, sessionmaker

RECENTLY_CHANGED = EvidenceQuery(sort="updated", descending=True)


@dataclass(frozen=True)
class CurriculumCoverage:
    """The trainee's own curriculum: its title and its capabilities' coverage, in file order."""

    title: str
    capabilities: tuple[DomainCoverage, ...]


@dataclass(frozen=True)
class DashboardData:
    coverage: Coverage
    recent: tuple[EvidenceSummary, ...]
    """The items changed last, newest first."""
    curriculum: CurriculumCoverage | None
    """None when the trainee has chosen no curriculum of their own."""


class DashboardService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def has_profile(self) -> bool:
        """Whether the trainee has said who they are (if not, the welcome comes first)."""
        with self._sessions() as session:
            return session.scalar(select(tables.profile.c.id)) is not None

    def read(self, recent: int) -> DashboardData:
        """The coverage, the ``recent`` items changed last, and the own curriculum's coverage."""
        with self._sessions() as session:
            connection = session.connection()
            ids = ids_in(connection, RECENTLY_CHANGED, recent)
            chosen = connection.scalar(select(tables.profile.c.curriculum_id)) or ""
            own = (
                CurriculumCoverage(
                    own_curriculum(connection, chosen).title,
                    capability_coverage_of(connection, chosen),
                )
                if chosen
                else None
            )
            coverage = _coverage(connection)
            summaries = tuple(summaries_of(connection, ids))
        return DashboardData(coverage, summaries, own)


def _coverage(connection: Connection) -> Coverage:
    """``coverage_of``; on SQLite (at this app's schema: the window opened it to write) through
    ``quick_reads``, on the same connection and in the same transaction."""
    if connection.dialect.name == "sqlite":
        from portfolio.services import quick_reads

        return quick_reads.coverage(connection.connection.driver_connection)
    return coverage_of(connection)
