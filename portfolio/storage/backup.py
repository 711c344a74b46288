"""Online backups with SQLite's backup API (safe while the database is open in WAL mode).

Backups keep the form of the database: an encrypted portfolio gives encrypted backups.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String

from portfolio.errors import DatabaseDamaged, NotFound, StorageError
from portfolio.storage import encryption
from portfolio.storage.failures import known_error
from portfolio.storage.files import writable_target

BACKUP_SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime
    reason: str


def online_backup(source: Path, target: Path, keys: Sequence[bytes] = ()) -> Path:
    """Copy a live SQLite database into ``target`` page by page, then rename it into place.

    An encrypted database (opened by one of ``keys``) gives an encrypted backup, with its key.
    """
    writable_target(target)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    key = encryption.key_for_file(source, keys)
    try:
        src = encryption.connect(source, key, readonly=True)
        try:
            dst = encryption.connect(partial, key)
            try:
                src.backup(dst)
                # One self-contained file: reading it later leaves no -wal or -shm beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(target)
    except encryption.db_errors() as error:
        discard_partial(partial)
        raise known_error(error, target) or StorageError(f"Could not back up {source}.") from error
    except BaseException:
        discard_partial(partial)
        raise
    return target


def discard_partial(partial: Path) -> None:
    """An unfinished backup, with any journal SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def copy_into_live(source: Path, target: Path, keys: Sequence[bytes] = ()) -> None:
    """Overwrite the database at ``target`` with ``source`` in one write transaction of its own.

    Unlike replacing the file, this respects the target's write-ahead log: a crash midway leaves
    the target as it was. The target keeps its form: a plain backup restored into an encrypted
    portfolio is encrypted with the portfolio's key on the way (and the other way round).
    """
    source_key = encryption.key_for_file(source, keys)
    target_key = encryption.key_for_file(target, keys)
    converted: Path | None = None
    if (source_key is None) != (target_key is None):
        # SQLite's backup API cannot copy between a plain and an encrypted file.
        converted = target.with_name(f"{target.name}.restoring-{os.getpid()}")
        converted.unlink(missing_ok=True)
        encryption.export_copy(source, source_key, converted, target_key)
        source, source_key = converted, target_key
    try:
        src = encryption.connect(source, source_key, readonly=True)
        try:
            dst = encryption.connect(target, target_key)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except encryption.db_errors() as error:
        raise StorageError(f"Could not restore {source}: {error}.") from error
    finally:
        if converted is not None:
            converted.unlink(missing_ok=True)


def backup_name(reason: str) -> str:
    """``portfolio-20261126-091500-123456-<reason>.sqlite3``, the time now in UTC."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    return f"portfolio-{stamp}-{reason}{BACKUP_SUFFIX}"


def backup_into(source: Path, folder: Path, reason: str, keys: Sequence[bytes] = ()) -> Path:
    """A timestamped backup in ``folder`` (``backup_name``)."""
    return online_backup(source, folder / backup_name(reason), keys)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Newest first; the time and reason come from the name (portfolio-DATE-TIME-µs-REASON)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"portfolio-*{BACKUP_SUFFIX}"):
        parts = path.name.removesuffix(BACKUP_SUFFIX).split("-", 4)
        try:
            created = datetime.strptime("-".join(parts[1:4]), "%Y%m%d-%H%M%S-%f")
        except (ValueError, IndexError):
            continue  # not one of ours
        reason = parts[4] if len(parts) == 5 else ""
        found.append(BackupInfo(path, path.stat().st_size, created.replace(tzinfo=UTC), reason))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def _overlong(con: Any) -> list[str]:
    """Values longer than their column's length: SQLite keeps them, PostgreSQL refuses them,
    and the app never writes them (portfolio/limits.py), so a file holding one was edited."""
    from portfolio.models import Base  # every table: the ORM declares some of them

    found = []
    for table in Base.metadata.sorted_tables:
        present = {row[1] for row in con.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, String) or not length or column.name not in present:
                continue
            query = f'SELECT 1 FROM "{table.name}" WHERE length("{column.name}") > ? LIMIT 1'
            if con.execute(query, (length,)).fetchone():
                found.append(f"{table.name}.{column.name} holds a value over {length} characters")
    return found


def integrity_problems(path: Path, keys: Sequence[bytes] = ()) -> list[str]:
    """SQLite's own integrity and foreign-key checks, and the columns' lengths; an empty list
    means the file is sound."""
    if not path.is_file():
        raise NotFound(f"No database file at {path}.")
    try:
        key = encryption.key_for_file(path, keys)
    except StorageError as error:
        return [str(error)]
    try:
        con = encryption.connect(path, key, readonly=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else rows
            problems += [
                f"broken reference in {r[0]}" for r in con.execute("PRAGMA foreign_key_check")
            ]
            problems += _overlong(con)
        finally:
            con.close()
    except encryption.db_errors() as error:
        known = known_error(error, path)
        if not isinstance(known, DatabaseDamaged):
            raise known or StorageError(f"Could not check {path}.") from error
        return [f"not a readable SQLite database ({error})"]
    return problems
