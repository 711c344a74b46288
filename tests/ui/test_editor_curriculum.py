"""The editor's domain ticks and the trainee's own curriculum: its capabilities are offered
beside the GPC domains, saying where they count; links to other curricula are never dropped."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.ui.test_editor import Env, type_into


def _profile(env: Env, curriculum_id: str) -> None:
    env.portfolio.profile.save(
        ProfileData(name="Dr Test Trainee", gmc_number="1234567", curriculum_id=curriculum_id)
    )


def test_the_own_curriculum_is_ticked_like_a_domain(env: Env, qtbot: Any) -> None:
    _profile(env, "imt-2019")
    editor = env.open(kind="qi_project")
    tree = editor.domains.tree
    assert tree.topLevelItemCount() == 10  # the nine domains, then the curriculum's heading
    heading = tree.topLevelItem(9)
    assert heading.text(0) == "Internal Medicine Training (Stage 1) curriculum"
    assert not heading.flags() & Qt.ItemFlag.ItemIsUserCheckable
    g4 = editor.domains.item("IMT2019-G4")
    assert g4.parent().text(0) == "Generic capabilities in practice"
    assert "Counts towards GPC6.1, GPC6.2." in g4.toolTip(0)

    type_into(qtbot, editor.title_edit, "Sepsis six audit")
    tree.setFocus()
    heading.setExpanded(True)
    g4.parent().setExpanded(True)
    tree.setCurrentItem(g4)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    uuid = env.save(editor)
    assert env.portfolio.evidence.get(uuid).links == (Link("IMT2019-G4", ""),)
    assert env.portfolio.coverage.coverage().domains[5].total == 1  # GPC6


def test_links_to_another_curriculum_survive_an_edit(env: Env, qtbot: Any) -> None:
    _profile(env, "")
    item = env.portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="Consent for a lumbar puncture",
            occurred_on=date(2025, 9, 1),
            text="What I learned about capacity.",
            links=(Link("FP2021-FPC11", "Capacity and consent"), Link("GPC2.2")),
        )
    )
    editor = env.open(item_uuid=item.uuid)
    other = editor.findChild(QLabel, "otherLinks")
    assert other.isVisibleTo(editor) and "FP2021-FPC11" in other.text()
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, " (F1)")
    env.save(editor)
    after = env.portfolio.evidence.get(item.uuid)
    assert after.title == "Consent for a lumbar puncture (F1)"
    assert after.links == (Link("FP2021-FPC11", "Capacity and consent"), Link("GPC2.2", ""))


def test_an_imported_curriculum_is_offered_and_its_links_outlive_its_removal(
    env: Env, qtbot: Any, tmp_path
) -> None:
    from tests.curriculum.curriculum_helpers import COLLEGE_ID, COLLEGE_TITLE, case_file

    env.portfolio.curricula.import_case(case_file(tmp_path))
    _profile(env, COLLEGE_ID)
    editor = env.open(kind="reflection")
    assert editor.domains.tree.topLevelItem(9).text(0) == COLLEGE_TITLE
    acem1 = editor.domains.item("ACEM-1")
    assert "Counts towards GPC5, GPC2.4." in acem1.toolTip(0)
    type_into(qtbot, editor.title_edit, "Led a cardiac arrest call")
    acem1.setCheckState(0, Qt.CheckState.Checked)
    uuid = env.save(editor)
    assert env.portfolio.evidence.get(uuid).links == (Link("ACEM-1", ""),)

    assert env.portfolio.curricula.remove(COLLEGE_ID)  # it was the choice: now none
    again = env.open(item_uuid=uuid)
    assert again.domains.tree.topLevelItemCount() == 9
    other = again.findChild(QLabel, "otherLinks")
    assert other.isVisibleTo(again) and "ACEM-1" in other.text()
    again.title_edit.setFocus()
    qtbot.keyClicks(again.title_edit, " (ED)")
    env.save(again)
    assert env.portfolio.evidence.get(uuid).links == (Link("ACEM-1", ""),)
