"""Backups the trainee can see and restore, and a health check of the whole portfolio: the one
service the window, the command line and the composition root all use.

Built on an open ``Database`` it does everything; built on a ``Location`` alone it works on a
portfolio that cannot be opened (a truncated or overwritten database): it finds what is wrong,
names the newest sound backup and restores it, without ever opening the damaged file through
the app's engine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from portfolio.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    InvalidInput,
    NotFound,
    NotWritable,
    PortfolioError,
    Remedy,
    StorageError,
)
from portfolio.models import Blob, Evidence
from portfolio.paths import Location
from portfolio.services.evidence import EvidenceService
from portfolio.storage import encryption, search_index
from portfolio.storage.backup import (
    BackupInfo,
    backup_into,
    backup_name,
    copy_into_live,
    integrity_problems,
    list_backups,
    online_backup,
)
from portfolio.storage.database import Database, held, lock_for
from portfolio.storage.engine import make_engine
from portfolio.storage.migrate import head_revision, refuse_newer, sqlite_revision, upgrade
from portfolio.storage.server_backup import replace_rows, write_copy

KEEP_DAILY = 14
KEEP_PER_KIND = 10


def _kind(reason: str) -> str:
    """daily, manual, before-import, before-restore, before-upgrade (any target revision)."""
    return reason.partition("-to-")[0]


INDEX_OUT_OF_STEP = (
    "The search index is out of step with the evidence; repairing the portfolio rebuilds it."
)
"""The problem ``check`` reports when a repair (rebuilding the search index) mends it."""


class BackupService:
    """Automatic backups: the first open of each day, before every upgrade, import and restore.

    Rotation keeps the newest 14 daily backups and the newest 10 of each other kind; manual
    backups are never removed.
    """

    def __init__(self, target: Database | Location) -> None:
        self._opened = target if isinstance(target, Database) else None
        self._location = target if isinstance(target, Location) else target.location

    @property
    def _database(self) -> Database:
        if self._opened is None:
            raise TypeError("This needs the open portfolio: BackupService(database).")
        return self._opened

    def backup(self, out: Path | None = None, reason: str = "manual") -> Path:
        """Into the backups folder (``backup_name``) unless ``out``. A server portfolio's
        backup is a SQLite portfolio file holding its every row (``storage.server_backup``)."""
        if out is not None and out.exists():
            raise InvalidInput(f"{out} already exists; choose a new file name.")
        target = out or self._location.backups_dir / backup_name(reason)
        source = self._location.sqlite_path
        if source is None:
            return write_copy(self._database.engine, target, self._index_copy)
        return online_backup(source, target, self._database.keys)

    @staticmethod
    def _index_copy(copy: Connection) -> None:
        with Session(copy) as session:
            EvidenceService(sessionmaker(copy)).rebuild_index_in(session)

    def daily(self, today: date | None = None) -> Path | None:
        """Back up once a day, when a portfolio with content is opened; then rotate. (Not a
        server portfolio: the centre backs up its server, docs/deployment.md.)"""
        if self._location.sqlite_path is None:
            return None
        today = today or datetime.now(UTC).date()
        if any(b.reason == "daily" and b.created_at.date() == today for b in self.list()):
            return None
        with self._database.sessions() as session:
            if session.scalar(select(Evidence.id).limit(1)) is None:
                return None
        path = self.backup(reason="daily")
        self.rotate()
        return path

    def rotate(self) -> list[Path]:
        """Remove the oldest automatic backups beyond what each kind keeps."""
        seen: Counter[str] = Counter()
        removed = []
        for backup in self.list():
            kind = _kind(backup.reason)
            seen[kind] += 1
            keep = KEEP_DAILY if kind == "daily" else KEEP_PER_KIND
            if kind != "manual" and seen[kind] > keep:
                backup.path.unlink(missing_ok=True)
                removed.append(backup.path)
        return removed

    def check(self) -> list[str]:
        """Problems found, as sentences; an empty list means all is well."""
        path = self._location.sqlite_path  # a server checks its own pages
        problems = [
            f"Database: {p}"
            for p in (integrity_problems(path, self._database.keys) if path else [])
        ]
        with self._database.sessions() as session:
            for sha, data in session.execute(select(Blob.sha256, Blob.data)):
                if hashlib.sha256(data).hexdigest() != sha:
                    problems.append(f"Attachment {sha} does not match its SHA-256.")
            connection = session.connection()
            if search_index.uses_fts(connection):
                live = set(session.scalars(select(Evidence.id)))
                if search_index.indexed_ids(connection) != live:
                    problems.append(INDEX_OUT_OF_STEP)
        return problems

    def restore(self, source: Path) -> Path:
        """Replace the portfolio with ``source``, after backing up the current state.

        Returns the backup of the state before the restore.
        """
        target = self._location.sqlite_path
        if target is None:
            return self._restore_server(source)
        keys = self._database.keys
        checked_backup(source, keys)
        safety = backup_into(target, self._location.backups_dir, "before-restore", keys)
        self._database.engine.dispose()
        copy_into_live(source, target, keys)
        upgrade(self._database.engine, target, self._location.backups_dir, keys)
        return safety

    def _restore_server(self, source: Path) -> Path:
        """Every row of the restorer's portfolio (no other trainee's in a shared database)
        replaced by the backup's, in one transaction (an older backup is upgraded first, as a
        copy)."""
        revision = checked_backup(source)
        safety = self.backup(reason="before-restore")
        try:
            with (
                _at_head(source, revision, self._location.backups_dir) as current,
                self._database.sessions.begin() as session,
            ):
                replace_rows(session.connection(), current)
                EvidenceService(self._database.sessions).rebuild_index_in(session)
        except DBAPIError as error:  # rows the server refuses (one beyond a column's limit)
            reason = str(error.orig).splitlines()[0]
            raise InvalidInput(
                f"{source} could not be restored ({reason}); the portfolio was not changed."
            ) from None
        return safety

    # -- a portfolio that cannot be opened ------------------------------------------------------

    def database_problems(self, passphrase: str | None = None) -> list[str]:
        """What is wrong with the database file itself (empty: sound); NotFound when none."""
        return _database_problems(self._location, passphrase)

    def newest_sound(self, passphrase: str | None = None) -> BackupInfo | None:
        """The newest backup that is sound and this app can restore."""
        return _newest_sound_backup(self._location, passphrase)

    def restore_damaged(self, source: Path, passphrase: str | None = None) -> Path | None:
        """Put the sound backup ``source`` in place of a damaged (or missing) database."""
        return _restore_damaged(self._location, source, passphrase)

    # Last in the class: a method named "list" shadows the builtin in later annotations.
    def list(self) -> list[BackupInfo]:
        return list_backups(self._location.backups_dir)


# -- a portfolio that cannot be opened ---------------------------------------------------------


@contextmanager
def _leaving_no_logs(path: Path) -> Iterator[None]:
    """Reading a backup kept in WAL mode makes an empty -wal and a -shm: remove what we made."""
    logs = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    before = {log for log in logs if log.exists()}
    try:
        yield
    finally:
        wal = logs[0]
        if wal not in before and (not wal.exists() or wal.stat().st_size == 0):
            for log in logs:
                if log not in before:
                    log.unlink(missing_ok=True)


@contextmanager
def _at_head(source: Path, revision: str, folder: Path) -> Iterator[Path]:
    """``source``, or an upgraded copy of it when it is older (made in a temporary folder
    inside ``folder``, removed after with the backup its upgrade takes)."""
    if revision == head_revision():
        yield source
        return
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".upgrading-") as scratch:
        copy = online_backup(source, Path(scratch) / source.name)
        engine = make_engine(f"sqlite:///{copy}")
        try:
            upgrade(engine, copy, Path(scratch))
        finally:
            engine.dispose()
        yield copy


def checked_backup(source: Path, keys: Sequence[bytes] = ()) -> str:
    """The schema revision of ``source`` when it is a sound backup this app can restore
    (opened with one of ``keys`` when it is encrypted)."""
    if not source.is_file():
        raise InvalidInput(f"There is no backup file at {source}.")
    with _leaving_no_logs(source):
        return _checked_revision(source, keys)


def _checked_revision(source: Path, keys: Sequence[bytes]) -> str:
    problems = integrity_problems(source, keys)
    if problems:
        raise InvalidInput(f"{source} is not a sound portfolio backup: {problems[0]}.")
    try:
        revision = sqlite_revision(source, keys)
    except StorageError as error:
        raise InvalidInput(f"{source} is not a GPC Portfolio backup ({error}).") from None
    if revision is None:
        raise InvalidInput(f"{source} is not a GPC Portfolio backup.")
    refuse_newer(revision, str(source))
    return revision


def _backup_key(location: Location, passphrase: str | None) -> bytes | None:
    """For checking backups: the key of an encrypted portfolio, even a damaged one."""
    path = location.sqlite_path
    return None if path is None else encryption.settings_key(path, passphrase)


def _newest_sound_backup(location: Location, passphrase: str | None = None) -> BackupInfo | None:
    keys = held(_backup_key(location, passphrase))
    for backup in list_backups(location.backups_dir):
        if backup.reason == "damaged":
            continue
        try:
            checked_backup(backup.path, keys)
        except PortfolioError:
            continue
        return backup
    return None


def _database_problems(location: Location, passphrase: str | None = None) -> list[str]:
    """What is wrong with the database file itself (empty: sound); NotFound when there is none.

    Reads only: a missing database is not created, a damaged one is not touched.
    """
    path = location.sqlite_path
    if path is None:
        return []  # a server database: its own tools check it
    if not path.is_file():
        raise NotFound(
            f"There is no portfolio database at {path}; nothing was created.",
            remedy=Remedy.CREATE_OR_RESTORE,
        )
    try:
        key = encryption.unlock(location, passphrase)
    except (NotWritable, DatabaseBusy):
        raise  # the world, not the file: nothing a backup would mend
    except StorageError as error:
        return [str(error)]
    try:
        problems = integrity_problems(path, held(key))
        if not problems:
            sqlite_revision(path, held(key))
    except DatabaseDamaged as error:
        problems = [str(error)]
    return problems


def _restore_damaged(
    location: Location, source: Path, passphrase: str | None = None
) -> Path | None:
    """Put the sound backup ``source`` in place of a damaged (or missing) database; returns
    where the damaged file was kept (in backups/, as ``…-damaged.sqlite3``, never offered as
    sound), None when there was none.

    Order matters for a crash: the backup is copied in beside the database first, the damaged
    file is kept, its write-ahead log removed, and only then is the copy renamed into place.
    A plain backup restored into an encrypted portfolio is encrypted on the way.
    """
    path = location.sqlite_path
    if path is None:
        raise StorageError(
            "Restoring covers SQLite portfolios; restore a server database with its own tools."
        )
    key = _backup_key(location, passphrase)
    with lock_for(location):
        checked_backup(source, held(key))
        incoming = path.with_name(path.name + ".restoring")
        incoming.unlink(missing_ok=True)
        if key is not None and encryption.key_for_file(source, held(key)) is None:
            encryption.export_copy(source, None, incoming, key)
        else:
            shutil.copyfile(source, incoming)
        encryption.fsync_file(incoming)
        kept = None
        if path.exists():
            kept = location.backups_dir / backup_name("damaged")
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, kept)
        for suffix in ("-wal", "-shm"):
            log = Path(str(path) + suffix)
            if kept is not None and suffix == "-wal" and log.exists():
                shutil.copyfile(log, str(kept) + suffix)
            log.unlink(missing_ok=True)
        os.replace(incoming, path)
        encryption.fsync_folder(path.parent)
    return kept
