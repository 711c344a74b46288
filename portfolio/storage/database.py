"""Opening a portfolio database: refuse what we must not touch, lock, back up, migrate.

Also turning encryption at rest on and off (``encrypt_portfolio`` / ``decrypt_portfolio``),
which needs the same writer lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from portfolio.errors import InvalidInput, StorageError
from portfolio.paths import Location
from portfolio.security.database_key import (
    DatabaseKey,
    KeySettings,
    pending_path,
    read_settings,
    remove_settings,
    settings_path,
    write_settings,
)
from portfolio.storage import encryption
from portfolio.storage.encryption import held
from portfolio.storage.engine import make_engine
from portfolio.storage.lock import PortfolioLock
from portfolio.storage.migrate import (
    check_readable,
    checked_revision,
    head_revision,
    refuse_newer,
    sqlite_revision,
    upgrade,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class Database:
    location: Location
    engine: Engine
    lock: PortfolioLock | None
    upgrade_backup: Path | None = None
    """The backup taken before this open upgraded the schema, if it did."""
    key: bytes | None = field(default=None, repr=False)
    """The SQLCipher key when the database is encrypted (never shown, never written)."""

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """ORM sessions, made on first use: a read command's Core queries go through
        ``engine`` and never import the ORM."""
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def keys(self) -> tuple[bytes, ...]:
        """The keys unlocked for this portfolio, for the functions that take only a path
        (backups, checks): its backups carry its key."""
        return held(self.key)

    def close(self) -> None:
        self.engine.dispose()
        self.key = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def lock_for(location: Location) -> PortfolioLock:
    """The writer lock of the portfolio at ``location`` (its folder is made when missing)."""
    sqlite_path = location.sqlite_path
    location.data_dir.mkdir(parents=True, exist_ok=True)
    return PortfolioLock(
        sqlite_path.with_suffix(".lock")
        if sqlite_path is not None
        else location.data_dir / "portfolio.lock"
    )


def open_database(
    location: Location,
    *,
    write: bool = True,
    passphrase: str | None = None,
    key: bytes | None = None,
) -> Database:
    """Open for writing (the one writer: locked, migrated) or for reading alongside a writer.

    An encrypted portfolio needs its key: found in the system keyring, derived from
    ``passphrase``, or given as ``key``. Without it (PassphraseRequired), with a wrong
    passphrase (InvalidInput) or a missing key (StorageError) nothing is changed.
    """
    sqlite_path = location.sqlite_path
    if sqlite_path is not None:
        if key is None:
            key = encryption.unlock(location, passphrase)
        elif sqlite_path.exists() and not encryption.check_key(sqlite_path, key):
            raise InvalidInput(f"The key given does not open {sqlite_path}; nothing was changed.")
        revision = checked_revision(sqlite_path, held(key), write=write)  # changes nothing
        if not write and revision != head_revision():
            write = True  # a reader of an older portfolio upgrades it first, as the one writer
    lock = None
    if write and sqlite_path is not None:
        # A server database has many writers, kept apart by transactions and row locks
        # (portfolio/storage/concurrency.py); the lock file is for SQLite's one writer.
        lock = lock_for(location)
        lock.acquire()
    try:
        if write and sqlite_path is not None:
            encryption.tidy_settings(sqlite_path, key)  # after an interrupted conversion
        engine = make_engine(location.database_url, key)
        try:
            if not write and sqlite_path is None:
                check_readable(engine)  # a SQLite file's was checked above, without an engine
            backup = (
                upgrade(engine, sqlite_path, location.backups_dir, held(key)) if write else None
            )
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Database(location, engine, lock, backup, key)


# ---------------------------------------------------------------------- encryption at rest


@dataclass(frozen=True)
class Conversion:
    """What ``encrypt_portfolio`` / ``decrypt_portfolio`` did."""

    encrypted: bool
    """The form the portfolio is in now."""
    backup: Path | None
    """The backup of the portfolio taken first (converted to the new form with the rest)."""
    backups_converted: int
    backups_skipped: tuple[Path, ...]
    """Backups left as they were: encrypted with a key this portfolio does not have."""
    key_location: str | None


def _sqlite_path(location: Location) -> Path:
    path = location.sqlite_path
    if path is None:
        raise InvalidInput(
            "Encryption at rest covers SQLite portfolios; protect a server database with the "
            "server's own encryption."
        )
    return path


def _replace_database(path: Path, new_file: Path, old_key: bytes | None) -> None:
    """Put ``new_file`` in place of the database at ``path`` (whose log is then empty)."""
    encryption.checkpoint(path, old_key)
    for suffix in ("-wal", "-shm"):
        log = Path(str(path) + suffix)
        if log.exists() and suffix == "-wal" and log.stat().st_size:
            raise StorageError(f"{path} still has unsaved changes in {log}; nothing was changed.")
        log.unlink(missing_ok=True)
    os.replace(new_file, path)
    encryption.fsync_folder(path.parent)


def _convert_file(path: Path, old_key: bytes | None, new_key: bytes | None) -> None:
    encryption.checkpoint(path, old_key)
    converted = path.with_name(path.name + ".converting")
    converted.unlink(missing_ok=True)
    encryption.export_copy(path, old_key, converted, new_key)
    try:
        _replace_database(path, converted, old_key)
    finally:
        converted.unlink(missing_ok=True)


def _unfinished(path: Path) -> bool:
    """A file that a write interrupted before it was renamed into place."""
    return path.name.endswith((".partial", ".converting", ".restoring")) or (
        ".restoring-" in path.name
    )


def _is_plain_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(encryption.SQLITE_HEADER)) == encryption.SQLITE_HEADER
    except OSError:
        return False


def _copies(location: Location, database: Path) -> list[Path]:
    """Every copy of the portfolio in its data folder: the backups (whatever their names) and
    any other plain SQLite file; the leftovers of interrupted writes are removed (the caller
    holds the writer lock, so no write is under way)."""
    from portfolio.storage.backup import list_backups

    found = {info.path for info in list_backups(location.backups_dir)}
    if location.backups_dir.is_dir():
        found.update(location.backups_dir.glob("*.sqlite3"))
    for path in location.data_dir.rglob("*"):
        if not path.is_file() or path == database:
            continue
        if _unfinished(path):
            path.unlink(missing_ok=True)
        elif not path.name.endswith(("-wal", "-shm")) and _is_plain_sqlite(path):
            found.add(path)
    return sorted(p for p in found if p.is_file())


def _convert_backups(
    location: Location, old_key: bytes | None, new_key: bytes | None
) -> tuple[int, tuple[Path, ...]]:
    """Bring every copy in the data folder into the new form, one file at a time (atomically)."""
    path = _sqlite_path(location)
    converted, skipped = 0, []
    for copy in _copies(location, path):
        source_key: bytes | None = None
        if encryption.file_form(copy) == "encrypted":
            if new_key is not None and encryption.check_key(copy, new_key):
                continue  # already in the new form
            if old_key is None or not encryption.check_key(copy, old_key):
                skipped.append(copy)  # another key, or not a database: leave it as it is
                continue
            source_key = old_key
        elif new_key is None:
            continue  # plain already
        fresh = copy.with_name(copy.name + ".converting")
        fresh.unlink(missing_ok=True)
        encryption.checkpoint(copy, source_key)  # a log beside a copy holds its newest pages
        encryption.export_copy(copy, source_key, fresh, new_key)
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, copy)
        encryption.fsync_folder(copy.parent)
        converted += 1
    return converted, tuple(skipped)


def _refuse_newer_database(path: Path, key: bytes | None) -> None:
    """Before a conversion touches anything: a database of a newer app stays as it is."""
    refuse_newer(sqlite_revision(path, held(key)), str(path))


def encrypt_portfolio(location: Location, passphrase: str | None = None) -> Conversion:
    """Encrypt the portfolio in place, with its backups.

    Without ``passphrase`` a random key goes into the system keyring (InvalidInput when no
    keyring works: then ask for a passphrase); with one, the key is derived from it (scrypt).
    The portfolio must not be open. Steps: lock; backup; write the key settings as pending;
    export into a new encrypted file and verify every table; replace the database file;
    promote the settings; convert the backups. A crash leaves the old or the new portfolio.
    Running it again on an encrypted portfolio finishes converting any plain backups.
    """
    from portfolio.storage.backup import backup_into

    path = _sqlite_path(location)
    with lock_for(location):
        form = encryption.file_form(path)
        if form == "encrypted":
            key = encryption.unlock(location, passphrase)
            _refuse_newer_database(path, key)
            encryption.tidy_settings(path, key)
            done, skipped = _convert_backups(location, None, key)
            return Conversion(True, None, done, skipped, encryption.status(location).key_location)
        provider = DatabaseKey(path)
        previous = read_settings(settings_path(path))
        remove_settings(pending_path(path))
        if form == "missing":  # no portfolio yet: it will be created encrypted
            settings, key = provider.create(passphrase, previous)
            write_settings(settings_path(path), settings)
            return Conversion(True, None, 0, (), settings.where())
        _refuse_newer_database(path, None)
        encryption.checkpoint(path, None)
        backup = None
        if sqlite_revision(path) is not None:
            backup = backup_into(path, location.backups_dir, "before-encrypt")
        settings, key = provider.create(passphrase, previous)
        write_settings(pending_path(path), settings)
        try:
            _convert_file(path, None, key)
        except BaseException:
            if encryption.file_form(path) == "plain":
                remove_settings(pending_path(path))
            raise
        write_settings(settings_path(path), settings)
        remove_settings(pending_path(path))
        done, skipped = _convert_backups(location, None, key)
        return Conversion(True, backup, done, skipped, settings.where())


def decrypt_portfolio(location: Location, passphrase: str | None = None) -> Conversion:
    """Turn encryption off: the portfolio and its backups become plain SQLite again.

    The key settings are kept (marked disabled), and a keyring key stays in the keyring, so
    encrypting again uses the same key and backups kept elsewhere still open.
    """
    from portfolio.storage.backup import backup_into

    path = _sqlite_path(location)
    with lock_for(location):
        key = encryption.unlock(location, passphrase)
        if encryption.file_form(path) != "missing":
            _refuse_newer_database(path, key)
        encryption.tidy_settings(path, key)
        current = read_settings(settings_path(path))
        if key is None:  # plain already (perhaps an interrupted decryption): finish backups
            kept = _kept_key(path, current, passphrase) if _encrypted_copies(location) else None
            done, skipped = _convert_backups(location, kept, None)
            return Conversion(False, None, done, skipped, None)
        if encryption.file_form(path) == "missing":
            if current is not None:
                write_settings(settings_path(path), current.disabled())
            return Conversion(False, None, 0, (), None)
        encryption.checkpoint(path, key)
        backup = backup_into(path, location.backups_dir, "before-decrypt", held(key))
        _convert_file(path, key, None)
        if current is not None:
            write_settings(settings_path(path), current.disabled())
        done, skipped = _convert_backups(location, key, None)
        return Conversion(False, backup, done, skipped, None)


def _encrypted_copies(location: Location) -> bool:
    from portfolio.storage.backup import list_backups

    backups = list_backups(location.backups_dir)
    return any(encryption.file_form(info.path) == "encrypted" for info in backups)


def _kept_key(path: Path, settings: KeySettings | None, passphrase: str | None) -> bytes | None:
    """The key of the (disabled) settings a decryption keeps, for the backups it had not yet
    converted when it was interrupted."""
    if settings is None:
        return None
    return DatabaseKey(path).get(settings, passphrase)


def decrypt_needs_passphrase(location: Location) -> bool:
    """True when ``decrypt_portfolio`` needs the passphrase: the portfolio is encrypted with
    one, or an interrupted decryption left backups encrypted with one."""
    path = location.sqlite_path
    if path is None:
        return False
    if encryption.needs_passphrase(location):
        return True
    settings = read_settings(settings_path(path))
    return (
        encryption.file_form(path) == "plain"
        and settings is not None
        and settings.source == "passphrase"
        and _encrypted_copies(location)
    )
