"""The editor as a trainee meets it (issue 13 point 6, issue 14 point 8): a failed save focuses
the field its error names (``InvalidInput.field``, never the message's words); Gibbs' stages
prompt; the main text of a reflection says what it is for; a domain shows partly ticked; Submit
is not offered for an item already submitted or signed off."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from portfolio.kinds import template
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.ui.test_editor import Env, child, choose, type_into
from tests.ui.test_editor_lifecycle import sign_off

WAIT = 10_000


def click_save(env: Env, editor: Any) -> str:
    """Press the real Save button; the error the message bar then shows."""
    qtbot = env.qtbot
    qtbot.mouseClick(child(editor, QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    bar = child(editor, QWidget, "messageBar")
    qtbot.waitUntil(bar.isVisible, timeout=WAIT)
    env.idle()
    return str(bar.label.text())


# =============================================================================================
# A failed save focuses the field its error names
# =============================================================================================


def test_an_empty_title_focuses_the_title(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.main_text, "What I learned, without a title yet.")
    assert "title must not be empty" in click_save(env, editor)
    assert QApplication.focusWidget() is editor.title_edit
    assert editor.item_uuid is None and env.portfolio.evidence.count() == 0


def test_an_end_before_the_start_focuses_the_end_date(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="leadership_role")
    type_into(qtbot, editor.title_edit, "Rota lead")
    editor.date_edit.setDate(QDate(2024, 8, 1))
    qtbot.mouseClick(editor.until_check, Qt.MouseButton.LeftButton)
    editor.until_edit.setDate(QDate(2024, 2, 1))
    assert "ends (2024-02-01) before it starts" in click_save(env, editor)
    assert QApplication.focusWidget() is editor.until_edit


def test_a_field_in_a_repeat_entry_is_focused_in_that_entry(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="qi_project")
    type_into(qtbot, editor.title_edit, "Sepsis audit")
    for _ in range(2):
        qtbot.mouseClick(
            child(editor, QPushButton, "field_pdsa_cycles_add"), Qt.MouseButton.LeftButton
        )
    child(editor, QPlainTextEdit, "field_pdsa_cycles_0_plan").setPlainText("Audit a week")
    study = child(editor, QPlainTextEdit, "field_pdsa_cycles_1_study")
    study.setFocus()
    study.insertPlainText("x" * 50_001)  # a paste far longer than a field holds
    editor.title_edit.setFocus()
    message = click_save(env, editor)
    assert "entry 2" in message and "too long" in message
    assert QApplication.focusWidget() is study


def test_a_long_justification_shows_and_focuses_its_domain(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Handover")
    editor.domains.set_checked("GPC1")
    editor.domains.set_checked("GPC5")
    editor.domains.show_code("GPC1")
    editor.domains.justification.setPlainText("y" * 5_001)
    editor.domains.show_code("GPC5")  # the box now shows another domain's reason
    assert "justification is longer than 5000" in click_save(env, editor)
    assert QApplication.focusWidget() is editor.domains.justification
    assert editor.domains.current_code() == "GPC1"


def test_a_tag_too_long_focuses_the_tags_and_a_text_too_long_the_text(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="reflection")
    type_into(qtbot, editor.title_edit, "Tags")
    type_into(qtbot, editor.tags_edit, "nights, " + "t" * 101)
    editor.title_edit.setFocus()
    assert "tag is longer than 100" in click_save(env, editor)
    assert QApplication.focusWidget() is editor.tags_edit
    editor.tags_edit.setText("nights")
    editor.main_text.setPlainText("z" * 100_001)
    editor.title_edit.setFocus()
    assert "text is longer than 100000" in click_save(env, editor)
    assert QApplication.focusWidget() is editor.main_text


# =============================================================================================
# Gibbs prompts, and what the reflection's main text is for
# =============================================================================================

GIBBS = ("description", "feelings", "evaluation", "analysis", "conclusion", "action_plan")


def test_every_gibbs_stage_prompts_and_the_main_text_says_what_it_is_for(
    env: Env, qtbot: Any
) -> None:
    editor = env.open(kind="reflection")
    choose(qtbot, child(editor, QComboBox, "field_model"), "gibbs")
    prompts = []
    for key in GIBBS:
        box = child(editor, QPlainTextEdit, f"field_{key}")
        assert box.isVisibleTo(editor)
        assert box.placeholderText() and box.placeholderText() == box.toolTip()
        prompts.append(box.placeholderText())
    assert len(set(prompts)) == len(GIBBS)  # a prompt of its own for each stage
    assert "feeling" in prompts[1].lower() and "again" in prompts[5].lower()
    spec = template("reflection")
    assert all(spec.field(key).help for key in GIBBS)
    help_caption = child(editor, QLabel, "mainTextHelp")
    assert help_caption.isVisibleTo(editor) and help_caption.text() == spec.text_help
    assert "optional" in help_caption.text().lower()
    assert editor.main_text.accessibleDescription() == spec.text_help
    assert "optional" in editor.main_text.placeholderText()
    editor.grab().save("/tmp/editor-gibbs-test.png")


def test_kinds_whose_main_text_is_the_writing_show_no_such_hint(env: Env) -> None:
    editor = env.open(kind="course")
    assert editor.findChild(QLabel, "mainTextHelp") is None


# =============================================================================================
# Tri-state domains
# =============================================================================================


def click_check(qtbot: Any, editor: Any, code: str) -> None:
    """Click a node's tick box in the domain tree, where the trainee would."""
    tree = editor.domains.tree
    item = editor.domains.item(code)
    editor.domains.show_code(code)
    rect = tree.visualItemRect(item)
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    option.rect = rect
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    check = tree.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree
    )
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=check.center())


def test_a_domain_shows_partly_ticked_while_some_sub_headings_are(env: Env, qtbot: Any) -> None:
    editor = env.open(kind="qi_project")
    type_into(qtbot, editor.title_edit, "Audit")
    domains = editor.domains
    state = lambda code: domains.item(code).checkState(0)  # noqa: E731
    click_check(qtbot, editor, "GPC6.2")
    assert state("GPC6.2") == Qt.CheckState.Checked
    assert state("GPC6") == Qt.CheckState.PartiallyChecked
    assert domains.checked_codes() == ["GPC6.2"]  # partly ticked is not a link of its own
    click_check(qtbot, editor, "GPC6")  # clicking the domain links the domain itself
    assert state("GPC6") == Qt.CheckState.Checked
    assert domains.checked_codes() == ["GPC6", "GPC6.2"]
    click_check(qtbot, editor, "GPC6")
    assert state("GPC6") == Qt.CheckState.PartiallyChecked
    click_check(qtbot, editor, "GPC6.2")
    assert state("GPC6") == Qt.CheckState.Unchecked and domains.checked_codes() == []
    click_check(qtbot, editor, "GPC6.1")
    uuid = env.save(editor)
    assert [link.code for link in env.portfolio.evidence.get(uuid).links] == ["GPC6.1"]


def test_a_saved_item_opens_with_its_domains_partly_ticked(env: Env) -> None:
    detail = env.portfolio.evidence.create(
        EvidenceDraft("qi_project", "Audit", date(2024, 2, 1), links=(Link("GPC6.2", ""),))
    )
    editor = env.open(item_uuid=detail.uuid)
    assert editor.domains.item("GPC6").checkState(0) == Qt.CheckState.PartiallyChecked
    assert editor.domains.item("GPC1").checkState(0) == Qt.CheckState.Unchecked
    assert not editor.is_dirty  # showing the ticks is not a change


# =============================================================================================
# Submit only when there is something to submit
# =============================================================================================


def submit_offered(editor: Any) -> bool:
    button = child(editor, QPushButton, "submitButton")
    assert button.isEnabled() == editor.submit_action.isEnabled()
    return bool(button.isEnabled())


def test_submit_is_disabled_once_submitted_and_offered_again_after_a_change(
    env: Env, qtbot: Any
) -> None:
    editor = env.open(kind="teaching")
    type_into(qtbot, editor.title_edit, "Fluids teaching")
    assert submit_offered(editor)
    qtbot.mouseClick(child(editor, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.status == "ready")
    assert not submit_offered(editor)
    assert "waiting" in child(editor, QPushButton, "submitButton").toolTip()
    revisions = len(env.portfolio.evidence.revisions(editor.item_uuid or ""))
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    env.idle()
    assert len(env.portfolio.evidence.revisions(editor.item_uuid or "")) == revisions
    qtbot.keyClicks(editor.title_edit, " for FY1s")
    assert submit_offered(editor)  # a changed version can go for review


def test_a_signed_off_item_does_not_offer_submit(env: Env, qtbot: Any) -> None:
    env.portfolio.profile.save(ProfileData(name="Dr Test Trainee", gmc_number="1234567"))
    detail = env.portfolio.evidence.create(EvidenceDraft("course", "ALS", date(2024, 9, 1)))
    env.portfolio.evidence.submit([detail.uuid])
    sign_off(env.portfolio, detail.uuid)
    editor = env.open(item_uuid=detail.uuid)
    assert editor.detail is not None and editor.detail.status == "signed_off"
    assert not submit_offered(editor)
    assert "Signed off" in child(editor, QPushButton, "submitButton").toolTip()
    menu_texts = [a.text() for a in editor.menuBar().actions()[0].menu().actions()]
    assert "Submit for &review" in menu_texts  # listed, greyed out


def test_saving_leaves_the_cursor_where_the_trainee_was_typing(env: Env, qtbot: Any) -> None:
    """What the session reads after a save (the sign-offs) never refills the widgets."""
    editor = env.open(kind="course")
    type_into(qtbot, editor.title_edit, "ALS")
    type_into(qtbot, editor.main_text, "Airway first, then breathing.")
    cursor = editor.main_text.textCursor()
    cursor.setPosition(6)
    editor.main_text.setTextCursor(cursor)
    env.save(editor)
    env.idle()
    assert editor.main_text.textCursor().position() == 6
    assert QApplication.focusWidget() is editor.main_text
