from __future__ import annotations

from datetime import date
from pathlib import Path

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import Location
from portfolio.services.backups import KEEP_DAILY, KEEP_PER_KIND, BackupService
from portfolio.services.dto import EvidenceDraft


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
    assert reasons == ["daily"]


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
