"""Keyboard and screen-reader defects found over AT-SPI (issue 14.9), each driven by real keys.

The whole tree, as a real client sees it, is walked by ``test_atspi.py``; these tests pin each
defect in the offscreen window, fast.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QWidget,
)

from portfolio.ui.profile_dialog import ProfileDialog
from portfolio.ui.widgets import OptionalDateEdit


def activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def tab(qtbot, backwards: bool = False) -> QWidget:
    """One press of Tab (or Shift+Tab) where the focus is; the widget that has it after."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def tab_until(qtbot, target: QWidget, limit: int = 40) -> list[QWidget]:
    """Tab until ``target`` has focus (failing after ``limit`` presses); the stops on the way."""
    stops = []
    for _ in range(limit):
        focused = tab(qtbot)
        stops.append(focused)
        if focused is target:
            return stops
    raise AssertionError(f"{target.objectName()} never got focus; stops: {_names(stops)}")


def _names(widgets: list[QWidget]) -> list[str]:
    return [w.objectName() or type(w).__name__ for w in widgets]


def accessible(widget: QWidget):
    return QAccessible.queryAccessibleInterface(widget)


# -- the "any date" fields ---------------------------------------------------------------------


def test_tab_leaves_an_any_date_field_forwards_on_the_evidence_page(qtbot, main_window) -> None:
    activate(qtbot, main_window)
    main_window.show_page("evidence")
    filters = main_window.evidence.filters
    filters.search.setFocus()
    stops = tab_until(qtbot, main_window.evidence.table)
    assert _names(stops) == [
        "kindFilter",
        "domainFilter",
        "statusFilter",
        "tagFilter",
        "dateFrom",
        "dateTo",
        "placementFilter",
        "clearFilters",
        "trashToggle",
        "evidenceTable",
    ]
    filters.date_to.setFocus()  # with a date chosen too, Tab leaves rather than moving by part
    filters.date_to.setDate(filters.date_to.date().addYears(125))
    assert tab(qtbot) is filters.placement
    assert tab(qtbot, backwards=True) is filters.date_to
    assert tab(qtbot, backwards=True) is filters.date_from


def test_tab_reaches_save_as_pdf_past_the_report_period(qtbot, main_window) -> None:
    activate(qtbot, main_window)
    main_window.show_page("reports")
    reports = main_window.reports
    reports.date_from.setFocus()
    stops = tab_until(qtbot, reports.save_button)
    assert stops[0] is reports.date_to
    assert reports.reflections in stops


def every_page(window) -> None:
    """Build every page (each is built when first shown), so findChildren meets them all."""
    for key in ("dashboard", "evidence", "reviews", "reports", "opportunities", "mentor"):
        getattr(window, key)


def test_the_report_period_fields_are_named_apart(main_window) -> None:
    every_page(main_window)
    reports = main_window.reports
    names = {accessible(reports.date_from).text(QAccessible.Text.Name)}
    names.add(accessible(reports.date_to).text(QAccessible.Text.Name))
    assert names == {"Period starts", "Period ends"}
    for date_field in main_window.findChildren(OptionalDateEdit):
        assert date_field.accessibleName() not in ("", "What to include"), date_field.objectName()


# -- labels --------------------------------------------------------------------------------


def test_every_filter_has_a_visible_label_as_its_buddy(qtbot, main_window) -> None:
    every_page(main_window)
    labelled = {
        label.buddy() for label in main_window.findChildren(QLabel) if label.buddy() is not None
    }
    bar = main_window.evidence.filters
    for field in (bar.kind, bar.domain, bar.status, bar.tag, bar.date_from, bar.date_to):
        assert field in labelled, field.objectName()
    assert bar.placement in labelled
    assert main_window.opportunities.domain_filter in labelled
    for combo in main_window.findChildren(QComboBox):  # its own name, or its label's
        assert accessible(combo).text(QAccessible.Text.Name), combo.objectName()


# -- menus ---------------------------------------------------------------------------------


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _menus(window) -> list[QMenu]:
    found = []
    pending = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while pending:
        menu = pending.pop()
        found.append(menu)
        pending += [a.menu() for a in menu.actions() if a.menu() is not None]
    return found


def test_no_menu_repeats_a_mnemonic(main_window) -> None:
    menus = _menus(main_window)
    assert len(menus) >= 6
    bars = [a.text() for a in main_window.menuBar().actions()]
    for title, texts in [
        ("menu bar", bars),
        *((m.title(), [a.text() for a in m.actions()]) for m in menus),
    ]:
        letters = [_mnemonic(text) for text in texts if _mnemonic(text)]
        repeated = {letter for letter in letters if letters.count(letter) > 1}
        assert not repeated, f"{title}: {repeated} in {texts}"


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing|propagateSizeHints)")
def test_alt_f_then_p_opens_the_profile_at_once(qtbot, main_window, settle) -> None:
    activate(qtbot, main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    menu = main_window.menuBar().actions()[0].menu()
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_P)  # one "&P" in the menu: it triggers rather than cycles
    qtbot.waitUntil(lambda: main_window.findChild(ProfileDialog, "profileDialog") is not None)
    settle()
    main_window.findChild(ProfileDialog, "profileDialog").reject()


# -- scroll areas, focus after the editor -----------------------------------------------------


def test_tab_never_stops_on_a_scroll_area(qtbot, main_window, settle) -> None:
    activate(qtbot, main_window)
    for page in ("dashboard", "reviews"):
        main_window.show_page(page)
        main_window.navigation.setFocus()
        stops = [tab(qtbot) for _ in range(25)]
        for stop in stops:  # neither the scroll area nor its viewport
            assert not isinstance(stop, QScrollArea), _names(stops)
            assert not isinstance(stop.parentWidget(), QScrollArea), _names(stops)
        if page == "dashboard":
            assert main_window.dashboard.cards["GPC1"] in stops
    assert main_window.findChild(QScrollArea, "dashboardScroll").accessibleName() == "Dashboard"
    assert main_window.findChild(QScrollArea, "reviewsScroll").accessibleName() == "Reviews"
    settle()  # the Reviews page reads its identities when first shown


def test_focus_returns_to_the_row_after_the_editor_closes(qtbot, main_window, settle) -> None:
    activate(qtbot, main_window)
    table = main_window.dashboard.recent  # the recent items, inside the dashboard's scroll area
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    row = table.currentIndex().row()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(main_window.editors) == 1)
    editor = main_window.editors[0]
    settle()
    activate(qtbot, editor)
    assert QApplication.focusWidget().window() is editor
    with qtbot.waitSignal(editor.closed, timeout=10_000):
        qtbot.keyClick(editor, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    activate(qtbot, main_window)  # as the window manager does when the editor goes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    assert table.currentIndex().row() == row
    settle()


# -- domain cards ----------------------------------------------------------------------------


def test_domain_cards_are_buttons_a_keyboard_presses(qtbot, main_window) -> None:
    activate(qtbot, main_window)
    card = main_window.dashboard.cards["GPC5"]
    interface = accessible(card)
    assert interface.role() == QAccessible.Role.Button
    assert QAccessibleActionInterface.pressAction() in interface.actionInterface().actionNames()
    assert interface.text(QAccessible.Text.Name).startswith("GPC5 ")
    main_window.navigation.setFocus()
    tab_until(qtbot, card)
    qtbot.keyClick(card, Qt.Key.Key_Space)
    assert main_window.current_page_key() == "evidence"
    assert main_window.evidence.filters.domain.currentData() == "GPC5"


# -- names and the required state -----------------------------------------------------------


def test_the_opportunity_table_and_the_grade_box_are_named(qtbot, main_window, settle) -> None:
    table = main_window.opportunities.table
    assert accessible(table).text(QAccessible.Text.Name) == "Opportunities"
    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    activate(qtbot, dialog)
    dialog.form.gmc.setFocus()
    assert tab(qtbot) is dialog.form.grade
    text_box = dialog.form.grade.lineEdit()  # where the typing goes, a child of the combo
    assert text_box.objectName() == "gradeText"
    assert accessible(text_box).text(QAccessible.Text.Name) == "Grade"
    qtbot.keyClicks(QApplication.focusWidget(), "ST3")
    assert text_box.text() == "ST3"
    dialog.reject()


def test_required_fields_say_so_and_errors_are_tied_to_them(qtbot, main_window, settle) -> None:
    main_window.profile_action.trigger()
    dialog = main_window.findChild(ProfileDialog, "profileDialog")
    settle()
    activate(qtbot, dialog)
    name, gmc = dialog.form.name, dialog.form.gmc
    for field in (name, gmc):
        assert accessible(field).text(QAccessible.Text.Description).startswith("Required.")
    assert not dialog.form.grade.lineEdit().accessibleDescription().startswith("Required.")

    name.setFocus()
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)
    save = dialog.findChild(QPushButton, "saveProfile")
    save.setFocus()
    qtbot.keyClick(save, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is name  # sent back to the field with the message
    assert accessible(name).text(QAccessible.Text.Description) == "Please enter your name."
    qtbot.keyClicks(name, "Dr Back Again")
    assert accessible(name).text(QAccessible.Text.Description).startswith("Required.")
    dialog.reject()


def test_the_editor_marks_its_required_fields(qtbot, main_window, settle) -> None:
    editor = main_window.open_editor(kind="reflection")
    settle()
    assert editor.title_edit.accessibleDescription().startswith("Required.")
    required = [w for w in editor.findChildren(QWidget) if w.property("required")]
    assert editor.title_edit in required and len(required) >= 2
    editor.close()
    settle()
