"""A curriculum a new version ships is stored at its first start on a portfolio an older version
made, and the dashboard shows it: the window opens the portfolio as ``gpc-portfolio`` does
(``open_with_passphrase``), which leaves storing the curricula to the database thread after the
first paint (``Portfolio.settle``), before any work the trainee asks for."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QLabel, QTableWidget

from portfolio.app import Portfolio, open_portfolio
from portfolio.curriculum import builtin_curricula
from portfolio.paths import Location, resolve_location
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.ui.main import open_with_passphrase
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations

NEW = "foundation-2021"
"""Shipped by the new version only: the older one stored none of its nodes."""
CHANGED = "imt-2019"
"""Shipped by both; the older version's titles differ (the trainee's own curriculum)."""


def stored(path: Path) -> dict[str, dict[str, str]]:
    """Each stored curriculum's node titles, by code."""
    with closing(sqlite3.connect(path)) as con:
        rows = con.execute("SELECT curriculum_id, code, title FROM curriculum_node").fetchall()
    nodes: dict[str, dict[str, str]] = {}
    for curriculum_id, code, title in rows:
        nodes.setdefault(curriculum_id, {})[code] = title
    return nodes


def shipped() -> dict[str, dict[str, str]]:
    return {c.id: {node.code: node.title for node in c.nodes} for c in builtin_curricula()}


def older_portfolio(data_dir: Path) -> Location:
    """A portfolio as an older version left it: without ``NEW``, with older titles of
    ``CHANGED``, which the trainee chose as their own curriculum."""
    location = resolve_location(data_dir)
    with open_portfolio(location) as portfolio:
        portfolio.profile.save(
            ProfileData(name="Dr Test Trainee", gmc_number="1234567", curriculum_id=CHANGED)
        )
    assert location.sqlite_path is not None
    with closing(sqlite3.connect(location.sqlite_path)) as con, con:
        con.execute("DELETE FROM curriculum_node WHERE curriculum_id = ?", (NEW,))
        con.execute("DELETE FROM curriculum WHERE id = ?", (NEW,))
        con.execute(
            "UPDATE curriculum_node SET title = 'An older title' WHERE curriculum_id = ?",
            (CHANGED,),
        )
        con.execute("UPDATE curriculum SET content_digest = 'older' WHERE id = ?", (CHANGED,))
    return location


def linked_to_the_new_curriculum(portfolio: Portfolio) -> list[str]:
    """The codes an item saved with a link to a code of ``NEW`` holds."""
    item = portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="Foundation ethics reflection",
            occurred_on=date(2024, 6, 1),
            links=(Link("FP2021-FPC11"),),
        )
    )
    return [link.code for link in portfolio.evidence.get(item.uuid).links]


def test_a_new_versions_curricula_are_stored_at_its_first_start_and_shown(
    qtbot, data_dir: Path, ops: Operations, settle
) -> None:
    location = older_portfolio(data_dir)
    assert location.sqlite_path is not None
    assert NEW not in stored(location.sqlite_path)
    portfolio = open_with_passphrase(location)
    assert portfolio is not None
    try:
        window = MainWindow(portfolio, ops)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.show()
        dashboard = window.dashboard
        heading = dashboard.findChild(QLabel, "curriculumHeading")
        assert heading.isVisibleTo(dashboard)
        assert "Internal Medicine Training" in heading.text()
        table = dashboard.findChild(QTableWidget, "curriculumCoverage")
        titles = {table.item(row, 0).text() for row in range(table.rowCount())}
        assert "An older title" not in " ".join(titles)
        assert any(shipped()[CHANGED]["IMT2019-G1"] in title for title in titles)

        path = location.sqlite_path  # stored as shipped once the window settles after its paint
        qtbot.waitUntil(lambda: stored(path) == shipped(), timeout=10_000)
        # what the trainee does next can link the new curriculum
        assert linked_to_the_new_curriculum(portfolio) == ["FP2021-FPC11"]
        window.close()
        settle()
        ops.wait()  # the day's backup, in the background
    finally:
        portfolio.close()


def test_work_asked_for_before_the_window_settled_sees_the_shipped_curricula(
    data_dir: Path,
) -> None:
    """Any service but the dashboard's stores the curricula first, however early it is asked."""
    location = older_portfolio(data_dir)
    assert location.sqlite_path is not None
    portfolio = open_with_passphrase(location)
    assert portfolio is not None
    try:
        assert NEW not in stored(location.sqlite_path)  # left to after the first paint
        assert portfolio.dashboard.has_profile()  # the first screen's reads store nothing
        assert NEW not in stored(location.sqlite_path)
        assert linked_to_the_new_curriculum(portfolio) == ["FP2021-FPC11"]
        assert stored(location.sqlite_path) == shipped()
        portfolio.settle()  # stores nothing again
        assert stored(location.sqlite_path) == shipped()
    finally:
        portfolio.close()
