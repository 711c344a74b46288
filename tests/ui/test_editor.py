"""The evidence editor, driven as a trainee would: typing, clicking, keyboard shortcuts.

Every test uses a real temporary SQLite portfolio and the real Operations; waits are
``qtbot.waitUntil`` / ``qtbot.waitSignal``, never sleeps. Prompts are answered by a timer that
finds the prompt by objectName and clicks a button.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from shiboken6 import isValid

from portfolio.app import Portfolio, open_portfolio
from portfolio.kinds import template
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link, PlacementData
from portfolio.ui.editor import EvidenceEditor
from portfolio.ui.editor import session as editor_session
from portfolio.ui.editor.diff import revision_changes, word_diff_html
from portfolio.ui.operations import Operations

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier


# =============================================================================================
# Fixtures and helpers
# =============================================================================================


@dataclass
class Env:
    qtbot: Any
    portfolio: Portfolio
    ops: Operations
    editors: list[EvidenceEditor] = field(default_factory=list)

    def open(self, **kwargs: Any) -> EvidenceEditor:
        editor = EvidenceEditor(self.portfolio, self.ops, **kwargs)
        self.editors.append(editor)  # closed by the env fixture, before the portfolio
        editor.show()
        self.qtbot.waitUntil(lambda: editor.is_loaded)
        editor.activateWindow()
        self.qtbot.waitUntil(editor.isActiveWindow)
        return editor

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.ops.busy)

    def save(self, editor: EvidenceEditor, *, shortcut: bool = True) -> str:
        with self.qtbot.waitSignal(editor.saved, timeout=10_000) as blocker:
            if shortcut:
                self.qtbot.keyClick(editor.focusWidget() or editor.title_edit, Qt.Key.Key_S, CTRL)
            else:
                self.qtbot.mouseClick(
                    child(editor, QPushButton, "saveButton"), Qt.MouseButton.LeftButton
                )
        self.idle()
        return str(blocker.args[0])


@pytest.fixture
def env(qtbot: Any, tmp_path: Path) -> Iterator[Env]:
    portfolio = open_portfolio(resolve_location(tmp_path / "data"))
    ops = Operations()
    environment = Env(qtbot, portfolio, ops)
    try:
        yield environment
    finally:
        for editor in environment.editors:
            if isValid(editor):  # a closed editor is already gone
                editor.close_keeping_draft()
        ops.wait()
        QApplication.processEvents()
        portfolio.close()


def child(parent: QWidget, cls: type[Any], name: str) -> Any:
    found = parent.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def type_into(qtbot: Any, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def answer_prompt(name: str, button: QMessageBox.StandardButton | str) -> list[str]:
    """Click ``button`` in the modal prompt ``name`` as soon as it shows; returns a log."""
    log: list[str] = []

    def attempt(tries: int = 0) -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QMessageBox)
                and widget.objectName() == name
                and widget.isVisible()
            ):
                log.append(widget.text())
                target: QAbstractButton | None
                if isinstance(button, str):
                    target = next(b for b in widget.buttons() if b.text() == button)
                else:
                    target = widget.button(button)
                assert target is not None
                target.click()
                return
        if tries < 500:
            QTimer.singleShot(10, lambda: attempt(tries + 1))
        else:
            log.append("never shown")

    QTimer.singleShot(0, attempt)
    return log


def choose(qtbot: Any, combo: QComboBox, value: object) -> None:
    """Pick an item with the keyboard (Home, then Down until it is selected)."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == value:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value


def pending_for(portfolio: Portfolio, key: str) -> dict[str, Any] | None:
    for unsaved in portfolio.recovery.pending():
        if unsaved.key == key:
            return unsaved.state
    return None


# =============================================================================================
# Building forms from templates
# =============================================================================================


def test_reflection_with_gibbs_saves_the_gibbs_sections(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Breaking bad news on nights")
    model = child(editor, QComboBox, "field_model")
    assert not child(editor, QPlainTextEdit, "field_description").isVisibleTo(editor)
    choose(qtbot, model, "gibbs")
    assert child(editor, QPlainTextEdit, "field_description").isVisibleTo(editor)
    assert not child(editor, QPlainTextEdit, "field_what").isVisibleTo(editor)
    sections = {
        "description": "A relative asked me for results at 3am.",
        "feelings": "Anxious, then relieved.",
        "evaluation": "The conversation went well once we found a quiet room.",
        "analysis": "Preparation and a quiet space mattered most.",
        "conclusion": "I could have asked the nurse in charge to join.",
        "action_plan": "Attend the communication skills session.",
    }
    for key, text in sections.items():
        type_into(qtbot, child(editor, QPlainTextEdit, f"field_{key}"), text)
    type_into(qtbot, editor.main_text, "Overall I learned to slow down.")

    uuid = env.save(editor)

    detail = env.portfolio.evidence.get(uuid)
    assert detail.kind == "reflection"
    assert detail.title == "Breaking bad news on nights"
    assert detail.fields == {"model": "gibbs", **sections}
    assert detail.text == "Overall I learned to slow down."
    assert not editor.is_dirty
    assert pending_for(env.portfolio, editor.recovery_key) is None


def test_switching_models_keeps_hidden_text_until_save_and_warns(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Changed my mind about the model")
    type_into(qtbot, child(editor, QPlainTextEdit, "field_what"), "What I first wrote")
    model = child(editor, QComboBox, "field_model")
    choose(qtbot, model, "kolb")
    type_into(qtbot, child(editor, QPlainTextEdit, "field_concrete_experience"), "Kolb text")
    choose(qtbot, model, "what_so_what_now_what")
    assert child(editor, QPlainTextEdit, "field_what").toPlainText() == "What I first wrote"
    choose(qtbot, model, "kolb")

    # Cancel first: nothing saved, nothing lost.
    log = answer_prompt("discardHiddenPrompt", QMessageBox.StandardButton.Cancel)
    editor.save()
    qtbot.waitUntil(lambda: bool(log))
    env.idle()
    assert editor.item_uuid is None and editor.is_dirty

    log = answer_prompt("discardHiddenPrompt", "Save without them")
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert log and "hidden" in log[0]
    detail = env.portfolio.evidence.get(editor.item_uuid or "")
    assert detail.fields == {"model": "kolb", "concrete_experience": "Kolb text"}
    # the hidden text is still in the window
    assert child(editor, QPlainTextEdit, "field_what").toPlainText() == "What I first wrote"


def test_qi_project_with_three_pdsa_cycles(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="qi_project")
    type_into(qtbot, editor.title_edit, "Improving VTE assessment on admission")
    type_into(qtbot, child(editor, QPlainTextEdit, "field_aim"), "95% assessed within 14 hours")
    add = child(editor, QPushButton, "field_pdsa_cycles_add")
    assert add.text() == "Add PDSA cycle"
    for _ in range(4):
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    # the fourth was a slip: remove it (empty, so no question asked)
    qtbot.mouseClick(
        child(editor, QPushButton, "field_pdsa_cycles_3_remove"), Qt.MouseButton.LeftButton
    )
    assert editor.findChild(QPushButton, "field_pdsa_cycles_3_remove") is None
    for index in range(3):
        for part in ("plan", "do", "study", "act"):
            type_into(
                qtbot,
                child(editor, QPlainTextEdit, f"field_pdsa_cycles_{index}_{part}"),
                f"{part} {index + 1}",
            )

    uuid = env.save(editor, shortcut=False)

    cycles = env.portfolio.evidence.get(uuid).fields["pdsa_cycles"]
    assert cycles == [
        {"plan": f"plan {n}", "do": f"do {n}", "study": f"study {n}", "act": f"act {n}"}
        for n in (1, 2, 3)
    ]


def test_removing_a_cycle_with_text_asks_first(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="qi_project")
    qtbot.mouseClick(child(editor, QPushButton, "field_pdsa_cycles_add"), Qt.MouseButton.LeftButton)
    type_into(qtbot, child(editor, QPlainTextEdit, "field_pdsa_cycles_0_plan"), "keep me")
    remove = child(editor, QPushButton, "field_pdsa_cycles_0_remove")
    log = answer_prompt("removeEntryPrompt", QMessageBox.StandardButton.Cancel)
    remove.setFocus()
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert log and "PDSA cycle 1" in log[0]
    assert child(editor, QPlainTextEdit, "field_pdsa_cycles_0_plan").toPlainText() == "keep me"
    log = answer_prompt("removeEntryPrompt", "Remove")
    remove.setFocus()
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert log
    qtbot.waitUntil(lambda: editor.findChild(QPlainTextEdit, "field_pdsa_cycles_0_plan") is None)


def test_assessment_validation_error_is_shown_and_nothing_is_lost(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="assessment")
    type_into(qtbot, editor.title_edit, "CBD: chest pain")
    type_into(qtbot, child(editor, QLineEdit, "field_assessor"), "Dr Consultant")
    form = child(editor, QComboBox, "field_form")
    assert form.currentIndex() == -1  # a required choice with no default starts unchosen

    editor.save()
    bar = child(editor, QWidget, "messageBar")
    qtbot.waitUntil(lambda: bar.isVisible())
    assert "Form" in bar.label.text() and "required" in bar.label.text()
    assert editor.item_uuid is None
    assert editor.title_edit.text() == "CBD: chest pain"
    assert child(editor, QLineEdit, "field_assessor").text() == "Dr Consultant"
    assert QApplication.focusWidget() is form
    # the failed save also stashed everything
    qtbot.waitUntil(lambda: pending_for(env.portfolio, editor.recovery_key) is not None)

    choose(qtbot, form, "other")
    form_name = child(editor, QLineEdit, "field_form_name")
    assert form_name.isVisibleTo(editor)
    type_into(qtbot, form_name, "Local handover tool")
    uuid = env.save(editor)
    assert not bar.isVisible()
    fields = env.portfolio.evidence.get(uuid).fields
    assert fields == {
        "form": "other",
        "form_name": "Local handover tool",
        "assessor": "Dr Consultant",
    }


def test_every_field_type_gets_a_named_labelled_widget(env: Env) -> None:
    for kind in ("course", "teaching", "leadership_role", "pdp_item", "significant_event"):
        editor = env.open(kind=kind)
        for spec in template(kind).fields:
            widget = child(editor, QWidget, f"field_{spec.key}")
            assert widget.accessibleName() == spec.label
            if spec.help:
                assert widget.toolTip() == spec.help
        editor.close_keeping_draft()


def test_domains_with_justification(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="qi_project")
    tree = editor.domains.tree
    assert tree.objectName() == "domainTree" and tree.topLevelItemCount() == 9
    assert editor.domains.item("GPC6.2").font(0).bold()  # suggested for QI
    assert not editor.domains.item("GPC1").font(0).bold()
    assert "guidance" in editor.domains.item("GPC5").toolTip(0).lower()
    type_into(qtbot, editor.title_edit, "Sepsis six audit")
    justification = child(editor, QPlainTextEdit, "justificationEdit")
    assert not justification.isEnabled()

    tree.setFocus()
    tree.setCurrentItem(editor.domains.item("GPC6.2"))
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert editor.domains.item("GPC6.2").checkState(0) == Qt.CheckState.Checked
    assert justification.isEnabled()
    type_into(qtbot, justification, "Led two PDSA cycles")
    tree.setFocus()
    tree.setCurrentItem(editor.domains.item("GPC5"))
    qtbot.keyClick(tree, Qt.Key.Key_Space)

    uuid = env.save(editor)
    assert env.portfolio.evidence.get(uuid).links == (
        Link("GPC5", ""),
        Link("GPC6.2", "Led two PDSA cycles"),
    )

    # reopening shows the same links and justification
    again = env.open(item_uuid=uuid)
    again.domains.tree.setCurrentItem(again.domains.item("GPC6.2"))
    assert child(again, QPlainTextEdit, "justificationEdit").toPlainText() == "Led two PDSA cycles"


def test_tags_private_and_placement(env: Env, qtbot: Any) -> None:
    first = env.portfolio.placements.save(
        PlacementData(
            trust="North Bristol NHS Trust",
            department="Acute medicine",
            starts_on=date(2024, 8, 7),
            ends_on=date(2024, 12, 3),
        )
    )
    env.portfolio.placements.save(
        PlacementData(
            trust="Royal United Hospitals Bath",
            department="Geriatrics",
            starts_on=date(2024, 12, 4),
        )
    )
    editor = env.open(kind="teamwork")
    type_into(qtbot, editor.title_edit, "Cardiac arrest debrief")
    combo = child(editor, QComboBox, "placementCombo")
    choose(qtbot, combo, first.id)
    type_into(qtbot, child(editor, QLineEdit, "tagsEdit"), "nights, debrief,  , Nights")
    private = child(editor, QCheckBox, "privateCheck")
    private.setFocus()
    qtbot.keyClick(private, Qt.Key.Key_Space)
    assert private.isChecked()

    uuid = env.save(editor)
    detail = env.portfolio.evidence.get(uuid)
    assert detail.private is True
    assert detail.placement_id == first.id
    assert detail.tags == ("nights", "debrief")


def test_end_date_is_optional(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="leadership_role")
    type_into(qtbot, editor.title_edit, "Rota lead")
    editor.date_edit.setDate(date(2024, 8, 1))
    until = child(editor, QCheckBox, "untilCheck")
    assert not editor.until_edit.isEnabled()
    qtbot.mouseClick(until, Qt.MouseButton.LeftButton)
    editor.until_edit.setDate(date(2025, 2, 1))
    uuid = env.save(editor)
    detail = env.portfolio.evidence.get(uuid)
    assert (detail.occurred_on, detail.occurred_until) == (date(2024, 8, 1), date(2025, 2, 1))


# =============================================================================================
# Nothing lost
# =============================================================================================


def test_autosave_stashes_a_few_seconds_after_typing(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection", clock=lambda: datetime(2024, 3, 1, 6, 31))
    type_into(qtbot, editor.main_text, "Typed at midnight")
    assert pending_for(env.portfolio, editor.recovery_key) is None
    with qtbot.waitSignal(editor.stashed, timeout=10_000):
        pass
    state = pending_for(env.portfolio, editor.recovery_key)
    assert state is not None and state["text"] == "Typed at midnight"
    assert env.portfolio.evidence.count() == 0  # a stash, not a revision
    label = child(editor, QWidget, "autosaveLabel").text()
    assert label == "Autosaved 06:31 — press Save to keep this version"


def test_leaving_a_field_stashes_at_once(
    env: Env, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor_session, "AUTOSAVE_MS", 600_000)
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Left the field")
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.date_edit
    qtbot.waitUntil(lambda: pending_for(env.portfolio, editor.recovery_key) is not None)
    assert pending_for(env.portfolio, editor.recovery_key)["title"] == "Left the field"


def test_close_with_unsaved_changes_save(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Save me on close")
    log = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Save)
    with qtbot.waitSignals([editor.saved, editor.closed], timeout=10_000):
        qtbot.keyClick(editor.title_edit, Qt.Key.Key_W, CTRL)
    assert log and "Save me on close" in log[0]
    env.idle()
    qtbot.waitUntil(lambda: not isValid(editor))  # closed means destroyed
    assert env.portfolio.evidence.get(editor.item_uuid or "").title == "Save me on close"
    assert env.portfolio.recovery.pending() == []


def test_close_with_unsaved_changes_discard(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Throw me away")
    editor.stash_now()
    qtbot.waitUntil(lambda: editor.stash_count == 1)
    answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(editor.closed):
        editor.close()
    assert not editor.isVisible()  # Discard closes the window, not only the session
    env.idle()
    assert env.portfolio.recovery.pending() == []
    assert env.portfolio.evidence.count() == 0


def test_close_with_unsaved_changes_cancel(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Not yet")
    log = answer_prompt("unsavedPrompt", QMessageBox.StandardButton.Cancel)
    editor.close()
    qtbot.waitUntil(lambda: bool(log))
    assert editor.isVisible() and editor.is_dirty
    assert editor.title_edit.text() == "Not yet"


def test_closing_without_changes_does_not_ask(env: Env, qtbot: Any) -> None:
    uuid = env.portfolio.evidence.create(EvidenceDraft("course", "ALS", date(2024, 9, 1))).uuid
    editor = env.open(item_uuid=uuid)
    with qtbot.waitSignal(editor.closed):
        editor.close()
    qtbot.waitUntil(lambda: not isValid(editor))


@pytest.mark.parametrize("kind", ["reflection", "qi_project"])
def test_recovered_editor_restores_the_state_exactly(env: Env, qtbot: Any, kind: str) -> None:
    editor = env.open(kind=kind)
    type_into(qtbot, editor.title_edit, "Recover me")
    if kind == "reflection":
        model = child(editor, QComboBox, "field_model")
        choose(qtbot, model, "kolb")
        type_into(qtbot, child(editor, QPlainTextEdit, "field_concrete_experience"), "kolb")
        choose(qtbot, model, "gibbs")
        type_into(qtbot, child(editor, QPlainTextEdit, "field_feelings"), "gibbs")
    else:
        add = child(editor, QPushButton, "field_pdsa_cycles_add")
        for index in range(3):
            qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
            type_into(
                qtbot,
                child(editor, QPlainTextEdit, f"field_pdsa_cycles_{index}_study"),
                f"run chart {index}",
            )
    editor.domains.set_checked("GPC1")
    type_into(qtbot, child(editor, QLineEdit, "tagsEdit"), "nights")
    type_into(qtbot, editor.main_text, "Main text")
    editor.stash_now()
    qtbot.waitUntil(lambda: editor.stash_count >= 1)
    before = editor.state()
    editor.close_keeping_draft()
    env.idle()

    [unsaved] = env.portfolio.recovery.pending()
    assert unsaved.title == "Recover me" and unsaved.kind == kind
    recovered = env.open(recovered=unsaved)
    assert recovered.state() == before
    assert recovered.is_dirty
    assert "Recovered" in child(recovered, QWidget, "messageBar").label.text()
    if kind == "reflection":  # the Kolb text is hidden under Gibbs: confirm dropping it
        answer_prompt("discardHiddenPrompt", "Save without them")
    uuid = env.save(recovered)
    assert uuid == unsaved.key
    assert env.portfolio.recovery.pending() == []


def test_kill_mid_edit_and_recover(env: Env, qtbot: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "killed"
    script = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QPlainTextEdit
        from portfolio.app import open_portfolio
        from portfolio.paths import resolve_location
        from portfolio.ui.editor import EvidenceEditor
        from portfolio.ui.operations import Operations

        app = QApplication([])
        portfolio = open_portfolio(resolve_location(sys.argv[1]))
        ops = Operations()
        editor = EvidenceEditor(portfolio, ops, kind="reflection")
        editor.show()
        while not editor.is_loaded:
            QTest.qWait(10)
        QTest.keyClicks(editor.title_edit, "Killed mid-sentence")
        QTest.keyClicks(editor.findChild(QPlainTextEdit, "field_what"), "An unsaved what")
        QTest.keyClicks(editor.main_text, "The reflection I must not lose")
        app.exec()
    """)
    stderr = (tmp_path / "child.err").open("wb")
    child_process = subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).parents[2],
    )
    reader: list[Portfolio] = []

    def stashed() -> bool:
        assert child_process.poll() is None, (tmp_path / "child.err").read_text()
        if not reader:
            try:
                reader.append(open_portfolio(resolve_location(data_dir), write=False))
            except Exception:  # not created or not migrated yet
                return False
        pending = reader[0].recovery.pending()
        return bool(pending) and "must not lose" in pending[0].state.get("text", "")

    try:
        qtbot.waitUntil(stashed, timeout=60_000)
    finally:
        child_process.send_signal(signal.SIGKILL)
        child_process.wait()
        stderr.close()
        for portfolio in reader:
            portfolio.close()

    with open_portfolio(resolve_location(data_dir)) as portfolio:
        [unsaved] = portfolio.recovery.pending()
        assert unsaved.state["text"] == "The reflection I must not lose"
        editor = EvidenceEditor(portfolio, env.ops, recovered=unsaved)
        env.editors.append(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.is_loaded)
        assert editor.main_text.toPlainText() == "The reflection I must not lose"
        assert child(editor, QPlainTextEdit, "field_what").toPlainText() == "An unsaved what"
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            editor.save()
        env.idle()
        detail = portfolio.evidence.get(unsaved.key)
        assert detail.title == "Killed mid-sentence"
        assert detail.fields["what"] == "An unsaved what"
        assert portfolio.recovery.pending() == []
        editor.close()
        env.idle()


# =============================================================================================
# Submit, status, history
# =============================================================================================


def test_submit_for_review_saves_then_submits(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="teaching")
    type_into(qtbot, editor.title_edit, "Teaching FY1s about fluids")
    changed: list[tuple[str, list[str]]] = []
    env.ops.changed.connect(lambda c: changed.append((str(c.kind), list(c.uuids))))
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.status == "ready")
    env.idle()
    assert env.portfolio.evidence.get(editor.item_uuid or "").status == "ready"
    assert child(editor, QWidget, "statusChip").text() == "Ready for review"
    assert ("evidence", [editor.item_uuid]) in changed
    qtbot.mouseClick(child(editor, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    env.idle()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("signed_off", "need renewing"),
        ("edited", "edited since"),
        ("invalid", "cannot be verified"),
        ("changes_requested", "asked for changes"),
    ],
)
def test_signed_items_show_a_banner(
    env: Env, monkeypatch: pytest.MonkeyPatch, status: str, words: str
) -> None:
    # A real sign-off needs a supervisor identity; the editor only reads the computed status.
    detail = env.portfolio.evidence.create(EvidenceDraft("course", "ALS", date(2024, 9, 1)))
    monkeypatch.setattr(
        env.portfolio.evidence, "get", lambda uuid: dataclasses.replace(detail, status=status)
    )
    editor = env.open(item_uuid=detail.uuid)
    banner = child(editor, QWidget, "signedOffBanner")
    assert banner.isVisible() and words in banner.label.text()


def test_draft_items_show_no_banner(env: Env) -> None:
    detail = env.portfolio.evidence.create(EvidenceDraft("course", "ALS", date(2024, 9, 1)))
    editor = env.open(item_uuid=detail.uuid)
    assert not child(editor, QWidget, "signedOffBanner").isVisible()
    assert child(editor, QWidget, "statusChip").text() == "Draft"


def test_history_shows_what_changed_between_saves(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "History lesson")
    type_into(qtbot, editor.main_text, "I learned to ask for help early.")
    env.save(editor)
    editor.main_text.moveCursor(editor.main_text.textCursor().MoveOperation.End)
    type_into(qtbot, editor.main_text, " Next time I will call the registrar.")
    type_into(qtbot, child(editor, QLineEdit, "tagsEdit"), "escalation")
    env.save(editor)

    qtbot.mouseClick(child(editor, QPushButton, "historyButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.history_dialog is not None and editor.history_dialog.isVisible())
    dialog = editor.history_dialog
    assert dialog is not None and dialog.objectName() == "historyDialog"
    revisions = child(dialog, QWidget, "revisionList")
    assert revisions.count() == 2
    assert revisions.item(0).text().startswith("Revision 2")
    assert dialog.changed_labels() == ["Reflection", "Tags"]
    html = child(dialog, QWidget, "revisionDiff").toHtml()
    assert "registrar" in html and "escalation" in html
    dialog.select_revision(1)
    assert "Title" in dialog.changed_labels()
    dialog.close()


# =============================================================================================
# Attachments
# =============================================================================================


def test_attachments_add_open_remove_and_drop(env: Env, qtbot: Any, tmp_path: Path) -> None:
    certificate = tmp_path / "ALS certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% a certificate\n")
    slides = tmp_path / "slides.txt"
    slides.write_text("fluids teaching", encoding="utf-8")
    editor = env.open(kind="course")
    type_into(qtbot, editor.title_edit, "Advanced life support")

    editor.add_attachment_files([certificate])  # a new item is created first
    attachment_list = child(editor, QWidget, "attachmentList")
    qtbot.waitUntil(lambda: attachment_list.count() == 1)
    env.idle()
    uuid = editor.item_uuid
    assert uuid is not None
    assert [a.filename for a in env.portfolio.evidence.get(uuid).attachments] == [
        "ALS certificate.pdf"
    ]

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(slides))])
    point = QPoint(20, 20).toPointF()
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.dragEnterEvent(enter)
    assert enter.isAccepted()
    editor.dropEvent(
        QDropEvent(
            point,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    qtbot.waitUntil(lambda: attachment_list.count() == 2)

    attachment_list.setCurrentRow(0)
    qtbot.mouseClick(child(editor, QPushButton, "openAttachment"), Qt.MouseButton.LeftButton)
    viewer = editor.attachment_viewer  # shown in the app (tests/ui/test_attachment_viewer.py)
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.shown is not None)
    assert viewer.data == certificate.read_bytes()
    viewer.close()

    attachment_list.setCurrentRow(0)
    qtbot.mouseClick(child(editor, QPushButton, "removeAttachment"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: attachment_list.count() == 1)
    env.idle()
    assert [a.filename for a in env.portfolio.evidence.get(uuid).attachments] == ["slides.txt"]


def test_text_boxes_let_dropped_files_through(env: Env) -> None:
    editor = env.open(kind="reflection")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/x.pdf")])
    assert not editor.main_text.canInsertFromMimeData(mime)
    text = QMimeData()
    text.setText("words")
    assert editor.main_text.canInsertFromMimeData(text)


# =============================================================================================
# Keyboard
# =============================================================================================


def test_tab_order_follows_the_form(env: Env) -> None:
    editor = env.open(kind="reflection")
    order: list[str] = []
    widget: QWidget = editor.title_edit
    for _ in range(400):
        if (
            widget.isVisibleTo(editor)
            and widget.isEnabled()
            and widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
            and widget.objectName()
        ):
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        if widget is editor.title_edit:
            break
    expected = [
        "titleEdit",
        "dateEdit",
        "untilCheck",
        "placementCombo",
        "tagsEdit",
        "privateCheck",
        "field_model",
        "field_what",
        "field_so_what",
        "field_now_what",
        "mainText",
        "domainTree",
        "attachmentList",
        "addAttachment",
        "submitButton",
        "saveButton",
    ]  # History is enabled once the item is saved
    assert [name for name in order if name in expected] == expected


def test_save_shortcut_and_title(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Shortcut")
    assert editor.isWindowModified()
    assert "Shortcut" in editor.windowTitle()
    env.save(editor, shortcut=True)
    assert not editor.isWindowModified()
    assert "revision 1" in child(editor, QWidget, "autosaveLabel").text()


# =============================================================================================
# Pure diff helpers
# =============================================================================================


def test_revision_changes_name_each_field() -> None:
    before = {
        "title": "A",
        "occurred_on": "2024-01-02",
        "fields": {"model": "gibbs"},
        "text": "one two",
        "links": ["GPC1"],
        "justifications": {"GPC1": ""},
        "tags": [],
        "attachments": [],
        "attachment_names": {},
        "status": "draft",
        "private": False,
        "placement_id": None,
    }
    after = {
        **before,
        "title": "B",
        "fields": {"model": "kolb"},
        "text": "one three",
        "links": ["GPC1", "GPC6.2"],
        "justifications": {"GPC1": "", "GPC6.2": "QI"},
        "attachments": ["ab" * 32],
        "attachment_names": {"ab" * 32: "cert.pdf"},
    }
    changes = {
        c.label: c
        for c in revision_changes(
            before, after, template("reflection"), domain_titles={"GPC6.2": "QI"}
        )
    }
    assert changes["Title"].before == "A" and changes["Title"].after == "B"
    assert changes["Reflection model"].after == "Kolb"
    assert changes["Reflection"].long
    assert "GPC6.2 QI — QI" in changes["GPC domains"].after
    assert changes["Attachments"].after == "cert.pdf"
    html = word_diff_html("one two", "one three <b>")
    assert '<del class="removed">two</del>' in html
    assert '<ins class="added">three &lt;b&gt;</ins>' in html


# =============================================================================================
# Screenshots (written to $GPC_PORTFOLIO_SCREENSHOTS when set, e.g. docs/screenshots)
# =============================================================================================


def _fill_demo(editor: EvidenceEditor, qtbot: Any, fill: Callable[[EvidenceEditor], None]) -> None:
    fill(editor)
    QApplication.processEvents()


def test_screenshots(env: Env, qtbot: Any, tmp_path: Path) -> None:
    out = Path(os.environ.get("GPC_PORTFOLIO_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    env.portfolio.placements.save(
        PlacementData(
            trust="North Bristol NHS Trust",
            department="Acute medicine",
            starts_on=date(2024, 8, 7),
            ends_on=date(2025, 8, 5),
        )
    )

    def reflection(editor: EvidenceEditor) -> None:
        editor.title_edit.setText("Escalating a deteriorating patient on nights")
        editor.date_edit.setDate(date(2025, 2, 11))
        editor.placement_combo.setCurrentIndex(1)
        editor.tags_edit.setText("nights, escalation, NEWS2")
        model = child(editor, QComboBox, "field_model")
        model.setCurrentIndex(model.findData("what_so_what_now_what"))
        child(editor, QPlainTextEdit, "field_what").setPlainText(
            "On a night shift a patient's early warning score rose over two hours. I was "
            "unsure whether to call the medical registrar or wait for the next set of "
            "observations."
        )
        child(editor, QPlainTextEdit, "field_so_what").setPlainText(
            "I waited longer than I should have. I learned that a rising trend matters as much "
            "as a single score, and that the registrar would rather be called early."
        )
        child(editor, QPlainTextEdit, "field_now_what").setPlainText(
            "I now escalate on the trend and say clearly what I need. I will review this with "
            "my supervisor at our next meeting."
        )
        editor.main_text.setPlainText("A short summary of what I will do differently.")
        editor.domains.set_checked("GPC1")
        editor.domains.set_checked("GPC6.1")

    def qi(editor: EvidenceEditor) -> None:
        editor.title_edit.setText("Improving VTE risk assessment within 14 hours of admission")
        editor.date_edit.setDate(date(2024, 10, 1))
        editor.until_check.setChecked(True)
        editor.until_edit.setDate(date(2025, 3, 31))
        editor.placement_combo.setCurrentIndex(1)
        editor.tags_edit.setText("QI, VTE")
        child(editor, QLineEdit, "field_role").setText("Project lead")
        child(editor, QPlainTextEdit, "field_aim").setPlainText(
            "95% of medical admissions have a VTE risk assessment within 14 hours by March."
        )
        child(editor, QPlainTextEdit, "field_measures").setPlainText(
            "Outcome: % assessed within 14 hours. Balancing: time spent clerking."
        )
        for index, (plan, study) in enumerate(
            [
                ("Add a prompt to the clerking proforma.", "Compliance rose from 61% to 74%."),
                ("Teach the prompt at FY1 induction.", "Compliance 83%; gaps at weekends."),
            ]
        ):
            child(editor, QPushButton, "field_pdsa_cycles_add").click()
            child(editor, QPlainTextEdit, f"field_pdsa_cycles_{index}_plan").setPlainText(plan)
            child(editor, QPlainTextEdit, f"field_pdsa_cycles_{index}_study").setPlainText(study)
        editor.domains.set_checked("GPC6.2")
        editor.domains.tree.setCurrentItem(editor.domains.item("GPC6.2"))
        editor.domains.justification.setPlainText("Led the project through two PDSA cycles.")

    for kind, fill, name in (
        ("reflection", reflection, "editor-reflection.png"),
        ("qi_project", qi, "editor-qi.png"),
    ):
        editor = env.open(kind=kind)
        editor.resize(1100, 800)
        _fill_demo(editor, qtbot, fill)
        if kind == "qi_project":
            env.save(editor)
            editor.add_attachment_files([_demo_attachment(tmp_path)])
            qtbot.waitUntil(lambda e=editor: e.attachments.list.count() == 1)
            cycles = child(editor, QWidget, "field_pdsa_cycles")
            editor.form_scroll.verticalScrollBar().setValue(
                cycles.mapTo(editor.form_scroll.widget(), QPoint(0, 0)).y() - 60
            )
        image = editor.grab()
        assert image.save(str(out / name))
        assert image.width() >= 1000
        editor.close_keeping_draft()


def _demo_attachment(tmp_path: Path) -> Path:
    path = tmp_path / "run-chart.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return path
