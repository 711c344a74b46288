"""The main window: navigation, shortcuts, settings, recovery, profile dialog, start-up."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
)

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData
from portfolio.ui.main_window import MainWindow, NewItemDialog
from portfolio.ui.profile_dialog import ProfileDialog


def activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_key_widgets_have_names(main_window) -> None:
    main_window.show_page("evidence")  # built when first shown
    for name in (
        "navigation",
        "pages",
        "dashboard",
        "evidenceList",
        "evidenceTable",
        "searchBox",
        "kindFilter",
        "domainFilter",
        "statusFilter",
        "dateFrom",
        "dateTo",
        "tagFilter",
        "placementFilter",
        "trashToggle",
        "itemCount",
        "busyIndicator",
        "mainToolBar",
        "recentItems",
    ):
        assert main_window.findChild(object, name) is not None, name


def test_pages_are_built_when_first_shown(qtbot, main_window) -> None:
    """Only the dashboard at start; a page shown, reached through the menus or asked for is
    built then, once, in its place in the stack."""
    pages = main_window.findChild(QStackedWidget, "pages")
    keys = ("dashboard", "evidence", "reviews", "reports", "opportunities", "mentor")
    assert [main_window.is_built(key) for key in keys] == [True] + [False] * 5
    assert main_window.findChild(object, "evidenceList") is None
    main_window.findChild(QAction, "findAction").trigger()  # Edit > Find opens the list
    assert main_window.is_built("evidence")
    assert pages.currentWidget() is main_window.evidence
    assert pages.currentWidget().objectName() == "evidenceList"
    assert main_window.evidence.filters.search.hasFocus()
    main_window.findChild(QAction, "show_reports").trigger()
    assert main_window.current_page_key() == "reports"
    assert pages.currentWidget() is main_window.reports
    reviews = main_window.reviews  # asked for, not shown: built, and the same page after
    assert main_window.is_built("reviews") and main_window.reviews is reviews
    assert pages.indexOf(reviews) == keys.index("reviews")
    assert pages.count() == len(keys)
    assert main_window.current_page_key() == "reports"


def test_navigation_switches_pages(qtbot, main_window) -> None:
    navigation = main_window.findChild(QListWidget, "navigation")
    pages = main_window.findChild(QStackedWidget, "pages")
    assert [navigation.item(i).text() for i in range(navigation.count())][:2] == [
        "Dashboard",
        "Evidence",
    ]
    rect = navigation.visualItemRect(navigation.item(1))
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pages.currentWidget().objectName() == "evidenceList"
    activate(qtbot, main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert pages.currentWidget().objectName() == "dashboard"


def test_ctrl_f_focuses_the_search_box(qtbot, main_window) -> None:
    activate(qtbot, main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = main_window.findChild(QLineEdit, "searchBox")
    qtbot.waitUntil(search.hasFocus)
    assert main_window.current_page_key() == "evidence"


def test_status_bar_counts_items_and_shows_work(qtbot, main_window, ops, settle) -> None:
    assert main_window.item_count.text() == "5 items"
    busy = main_window.findChild(QProgressBar, "busyIndicator")
    assert not busy.isVisible()
    ops.database(main_window, lambda: None).run()
    assert busy.isVisible()
    settle()
    assert not busy.isVisible()


def test_ctrl_n_asks_for_a_kind(qtbot, main_window, monkeypatch) -> None:
    opened: list[dict] = []
    monkeypatch.setattr(main_window, "open_editor", lambda **kw: opened.append(kw))
    activate(qtbot, main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.findChild(NewItemDialog, "newItemDialog")
    assert dialog is not None and dialog.isVisible()
    kinds = dialog.findChild(QListWidget, "kindList")
    kinds.setCurrentRow(1)
    qtbot.keyClick(kinds, Qt.Key.Key_Return)
    assert opened == [{"kind": "qi_project"}]


def test_open_editor_for_an_item(qtbot, main_window, portfolio, settle) -> None:
    item = portfolio.evidence.list()[0]
    main_window.open_item(item.uuid)
    assert len(main_window.editors) == 1
    editor = main_window.editors[0]
    assert editor.isVisible()
    settle()
    editor.close()
    settle()


def test_layout_is_remembered(qtbot, portfolio, ops, settle) -> None:
    first = MainWindow(portfolio, ops)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 540)
    first.show_page("evidence")
    settle()
    first.close()
    second = MainWindow(portfolio, ops)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == QSize(780, 540)
    assert second.current_page_key() == "evidence"
    settle()
    second.close()


def test_recovery_prompt_offers_unsaved_drafts(qtbot, portfolio, ops, settle) -> None:
    portfolio.recovery.stash(
        "editor-1",
        "reflection",
        None,
        "Night shift reflection",
        {"title": "Night shift reflection", "text": "Half written"},
    )
    window = MainWindow(portfolio, ops)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryPrompt") is not None)
    prompt = window.findChild(QMessageBox, "recoveryPrompt")
    qtbot.waitUntil(prompt.isVisible)
    assert "Night shift reflection" in prompt.informativeText()
    assert "1 draft" in prompt.text()
    qtbot.mouseClick(prompt.findChild(QPushButton, "discardButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy and portfolio.recovery.pending() == [])
    settle()
    window.close()


def test_recovery_reopens_every_draft_in_real_editors(qtbot, portfolio, ops, settle) -> None:
    """Reopen opens each draft (a new item and an edited one) in its own editor, as stashed."""
    item = portfolio.evidence.list()[0]
    portfolio.recovery.stash("editor-2", "teaching", None, "ECG teaching", {"title": "ECG"})
    portfolio.recovery.stash(
        item.uuid, item.kind, item.uuid, "Edited", {"title": "Edited, not saved"}
    )
    window = MainWindow(portfolio, ops)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryPrompt") is not None)
    prompt = window.findChild(QMessageBox, "recoveryPrompt")
    qtbot.mouseClick(prompt.findChild(QPushButton, "reopenButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.editors) == 2 and all(e.is_loaded for e in window.editors))
    titles = {e.recovery_key: e.title_edit.text() for e in window.editors}
    assert titles == {"editor-2": "ECG", item.uuid: "Edited, not saved"}
    assert all(e.is_dirty for e in window.editors)
    settle()
    for editor in window.editors:
        editor.close_keeping_draft()
    settle()
    window.close()


def test_no_prompt_without_unsaved_work(qtbot, main_window, settle) -> None:
    settle()
    assert main_window.findChild(QMessageBox, "recoveryPrompt") is None


def test_profile_dialog_saves_profile_and_placements(qtbot, main_window, portfolio, settle) -> None:
    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    assert dialog is not None
    settle()
    name = dialog.findChild(QLineEdit, "nameEdit")
    assert name.text() == "Dr Test Trainee"
    dialog.tabs.setCurrentIndex(1)
    trust = dialog.findChild(QLineEdit, "placementTrust")
    qtbot.keyClicks(trust, "North Bristol")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "placementDepartment"), "Acute medicine")
    dialog.placements.starts.setDate(date(2024, 8, 7))
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePlacement"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QListWidget, "placementList").count() == 1)
    [placement] = portfolio.placements.list()
    assert (placement.trust, placement.department) == ("North Bristol", "Acute medicine")

    dialog.tabs.setCurrentIndex(0)
    name.clear()
    qtbot.keyClicks(name, "Dr Renamed Trainee")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "saveProfile"), Qt.MouseButton.LeftButton)
    assert portfolio.profile.get().name == "Dr Renamed Trainee"
    settle()


@pytest.mark.parametrize("typed", ["123", "١٢٣٤٥٦٧", "123456²"])  # Arabic-Indic, superscript
def test_profile_dialog_rejects_a_bad_gmc_number(
    qtbot, main_window, portfolio, settle, typed
) -> None:
    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    gmc = dialog.findChild(QLineEdit, "gmcEdit")
    gmc.clear()
    gmc.insert(typed)  # as pasted: QTest cannot type the non-Latin-1 digits
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveProfile"), Qt.MouseButton.LeftButton)
    assert "7 digits" in dialog.form.gmc_error.text()
    assert dialog.isVisible()
    assert portfolio.profile.get().gmc_number == "1234567"
    dialog.reject()


def _close_modal_soon(seen: list[str]) -> QTimer:
    timer = QTimer()

    def close() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            seen.append(modal.objectName())
            if isinstance(modal, QDialog):
                modal.reject()

    timer.timeout.connect(close)
    timer.start(50)
    return timer


def test_run_app_refuses_a_portfolio_already_open(qtbot, portfolio, data_dir) -> None:
    from portfolio.ui.main import run_app

    seen: list[str] = []
    timer = _close_modal_soon(seen)
    hook = sys.excepthook
    assert run_app(resolve_location(data_dir)) == 2
    timer.stop()
    assert seen[:1] == ["cannotOpen"]
    assert sys.excepthook is hook


def test_run_app_first_run_shows_the_welcome(qtbot, data_dir) -> None:
    from portfolio.ui.main import run_app

    seen: list[str] = []
    timer = _close_modal_soon(seen)
    assert run_app(resolve_location(data_dir)) == 0  # welcome closed: nothing else opens
    timer.stop()
    assert seen[:1] == ["welcome"]
    with open_portfolio(resolve_location(data_dir)) as reopened:  # the lock was released
        assert reopened.profile.get() is None


def test_run_app_opens_the_main_window(qtbot, data_dir) -> None:
    from portfolio.ui.main import run_app

    with open_portfolio(resolve_location(data_dir)) as portfolio:
        portfolio.profile.save(ProfileData(name="Dr A", gmc_number="1111111"))
    seen: list[str] = []

    def close_main() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "mainWindow" and widget.isVisible():
                seen.append("mainWindow")
                widget.close()

    timer = QTimer()
    timer.timeout.connect(close_main)
    timer.start(200)
    assert run_app(resolve_location(data_dir)) == 0
    timer.stop()
    assert seen == ["mainWindow"]


def test_bug_dialog_shows_the_traceback(qtbot) -> None:
    from portfolio.ui.main import BugReporter

    reporter = BugReporter()
    try:
        raise ValueError("boom")
    except ValueError as error:
        reporter.hook(ValueError, error, error.__traceback__)
    qtbot.waitUntil(
        lambda: any(w.objectName() == "bugDialog" for w in QApplication.topLevelWidgets())
    )
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "bugDialog")
    assert "ValueError: boom" in box.detailedText()
    box.close()
