"""The composition root: one function builds the database and every service, and passes them on.

No globals: the window, the command line and the tests each hold their own ``Portfolio``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType

from portfolio.paths import Location
from portfolio.services.archive import ArchiveService
from portfolio.services.backups import BackupService
from portfolio.services.coverage import CoverageService
from portfolio.services.curricula import sync_curricula
from portfolio.services.evidence import EvidenceService
from portfolio.services.privacy import PrivacyService
from portfolio.services.profile import PlacementService, ProfileService
from portfolio.services.recovery import RecoveryService
from portfolio.services.signoffs import SignOffService
from portfolio.storage.database import Database, open_database


@dataclass
class Portfolio:
    database: Database
    profile: ProfileService
    placements: PlacementService
    evidence: EvidenceService
    coverage: CoverageService
    recovery: RecoveryService
    signoffs: SignOffService
    privacy: PrivacyService
    archive: ArchiveService

    @property
    def location(self) -> Location:
        return self.database.location

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Portfolio:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_portfolio(location: Location, *, write: bool = True,
                   passphrase: str | None = None) -> Portfolio:
    """Open (creating and upgrading when writing) the portfolio at ``location``.

    ``passphrase`` unlocks a portfolio encrypted with one (docs/encryption.md).
    """
    database = open_database(location, write=write, passphrase=passphrase)
    try:
        if write:
            sync_curricula(database.sessions)
            BackupService(database).daily()
        sessions = database.sessions
        evidence = EvidenceService(sessions)
        return Portfolio(
            database=database,
            profile=ProfileService(sessions),
            placements=PlacementService(sessions),
            evidence=evidence,
            coverage=CoverageService(sessions),
            recovery=RecoveryService(sessions),
            signoffs=SignOffService(sessions, evidence, location.data_dir),
            privacy=PrivacyService(sessions, evidence),
            archive=ArchiveService(database),
        )
    except BaseException:
        database.close()
        raise
