"""The composition root: one function builds the database and every service, and passes them on.

No globals: the window, the command line and the tests each hold their own ``Portfolio``.
Services needed only for some tasks (sign-off, privacy, archive, opportunities) are built, and their modules
imported, when first used: the window opens without paying for them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from portfolio.errors import PortfolioError
from portfolio.paths import Location
from portfolio.services.backups import BackupService
from portfolio.services.coverage import CoverageService
from portfolio.services.curricula import CurriculumService, sync_curricula
from portfolio.services.encryption import EncryptionService
from portfolio.services.evidence import EvidenceService
from portfolio.services.profile import PlacementService, ProfileService
from portfolio.services.recovery import RecoveryService
from portfolio.storage.database import Database, open_database

if TYPE_CHECKING:
    from portfolio.reports.service import ReportService
    from portfolio.services.archive import ArchiveService
    from portfolio.services.cohort import CohortService
    from portfolio.services.credentials import CredentialService
    from portfolio.services.directories import DirectoryService
    from portfolio.services.opportunities import OpportunityService
    from portfolio.services.privacy import PrivacyService
    from portfolio.services.signoffs import SignOffService


class Portfolio:
    def __init__(self, database: Database) -> None:
        self.database = database
        sessions = database.sessions
        self.profile = ProfileService(sessions)
        self.placements = PlacementService(sessions)
        self.evidence = EvidenceService(sessions)
        self.curricula = CurriculumService(sessions)
        self.coverage = CoverageService(sessions)
        self.recovery = RecoveryService(sessions)
        self.backups = BackupService(database)
        self.encryption = EncryptionService(database.location)

    @cached_property
    def signoffs(self) -> SignOffService:
        from portfolio.services.signoffs import SignOffService

        return SignOffService(self.database.sessions, self.evidence, self.location.data_dir)

    @cached_property
    def directories(self) -> DirectoryService:
        from portfolio.services.directories import DirectoryService

        return DirectoryService(self.database.sessions)

    @cached_property
    def credentials(self) -> CredentialService:
        from portfolio.services.credentials import CredentialService

        return CredentialService(self.database.sessions)

    @cached_property
    def privacy(self) -> PrivacyService:
        from portfolio.services.privacy import PrivacyService

        return PrivacyService(self.database.sessions, self.evidence)

    @cached_property
    def archive(self) -> ArchiveService:
        from portfolio.services.archive import ArchiveService

        return ArchiveService(self.database)

    @cached_property
    def opportunities(self) -> OpportunityService:
        from portfolio.services.opportunities import OpportunityService

        return OpportunityService(self.database.sessions, self.evidence, self.coverage)

    @cached_property
    def cohort(self) -> CohortService:
        from portfolio.services.cohort import CohortService

        return CohortService(
            self.database.sessions, self.profile, self.evidence, self.opportunities
        )

    @cached_property
    def reports(self) -> ReportService:
        from portfolio.reports.service import ReportService
        from portfolio.storage.files import write_atomically

        return ReportService(self, write_atomically)

    @property
    def location(self) -> Location:
        return self.database.location

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Portfolio:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def reopen_encrypted(
    portfolio: Portfolio, passphrase: str | None, opened: Callable[[Portfolio], None]
) -> Portfolio:
    """Close ``portfolio``, encrypt it in place (``EncryptionService.encrypt``) and open it again.

    ``opened`` hears of the portfolio that is open afterwards, whatever happens: the encrypted
    one, or (when encrypting failed) the same portfolio reopened as it was.
    """
    location = portfolio.location
    portfolio.close()
    try:
        portfolio.encryption.encrypt(passphrase)
    except BaseException:
        opened(open_portfolio(location, passphrase=passphrase))  # a crash leaves old or new
        raise
    reopened = open_portfolio(location, passphrase=passphrase)
    opened(reopened)
    return reopened


def open_portfolio(
    location: Location, *, write: bool = True, passphrase: str | None = None
) -> Portfolio:
    """Open (creating and upgrading when writing) the portfolio at ``location``.

    ``passphrase`` unlocks a portfolio encrypted with one (docs/encryption.md).
    """
    database = open_database(location, write=write, passphrase=passphrase)
    try:
        if write:
            sync_curricula(database.sessions)
            portfolio = Portfolio(database)
            portfolio.backups.daily()
            return portfolio
        return Portfolio(database)
    except BaseException:
        database.close()
        raise


# What the front ends ask before or beside an open portfolio (the window may not import storage).


def known_problem(error: BaseException) -> PortfolioError | None:
    """The known problem ``error`` is (itself, or an error of the world such as a full,
    read-only or refused disk, or a damaged database), or None for a bug."""
    from portfolio.storage.failures import known_error  # one mapping, shared with the CLI

    return known_error(error)


def is_encrypted(location: Location) -> bool:
    """Whether the portfolio at ``location`` is encrypted at rest (reads no secrets)."""
    from portfolio.storage.encryption import status

    return status(location).encrypted


def needs_passphrase(location: Location) -> bool:
    """True when opening this portfolio needs the trainee's passphrase (ask before opening)."""
    from portfolio.storage.encryption import needs_passphrase as needed

    return needed(location)
