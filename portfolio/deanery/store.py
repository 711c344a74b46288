"""The deanery store: a region's cohort summaries, opportunity catalogues and supervisor
directories in one PostgreSQL database, each file verified by its format's own reader before
anything of it is written.

A file is recognised by its name (``.gpccohort``, ``.gpcopportunities``, ``.gpcdirectory``; a
folder gives every such file in it). Directories are loaded first, so that a catalogue signed
by a key a trusted directory revokes is refused in the same load. A file that fails is refused
with its reason and changes nothing; the same file loaded again is unchanged, and a summary id
is counted once (as the file-based view ``CohortService.load`` does).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, insert, inspect, make_url, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from portfolio.deanery.schema import (
    SCHEMA_VERSION,
    DeaneryBase,
    SchemaVersion,
    StoredCatalogue,
    StoredDirectory,
    StoredOpportunity,
    StoredSummary,
    SummaryDomain,
    SummaryKind,
    SummaryRole,
    SummaryUptake,
    TrustedPublisher,
)
from portfolio.errors import InvalidInput, NotFound, PortfolioError, Remedy, StorageError
from portfolio.formats.catalogue import CATALOGUE_SUFFIX, CatalogueFile, read_catalogue
from portfolio.formats.cohort_summary import SUMMARY_SUFFIX, CohortSummary, read_summary
from portfolio.formats.directory import (
    DIRECTORY_SUFFIX,
    DirectoryFile,
    parse_directory,
    read_directory,
)
from portfolio.security.canonical import sha256_hex
from portfolio.security.signing import normalize_fingerprint

if TYPE_CHECKING:
    from portfolio.services.cohort import CohortFigures
    from portfolio.services.trust_roots import TrustRoots

SUFFIXES = (DIRECTORY_SUFFIX, CATALOGUE_SUFFIX, SUMMARY_SUFFIX)
"""The files a load takes, in the order it takes them."""
WRITER_LOCK = 0x6770_6364_6E72
"""The PostgreSQL advisory lock a writing transaction holds (the store's one writer)."""
_CHUNK = 1_000
"""Summary ids looked up per query."""


@dataclass(frozen=True)
class Loaded:
    source: str
    what: str
    """``summary``, ``catalogue`` or ``directory``."""
    outcome: str
    """``loaded``, ``replaced`` (a newer version) or ``unchanged`` (already here)."""


@dataclass(frozen=True)
class Refused:
    source: str
    reason: str
    remedy: Remedy | None = None


@dataclass(frozen=True)
class LoadReport:
    loaded: tuple[Loaded, ...]
    refused: tuple[Refused, ...]
    unused_trust: tuple[str, ...] = ()
    """Fingerprints given to trust that published no directory in this load (not recorded)."""

    def count(self, what: str, outcome: str) -> int:
        return sum(1 for f in self.loaded if f.what == what and f.outcome == outcome)


@dataclass(frozen=True)
class CatalogueStatus:
    catalogue_id: str
    title: str
    version: int
    publisher: str
    opportunities: int
    revoked: str
    """Why its publisher's key is now revoked by a directory here (empty when it is not)."""


@dataclass(frozen=True)
class StoreStatus:
    summaries: int
    trusts: int
    catalogues: tuple[CatalogueStatus, ...]
    directories: tuple[tuple[str, int], ...]
    """Each directory's name and version."""


def store_url(url: str) -> str:
    """The SQLAlchemy URL of a deanery store: PostgreSQL only, through psycopg 3."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInput(
            "The deanery store is a PostgreSQL database (its figures use PostgreSQL's "
            f"percentiles); '{parsed.render_as_string(hide_password=True)}' is not one. "
            "Give a URL such as postgresql://user@host/deanery."
        )
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def files_in(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every file of a known kind inside a folder (sorted by name)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()
            )
        else:
            found.append(path)
    return found


class DeaneryStore:
    """One deanery database, opened for one command (``open_store``)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self.where = engine.url.render_as_string(hide_password=True)

    # -- the schema --------------------------------------------------------------------------

    def create(self) -> bool:
        """Create the store's tables; False when they were already there (nothing changes)."""
        with self._connected(begin=True) as connection:
            existing = _version(connection)
            if existing is not None:
                _check_version(existing, self.where)
                return False
            DeaneryBase.metadata.create_all(connection)
            connection.execute(
                insert(SchemaVersion).values(version=SCHEMA_VERSION, created_at=self._now())
            )
        return True

    def check(self) -> None:
        """Refuse a database that holds no deanery store, or one of another version."""
        with self._connected() as connection:
            existing = _version(connection)
        if existing is None:
            raise NotFound(
                f"{self.where} holds no deanery store.", remedy=Remedy.CREATE_DEANERY_STORE
            )
        _check_version(existing, self.where)

    @contextmanager
    def _connected(self, *, begin: bool = False) -> Iterator[Connection]:
        try:
            with self._engine.begin() if begin else self._engine.connect() as connection:
                yield connection
        except DBAPIError as error:
            raise unusable(self.where, error) from None

    # -- loading -----------------------------------------------------------------------------

    def load(self, paths: Iterable[Path], trust: Sequence[str] = ()) -> LoadReport:
        """Verify and load files (and folders' files); ``trust`` names directory publishers'
        fingerprints, checked with them, that may be trusted from now on."""
        trusted_now = {normalize_fingerprint(t) for t in trust}
        files = files_in(paths)
        by_kind: dict[str, list[Path]] = {suffix: [] for suffix in SUFFIXES}
        loaded: list[Loaded] = []
        refused: list[Refused] = []
        for path in files:
            suffix = path.suffix.lower()
            if suffix in by_kind:
                by_kind[suffix].append(path)
            else:
                refused.append(
                    Refused(
                        str(path),
                        f"{path.name} is not a cohort summary ({SUMMARY_SUFFIX}), catalogue "
                        f"({CATALOGUE_SUFFIX}) or supervisor directory ({DIRECTORY_SUFFIX}).",
                    )
                )
        used: set[str] = set()
        for path in by_kind[DIRECTORY_SUFFIX]:
            self._one(path, lambda p: self._directory(p, trusted_now, used), loaded, refused)
        for path in by_kind[CATALOGUE_SUFFIX]:
            self._one(path, self._catalogue, loaded, refused)
        summaries, bad = _read_summaries(by_kind[SUMMARY_SUFFIX])
        refused += bad
        loaded += self._summaries(summaries, refused)
        order = {str(p): n for n, p in enumerate(files)}
        return LoadReport(
            tuple(sorted(loaded, key=lambda f: order.get(f.source, 0))),
            tuple(sorted(refused, key=lambda f: order.get(f.source, 0))),
            tuple(sorted(trusted_now - used)),
        )

    @staticmethod
    def _one(
        path: Path,
        load: Callable[[Path], Loaded],
        loaded: list[Loaded],
        refused: list[Refused],
    ) -> None:
        try:
            loaded.append(load(path))
        except PortfolioError as error:
            refused.append(Refused(str(path), str(error), error.remedy))

    def _directory(self, path: Path, trust: set[str], used: set[str]) -> Loaded:
        directory = read_directory(path)
        name, publisher = path.name, directory.publisher
        if directory.expired(self._clock()):
            raise InvalidInput(
                f"{name} expired on {directory.expires_at[:10]}; ask {publisher.name} for the "
                "current version. Nothing was loaded."
            )
        if publisher.fingerprint in trust:
            used.add(publisher.fingerprint)
        with self._writing() as session:
            if session.get(TrustedPublisher, publisher.fingerprint) is None:
                if publisher.fingerprint not in trust:
                    raise InvalidInput(
                        f"{name} is published by {publisher.name} with the key "
                        f"{publisher.fingerprint}. Check that fingerprint with the publisher, "
                        "then trust it explicitly. Nothing was loaded.",
                        remedy=Remedy.TRUST_PUBLISHER,
                    )
                session.add(
                    TrustedPublisher(fingerprint=publisher.fingerprint, trusted_at=self._now())
                )
            row = session.get(StoredDirectory, directory.directory_id)
            outcome = "loaded"
            if row is not None:
                stored = parse_directory(row.document.encode(), row.name)
                if _same_version(name, f"“{row.name}”", row.publisher_key, stored, directory):
                    return Loaded(str(path), "directory", "unchanged")
                session.delete(row)
                session.flush()
                outcome = "replaced"
            session.add(
                StoredDirectory(
                    directory_id=directory.directory_id,
                    version=directory.version,
                    name=directory.name,
                    publisher_key=publisher.public_key,
                    document=directory.document,
                    source=_source(path),
                    loaded_at=self._now(),
                )
            )
        return Loaded(str(path), "directory", outcome)

    def _catalogue(self, path: Path) -> Loaded:
        catalogue = read_catalogue(path)
        name, publisher = path.name, catalogue.publisher
        with self._writing() as session:
            judgement = self._trust_roots(session).judge(
                publisher.public_key, publisher.gmc_number, catalogue.published_at
            )
            if judgement.revoked:
                raise InvalidInput(
                    f"{name} is signed by {publisher.name}'s key {publisher.fingerprint}, but "
                    f"{judgement.reason}. Nothing was loaded."
                )
            row = session.get(StoredCatalogue, catalogue.catalogue_id)
            outcome = "loaded"
            if row is not None:
                if _same_version(name, f"'{row.title}'", row.publisher_key, row, catalogue):
                    return Loaded(str(path), "catalogue", "unchanged")
                session.delete(row)
                session.flush()
                outcome = "replaced"
            elsewhere = session.scalars(
                select(StoredOpportunity.opportunity_id).where(
                    StoredOpportunity.opportunity_id.in_([o.id for o in catalogue.opportunities])
                )
            ).first()
            if elsewhere is not None:
                raise InvalidInput(
                    f"{name}: opportunity {elsewhere} already belongs to another catalogue "
                    "here. Nothing was loaded."
                )
            session.add(
                StoredCatalogue(
                    catalogue_id=catalogue.catalogue_id,
                    version=catalogue.version,
                    title=catalogue.title,
                    trust=catalogue.trust,
                    published_at=catalogue.published_at,
                    publisher_name=publisher.name,
                    publisher_gmc=publisher.gmc_number,
                    publisher_key=publisher.public_key,
                    signature=catalogue.signature,
                    source=_source(path),
                    loaded_at=self._now(),
                )
            )
            session.flush()
            session.add_all(
                StoredOpportunity(
                    opportunity_id=o.id,
                    catalogue_id=catalogue.catalogue_id,
                    title=o.title,
                    kind=o.kind,
                )
                for o in catalogue.opportunities
            )
        return Loaded(str(path), "catalogue", outcome)

    def _summaries(
        self, summaries: list[tuple[Path, CohortSummary, str]], refused: list[Refused]
    ) -> list[Loaded]:
        """Every new summary in one transaction; repeats are unchanged or refused."""
        if not summaries:
            return []
        loaded: list[Loaded] = []
        with self._writing() as session:
            stored: dict[str, tuple[str, str]] = {}
            ids = [s.summary_id for _, s, _ in summaries]
            for start in range(0, len(ids), _CHUNK):
                query = select(
                    StoredSummary.summary_id, StoredSummary.digest, StoredSummary.source
                ).where(StoredSummary.summary_id.in_(ids[start : start + _CHUNK]))
                stored.update((i, (d, s)) for i, d, s in session.execute(query))
            fresh: list[tuple[Path, CohortSummary]] = []
            for path, summary, summary_digest in summaries:
                if summary.summary_id in stored:
                    first_digest, first_source = stored[summary.summary_id]
                    if first_digest == summary_digest:
                        loaded.append(Loaded(str(path), "summary", "unchanged"))
                    else:
                        refused.append(
                            Refused(
                                str(path),
                                f"{path.name} repeats the summary {summary.summary_id} "
                                f"already loaded from {Path(first_source).name} but differs "
                                "from it; counted once, as first loaded.",
                            )
                        )
                    continue
                stored[summary.summary_id] = (summary_digest, str(path))
                fresh.append((path, summary))
                loaded.append(Loaded(str(path), "summary", "loaded"))
            _insert_summaries(session, fresh, dict(stored), self._now())
        return loaded

    # -- reading -----------------------------------------------------------------------------

    def directories(self, session: Session) -> list[DirectoryFile]:
        """Every stored directory, verified again (a row edited in the table vouches for none)."""
        found = []
        for document, name in session.execute(
            select(StoredDirectory.document, StoredDirectory.name)
        ):
            try:
                found.append(parse_directory(document.encode(), name))
            except InvalidInput:
                continue
        return found

    def _trust_roots(self, session: Session) -> TrustRoots:
        from portfolio.services.trust_roots import TrustRoots

        return TrustRoots(self.directories(session), {}, self._clock())

    def figures(self) -> CohortFigures:
        """The mentor's figures over every summary here, computed in SQL."""
        from portfolio.deanery.figures import store_figures

        with self._reading() as session:
            return store_figures(session)

    def status(self) -> StoreStatus:
        with self._reading() as session:
            roots = self._trust_roots(session)
            summaries, trusts = session.execute(
                select(func.count(), func.count(StoredSummary.trust.distinct()))
            ).one()
            counts = dict(
                session.execute(
                    select(StoredOpportunity.catalogue_id, func.count()).group_by(
                        StoredOpportunity.catalogue_id
                    )
                ).all()
            )
            catalogues = []
            for row in session.scalars(select(StoredCatalogue).order_by(StoredCatalogue.title)):
                judged = roots.judge(row.publisher_key, row.publisher_gmc, row.published_at)
                catalogues.append(
                    CatalogueStatus(
                        row.catalogue_id,
                        row.title,
                        row.version,
                        row.publisher_name,
                        counts.get(row.catalogue_id, 0),
                        judged.reason if judged.revoked else "",
                    )
                )
            directories = tuple(
                session.execute(
                    select(StoredDirectory.name, StoredDirectory.version).order_by(
                        StoredDirectory.name
                    )
                ).all()
            )
        return StoreStatus(summaries, trusts, tuple(catalogues), directories)

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A transaction that writes, one at a time over the whole store: a second load waits
        for the first and then finds its files there (unchanged), never a duplicate key."""
        try:
            with self._sessions.begin() as session:
                session.execute(select(func.pg_advisory_xact_lock(WRITER_LOCK)))
                yield session
        except IntegrityError:
            raise StorageError(
                f"Another load wrote the same files into {self.where} at the same time; "
                "what this load was writing was undone. Load again: what is already there "
                "reads as unchanged."
            ) from None
        except DBAPIError as error:
            raise unusable(self.where, error) from None

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as error:
            raise unusable(self.where, error) from None

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)


def unusable(where: str, error: DBAPIError) -> StorageError:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return StorageError(
        f"The deanery database {where} could not be used ({reason}). Nothing was changed."
    )


@contextmanager
def open_store(
    url: str, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Iterator[DeaneryStore]:
    """The store at ``url`` for one command; the engine is disposed of afterwards."""
    from portfolio.storage.engine import make_engine

    engine = make_engine(store_url(url))
    try:
        yield DeaneryStore(engine, clock)
    finally:
        engine.dispose()


# -- helpers ----------------------------------------------------------------------------------


def _version(connection: Connection) -> int | None:
    if not inspect(connection).has_table(SchemaVersion.__tablename__):
        return None
    return connection.execute(select(func.max(SchemaVersion.version))).scalar_one_or_none()


def _check_version(version: int, where: str) -> None:
    if version != SCHEMA_VERSION:
        raise StorageError(
            f"The deanery store {where} is of version {version}; this app reads version "
            f"{SCHEMA_VERSION}. Nothing was changed; use the matching version of the app."
        )


def _same_version(
    name: str,
    title: str,
    stored_key: str,
    stored: StoredCatalogue | DirectoryFile,
    new: CatalogueFile | DirectoryFile,
) -> bool:
    """Whether ``new`` is the version already stored (True), or a newer one by the same key
    (False); anything else is refused, as a portfolio's import refuses it."""
    if new.publisher.public_key != stored_key:
        raise InvalidInput(
            f"{name} claims to be a version of {title} but is signed by another key "
            f"({new.publisher.fingerprint}) than the one loaded before. Nothing was loaded."
        )
    if new.version < stored.version:
        raise InvalidInput(
            f"{name} is version {new.version} of {title}; the newer version {stored.version} "
            "is already loaded. Nothing was loaded."
        )
    if new.version == stored.version:
        if new.signature != stored.signature:
            raise InvalidInput(
                f"{name} is version {new.version} of {title} but differs from the version "
                f"{stored.version} already loaded. Nothing was loaded."
            )
        return True
    return False


def _source(path: Path) -> str:
    """Where a file was loaded from, as stored (the column holds 1,000 characters)."""
    return str(path)[:1000]


def _content_digest(summary: CohortSummary) -> str:
    """What a summary says, as a digest: the same content gives the same digest, whatever the
    file's layout (compact JSON, the C encoder: the file's indented form is several times
    slower to make)."""
    compact = json.dumps(summary.to_document(), separators=(",", ":"), ensure_ascii=False)
    return sha256_hex(compact.encode("utf-8"))


def _read_summaries(
    paths: list[Path],
) -> tuple[list[tuple[Path, CohortSummary, str]], list[Refused]]:
    """Each summary read and checked by the format's reader, with the digest of its content;
    a summary id repeated within the load is refused after its first file."""
    read: list[tuple[Path, CohortSummary, str]] = []
    refused: list[Refused] = []
    seen: dict[str, tuple[str, Path]] = {}
    for path in paths:
        try:
            summary = read_summary(path)
        except PortfolioError as error:
            refused.append(Refused(str(path), str(error)))
            continue
        summary_digest = _content_digest(summary)
        first = seen.get(summary.summary_id)
        if first is not None:
            if first[0] != summary_digest:
                refused.append(
                    Refused(
                        str(path),
                        f"{path.name} repeats the summary {summary.summary_id} already read "
                        f"from {first[1].name} but differs from it; counted once, as first "
                        "read.",
                    )
                )
                continue
        else:
            seen[summary.summary_id] = (summary_digest, path)
        read.append((path, summary, summary_digest))
    return read, refused


def _insert_summaries(
    session: Session,
    fresh: list[tuple[Path, CohortSummary]],
    stored: dict[str, tuple[str, str]],
    loaded_at: datetime,
) -> None:
    """Write new summaries with PostgreSQL's COPY, in the session's transaction: row by row
    INSERTs of a region's 5,000 summaries (some 100,000 rows) take several times longer."""
    if not fresh:
        return
    _copy(
        session,
        StoredSummary,
        (
            "summary_id",
            "digest",
            "source",
            "created_on",
            "trust",
            "grade",
            "period_from",
            "period_to",
            "named",
            "evidence_items",
            "qi_activity",
            "leadership_roles",
            "loaded_at",
        ),
        (
            (
                s.summary_id,
                stored[s.summary_id][0],
                _source(path),
                s.created_on,
                s.trust,
                s.grade,
                s.period_from,
                s.period_to,
                s.trainee_name is not None,
                s.evidence_items,
                s.qi_activity,
                s.leadership_roles,
                loaded_at,
            )
            for path, s in fresh
        ),
    )
    _copy(
        session,
        SummaryDomain,
        ("summary_id", "code", "items"),
        ((s.summary_id, code, n) for _, s in fresh for code, n in s.domains.items()),
    )
    _copy(
        session,
        SummaryKind,
        ("summary_id", "kind", "items"),
        ((s.summary_id, kind, n) for _, s in fresh for kind, n in s.kinds.items() if n),
    )
    _copy(
        session,
        SummaryRole,
        ("summary_id", "role_type", "held"),
        ((s.summary_id, role, n) for _, s in fresh for role, n in s.role_types.items() if n),
    )
    _copy(
        session,
        SummaryUptake,
        ("summary_id", "position", "catalogue_id", "opportunity_id", "kind", "status"),
        (
            (s.summary_id, position, u.catalogue_id, u.opportunity_id, u.kind, u.status)
            for _, s in fresh
            for position, u in enumerate(s.opportunities)
        ),
    )


def _copy(
    session: Session,
    model: type[DeaneryBase],
    columns: tuple[str, ...],
    rows: Iterable[tuple[object, ...]],
) -> None:
    """``COPY table (columns…) FROM STDIN``, each row's values in the order of ``columns``."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model.__tablename__), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
