"""Importing a college's CASE curriculum from the profile dialog: it joins the Curriculum combo,
chosen; saving makes it the trainee's curriculum on the dashboard; a bad file is refused in the
dialog and changes nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QTableWidget

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.ui.profile_dialog import ProfileDialog
from tests.curriculum.curriculum_helpers import COLLEGE_ID, COLLEGE_TITLE, case_file


def open_dialog(main_window, settle) -> ProfileDialog:
    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    return dialog


def test_a_curriculum_imported_in_the_profile_dialog_is_chosen_and_shown(
    qtbot, portfolio: Portfolio, main_window, settle, tmp_path: Path, monkeypatch
) -> None:
    portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="Led a cardiac arrest call",
            occurred_on=date(2026, 2, 3),
            text="What I learned about leading.",
            links=(Link("GPC5"),),
        )
    )
    dialog = open_dialog(main_window, settle)
    combo = dialog.findChild(QComboBox, "curriculumCombo")
    offered = combo.count()
    path = case_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    button = dialog.findChild(QPushButton, "importCurriculum")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()
    assert combo.count() == offered + 1
    assert combo.currentData() == COLLEGE_ID
    assert combo.currentText() == f"{COLLEGE_TITLE} (2025)"
    note = dialog.findChild(QLabel, "curriculumNote")
    assert note.isVisibleTo(dialog)
    assert note.text() == f"Imported {COLLEGE_TITLE} (2025). Save to make it your curriculum."
    assert portfolio.curricula.imported_ids() == {COLLEGE_ID}
    assert portfolio.profile.get().curriculum_id == ""  # chosen only when saved
    dialog.resize(760, 560)
    dialog.grab().save("/tmp/curricula2-profile-import.png")

    dashboard = main_window.dashboard
    with (
        qtbot.waitSignal(dashboard.loaded, timeout=10_000),
        qtbot.waitSignal(dialog.finished, timeout=10_000),
    ):
        qtbot.mouseClick(dialog.findChild(QPushButton, "saveProfile"), Qt.MouseButton.LeftButton)
    settle()
    assert portfolio.profile.get().curriculum_id == COLLEGE_ID
    heading = dashboard.findChild(QLabel, "curriculumHeading")
    assert heading.text() == f"Your curriculum: {COLLEGE_TITLE} (0 of 3 capabilities have evidence)"
    assert dashboard.findChild(QTableWidget, "curriculumCoverage").rowCount() == 3

    again = open_dialog(main_window, settle)
    assert again.findChild(QComboBox, "curriculumCombo").currentData() == COLLEGE_ID
    again.reject()
    settle()


def test_a_bad_case_file_is_refused_in_the_dialog(
    qtbot, portfolio: Portfolio, main_window, settle, tmp_path: Path
) -> None:
    dialog = open_dialog(main_window, settle)
    combo = dialog.findChild(QComboBox, "curriculumCombo")
    offered = [combo.itemData(i) for i in range(combo.count())]
    bad = tmp_path / "unmapped.json"
    package = json.loads(case_file(tmp_path).read_text(encoding="utf-8"))
    package["CFAssociations"] = [
        a for a in package["CFAssociations"] if a["associationType"] != "isRelatedTo"
    ]
    bad.write_text(json.dumps(package), encoding="utf-8")
    dialog.import_curriculum(bad)
    settle()
    error = dialog.findChild(QLabel, "formError")
    assert "gives the capability 'ACEM-1' no maps_to" in error.text()
    assert [combo.itemData(i) for i in range(combo.count())] == offered
    assert not dialog.findChild(QLabel, "curriculumNote").isVisibleTo(dialog)
    assert portfolio.curricula.imported_ids() == frozenset()
    dialog.reject()
    settle()
