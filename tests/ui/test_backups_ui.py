"""File ▸ Backups…: the list, a backup now, restore (after backing up), and the check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
)

from portfolio.errors import DatabaseDamaged
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.ui.main import open_recovering
from tests.conftest import run_cli

WAIT = 10_000


def test_back_up_restore_and_check(qtbot, main_window, portfolio, settle) -> None:
    with qtbot.waitSignal(main_window.backups_action.triggered):
        main_window.backups_action.trigger()
    dialog = main_window.findChild(QDialog, "backupsDialog")
    assert dialog is not None and dialog.isVisible()
    settle()
    listed = dialog.findChild(QTreeWidget, "backupList")
    before = listed.topLevelItemCount()

    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.findChild(QPushButton, "backupNowButton").click()
    assert listed.topLevelItemCount() == before + 1
    newest = listed.topLevelItem(0)
    assert newest.text(1) == "Made by you"
    assert newest.text(2)  # a size, in the locale's words

    portfolio.evidence.create(
        EvidenceDraft(
            kind="teaching",
            title="Added after the backup",
            occurred_on=date(2024, 6, 1),
            links=(Link("GPC8"),),
        )
    )
    assert portfolio.evidence.count() == 6

    listed.setCurrentItem(newest)
    dialog.findChild(QPushButton, "restoreBackupButton").click()
    confirm = dialog.findChild(QMessageBox, "restoreConfirm")
    assert "backed up first" in confirm.informativeText()
    with qtbot.waitSignal(dialog.restored, timeout=WAIT):
        confirm.button(QMessageBox.StandardButton.Yes).click()
    settle()
    assert portfolio.evidence.count() == 5
    assert "backed up to" in dialog.findChild(QLabel, "backupsStatus").text()
    qtbot.waitUntil(lambda: listed.topLevelItemCount() == before + 2, timeout=WAIT)
    assert listed.topLevelItem(0).text(1) == "Automatic, before a restore"
    qtbot.waitUntil(lambda: main_window.item_count.text() == "5 items", timeout=WAIT)

    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.findChild(QPushButton, "checkPortfolioButton").click()
    assert checked.args == [[]]
    assert "All well" in dialog.findChild(QLabel, "checkResults").text()
    dialog.close()


def test_restore_can_be_called_off(qtbot, main_window, portfolio, settle) -> None:
    portfolio.database  # noqa: B018 - the fixture's portfolio is the one backed up
    dialog = main_window.show_backups()
    settle()
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.back_up_now()
    portfolio.evidence.delete(portfolio.evidence.list()[0].uuid)
    confirm = dialog.confirm_restore()
    confirm.button(QMessageBox.StandardButton.Cancel).click()
    settle()
    assert portfolio.evidence.count() == 4
    dialog.close()


def _damaged_with_a_backup(tmp_path: Path) -> Path:
    """A real portfolio with one item and a backup, then pages of it overwritten."""
    data = tmp_path / "data"
    for args in (
        ("init", "--name", "Alex Morgan", "--gmc", "7000001"),
        ("add", "--kind", "teaching", "--title", "Kept by the backup", "--date", "2026-01-05"),
        ("backup",),
    ):
        assert run_cli(data, *args).returncode == 0
    database = data / "portfolio.sqlite3"
    with database.open("r+b") as handle:
        handle.seek(4096)
        handle.write(bytes(range(256)) * 64)
    return data


def _answer(qtbot, button_name: str | None) -> list[str]:
    """Click ``button_name`` (None: Close) on the damaged-portfolio box when it shows."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "damagedPortfolio"
        seen.append(box.text() + "\n" + box.informativeText())
        if button_name is None:
            box.button(QMessageBox.StandardButton.Close).click()
        else:
            box.findChild(QPushButton, button_name).click()

    QTimer.singleShot(0, click)
    return seen


def test_a_damaged_portfolio_at_start_offers_its_newest_sound_backup(qtbot, tmp_path) -> None:
    data = _damaged_with_a_backup(tmp_path)
    seen = _answer(qtbot, "restoreNewestBackup")
    portfolio = open_recovering(resolve_location(data))
    assert portfolio is not None
    try:
        assert [s.title for s in portfolio.evidence.list()] == ["Kept by the backup"]
    finally:
        portfolio.close()
    assert "is damaged" in seen[0] and "newest sound backup" in seen[0]
    kept = [p.name for p in (data / "backups").iterdir() if p.name.endswith("-damaged.sqlite3")]
    assert len(kept) == 1  # the damaged file is kept, never thrown away


def test_declining_the_backup_changes_nothing(qtbot, tmp_path) -> None:
    data = _damaged_with_a_backup(tmp_path)
    before = (data / "portfolio.sqlite3").read_bytes()
    _answer(qtbot, None)
    with pytest.raises(DatabaseDamaged):
        open_recovering(resolve_location(data))
    assert (data / "portfolio.sqlite3").read_bytes() == before
