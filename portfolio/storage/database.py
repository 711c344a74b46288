"""Opening a portfolio database: refuse what we must not touch, lock, back up, migrate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from portfolio.errors import NotFound
from portfolio.paths import Location
from portfolio.storage.engine import make_engine
from portfolio.storage.lock import PortfolioLock
from portfolio.storage.migrate import head_revision, refuse_newer, sqlite_revision, upgrade


@dataclass
class Database:
    location: Location
    engine: Engine
    sessions: sessionmaker[Session]
    lock: PortfolioLock | None
    upgrade_backup: Path | None = None
    """The backup taken before this open upgraded the schema, if it did."""

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_database(location: Location, *, write: bool = True) -> Database:
    """Open for writing (the one writer: locked, migrated) or for reading alongside a writer."""
    sqlite_path = location.sqlite_path
    if sqlite_path is not None:
        revision = sqlite_revision(sqlite_path)  # read-only: a newer file stays untouched
        refuse_newer(revision, str(sqlite_path))
        if not write and revision is None:
            raise NotFound(
                f"There is no portfolio at {sqlite_path} yet. Create one with "
                "'gpc-portfolio init' or open the app."
            )
        if not write and revision != head_revision():
            write = True  # a reader of an older portfolio upgrades it first, as the one writer
    lock = None
    if write:
        location.data_dir.mkdir(parents=True, exist_ok=True)
        lock_path = (sqlite_path.with_suffix(".lock") if sqlite_path is not None
                     else location.data_dir / "portfolio.lock")
        lock = PortfolioLock(lock_path)
        lock.acquire()
    try:
        engine = make_engine(location.database_url)
        backup = upgrade(engine, sqlite_path, location.backups_dir) if write else None
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Database(location, engine, sessions, lock, backup)
