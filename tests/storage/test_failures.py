"""The one map from errors of the world to the project's kinds (the window and the CLI use it)."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from portfolio.errors import (
    BadPath,
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    NotFound,
    NotWritable,
    Remedy,
    StorageError,
)
from portfolio.storage.failures import known_error


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (errno.ENOSPC, DiskFull, "free some space"),
        (errno.EDQUOT, DiskFull, "disk is full"),
        (errno.EROFS, NotWritable, "read-only"),
        (errno.EACCES, NotWritable, "permission"),
        (errno.EISDIR, BadPath, "is a folder"),
        (errno.ENOTDIR, BadPath, "under a file"),
        (errno.ENOENT, NotFound, "does not exist"),
        (errno.EIO, StorageError, "could not be used"),
    ],
)
def test_os_errors_become_kinds_that_name_the_file(
    code: int, kind: type[Exception], words: str
) -> None:
    known = known_error(OSError(code, os.strerror(code), "/data/report.pdf"))
    assert type(known) is kind
    assert "/data/report.pdf" in str(known) and words in str(known)
    assert "Nothing was changed" in str(known)


def test_a_damaged_file_through_sqlalchemy_is_damage(tmp_path: Path) -> None:
    garbage = tmp_path / "portfolio.sqlite3"
    garbage.write_bytes(b"this was a portfolio once" * 400)
    engine = create_engine(f"sqlite:///{garbage}")
    with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
        connection.execute(text("SELECT * FROM sqlite_master")).all()
    engine.dispose()
    known = known_error(caught.value, garbage)
    assert isinstance(known, DatabaseDamaged) and known.remedy is Remedy.FIND_BACKUP
    assert "backup" in str(known) and "gpc-portfolio" not in str(known)  # the CLI adds its hint


def test_a_locked_database_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("SELECT * FROM t").fetchall()
    finally:
        other.close()
        holder.close()
    assert isinstance(known_error(caught.value, path), DatabaseBusy)


def test_bugs_stay_bugs() -> None:
    assert known_error(KeyError("x")) is None
    assert known_error(AssertionError()) is None
