"""Online backups with SQLite's backup API (safe while the database is open in WAL mode)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from portfolio.errors import NotFound, StorageError

BACKUP_SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime
    reason: str


def online_backup(source: Path, target: Path) -> Path:
    """Copy a live SQLite database into ``target`` page by page, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Could not back up {source}: {error}.") from error
    finally:
        src.close()
    partial.replace(target)
    return target


def copy_into_live(source: Path, target: Path) -> None:
    """Overwrite the database at ``target`` with ``source`` in one write transaction of its own.

    Unlike replacing the file, this respects the target's write-ahead log: a crash midway leaves
    the target as it was.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise StorageError(f"Could not restore {source}: {error}.") from error
    finally:
        src.close()


def backup_into(source: Path, folder: Path, reason: str) -> Path:
    """A timestamped backup in ``folder``: ``portfolio-20261126-091500-<reason>.sqlite3``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    return online_backup(source, folder / f"portfolio-{stamp}-{reason}{BACKUP_SUFFIX}")


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


def integrity_problems(path: Path) -> list[str]:
    """SQLite's own integrity and foreign-key checks; an empty list means the file is sound."""
    if not path.is_file():
        raise NotFound(f"No database file at {path}.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else rows
            problems += [
                f"broken reference in {r[0]}" for r in con.execute("PRAGMA foreign_key_check")
            ]
        finally:
            con.close()
    except sqlite3.DatabaseError as error:
        return [f"not a readable SQLite database ({error})"]
    return problems
