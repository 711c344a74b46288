"""Privacy in the evidence editor: identifiers are marked as the trainee types, listed with a
one-click replacement, and "not patient data" is remembered for the item (docs/privacy.md)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QPushButton
from shiboken6 import isValid

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link, PlacementData
from portfolio.ui.editor import EvidenceEditor
from portfolio.ui.editor.privacy import SCAN_DELAY_MS, PrivacyPanel
from portfolio.ui.operations import Operations
from portfolio.vocabulary import ChangeKind

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier
NHS = "943 476 5919"
IDENTIFYING = f"I saw Mrs Jones, NHS number {NHS}, who lives at EX2 5DW, on the ward round."
CLINICAL = (
    "I prescribed amoxicillin 500 mg after her NEWS2 of 7 and asked the registrar on "
    "bleep 1234 to review."
)


@dataclass
class Env:
    qtbot: Any
    portfolio: Portfolio
    ops: Operations
    editors: list[EvidenceEditor] = field(default_factory=list)

    def open(self, **kwargs: Any) -> EvidenceEditor:
        editor = EvidenceEditor(self.portfolio, self.ops, **kwargs)
        self.editors.append(editor)
        editor.show()
        self.qtbot.waitUntil(lambda: editor.is_loaded)
        return editor

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.ops.busy)

    def save(self, editor: EvidenceEditor) -> str:
        with self.qtbot.waitSignal(editor.saved, timeout=10_000) as blocker:
            editor.save()
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


def panel_of(editor: EvidenceEditor) -> PrivacyPanel:
    found = editor.findChild(PrivacyPanel, "privacyPanel")
    assert found is not None
    return found


def listed(editor: EvidenceEditor) -> list[tuple[str, str]]:
    return [(f.finding.kind, f.finding.text) for f in editor.privacy.findings]


def typed_and_scanned(env: Env, editor: EvidenceEditor, widget: Any, text: str) -> None:
    """Type like a person, then wait for the scan that follows the pause."""
    widget.setFocus()
    with env.qtbot.waitSignal(editor.privacy.scanned, timeout=SCAN_DELAY_MS * 10):
        env.qtbot.keyClicks(widget, text)


def highlighted(widget: QPlainTextEdit) -> list[str]:
    return [selection.cursor.selectedText() for selection in widget.extraSelections()]


def buttons(editor: EvidenceEditor, name: str, text: str) -> QPushButton:
    """The ``name`` button of the row listing ``text``."""
    panel = panel_of(editor)
    for row, found in zip(panel.findChildren(QPushButton, name), panel.findings, strict=False):
        if found.finding.text == text:
            return row
    raise AssertionError(f"no {name} for {text!r} in {listed(editor)}")


def test_identifiers_typed_in_a_reflection_are_marked_and_listed(env: Env) -> None:
    editor = env.open(kind="reflection")
    assert editor.privacy_panel is None  # nothing to say yet: no panel at all

    typed_and_scanned(env, editor, editor.main_text, IDENTIFYING)

    panel = panel_of(editor)
    assert panel.isVisible()
    assert set(listed(editor)) == {
        ("name", "Mrs Jones"),
        ("nhs_number", NHS),
        ("postcode", "EX2 5DW"),
    }
    assert sorted(highlighted(editor.main_text)) == sorted(["Mrs Jones", NHS, "EX2 5DW"])
    assert "could identify a patient" in panel.heading.text()
    assert "GMC" in panel.explanation.text()
    labels = {f.source.label for f in panel.findings}
    assert labels == {"Reflection"}


def test_replace_anonymises_exactly_that_span_and_can_be_undone(env: Env) -> None:
    editor = env.open(kind="reflection")
    typed_and_scanned(env, editor, editor.main_text, IDENTIFYING)

    env.qtbot.mouseClick(buttons(editor, "replaceFinding", NHS), Qt.MouseButton.LeftButton)
    assert editor.main_text.toPlainText() == IDENTIFYING.replace(NHS, "[NHS number removed]")
    assert NHS not in [text for _, text in listed(editor)]
    assert editor.is_dirty

    replace_name = buttons(editor, "replaceFinding", "Mrs Jones")
    assert "Mrs X" in replace_name.text()
    env.qtbot.mouseClick(replace_name, Qt.MouseButton.LeftButton)
    env.qtbot.mouseClick(buttons(editor, "replaceFinding", "EX2 5DW"), Qt.MouseButton.LeftButton)
    assert editor.main_text.toPlainText() == (
        "I saw Mrs X, NHS number [NHS number removed], who lives at [postcode removed], on the "
        "ward round."
    )
    assert listed(editor) == []
    assert not panel_of(editor).isVisible()
    assert highlighted(editor.main_text) == []

    editor.main_text.undo()  # the last replacement goes back, and is flagged again
    editor.privacy.scan_now()
    assert "EX2 5DW" in editor.main_text.toPlainText()
    assert listed(editor) == [("postcode", "EX2 5DW")]


def test_fields_title_and_justification_are_scanned(env: Env) -> None:
    editor = env.open(kind="reflection")
    model = editor.findChild(QComboBox, "field_model")
    model.setCurrentIndex(model.findData("what_so_what_now_what"))
    what = editor.findChild(QPlainTextEdit, "field_what")
    typed_and_scanned(env, editor, what, "Dr Patel asked me to see the patient.")
    typed_and_scanned(env, editor, editor.title_edit, "Talking with Mr Smith's family")
    editor.domains.set_checked("GPC1")
    editor.domains.show_code("GPC1")
    typed_and_scanned(env, editor, editor.domains.justification, "Call on 07700 900123.")

    where = {(f.source.label, f.finding.text) for f in panel_of(editor).findings}
    assert where == {("Title", "Mr Smith"), ("What?", "Dr Patel"), ("Why GPC1", "07700 900123")}
    assert highlighted(what) == ["Dr Patel"]
    assert editor.privacy.marked_line_edits() == [editor.title_edit]  # an icon, not a range
    assert highlighted(editor.domains.justification) == ["07700 900123"]

    env.qtbot.mouseClick(buttons(editor, "replaceFinding", "Mr Smith"), Qt.MouseButton.LeftButton)
    assert editor.title_edit.text() == "Talking with Mr X's family"
    editor.title_edit.undo()
    assert editor.title_edit.text() == "Talking with Mr Smith's family"
    editor.privacy.scan_now()

    # a justification of another domain is replaced after bringing it into the box
    editor.domains.set_checked("GPC5")
    editor.domains.show_code("GPC5")
    editor.privacy.scan_now()
    env.qtbot.mouseClick(
        buttons(editor, "replaceFinding", "07700 900123"), Qt.MouseButton.LeftButton
    )
    assert editor.domains.current_code() == "GPC1"
    assert editor.domains.justification.toPlainText() == "Call on [phone number removed]."
    assert {link.justification for link in editor.domains.links()} == {
        "Call on [phone number removed].",
        "",
    }

    env.qtbot.mouseClick(panel_of(editor).replace_all_button, Qt.MouseButton.LeftButton)
    assert listed(editor) == []
    assert editor.privacy.marked_line_edits() == []
    assert editor.title_edit.text() == "Talking with Mr X's family"
    assert what.toPlainText() == "Dr X asked me to see the patient."


def test_pdsa_cycles_and_list_fields_are_scanned(env: Env) -> None:
    editor = env.open(kind="qi_project")
    editor.findChild(QPushButton, "field_pdsa_cycles_add").click()
    plan = editor.findChild(QPlainTextEdit, "field_pdsa_cycles_0_plan")
    typed_and_scanned(env, editor, plan, "Ask Mrs Jones on ward 4 about the new chart.")
    labels = [f.source.label for f in panel_of(editor).findings]
    assert labels == ["PDSA cycles 1: Plan"]
    assert highlighted(plan) == ["Mrs Jones"]


def test_ordinary_clinical_text_is_not_flagged(env: Env) -> None:
    editor = env.open(kind="reflection")
    typed_and_scanned(env, editor, editor.main_text, CLINICAL)
    assert editor.privacy.findings == []
    assert editor.privacy_panel is None
    assert highlighted(editor.main_text) == []


def test_dismissal_is_remembered_for_the_saved_item(env: Env) -> None:
    editor = env.open(kind="reflection")
    editor.title_edit.setText("Ward round")
    typed_and_scanned(env, editor, editor.main_text, IDENTIFYING)
    uuid = env.save(editor)

    with env.qtbot.waitSignal(
        env.ops.changed, timeout=10_000, check_params_cb=lambda c: c.kind is ChangeKind.PRIVACY
    ):
        env.qtbot.mouseClick(
            buttons(editor, "dismissFinding", "Mrs Jones"), Qt.MouseButton.LeftButton
        )
    assert ("name", "Mrs Jones") not in listed(editor)
    assert "Mrs Jones" not in highlighted(editor.main_text)
    assert len(listed(editor)) == 2
    assert [
        f.finding.text for f in env.portfolio.privacy.scan(env.portfolio.evidence.get(uuid))
    ] == [NHS, "EX2 5DW"]
    editor.close()

    again = env.open(item_uuid=uuid)
    assert set(listed(again)) == {("nhs_number", NHS), ("postcode", "EX2 5DW")}
    assert "Mrs Jones" not in highlighted(again.main_text)


def test_a_dismissal_made_in_the_portfolio_wide_check_reaches_an_open_editor(env: Env) -> None:
    editor = env.open(kind="reflection")
    editor.title_edit.setText("Ward round")
    typed_and_scanned(env, editor, editor.main_text, IDENTIFYING)
    uuid = env.save(editor)
    (postcode,) = [
        f for f in env.portfolio.privacy.check(uuids=(uuid,)) if f.finding.kind == "postcode"
    ]
    env.portfolio.privacy.dismiss(uuid, postcode.finding)  # as the Check privacy dialog does
    with env.qtbot.waitSignal(editor.privacy.scanned, timeout=10_000):
        env.ops.announce(ChangeKind.PRIVACY, [uuid])
    assert ("postcode", "EX2 5DW") not in listed(editor)
    assert env.portfolio.privacy.dismissed(uuid) == {("postcode", "EX2 5DW")}


def test_dismissal_in_a_new_item_is_stored_on_first_save(env: Env) -> None:
    editor = env.open(kind="reflection")
    editor.title_edit.setText("Nights")
    typed_and_scanned(env, editor, editor.main_text, "Dr Patel was the registrar.")
    env.qtbot.mouseClick(buttons(editor, "dismissFinding", "Dr Patel"), Qt.MouseButton.LeftButton)
    assert listed(editor) == []
    assert editor.state()["privacy_dismissed"] == [["name", "Dr Patel"]]
    uuid = env.save(editor)
    assert env.portfolio.privacy.scan(env.portfolio.evidence.get(uuid)) == []
    assert editor.state()["privacy_dismissed"] == []
    editor.close()

    again = env.open(item_uuid=uuid)
    assert listed(again) == []


def test_findings_show_on_load(env: Env) -> None:
    env.portfolio.placements.save(PlacementData(trust="T", starts_on=date(2024, 8, 1)))
    item = env.portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="Handover",
            occurred_on=date(2024, 9, 1),
            text=IDENTIFYING,
            links=(Link("GPC1", "Mr Brown's case"),),
        )
    )
    editor = env.open(item_uuid=item.uuid)
    assert {text for _, text in listed(editor)} == {"Mrs Jones", NHS, "EX2 5DW", "Mr Brown"}
    assert panel_of(editor).isVisible()


def test_screenshot(env: Env, qtbot: Any, tmp_path: Path) -> None:
    out = Path(os.environ.get("GPC_PORTFOLIO_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    editor = env.open(kind="reflection")
    editor.resize(1100, 800)
    editor.title_edit.setText("Breaking bad news on a busy night")
    editor.tags_edit.setText("communication, nights")
    model = editor.findChild(QComboBox, "field_model")
    model.setCurrentIndex(model.findData("what_so_what_now_what"))
    editor.findChild(QPlainTextEdit, "field_what").setPlainText(
        f"On nights I told Mrs Jones (NHS {NHS}) that her husband's scan showed a bleed. "
        "Her daughter drove over from EX2 5DW."
    )
    editor.findChild(QPlainTextEdit, "field_so_what").setPlainText(
        "I had not checked what she already knew, and I learned to ask first and to find a "
        "quiet room before starting."
    )
    editor.findChild(QPlainTextEdit, "field_now_what").setPlainText(
        "I will use SPIKES and ask a nurse to join me next time."
    )
    editor.domains.set_checked("GPC2")
    editor.privacy.scan_now()
    editor.title_edit.setFocus()
    QApplication.processEvents()
    assert len(listed(editor)) == 3
    assert editor.grab().save(str(out / "editor-privacy.png"))


def test_the_title_warning_is_an_icon(env: Env) -> None:
    editor = env.open(kind="reflection")
    typed_and_scanned(env, editor, editor.title_edit, "Mr Smith")
    marks = editor.title_edit.findChildren(QLineEdit)  # nothing odd added inside
    assert marks == []
    actions = [a for a in editor.title_edit.actions() if a.objectName() == "privacyMark"]
    assert len(actions) == 1 and "Mr Smith" in actions[0].toolTip()
    editor.title_edit.setText("Handover")
    editor.privacy.scan_now()
    assert [a for a in editor.title_edit.actions() if a.objectName() == "privacyMark"] == []
