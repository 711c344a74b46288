"""Where a portfolio lives: the data folder and the database URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_ENV = "GPC_PORTFOLIO_DATA"
DATABASE_FILE = "portfolio.sqlite3"


@dataclass(frozen=True)
class Location:
    """A portfolio's data folder (backups, keys, lock) and the database it uses."""

    data_dir: Path
    database_url: str

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite on disk, else None."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            return Path(self.database_url[len(prefix) :].split("?", 1)[0])
        return None

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"


def resolve_location(
    data_dir: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> Location:
    """--data-dir, then $GPC_PORTFOLIO_DATA, then the platform's user data folder (platformdirs
    is imported only then: a command given a folder does without it)."""
    folder = Path(data_dir or os.environ.get(DATA_ENV) or _user_data_dir())
    folder = folder.expanduser().resolve()
    url = database_url or f"sqlite:///{folder / DATABASE_FILE}"
    return Location(data_dir=folder, database_url=url)


def _user_data_dir() -> str:
    import platformdirs

    return platformdirs.user_data_dir("gpc-portfolio")
