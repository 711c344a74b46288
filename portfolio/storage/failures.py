"""The one place where errors of the world become the project's error kinds.

An ``OSError``, a database driver's error (SQLite, SQLCipher, or either wrapped by
SQLAlchemy) or a PostgreSQL server's (by its SQLSTATE: unreachable, refused, full, read-only,
ended) is a known problem with a message saying what happened and what to do; anything
else is a bug and stays as it is. The command line and the window both ask ``known_error``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from portfolio.errors import (
    BadPath,
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    NotFound,
    NotWritable,
    PortfolioError,
    Remedy,
    StorageError,
)
from portfolio.storage.concurrency import changed_elsewhere

_UNCHANGED = "Nothing was changed"

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = (
    10,
    11,
    13,
    14,
    26,
)
_NEARLY_FULL = 2**20
"""Free bytes below which an I/O error of SQLite is taken for a full disk."""
_MESSAGES = (  # SQLCipher's driver does not carry the codes: its messages are SQLite's own
    ("disk is full", _SQLITE_FULL),
    ("readonly", _SQLITE_READONLY),
    ("database is locked", _SQLITE_BUSY),
    ("table is locked", _SQLITE_LOCKED),
    ("malformed", _SQLITE_CORRUPT),
    ("not a database", _SQLITE_NOTADB),
    ("unable to open", _SQLITE_CANTOPEN),
    ("disk i/o error", _SQLITE_IOERR),
)


def disk_full(where: object) -> DiskFull:
    return DiskFull(
        f"The disk is full: {where} could not be written. {_UNCHANGED}; free some space "
        "(or choose another disk) and try again."
    )


def not_writable(where: object) -> NotWritable:
    return NotWritable(
        f"{where} cannot be written: it is read-only or you lack permission. {_UNCHANGED}; "
        "make it writable, or choose another place."
    )


def under_a_file(where: object) -> BadPath:
    return BadPath(f"{where} lies under a file, not a folder; choose another place. {_UNCHANGED}.")


def damaged(where: object) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"The portfolio database {where} is damaged. {_UNCHANGED}; restore its newest sound "
        "backup.",
        remedy=Remedy.FIND_BACKUP,
    )


def _from_os(error: OSError) -> PortfolioError:
    where = error.filename or "A file"
    code = error.errno
    reason = error.strerror or str(error)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return disk_full(where)
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return not_writable(where)
    if code == errno.EISDIR:
        return BadPath(f"{where} is a folder; give the name of a file. {_UNCHANGED}.")
    if code == errno.ENOTDIR:
        return under_a_file(where)
    if code == errno.ENOENT:
        return NotFound(f"{where} does not exist. {_UNCHANGED}.")
    if code == errno.ENAMETOOLONG:
        return BadPath(f"{where} is too long a name; choose a shorter one. {_UNCHANGED}.")
    return StorageError(f"{where} could not be used ({reason}). {_UNCHANGED}; try again.")


def _sqlite_code(error: Exception) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(error).casefold()
    return next((c for words, c in _MESSAGES if words in text), None)


def _from_database(error: Exception, where: object) -> PortfolioError:
    code = _sqlite_code(error)
    if code == _SQLITE_FULL:
        return disk_full(where)
    if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        folder = Path(str(where)).parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return NotWritable(
                f"The portfolio folder {folder} is read-only (or you lack permission), and "
                f"SQLite writes beside the database even to read it. {_UNCHANGED}; make the "
                "folder writable, or copy it somewhere writable and open that copy.",
                remedy=Remedy.OPEN_ELSEWHERE,
            )
        return not_writable(where)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusy(
            f"The portfolio {where} is busy in another GPC Portfolio window or command. "
            f"{_UNCHANGED}; close the other one and try again."
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return damaged(where)
    if code == _SQLITE_IOERR and _nearly_full(Path(str(where)).parent):
        return disk_full(where)  # growing the shared-memory file of a full disk is an I/O error
    return StorageError(f"The portfolio {where} could not be used ({error}). {_UNCHANGED}.")


def _nearly_full(folder: Path) -> bool:
    try:
        usage = os.statvfs(folder)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < _NEARLY_FULL


def _driver_errors() -> tuple[type[Exception], ...]:
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - a declared dependency
        return (sqlite3.Error,)
    return (sqlite3.Error, dbapi2.Error)


def known_error(error: BaseException, where: object = "") -> PortfolioError | None:
    """The project's error for ``error`` when it is an error of the world, else None (a bug).

    ``where`` names the database for a driver error (a path or URL); an OSError names its file.
    """
    if isinstance(error, PortfolioError):
        return error
    if isinstance(error, OSError):
        return _from_os(error)
    original = error
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(error, StaleDataError):  # a row another writer changed or removed meanwhile
        return changed_elsewhere(where or "the portfolio")
    if isinstance(error, DBAPIError) and isinstance(error.orig, Exception):
        original = error.orig
    if isinstance(original, _driver_errors()):
        return _from_database(original, where or "database")
    return _from_server(original, where or "the database")


_LOST_RACE = frozenset({"40001", "40P01", "23505"})
"""PostgreSQL's serialization failure, deadlock and unique violation: another writer won."""
NOT_PERMITTED = "42501"
_UNREACHABLE, _REFUSED = "08001", "08004"
_REFUSALS = (  # libpq gives a refused connection no SQLSTATE: the server's words are read
    ("pg_hba.conf", "28000"),
    ("permission denied", _REFUSED),  # no CONNECT privilege: its words name the database too
    ("password", "28P01"),
    ("too many", "53300"),
    ('database "', "3D000"),
    ('role "', "28000"),
)
_ADMINISTRATOR = "ask the centre's administrator"
_AGAIN = f"try again, and {_ADMINISTRATOR} if it happens again"
_ENDED = (StorageError, "ended the connection", _AGAIN)
_SERVER_FAILURES: dict[str, tuple[type[StorageError], str, str]] = {
    _UNREACHABLE: (
        StorageError,
        "cannot be reached",
        f"check that it is running and that the URL names its host and port, or {_ADMINISTRATOR}",
    ),
    _REFUSED: (StorageError, "refused the connection", f"check the URL, or {_ADMINISTRATOR}"),
    "28P01": (
        StorageError,
        "refused the password given for the role",
        f"check the user name and password in the URL (or in your ~/.pgpass), or {_ADMINISTRATOR}",
    ),
    "28000": (
        StorageError,
        "does not let this role connect",
        f"check the user name in the URL, or {_ADMINISTRATOR}",
    ),
    "3D000": (
        StorageError,
        "has no database by that name",
        f"check the database's name in the URL, or {_ADMINISTRATOR}",
    ),
    "53300": (
        DatabaseBusy,
        "accepts no more connections just now",
        f"try again in a few minutes, or {_ADMINISTRATOR}",
    ),
    "53100": (
        DiskFull,
        "has no space left on its disk",
        f"{_ADMINISTRATOR} to free some space, then try again",
    ),
    "57014": (
        StorageError,
        "cancelled the operation: it took too long, or an administrator stopped it",
        _AGAIN,
    ),
    "25006": (
        NotWritable,
        "is read-only just now, as a standby or by its settings",
        f"try again when it is writable, or {_ADMINISTRATOR}",
    ),
    "57P01": _ENDED,  # an administrator ended the session, or the server is shutting down
    "57P02": _ENDED,  # the server restarted after another of its processes crashed
}


def _from_server(error: BaseException, where: object) -> PortfolioError | None:
    """A PostgreSQL server's refusal that is not a bug of ours, by its SQLSTATE."""
    state = _sqlstate(error)
    if state in _LOST_RACE:
        return changed_elsewhere(where)
    if state == NOT_PERMITTED:
        return StorageError(
            f"Your database role may not do this in {where} ({error}). {_UNCHANGED}; ask the "
            "centre's administrator (a schema upgrade, for one, is theirs to run)."
        )
    if state is None:
        return None
    failure = _SERVER_FAILURES.get(state) or (_ENDED if state.startswith("08") else None)
    if failure is None:
        return None
    kind, what, todo = failure
    return kind(f"The server of {where} {what} ({_reason(error)}). {_UNCHANGED}; {todo}.")


def lost_while_saving(where: object, error: BaseException) -> StorageError:
    """The connection dropped while a COMMIT was in flight: the server may have committed
    before it went, so the outcome is unknown and the message never says nothing changed."""
    return StorageError(
        f"The connection to the server of {where} was lost while saving ({_reason(error)}); "
        "the change may or may not have been saved. Reconnect and check "
        f"whether the change is there before making it again; {_ADMINISTRATOR} if it happens "
        "again."
    )


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a server's error; for a connection the driver could not make, the one
    its words (or their absence: no server answered) stand for."""
    state = getattr(error, "sqlstate", None)
    if state is not None or type(error).__module__.partition(".")[0] != "psycopg":
        return state if isinstance(state, str) else None
    import psycopg  # already imported: ``error`` is its own

    if not isinstance(error, psycopg.OperationalError):
        return None
    text = str(error).casefold()
    refused = next((code for words, code in _REFUSALS if words in text), None)
    return refused or (_REFUSED if "fatal:" in text else _UNREACHABLE)


def _reason(error: BaseException) -> str:
    """The driver's first line, without the connection's address it prefixes (one line)."""
    line = (str(error).splitlines() or [type(error).__name__])[0]
    if getattr(error, "sqlstate", None) is None:
        line = line.rpartition("failed: ")[2].removeprefix("FATAL:")
    return line.strip()


def database_name(path: Path | None, url: str) -> str:
    """How a message names the database: its file, or its URL without the password."""
    if path is not None:
        return str(path)
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)
