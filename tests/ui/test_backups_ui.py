"""File ▸ Backups…: the list, a backup now, restore (after backing up), and the check."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QTreeWidget

from portfolio.services.dto import EvidenceDraft, Link

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
