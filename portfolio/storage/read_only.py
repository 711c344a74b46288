"""A read command's own connection to a SQLite portfolio at this app's schema: the DB-API
connection of ``encryption.connect``, read-only, without SQLAlchemy (whose import costs more
than the command's query). It is opened after the refusals ``open_database`` makes, in its
order: an encrypted portfolio without its key, a newer schema, no portfolio yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portfolio.paths import Location
from portfolio.storage import encryption
from portfolio.storage.migrate import checked_revision, head_revision


@dataclass
class ReadOnly:
    """What ``open_read_only`` found."""

    key: bytes | None
    """The portfolio's key (None when it is plain): a fallback to ``open_database`` takes it."""
    connection: Any | None
    """Read-only, in one transaction (its queries see one state); None when the schema is older
    and must be upgraded first, as ``open_database`` does."""

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def open_read_only(location: Location, passphrase: str | None) -> ReadOnly:
    """The SQLite portfolio at ``location`` (``location.sqlite_path`` is set), for reading."""
    path = location.sqlite_path
    assert path is not None, "a server database is read through SQLAlchemy"
    key = encryption.unlock(location, passphrase)
    revision = checked_revision(path, encryption.held(key), write=False)
    if revision != head_revision():
        return ReadOnly(key, None)
    connection = encryption.connect(path, key, readonly=True)
    try:
        connection.isolation_level = None  # the transaction is begun here, not by the driver
        connection.execute(f"PRAGMA busy_timeout={encryption.BUSY_TIMEOUT_MS}")
        connection.execute("BEGIN")
    except BaseException:
        connection.close()
        raise
    return ReadOnly(key, connection)
