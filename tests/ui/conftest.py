"""Fixtures for the window tests: a real temporary portfolio, and settings in a temp folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.ui.operations import Operations
from portfolio.ui.translations import install_translations


@pytest.fixture(scope="session", autouse=True)
def translations(qapp: QApplication) -> None:
    """The English plural forms, installed as the app installs them at start."""
    install_translations(qapp)


@pytest.fixture(autouse=True)
def no_window_left_behind(qapp: QApplication) -> Iterator[None]:
    """A window a test leaves shown would outlive it: a later test whose app runs until its
    last window closes (``run_app``) would then never end. Hide and delete what is left."""
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()
            widget.deleteLater()


@pytest.fixture(autouse=True)
def settings_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QSettings write to a fresh folder per test, never to the user's configuration."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def empty_portfolio(data_dir: Path) -> Iterator[Portfolio]:
    """A new portfolio with no profile (a first run)."""
    portfolio = open_portfolio(resolve_location(data_dir))
    try:
        yield portfolio
    finally:
        portfolio.close()


@pytest.fixture
def portfolio(empty_portfolio: Portfolio) -> Portfolio:
    """A portfolio with a profile and a handful of items across the domains and statuses."""
    empty_portfolio.profile.save(ProfileData(name="Dr Test Trainee", gmc_number="1234567"))
    add_sample_items(empty_portfolio)
    return empty_portfolio


SAMPLE = (
    ("reflection", "Handover on a busy night", date(2024, 1, 10), ("GPC1", "GPC5"), ("nights",)),
    ("qi_project", "Sepsis six audit", date(2024, 2, 3), ("GPC6.2",), ("audit", "sepsis")),
    ("teaching", "Teaching medical students ECGs", date(2024, 3, 15), ("GPC8",), ()),
    ("leadership_role", "Junior doctors' forum rep", date(2024, 4, 1), ("GPC5",), ()),
    ("significant_event", "Wrong-site blood sample", date(2024, 5, 20), ("GPC6.1",), ("safety",)),
)


def add_sample_items(portfolio: Portfolio) -> list[str]:
    uuids = []
    for kind, title, when, codes, tags in SAMPLE:
        fields = {"form": "CBD"} if kind == "assessment" else {}
        item = portfolio.evidence.create(
            EvidenceDraft(
                kind=kind,
                title=title,
                occurred_on=when,
                fields=fields,
                text=f"What I learned from {title.lower()}.",
                links=tuple(Link(code) for code in codes),
                tags=tags,
            )
        )
        uuids.append(item.uuid)
    portfolio.evidence.submit([uuids[0], uuids[1]])
    return uuids


@pytest.fixture
def ops(qapp: object) -> Iterator[Operations]:
    runner = Operations()
    yield runner
    runner.wait()


def _settle(qtbot: object, ops: Operations) -> None:
    qtbot.waitUntil(lambda: not ops.busy, timeout=10_000)  # type: ignore[attr-defined]


@pytest.fixture
def settle(qtbot: object, ops: Operations) -> Callable[[], None]:
    """``settle()`` waits until no task is queued and every result reached the GUI thread."""
    return lambda: _settle(qtbot, ops)


@pytest.fixture
def main_window(qtbot: object, portfolio: Portfolio, ops: Operations) -> Iterator[object]:
    """The main window on ``portfolio``, shown, with its first data loaded."""
    from portfolio.ui.main_window import MainWindow

    window = MainWindow(portfolio, ops)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.ready, timeout=10_000):  # type: ignore[attr-defined]
        window.show()
    _settle(qtbot, ops)
    yield window
    _settle(qtbot, ops)
    if isValid(window):  # qtbot closed it and deleted it later; a wait may have run that
        window.close()
    _settle(qtbot, ops)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot resize windows to their hints: not our bug."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(
                pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
            )


from tests.ui.test_editor import env  # noqa: E402, F401 (shared fixture)
from tests.ui.test_reviews import (  # noqa: E402, F401 (shared fixtures)
    demo,
    supervisor,
    trainee_window,
)
