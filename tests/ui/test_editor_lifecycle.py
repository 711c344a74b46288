"""Every way an editor ends keeps the trainee's words (issue 12): a killed app and Reopen, an
item closed and opened again, a signed-off item saved, changes made elsewhere while it is open,
quitting, and dialogs closed while their work runs.

Real portfolios in tmp folders, a real child process killed with SIGKILL, real prompts answered
by clicking their buttons.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from shiboken6 import isValid

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, ProfileData
from portfolio.ui.editor import EditorState, EvidenceEditor
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations
from portfolio.vocabulary import ChangeKind
from tests.ui.test_editor import CTRL, answer_prompt, child, pending_for, type_into

WAIT = 10_000
PASSPHRASE = "correct horse battery staple"


def editor_of(qtbot: Any, window: MainWindow, uuid: str) -> EvidenceEditor:
    window.open_item(uuid)
    [editor] = [e for e in window.editors if e.item_uuid == uuid]
    qtbot.waitUntil(lambda: editor.is_loaded, timeout=WAIT)
    return editor


def append_to(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type at the end of a text box, as a trainee adding a thought would."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(widget, text)


def close_and_wait(qtbot: Any, editor: EvidenceEditor) -> None:
    editor.close()
    qtbot.waitUntil(lambda: not isValid(editor), timeout=WAIT)  # closed means destroyed


def sign_off(portfolio: Portfolio, uuid: str) -> None:
    """A supervisor signs the item in a meeting on this laptop (straight through the service,
    so no window hears of it)."""
    signoffs = portfolio.signoffs
    info = signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    unlocked = signoffs.unlock(info.fingerprint, PASSPHRASE)
    signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Well reflected")


def show_window(qtbot: Any, portfolio: Portfolio, ops: Operations) -> tuple[MainWindow, int]:
    """A main window, as at start-up: returns it and how many drafts it found to offer."""
    window = MainWindow(portfolio, ops)
    qtbot.addWidget(window, before_close_func=MainWindow.keep_drafts)  # never a modal question
    with qtbot.waitSignal(window.recovery_checked, timeout=WAIT) as checked:
        window.show()
    return window, int(checked.args[0])


# =============================================================================================
# A killed app, restarted: Reopen opens every draft, and the prompt does not come back
# =============================================================================================

CHILD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.ui.main_window import MainWindow
    from portfolio.ui.operations import Operations

    app = QApplication([])
    portfolio = open_portfolio(resolve_location(sys.argv[1]))
    window = MainWindow(portfolio, Operations())
    window.show()
    window.open_item(sys.argv[2])
    window.open_editor(kind="reflection")
    for editor in window.editors:
        while not editor.is_loaded:
            QTest.qWait(10)
    edited, new = window.editors
    QTest.keyClick(edited.main_text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edited.main_text, " And a second thought I must not lose.")
    QTest.keyClicks(new.title_edit, "Killed mid-sentence")
    QTest.keyClicks(new.main_text, "The reflection I must not lose")
    app.exec()
""")


def test_killed_app_restarts_and_reopen_opens_every_draft(
    qtbot: Any, tmp_path: Path, ops: Operations
) -> None:
    data_dir = tmp_path / "killed"
    with open_portfolio(resolve_location(data_dir)) as portfolio:
        portfolio.profile.save(ProfileData(name="Dr Test Trainee", gmc_number="1234567"))
        edited_uuid = portfolio.evidence.create(
            EvidenceDraft("reflection", "Night shift", date(2024, 1, 10), text="First thought.")
        ).uuid
    home = tmp_path / "home"  # the child's settings, never the user's
    stderr_path = tmp_path / "child.err"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), edited_uuid],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={
                **os.environ,
                "QT_QPA_PLATFORM": "offscreen",
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_DATA_HOME": str(home / "data"),
            },
            cwd=Path(__file__).parents[2],
        )
        reader: list[Portfolio] = []

        def both_stashed() -> bool:
            assert process.poll() is None, stderr_path.read_text()
            if not reader:
                reader.append(open_portfolio(resolve_location(data_dir), write=False))
            texts = [u.state.get("text", "") for u in reader[0].recovery.pending()]
            return len(texts) == 2 and all("must not lose" in text for text in texts)

        try:
            qtbot.waitUntil(both_stashed, timeout=60_000)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
            for opened in reader:
                opened.close()

    with open_portfolio(resolve_location(data_dir)) as portfolio:
        window, found = show_window(qtbot, portfolio, ops)
        assert found == 2
        prompt = window.findChild(QMessageBox, "recoveryPrompt")
        qtbot.waitUntil(prompt.isVisible, timeout=WAIT)
        qtbot.mouseClick(prompt.findChild(QPushButton, "reopenButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: len(window.editors) == 2 and all(e.is_loaded for e in window.editors),
            timeout=WAIT,
        )
        by_title = {e.title_edit.text(): e for e in window.editors}
        assert set(by_title) == {"Night shift", "Killed mid-sentence"}
        edited = by_title["Night shift"]
        assert edited.item_uuid == edited_uuid and edited.is_dirty
        assert edited.main_text.toPlainText() == (
            "First thought. And a second thought I must not lose."
        )
        new = by_title["Killed mid-sentence"]
        assert new.main_text.toPlainText() == "The reflection I must not lose"
        for editor in window.editors:
            with qtbot.waitSignal(editor.saved, timeout=WAIT):
                editor.save()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        assert portfolio.recovery.pending() == []
        assert "second thought" in portfolio.evidence.get(edited_uuid).text
        assert portfolio.evidence.get(new.recovery_key).text == "The reflection I must not lose"
        window.close()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)

        again, found = show_window(qtbot, portfolio, ops)  # the next start
        assert found == 0 and again.findChild(QMessageBox, "recoveryPrompt") is None
        again.close()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)


# =============================================================================================
# Closed and opened again: read afresh, asked before closing, asked before voiding a sign-off
# =============================================================================================


@pytest.fixture
def window(qtbot: Any, portfolio: Portfolio, ops: Operations) -> Iterator[MainWindow]:
    main, _ = show_window(qtbot, portfolio, ops)  # closed by qtbot, editors' drafts kept
    yield main


def ready_item(portfolio: Portfolio) -> str:
    return next(s.uuid for s in portfolio.evidence.list() if s.status == "ready")


def test_reopened_editor_is_read_afresh_and_saving_a_signed_item_asks_first(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    uuid = ready_item(portfolio)
    first = editor_of(qtbot, window, uuid)
    assert child(first, QWidget, "statusChip").text() == "Ready for review"
    assert not child(first, QWidget, "signoffList").isVisibleTo(first)
    close_and_wait(qtbot, first)
    assert window.editors == []

    sign_off(portfolio, uuid)
    editor = editor_of(qtbot, window, uuid)
    assert child(editor, QWidget, "statusChip").text() == "Signed off"
    signoffs = child(editor, QWidget, "signoffList")
    assert signoffs.isVisibleTo(editor)
    assert signoffs.text().startswith("• Signed off by Dr Alex Morgan (Clinical supervisor)")
    assert signoffs.text().count("•") == 1

    type_into(qtbot, editor.title_edit, " (revised)")
    asked = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Save)
    warned = answer_prompt("renewSignoffPrompt", "&Save changes")
    with qtbot.waitSignals([editor.saved, editor.closed], timeout=WAIT):
        qtbot.keyClick(editor.title_edit, Qt.Key.Key_W, CTRL)
    assert asked and warned and "Dr Alex Morgan" in warned[0]
    qtbot.waitUntil(lambda: not ops.busy and not isValid(editor), timeout=WAIT)
    saved = portfolio.evidence.get(uuid)
    assert saved.title.endswith(" (revised)") and saved.status == "edited"
    assert portfolio.recovery.pending() == []


def test_refusing_to_renew_a_sign_off_saves_nothing_and_loses_nothing(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    uuid = ready_item(portfolio)
    sign_off(portfolio, uuid)
    before = portfolio.evidence.get(uuid)
    editor = editor_of(qtbot, window, uuid)
    append_to(qtbot, editor.main_text, " An afterthought.")
    warned = answer_prompt("renewSignoffPrompt", QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(editor.main_text, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(warned), timeout=WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert editor.editor_state is EditorState.DIRTY and editor.isVisible()
    assert portfolio.evidence.get(uuid).revision == before.revision
    assert portfolio.evidence.get(uuid).status == "signed_off"

    window.keep_drafts()  # quitting: no question, and an autosave copy is left
    qtbot.waitUntil(lambda: not ops.busy and not isValid(editor), timeout=WAIT)
    stashed = pending_for(portfolio, uuid)
    assert stashed is not None and stashed["text"].endswith(" An afterthought.")


def test_closed_unchanged_then_reopened_and_changed_asks_before_closing(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    uuid = portfolio.evidence.list()[0].uuid
    close_and_wait(qtbot, editor_of(qtbot, window, uuid))
    editor = editor_of(qtbot, window, uuid)
    type_into(qtbot, editor.title_edit, " again")
    asked = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Cancel)
    editor.close()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT)
    assert editor.isVisible() and editor.title_edit.text().endswith(" again")
    asked = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(editor.closed, timeout=WAIT):
        editor.close()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert portfolio.evidence.get(uuid).title.endswith(" again")


def test_an_open_editor_follows_changes_made_elsewhere(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    clean_uuid = ready_item(portfolio)
    clean = editor_of(qtbot, window, clean_uuid)
    sign_off(portfolio, clean_uuid)
    ops.announce(ChangeKind.EVIDENCE, [clean_uuid])  # what the Reviews page's signing says
    qtbot.waitUntil(
        lambda: child(clean, QWidget, "statusChip").text() == "Signed off", timeout=WAIT
    )
    assert "Dr Alex Morgan" in child(clean, QWidget, "signoffList").text()
    assert not clean.is_dirty

    draft_uuid = next(s.uuid for s in portfolio.evidence.list() if s.status == "draft")
    dirty = editor_of(qtbot, window, draft_uuid)
    type_into(qtbot, dirty.title_edit, " with my words")
    portfolio.evidence.submit([draft_uuid])
    ops.announce(ChangeKind.EVIDENCE)  # every item (a restore, an import, Refresh)
    qtbot.waitUntil(
        lambda: child(dirty, QWidget, "statusChip").text() == "Ready for review", timeout=WAIT
    )
    assert dirty.is_dirty and dirty.title_edit.text().endswith(" with my words")
    qtbot.waitUntil(lambda: pending_for(portfolio, draft_uuid) is not None, timeout=WAIT)


def test_saving_over_a_change_made_on_another_workstation_is_refused_and_keeps_the_words(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    """A shared database: another workstation saves the item while it is open here (no window
    hears of it). Saving here is refused with the reason and the item read again; saving again
    keeps the words typed here, the other version in the history."""
    uuid = ready_item(portfolio)
    editor = editor_of(qtbot, window, uuid)
    theirs = portfolio.evidence.get(uuid)
    portfolio.evidence.update(uuid, replace(theirs.as_draft(), title="Their title"))
    type_into(qtbot, editor.title_edit, " and mine")
    qtbot.mouseClick(child(editor, QPushButton, "saveButton"), Qt.MouseButton.LeftButton)

    bar = child(editor, QWidget, "messageBar")
    qtbot.waitUntil(lambda: bar.isVisible() and not ops.busy, timeout=WAIT)
    assert "changed elsewhere" in bar.label.text() and "save again" in bar.label.text()
    assert editor.editor_state is EditorState.DIRTY and editor.isVisible()
    assert editor.title_edit.text() == theirs.title + " and mine"
    stored = portfolio.evidence.get(uuid)
    assert stored.title == "Their title" and stored.revision == theirs.revision + 1
    qtbot.waitUntil(lambda: pending_for(portfolio, uuid) is not None, timeout=WAIT)
    stashed = pending_for(portfolio, uuid)
    assert stashed is not None and stashed["title"] == theirs.title + " and mine"

    # Read again meanwhile (the words kept): saving again keeps them over the other version.
    qtbot.waitUntil(lambda: editor.session.detail.revision == stored.revision, timeout=WAIT)
    assert editor.title_edit.text() == theirs.title + " and mine"
    with qtbot.waitSignal(editor.saved, timeout=WAIT):
        qtbot.mouseClick(child(editor, QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert portfolio.evidence.get(uuid).title == theirs.title + " and mine"
    history = [r.snapshot["title"] for r in portfolio.evidence.revisions(uuid)]
    assert history[-2:] == ["Their title", theirs.title + " and mine"]


def test_a_restore_under_a_dirty_editor_keeps_its_words(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    uuid = portfolio.evidence.list()[0].uuid
    dialog = window.show_backups()
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    editor = editor_of(qtbot, window, uuid)
    append_to(qtbot, editor.main_text, " Typed after the backup.")
    editor.stash_now()
    qtbot.waitUntil(lambda: editor.stash_count == 1, timeout=WAIT)
    backup = dialog.current_backup()
    assert backup is not None
    with qtbot.waitSignal(dialog.restored, timeout=WAIT):
        dialog.restore(backup)  # the backup holds no drafts: the editor stashes again
    qtbot.waitUntil(lambda: editor.stash_count == 2 and not ops.busy, timeout=WAIT)
    stashed = pending_for(portfolio, uuid)
    assert stashed is not None and stashed["text"].endswith(" Typed after the backup.")
    dialog.close()


# =============================================================================================
# Dialogs closed while their work runs
# =============================================================================================


@pytest.fixture
def held(window: MainWindow, ops: Operations) -> Iterator[Any]:
    """Holds the database thread (as a long import would) until ``release()``."""
    import threading

    gate = threading.Event()
    ops.database(window, lambda: gate.wait(WAIT)).run()
    yield gate.set
    gate.set()


def closed_mid_task(qtbot: Any, dialog: QWidget, ops: Operations, release: Any) -> list[str]:
    shown: list[str] = []
    ops.known_error.connect(shown.append)
    dialog.close()
    qtbot.waitUntil(lambda: not isValid(dialog), timeout=WAIT)
    release()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    QApplication.processEvents()
    return shown


def test_backups_dialog_closed_while_checking(
    qtbot: Any, window: MainWindow, ops: Operations, held: Any
) -> None:
    dialog = window.show_backups()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert closed_mid_task(qtbot, dialog, ops, held) == []
    assert window.findChild(QMessageBox, "bugDialog") is None


def test_privacy_dialog_closed_while_checking(
    qtbot: Any, window: MainWindow, ops: Operations, held: Any
) -> None:
    dialog = window.show_privacy_check()
    qtbot.mouseClick(dialog.recheck_button, Qt.MouseButton.LeftButton)
    assert closed_mid_task(qtbot, dialog, ops, held) == []
    assert window.findChild(QMessageBox, "bugDialog") is None


def test_closing_the_window_with_unsaved_words_saves_then_closes(
    qtbot: Any, window: MainWindow, portfolio: Portfolio, ops: Operations
) -> None:
    uuid = portfolio.evidence.list()[0].uuid
    editor = editor_of(qtbot, window, uuid)
    type_into(qtbot, editor.title_edit, " before quitting")
    asked = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Save)
    window.close()
    qtbot.waitUntil(lambda: bool(asked) and not window.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert portfolio.evidence.get(uuid).title.endswith(" before quitting")
    assert portfolio.recovery.pending() == []
