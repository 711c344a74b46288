"""First run: the welcome creates the profile, or fills the demo portfolio."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from portfolio.app import Portfolio
from portfolio.ui.operations import Operations
from portfolio.ui.welcome import WelcomeDialog
from portfolio.ui.widgets import FieldError


@pytest.fixture
def welcome(qtbot, empty_portfolio: Portfolio, ops: Operations) -> WelcomeDialog:
    dialog = WelcomeDialog(empty_portfolio, ops)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def field(dialog: QDialog, name: str) -> QLineEdit:
    found = dialog.findChild(QLineEdit, name)
    assert found is not None, name
    return found


def test_welcome_creates_the_profile(qtbot, welcome, empty_portfolio, ops) -> None:
    assert welcome.objectName() == "welcome"
    qtbot.keyClicks(field(welcome, "nameEdit"), "Dr Alex Morgan")
    qtbot.keyClicks(field(welcome, "gmcEdit"), "7654321")
    welcome.form.grade.setCurrentText("FY2")
    qtbot.keyClicks(field(welcome, "specialtyEdit"), "Foundation")
    qtbot.keyClicks(field(welcome, "programmeEdit"), "Foundation Programme")
    qtbot.keyClicks(field(welcome, "trustEdit"), "Royal Devon")
    qtbot.keyClicks(field(welcome, "regionEdit"), "South West")
    qtbot.keyClicks(field(welcome, "supervisorEdit"), "Dr Jo Evans")
    with (
        qtbot.waitSignal(welcome.accepted, timeout=10_000),
        qtbot.waitSignal(ops.changed, timeout=10_000),
    ):
        qtbot.mouseClick(welcome.findChild(QPushButton, "createButton"), Qt.MouseButton.LeftButton)
    profile = empty_portfolio.profile.get()
    assert profile is not None
    assert (profile.name, profile.gmc_number, profile.grade) == ("Dr Alex Morgan", "7654321", "FY2")
    assert (profile.trust, profile.region) == ("Royal Devon", "South West")
    assert profile.educational_supervisor == "Dr Jo Evans"


def test_welcome_shows_what_to_fix_inline(qtbot, welcome, empty_portfolio) -> None:
    create = welcome.findChild(QPushButton, "createButton")
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    name_error = welcome.findChild(FieldError, "nameError")
    gmc_error = welcome.findChild(FieldError, "gmcError")
    assert name_error.isVisible() and "name" in name_error.text()
    assert gmc_error.isVisible()

    qtbot.keyClicks(field(welcome, "nameEdit"), "Dr Alex Morgan")
    assert not name_error.isVisible()  # typing clears the message
    qtbot.keyClicks(field(welcome, "gmcEdit"), "12AB")
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert "7 digits" in gmc_error.text()
    assert welcome.result() != QDialog.DialogCode.Accepted
    assert empty_portfolio.profile.get() is None


def test_welcome_demo_fills_the_portfolio(qtbot, welcome, empty_portfolio) -> None:
    with qtbot.waitSignal(welcome.accepted, timeout=60_000):
        qtbot.mouseClick(welcome.findChild(QPushButton, "demoButton"), Qt.MouseButton.LeftButton)
    assert empty_portfolio.profile.get() is not None
    assert empty_portfolio.evidence.count() > 0
    signed = [s for s in empty_portfolio.signoffs.verify_all() if s.status.state == "valid"]
    assert len(signed) >= 15 and all(s.status.vouched_by for s in signed)
    assert empty_portfolio.opportunities.catalogues()
    cohort = empty_portfolio.location.data_dir / "demo" / "cohort"
    assert len(empty_portfolio.cohort.load([cohort]).summaries) == 27
