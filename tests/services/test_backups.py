from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from portfolio import limits
from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.paths import Location
from portfolio.services.backups import KEEP_DAILY, KEEP_PER_KIND, BackupService, checked_backup
from portfolio.services.dto import EvidenceDraft, ProfileData
from portfolio.storage import migrate
from tests.services.archive_helpers import database_fingerprint

SEARCH_TABLES = tuple(
    f"evidence_fts{part}" for part in ("", "_data", "_idx", "_content", "_docsize", "_config")
)
"""FTS5's own tables: a rebuilt index holds the same words in other pages."""


def test_the_first_open_of_a_day_backs_up_once(location: Location) -> None:
    with open_portfolio(location) as portfolio:
        assert BackupService(portfolio.database).list() == []  # nothing worth keeping yet
        portfolio.evidence.create(
            EvidenceDraft(kind="course", title="ALS", occurred_on=date(2026, 1, 1))
        )
    for _ in range(2):
        open_portfolio(location).close()
    with open_portfolio(location) as portfolio:
        reasons = [b.reason for b in BackupService(portfolio.database).list()]
    # A server is backed up by its centre (docs/deployment.md), not on every trainee's open.
    assert reasons == (["daily"] if location.sqlite_path is not None else [])


def test_rotation_keeps_the_newest_of_each_kind_and_every_manual(portfolio: Portfolio) -> None:
    backups = BackupService(portfolio.database)
    portfolio.evidence.create(
        EvidenceDraft(kind="course", title="ALS", occurred_on=date(2026, 1, 1))
    )
    for _ in range(KEEP_DAILY + 2):
        backups.backup(reason="daily")
    for _ in range(KEEP_PER_KIND + 1):
        backups.backup(reason="before-import")
    for _ in range(3):
        backups.backup(reason="manual")
    oldest_daily = [b.path for b in backups.list() if b.reason == "daily"][-1]
    removed = backups.rotate()
    assert len(removed) == 3
    kinds = [b.reason for b in backups.list()]
    assert kinds.count("daily") == KEEP_DAILY
    assert kinds.count("before-import") == KEEP_PER_KIND
    assert kinds.count("manual") == 3
    assert oldest_daily in removed and not oldest_daily.exists()


def test_a_backup_carries_the_imported_curricula(portfolio: Portfolio, tmp_path: Path) -> None:
    from tests.curriculum.curriculum_helpers import COLLEGE_ID, case_file

    portfolio.curricula.import_case(case_file(tmp_path))
    backup = BackupService(portfolio.database).backup(reason="manual")
    portfolio.curricula.remove(COLLEGE_ID)
    BackupService(portfolio.database).restore(backup)
    assert portfolio.curricula.imported_ids() == {COLLEGE_ID}


def filled(portfolio: Portfolio) -> str:
    """An item with a revision, a tag, an attachment and a meeting sign-off; its uuid."""
    from tests.services.test_signoffs import item, meeting_identity

    portfolio.profile.save(ProfileData(name="Zoë Ørsted", gmc_number="7000001"))
    uuid = item(portfolio)
    portfolio.evidence.attach_bytes(uuid, "audit.csv", b"ward,complete\nA,42\n")
    portfolio.evidence.submit([uuid])
    portfolio.signoffs.sign_in_meeting(meeting_identity(portfolio), uuid, "signed_off", "Good.")
    return uuid


def test_a_backup_restores_every_row_in_one_go(portfolio: Portfolio) -> None:
    uuid = filled(portfolio)
    backups = BackupService(portfolio.database)
    before = database_fingerprint(portfolio.location, skip=SEARCH_TABLES)
    backup = backups.backup()
    assert [b.path for b in backups.list()] == [backup]
    assert checked_backup(backup) == migrate.head_revision()  # a sound portfolio file
    portfolio.evidence.update(uuid, replace(portfolio.evidence.get(uuid).as_draft(), title="New"))
    portfolio.evidence.create(EvidenceDraft(kind="course", title="ALS", occurred_on=date.today()))
    safety = backups.restore(backup)
    assert database_fingerprint(portfolio.location, skip=SEARCH_TABLES) == before
    assert [r.status.state for r in portfolio.signoffs.verify_all()] == ["valid"]
    assert [h.item.uuid for h in portfolio.evidence.search("handover")] == [uuid]
    assert {b.reason for b in backups.list()} == {"manual", "before-restore"}
    later = portfolio.evidence.create(
        EvidenceDraft(kind="course", title="BLS", occurred_on=date.today())
    )
    assert portfolio.evidence.count() == 2 and later.uuid != uuid  # new rows take new ids
    backups.restore(safety)  # and back to the state before the restore
    assert {d.title for d in portfolio.evidence.details()} == {"New", "ALS"}


def test_a_backup_holding_a_value_beyond_the_limits_is_refused_on_both_engines(
    portfolio: Portfolio,
) -> None:
    """SQLite keeps a tag longer than any the app writes, PostgreSQL would refuse it midway:
    both refuse the backup first, with the same message, and nothing changes."""
    filled(portfolio)
    backups = BackupService(portfolio.database)
    backup = backups.backup()
    with sqlite3.connect(backup) as con:
        con.execute("INSERT INTO tag (name) VALUES (?)", ("x" * (limits.MAX_TAG + 1),))
    con.close()
    before = database_fingerprint(portfolio.location)
    with pytest.raises(
        InvalidInput, match=r"not a sound portfolio backup: tag\.name holds a value"
    ):
        backups.restore(backup)
    assert database_fingerprint(portfolio.location) == before


@pytest.mark.parametrize("database_engine", ["postgresql"], ids=["postgresql"])
def test_a_restore_the_server_refuses_midway_changes_nothing(portfolio: Portfolio) -> None:
    """A row SQLite holds but the server cannot (text in an integer column, put there by hand):
    the old rows went and the new came in one transaction, so all of it is undone."""
    filled(portfolio)
    backups = BackupService(portfolio.database)
    backup = backups.backup()
    with sqlite3.connect(backup) as con:
        con.execute("UPDATE evidence SET revision = 'many'")
    con.close()
    before = database_fingerprint(portfolio.location)
    with pytest.raises(
        InvalidInput, match=r"could not be restored .*; the portfolio was not changed"
    ):
        backups.restore(backup)
    assert database_fingerprint(portfolio.location) == before
    assert len(portfolio.evidence.details()) == 1


def test_an_import_backs_up_first_and_names_the_backup(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    uuid = filled(portfolio)
    archive = portfolio.archive.export(tmp_path / "a.gpcportfolio").path
    portfolio.evidence.update(uuid, replace(portfolio.evidence.get(uuid).as_draft(), title="New"))
    report = portfolio.archive.import_(archive)
    assert report.backup is not None
    assert [b.path for b in BackupService(portfolio.database).list()] == [report.backup]
    assert "before-import" in report.backup.name
