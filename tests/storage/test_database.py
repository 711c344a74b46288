from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from portfolio.app import open_portfolio
from portfolio.errors import NotFound, Remedy, StorageError
from portfolio.paths import Location
from portfolio.services.dto import EvidenceDraft
from portfolio.storage import migrate
from portfolio.storage.engine import PAGE_CACHE_KIB
from tests.raw_database import raw_database
from tests.services.archive_helpers import database_fingerprint

MIGRATIONS = Path(migrate.__file__).parent / "migrations"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_larger_page_cache(
    location: Location,
) -> None:
    with open_portfolio(location) as portfolio, portfolio.database.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA cache_size").scalar() == -PAGE_CACHE_KIB


def test_migrations_are_linear_and_named_after_their_revision() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head_revision()]
    oldest_first = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert oldest_first == migrate.known_revisions()
    for rev in script.walk_revisions():
        assert Path(rev.path).name.startswith(rev.revision + "_")


def test_a_newer_database_is_refused_untouched(location: Location) -> None:
    open_portfolio(location).close()
    with raw_database(location) as con:
        con.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        if location.sqlite_path is not None:
            con.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    path = location.sqlite_path
    before = file_digest(path) if path is not None else database_fingerprint(location)
    with pytest.raises(StorageError, match="newer version of GPC Portfolio"):
        open_portfolio(location)
    with pytest.raises(StorageError, match="newer version"):
        open_portfolio(location, write=False)
    assert (file_digest(path) if path is not None else database_fingerprint(location)) == before


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_portfolio_is_refused(location: Location) -> None:
    location.data_dir.mkdir(parents=True)
    assert location.sqlite_path is not None
    location.sqlite_path.write_bytes(b"this is not a database at all" * 100)
    before = file_digest(location.sqlite_path)
    with pytest.raises(StorageError, match="cannot be read"):
        open_portfolio(location)
    assert file_digest(location.sqlite_path) == before


def test_reading_a_missing_portfolio_says_how_to_create_one(empty_location: Location) -> None:
    with pytest.raises(NotFound, match="no portfolio") as caught:
        open_portfolio(empty_location, write=False)
    assert caught.value.remedy is Remedy.CREATE_PROFILE
    assert "gpc-portfolio" not in str(caught.value)  # the front end adds its own hint


@pytest.mark.sqlite_only
def test_upgrade_backs_up_first(
    location: Location, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A new migration arrives: the old database is backed up, with its data, before upgrading."""
    with open_portfolio(location) as portfolio:
        item = portfolio.evidence.create(
            EvidenceDraft(kind="course", title="ALS", occurred_on=date(2026, 1, 1))
        )
    old_head = migrate.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_test.py").write_text(
        f'revision = "9000"\ndown_revision = "{old_head}"\n'
        "from alembic import op\nimport sqlalchemy as sa\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('placement') as b:\n"
        "        b.add_column(sa.Column('note', sa.Text(), nullable=True))\n"
        "def downgrade():\n"
        "    with op.batch_alter_table('placement') as b:\n"
        "        b.drop_column('note')\n"
    )

    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", str(scripts))
    with open_portfolio(location) as portfolio:
        backup = portfolio.database.upgrade_backup
        assert portfolio.evidence.get(item.uuid).title == "ALS"
    assert backup is not None and backup.parent == location.backups_dir
    assert "before-upgrade-to-9000" in backup.name
    assert migrate.sqlite_revision(backup) == old_head
    con = sqlite3.connect(backup)
    assert con.execute("SELECT title FROM evidence").fetchall() == [("ALS",)]
    con.close()
    assert location.sqlite_path is not None
    assert migrate.sqlite_revision(location.sqlite_path) == "9000"


@pytest.mark.sqlite_only
def test_a_second_writer_is_refused_with_a_clear_message(location: Location) -> None:
    with open_portfolio(location):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "portfolio",
                "--data-dir",
                str(location.data_dir),
                "init",
                "--name",
                "Second",
                "--gmc",
                "7654321",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert "already open" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        # Reading alongside the writer is fine.
        listing = subprocess.run(
            [sys.executable, "-m", "portfolio", "--data-dir", str(location.data_dir), "list"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listing.returncode == 0, listing.stderr
    with open_portfolio(location) as portfolio:
        assert portfolio.profile.get() is None


@pytest.mark.sqlite_only
def test_a_crashed_writer_leaves_no_stale_lock(location: Location) -> None:
    code = (
        "import os, sys\n"
        "from portfolio.app import open_portfolio\n"
        "from portfolio.paths import resolve_location\n"
        f"open_portfolio(resolve_location({str(location.data_dir)!r}))\n"
        "os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 9
    open_portfolio(location).close()


@pytest.mark.sqlite_only
def test_a_killed_writer_leaves_no_stale_lock(location: Location) -> None:
    """A writer killed outright (SIGKILL: nothing of its own runs) holds the lock until it dies,
    and the operating system releases it then."""
    code = (
        "import sys\n"
        "from portfolio.app import open_portfolio\n"
        "from portfolio.paths import resolve_location\n"
        f"portfolio = open_portfolio(resolve_location({str(location.data_dir)!r}))\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"  # holds the portfolio open until killed
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "open\n"
        with pytest.raises(StorageError, match="already open in another GPC Portfolio window"):
            open_portfolio(location)
    finally:
        writer.kill()
        writer.wait(timeout=60)
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.close()
        writer.stdout.close()
    assert writer.returncode != 0
    open_portfolio(location).close()


@pytest.mark.sqlite_only
def test_a_second_writer_in_the_same_process_is_refused(location: Location) -> None:
    """The lock belongs to the open portfolio, not to the process: opening it again for writing
    in the same process is refused too, and closing the first lets the next one in."""
    first = open_portfolio(location)
    with pytest.raises(StorageError, match="already open"):
        open_portfolio(location)
    first.close()
    open_portfolio(location).close()


def test_another_database_url_is_accepted(tmp_path: Path) -> None:
    from portfolio.paths import resolve_location

    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    location = resolve_location(tmp_path / "data", url)
    with open_portfolio(location) as portfolio:
        assert portfolio.evidence.count() == 0
    assert (tmp_path / "elsewhere.db").exists()
