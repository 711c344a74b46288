"""Backups the trainee can see and restore, and a health check of the whole portfolio."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from portfolio.errors import InvalidInput, StorageError
from portfolio.models import Blob, Evidence
from portfolio.storage import search_index
from portfolio.storage.backup import (
    BackupInfo,
    backup_into,
    copy_into_live,
    integrity_problems,
    list_backups,
    online_backup,
)
from portfolio.storage.database import Database
from portfolio.storage.migrate import refuse_newer, sqlite_revision, upgrade

KEEP_DAILY = 14
KEEP_PER_KIND = 10


def _kind(reason: str) -> str:
    """daily, manual, before-import, before-restore, before-upgrade (any target revision)."""
    return reason.partition("-to-")[0]


class BackupService:
    """Automatic backups: the first open of each day, before every upgrade, import and restore.

    Rotation keeps the newest 14 daily backups and the newest 10 of each other kind; manual
    backups are never removed.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def _sqlite_path(self) -> Path:
        path = self._database.location.sqlite_path
        if path is None:
            raise StorageError(
                "Backups here cover SQLite portfolios; back up a server database with its own tools."
            )
        return path

    def backup(self, out: Path | None = None, reason: str = "manual") -> Path:
        source = self._sqlite_path()
        if out is None:
            return backup_into(source, self._database.location.backups_dir, reason)
        if out.exists():
            raise InvalidInput(f"{out} already exists; choose a new file name.")
        return online_backup(source, out)

    def daily(self, today: date | None = None) -> Path | None:
        """Back up once a day, when a portfolio with content is opened; then rotate."""
        if self._database.location.sqlite_path is None:
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
        problems = [f"Database: {p}" for p in integrity_problems(self._sqlite_path())]
        with self._database.sessions() as session:
            for sha, data in session.execute(select(Blob.sha256, Blob.data)):
                if hashlib.sha256(data).hexdigest() != sha:
                    problems.append(f"Attachment {sha} does not match its SHA-256.")
            connection = session.connection()
            if search_index.uses_fts(connection):
                live = set(session.scalars(select(Evidence.id)))
                if search_index.indexed_ids(connection) != live:
                    problems.append(
                        "The search index is out of step with the evidence "
                        "(run 'gpc-portfolio check --repair')."
                    )
        return problems

    def restore(self, source: Path) -> Path:
        """Replace the portfolio with ``source``, after backing up the current state.

        Returns the backup of the state before the restore.
        """
        target = self._sqlite_path()
        if not source.is_file():
            raise InvalidInput(f"There is no backup file at {source}.")
        problems = integrity_problems(source)
        if problems:
            raise InvalidInput(f"{source} is not a sound portfolio backup: {problems[0]}.")
        revision = sqlite_revision(source)
        if revision is None:
            raise InvalidInput(f"{source} is not a GPC Portfolio backup.")
        refuse_newer(revision, str(source))
        safety = backup_into(target, self._database.location.backups_dir, "before-restore")
        self._database.engine.dispose()
        copy_into_live(source, target)
        upgrade(self._database.engine, target, self._database.location.backups_dir)
        return safety

    # Last in the class: a method named "list" shadows the builtin in later annotations.
    def list(self) -> list[BackupInfo]:
        return list_backups(self._database.location.backups_dir)
