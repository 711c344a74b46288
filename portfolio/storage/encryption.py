"""Encryption at rest with SQLCipher: keyed connections, unlocking, and copying between forms.

A portfolio database is in one of two forms: plain SQLite (opened with the standard library's
``sqlite3``) or encrypted by SQLCipher 4 with a raw 256-bit key (opened with ``sqlcipher3``).
The form of a file is read from its first bytes (plain SQLite files start with
"SQLite format 3"), so the file itself, not the settings file, is the truth; the settings file
(see ``portfolio.security.database_key``) says where the key of an encrypted file lives.

The functions that take only a path (backups, integrity checks, the schema revision) are given
the keys unlocked so far (``Database.keys``, the key of the open portfolio): a backup carries the
key of the portfolio it was taken from. No key is held by the module itself.

The conversions themselves (``encrypt_portfolio`` / ``decrypt_portfolio``) live in
``portfolio.storage.database``, next to the writer lock they need.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Final, Literal

from portfolio.errors import PortfolioError, Remedy, StorageError
from portfolio.paths import Location
from portfolio.security.database_key import (
    DatabaseKey,
    KeySettings,
    PassphraseRequired,
    key_check,
    pending_path,
    read_settings,
    remove_settings,
    settings_path,
    write_settings,
)

__all__ = [
    "EncryptionStatus",
    "FileForm",
    "PassphraseRequired",
    "check_key",
    "checkpoint",
    "connect",
    "content_digest",
    "db_errors",
    "export_copy",
    "file_form",
    "fsync_file",
    "fsync_folder",
    "held",
    "key_for_file",
    "needs_passphrase",
    "settings_key",
    "sqlcipher_module",
    "status",
    "tidy_settings",
    "unlock",
    "unlock_file",
]

FileForm = Literal["missing", "plain", "encrypted"]
SQLITE_HEADER: Final = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS: Final = 5000
"""How long a connection waits for another's lock before the open fails as busy."""

_sqlcipher: ModuleType | None = None


def sqlcipher_module() -> ModuleType:
    """``sqlcipher3.dbapi2``, imported on first use, with SQLCipher's stderr logging off."""
    global _sqlcipher
    if _sqlcipher is None:
        try:
            from sqlcipher3 import dbapi2
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise StorageError(
                "Encryption at rest needs the 'sqlcipher3' package, which is not installed."
            ) from exc
        quiet = dbapi2.connect(":memory:")
        try:
            # SQLCipher logs every failed key attempt to stderr; we report errors ourselves.
            quiet.execute("PRAGMA cipher_log_level = NONE")
        finally:
            quiet.close()
        _sqlcipher = dbapi2
    return _sqlcipher


def db_errors() -> tuple[type[Exception], ...]:
    """The error classes of both drivers (catch these around any connection from ``connect``)."""
    return (sqlite3.Error, sqlcipher_module().Error)


def file_form(path: Path) -> FileForm:
    """What the file is, from its first 16 bytes (an empty file is a new plain database)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc}") from exc
    if not head:
        return "plain"
    return "plain" if head == SQLITE_HEADER else "encrypted"


def _uri(path: Path, readonly: bool) -> str:
    return f"{path.resolve().as_uri()}?mode=ro" if readonly else str(path)


def _pragma_key(key: bytes) -> str:
    # A raw key (x'…'): SQLCipher uses it as is, without its own PBKDF2 (ours is random/scrypt).
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes | None, *, readonly: bool = False, pooled: bool = False) -> Any:
    """A DB-API connection: ``sqlite3`` for a plain file, ``sqlcipher3`` keyed for an encrypted one.

    The key is set before anything reads the file; a wrong key shows on the first read as
    "file is not a database". ``pooled``: for the engine's pool, which hands a connection to
    whichever thread asks next (the window's GUI thread and its task thread), as SQLAlchemy
    does for plain SQLite files (``check_same_thread=False``).
    """
    if key is None:
        return sqlite3.connect(_uri(path, readonly), uri=readonly, check_same_thread=not pooled)
    module = sqlcipher_module()
    connection = module.connect(_uri(path, readonly), uri=readonly, check_same_thread=not pooled)
    try:
        connection.execute(_pragma_key(key))
    except BaseException:
        connection.close()
        raise
    return connection


def check_key(path: Path, key: bytes) -> bool:
    """True when ``key`` opens the encrypted file at ``path``."""
    try:
        connection = connect(path, key, readonly=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except db_errors():
        return False
    return True


# --------------------------------------------------------------------------- unlocked keys


def held(key: bytes | None) -> tuple[bytes, ...]:
    """``key`` as the keys a path-only function may try (none for a plain database)."""
    return () if key is None else (key,)


def key_for_file(path: Path, keys: Iterable[bytes] = ()) -> bytes | None:
    """None for a plain (or missing) file; for an encrypted one, the one of ``keys`` (those
    unlocked so far) that opens it."""
    if file_form(path) != "encrypted":
        return None
    for key in dict.fromkeys(keys):
        if check_key(path, key):
            return key
    raise StorageError(
        f"{path} is encrypted, and no key unlocked in this session opens it (it may come from "
        "another portfolio, or be damaged). It was not changed."
    )


# ------------------------------------------------------------------------------- unlocking


@dataclass(frozen=True)
class EncryptionStatus:
    encrypted: bool
    needs_passphrase: bool
    key_location: str | None
    """Where the key lives, in words (None when not encrypted)."""
    settings_file: Path | None


def _settings_for_encrypted(path: Path) -> list[tuple[KeySettings, bool]]:
    """Candidate settings for an encrypted file: (settings, is_pending), best first."""
    found: list[tuple[KeySettings, bool]] = []
    current = read_settings(settings_path(path))
    if current is not None and current.enabled:
        found.append((current, False))
    pending = read_settings(pending_path(path))
    if pending is not None and pending.enabled:
        found.append((pending, True))
    if current is not None and not current.enabled:
        found.append((current, False))  # kept from an earlier encryption: may still fit
    return found


def status(location: Location) -> EncryptionStatus:
    """Whether the portfolio is encrypted and where its key lives (reads no secrets)."""
    path = location.sqlite_path
    if path is None:
        return EncryptionStatus(False, False, None, None)
    form = file_form(path)
    settings = read_settings(settings_path(path))
    if form == "encrypted" or (form == "missing" and settings is not None and settings.enabled):
        candidates = _settings_for_encrypted(path)
        if not candidates:
            return EncryptionStatus(True, False, "unknown (no encryption settings file)", None)
        chosen = candidates[0][0]
        return EncryptionStatus(
            True, chosen.source == "passphrase", chosen.where(), settings_path(path)
        )
    return EncryptionStatus(False, False, None, None)


def needs_passphrase(location: Location) -> bool:
    """True when opening this portfolio needs the trainee's passphrase (ask before opening)."""
    return status(location).needs_passphrase


def unlock(location: Location, passphrase: str | None = None) -> bytes | None:
    """The key of the portfolio's database, or None when it is not encrypted (or not SQLite).

    Raises PassphraseRequired when a passphrase is needed and none was given, InvalidInput
    for a wrong passphrase, StorageError when the key cannot be found. Changes nothing.
    """
    path = location.sqlite_path
    if path is None:
        return None
    return unlock_file(path, passphrase)


def unlock_file(path: Path, passphrase: str | None = None) -> bytes | None:
    form = file_form(path)
    current = read_settings(settings_path(path))
    if form == "plain":
        return None
    provider = DatabaseKey(path)
    if form == "missing":
        if current is not None and current.enabled:
            return provider.get(current, passphrase)  # a new database is created encrypted
        return None
    candidates = _settings_for_encrypted(path)
    if not candidates:
        raise StorageError(
            f"{path} cannot be read as a portfolio database: it is not plain SQLite, and no "
            f"encryption settings ({settings_path(path).name}) lie beside it, so it is damaged "
            "or its settings file was lost. It was not changed; put the settings file back, or "
            "restore a backup (see docs/encryption.md).",
            remedy=Remedy.FIND_BACKUP,
        )
    first_error: Exception | None = None
    for settings, _pending in candidates:
        try:
            key = provider.get(settings, passphrase)
        except PortfolioError as exc:  # no passphrase, wrong passphrase, keyring trouble
            first_error = first_error or exc
            continue
        if not check_key(path, key):
            first_error = first_error or StorageError(
                f"The key from {settings.where()} does not open {path}: the file may be "
                "damaged. It was not changed; restore a backup.",
                remedy=Remedy.FIND_BACKUP,
            )
            continue
        return key
    assert first_error is not None
    raise first_error


def settings_key(path: Path, passphrase: str | None = None) -> bytes | None:
    """The key the settings beside ``path`` describe, whether or not it still opens ``path``:
    the backups of a damaged encrypted database carry it. None without usable settings."""
    for settings, _pending in _settings_for_encrypted(path):
        try:
            return DatabaseKey(path).get(settings, passphrase)
        except PortfolioError:
            continue
    return None


def tidy_settings(path: Path, key: bytes | None) -> None:
    """Make the settings file agree with the database file after an interrupted conversion.

    The file's form is the truth: a plain file means an encryption stopped before its new file
    was in place (or a decryption stopped after it); an encrypted file opened by ``key`` whose
    settings are only pending means an encryption stopped just before promoting them. Call it
    holding the writer lock.
    """
    form = file_form(path)
    current = read_settings(settings_path(path))
    if form != "encrypted" or key is None:
        if form == "plain":
            remove_settings(pending_path(path))
            if current is not None and current.enabled:
                write_settings(settings_path(path), current.disabled())
        return
    check = key_check(key)
    if current is not None and current.enabled and current.check == check:
        remove_settings(pending_path(path))
        return
    pending = read_settings(pending_path(path))
    for candidate in (pending, current):
        if candidate is not None and candidate.check == check:
            write_settings(settings_path(path), replace(candidate, enabled=True))
            remove_settings(pending_path(path))
            return


# ------------------------------------------------------------------- copying between forms


def checkpoint(path: Path, key: bytes | None) -> None:
    """Move the write-ahead log into the database file and empty it (TRUNCATE).

    Refused when another connection still reads from the log (another window open).
    """
    if not Path(str(path) + "-wal").exists():
        return
    try:
        connection = connect(path, key)
        try:
            busy, _log, _moved = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    except db_errors() as error:
        raise StorageError(f"Could not checkpoint {path}: {error}. Nothing was changed.") from error
    if busy:
        raise StorageError(
            f"{path} is still in use by another GPC Portfolio window or command; close it and "
            "try again. Nothing was changed."
        )


def content_digest(path: Path, key: bytes | None) -> dict[str, tuple[int, str]]:
    """Per stored table: (row count, SHA-256 over every row), plus the header pragmas."""
    connection = connect(path, key, readonly=True)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND rootpage>0 "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        digest: dict[str, tuple[int, str]] = {}
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            sha = hashlib.sha256()
            count = 0
            for row in connection.execute(f"SELECT * FROM {quoted}"):
                sha.update(repr(row).encode("utf-8"))
                count += 1
            digest[table] = (count, sha.hexdigest())
        for pragma in ("user_version", "application_id"):
            value = connection.execute(f"PRAGMA {pragma}").fetchone()[0]
            digest[f"pragma {pragma}"] = (int(value), "")
        schema = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        digest["schema"] = (len(schema), hashlib.sha256(repr(schema).encode()).hexdigest())
    finally:
        connection.close()
    return digest


def _integrity(path: Path, key: bytes | None) -> list[str]:
    connection = connect(path, key, readonly=True)
    try:
        rows = [r[0] for r in connection.execute("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows
        problems += [
            f"broken reference in {r[0]}" for r in connection.execute("PRAGMA foreign_key_check")
        ]
    finally:
        connection.close()
    return problems


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_copy(
    source: Path, source_key: bytes | None, target: Path, target_key: bytes | None
) -> Path:
    """Write ``source`` (a database not being written to) into the new file ``target`` in the
    other form, with SQLCipher's ``sqlcipher_export``; verify every table, then rename into
    place. ``target`` must not exist; nothing else is changed, also on failure.
    """
    if target.exists():
        raise StorageError(f"{target} already exists; it was not overwritten.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    module = sqlcipher_module()
    failures: tuple[type[Exception], ...] = (StorageError, *db_errors())
    try:
        connection = module.connect(_uri(source, True), uri=True)
        try:
            connection.isolation_level = None
            if source_key is not None:
                connection.execute(_pragma_key(source_key))
            attach_key = "" if target_key is None else f"x'{target_key.hex()}'"
            connection.execute("ATTACH DATABASE ? AS converted KEY ?", (str(partial), attach_key))
            connection.execute("SELECT sqlcipher_export('converted')")
            # sqlcipher_export copies schema and rows, not these two header fields.
            for pragma in ("user_version", "application_id"):
                value = int(connection.execute(f"PRAGMA main.{pragma}").fetchone()[0])
                connection.execute(f"PRAGMA converted.{pragma} = {value}")
            connection.execute("DETACH DATABASE converted")
        finally:
            connection.close()
        problems = _integrity(partial, target_key)
        if problems:
            raise StorageError(f"the copy fails its integrity check ({problems[0]})")
        if content_digest(partial, target_key) != content_digest(source, source_key):
            raise StorageError("the copy does not hold the same rows as the original")
        fsync_file(partial)
    except failures as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Could not convert {source}: {error}. Nothing was changed.") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def fsync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
