"""The composition root: one function builds the database and every service, and passes them on.

No globals: the window, the command line and the tests each hold their own ``Portfolio``.
Each service is built, and its module imported, when first used: the window paints its
dashboard (read through Core, ``DashboardService``) before the ORM's classes are imported or
mapped, and a command pays only for the services it calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property, wraps
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from portfolio.errors import PortfolioError
from portfolio.paths import Location
from portfolio.storage.database import Database, open_database

if TYPE_CHECKING:
    from portfolio.reports.service import ReportService
    from portfolio.services.archive import ArchiveService
    from portfolio.services.backups import BackupService
    from portfolio.services.cohort import CohortService
    from portfolio.services.coverage import CoverageService
    from portfolio.services.credentials import CredentialService
    from portfolio.services.curricula import CurriculumService
    from portfolio.services.dashboard import DashboardService
    from portfolio.services.directories import DirectoryService
    from portfolio.services.encryption import EncryptionService
    from portfolio.services.evidence import EvidenceService
    from portfolio.services.opportunities import OpportunityService
    from portfolio.services.privacy import PrivacyService
    from portfolio.services.profile import PlacementService, ProfileService
    from portfolio.services.recovery import RecoveryService
    from portfolio.services.signoffs import SignOffService


_Service = TypeVar("_Service")


def _reads_curricula(build: Callable[[Portfolio], _Service]) -> cached_property[_Service]:
    """A service built when first used, once the built-in curricula are stored as shipped
    (``Portfolio.store_curricula_if_due``): it may read, link or export them."""

    @wraps(build)
    def built(portfolio: Portfolio) -> _Service:
        portfolio.store_curricula_if_due()
        return build(portfolio)

    return cached_property(built)


class Portfolio:
    def __init__(
        self, database: Database, *, backup_due: bool = False, curricula_due: bool = False
    ) -> None:
        self.database = database
        self._backup_due = backup_due
        self._curricula_due = curricula_due
        self._storing = threading.Lock()

    @cached_property
    def dashboard(self) -> DashboardService:
        from portfolio.services.dashboard import DashboardService

        return DashboardService(self.database.sessions)

    @_reads_curricula
    def profile(self) -> ProfileService:
        from portfolio.services.profile import ProfileService

        return ProfileService(self.database.sessions)

    @_reads_curricula
    def placements(self) -> PlacementService:
        from portfolio.services.profile import PlacementService

        return PlacementService(self.database.sessions)

    @_reads_curricula
    def evidence(self) -> EvidenceService:
        from portfolio.services.evidence import EvidenceService

        return EvidenceService(self.database.sessions)

    @_reads_curricula
    def curricula(self) -> CurriculumService:
        from portfolio.services.curricula import CurriculumService

        return CurriculumService(self.database.sessions)

    @_reads_curricula
    def coverage(self) -> CoverageService:
        from portfolio.services.coverage import CoverageService

        return CoverageService(self.database.sessions)

    @cached_property
    def recovery(self) -> RecoveryService:
        from portfolio.services.recovery import RecoveryService

        return RecoveryService(self.database.sessions)

    @_reads_curricula
    def backups(self) -> BackupService:
        from portfolio.services.backups import BackupService

        return BackupService(self.database)

    @_reads_curricula
    def encryption(self) -> EncryptionService:
        from portfolio.services.encryption import EncryptionService

        return EncryptionService(self.database.location)

    @_reads_curricula
    def signoffs(self) -> SignOffService:
        from portfolio.services.signoffs import SignOffService

        return SignOffService(self.database.sessions, self.evidence, self.location.data_dir)

    @_reads_curricula
    def directories(self) -> DirectoryService:
        from portfolio.services.directories import DirectoryService

        return DirectoryService(self.database.sessions)

    @_reads_curricula
    def credentials(self) -> CredentialService:
        from portfolio.services.credentials import CredentialService

        return CredentialService(self.database.sessions)

    @_reads_curricula
    def privacy(self) -> PrivacyService:
        from portfolio.services.privacy import PrivacyService

        return PrivacyService(self.database.sessions, self.evidence)

    @_reads_curricula
    def archive(self) -> ArchiveService:
        from portfolio.services.archive import ArchiveService

        return ArchiveService(self.database)

    @_reads_curricula
    def opportunities(self) -> OpportunityService:
        from portfolio.services.opportunities import OpportunityService

        return OpportunityService(self.database.sessions, self.evidence, self.coverage)

    @_reads_curricula
    def cohort(self) -> CohortService:
        from portfolio.services.cohort import CohortService

        return CohortService(
            self.database.sessions, self.profile, self.evidence, self.opportunities
        )

    @_reads_curricula
    def reports(self) -> ReportService:
        from portfolio.reports.service import ReportService
        from portfolio.storage.files import write_atomically

        return ReportService(self, write_atomically)

    def store_curricula_if_due(self) -> None:
        """The built-in curricula stored as shipped, when ``open_portfolio`` left that to later
        (the window: on its database thread after its first paint, ``settle``); once.

        Every service but the dashboard's and the drafts' (which read no stored curriculum:
        the dashboard's curricula are the shipped ones) calls this before it is built
        (``_reads_curricula``), so nothing reads, links or exports a curriculum before it is
        stored as shipped.
        """
        if not self._curricula_due:
            return
        with self._storing:  # the database thread, or a service built on the GUI thread
            if self._curricula_due:
                _store_builtin_curricula(self.database)
                self._curricula_due = False

    def settle(self) -> None:
        """What the window leaves until after its first paint (on its database thread): the
        built-in curricula stored when ``open_portfolio`` left that to it, then the ORM's
        classes imported and mapped, so the first item opened does not pay for them."""
        from portfolio.models import Base

        self.store_curricula_if_due()
        Base.registry.configure()

    def back_up_if_due(self) -> None:
        """The day's backup when ``open_portfolio`` left it to the caller (the window runs it
        on its database thread after its first paint); at most once."""
        if self._backup_due:
            self._backup_due = False
            self.backups.daily()

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
    location: Location,
    *,
    write: bool = True,
    passphrase: str | None = None,
    back_up: bool = True,
    store_curricula: bool = True,
) -> Portfolio:
    """Open (creating and upgrading when writing) the portfolio at ``location``.

    ``passphrase`` unlocks a portfolio encrypted with one (docs/encryption.md). Opened for
    writing, it stores the built-in curricula as shipped (unless ``store_curricula`` is False:
    then before the first service that could read them is built, or by ``Portfolio.settle``)
    and, unless ``back_up`` is False, takes the day's backup (the window does both after its
    first paint: ``Portfolio.settle``, ``Portfolio.back_up_if_due``).
    """
    database = open_database(location, write=write, passphrase=passphrase)
    try:
        portfolio = Portfolio(
            database,
            backup_due=write and not back_up,
            curricula_due=write and not store_curricula,
        )
        if write:
            if store_curricula:
                _store_builtin_curricula(database)
            if back_up:
                portfolio.backups.daily()
        return portfolio
    except BaseException:
        database.close()
        raise


def _store_builtin_curricula(database: Database) -> None:
    """``sync_curricula``, whose module (and the ORM) is imported only when one changed."""
    from portfolio.curriculum import builtin_curricula
    from portfolio.services.stored_curricula import stored_as_given

    with database.sessions() as session:
        if stored_as_given(session, builtin_curricula()):
            return
    from portfolio.services.curricula import sync_curricula

    sync_curricula(database.sessions)


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
