"""Export and import of a whole portfolio from the File menu: progress, Cancel, the report."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QProgressBar, QTreeWidget

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations

WAIT = 10_000


@pytest.fixture
def other(qtbot, tmp_path) -> Iterator[tuple[Portfolio, MainWindow, Operations]]:
    """A second, empty portfolio (the new laptop) in its own window."""
    portfolio = open_portfolio(resolve_location(tmp_path / "new laptop"))
    ops = Operations()
    try:
        window = MainWindow(portfolio, ops)
        with qtbot.waitSignal(window.ready, timeout=WAIT):
            window.show()
        yield portfolio, window, ops
        # Tests drain this runner themselves: spinning the event loop here would delete the
        # main_window fixture's window (already handed to deleteLater by pytest-qt) too early.
        ops.wait()
        window.close()
    finally:
        ops.wait()
        portfolio.close()


def test_export_and_import_through_the_menu(
    qtbot, main_window, portfolio, other, tmp_path, monkeypatch, settle
) -> None:
    out = tmp_path / "moving.gpcportfolio"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",  # the window makes the class when asked
        lambda *a, **k: (str(tmp_path / "moving"), ""),
    )
    action = main_window.findChild(
        type(main_window.export_portfolio_action), "exportPortfolioAction"
    )
    with qtbot.waitSignal(main_window.exported, timeout=WAIT) as exported:
        action.trigger()
        qtbot.waitUntil(
            lambda: main_window.findChild(QDialog, "archiveProgress") is not None, timeout=WAIT
        )
    assert exported.args == [str(out)] and out.exists()
    assert main_window.archive_progress.steps_seen > 0  # progress reached the dialog
    done = main_window.findChild(QMessageBox, "exportDone")
    assert "Exported 5 items, " in done.text() and "(s)" not in done.text()
    done.close()

    theirs, window, ops = other
    with qtbot.waitSignal(window.imported, timeout=WAIT):
        progress = window.import_portfolio_from(out)
        assert progress.isVisible()
        assert progress.findChild(QProgressBar, "archiveProgressBar") is not None
    report = window.findChild(QDialog, "archiveImportReport")
    tree = report.findChild(QTreeWidget, "archiveOutcomes")
    assert tree.topLevelItemCount() == 5
    assert {tree.topLevelItem(i).text(1) for i in range(5)} == {"Added"}
    assert "5 added" in report.findChild(QLabel, "archiveImportSummary").text()
    report.close()
    qtbot.waitUntil(lambda: window.item_count.text() == "5 items", timeout=WAIT)
    assert theirs.profile.get().gmc_number == "1234567"
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    settle()


def test_cancelling_an_import_changes_nothing(
    qtbot, main_window, portfolio, other, tmp_path, settle
) -> None:
    out = tmp_path / "moving.gpcportfolio"
    portfolio.archive.export(out)
    theirs, window, ops = other
    gate = threading.Event()
    ops.database(
        window, gate.wait
    ).run()  # hold the worker so Cancel is pressed before the import starts
    progress = window.import_portfolio_from(out)
    with qtbot.waitSignal(window.archive_finished, timeout=WAIT) as finished:
        progress.cancel_button.click()
        gate.set()
    assert "Cancelled" in finished.args[0]
    assert theirs.evidence.count() == 0
    assert window.findChild(QDialog, "archiveImportReport") is None
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)


def test_a_bad_archive_gets_a_message(qtbot, main_window, tmp_path, settle) -> None:
    bad = tmp_path / "bad.gpcportfolio"
    bad.write_bytes(b"not a zip")
    with qtbot.waitSignal(main_window.archive_finished, timeout=WAIT):
        main_window.import_portfolio_from(bad)
    box = main_window.findChild(QMessageBox, "archiveError")
    assert box is not None and "bad.gpcportfolio" in box.text()
    box.close()


def test_an_archive_imported_again_shows_what_a_parsed_one_does(
    qtbot, main_window, portfolio, other, tmp_path, settle
) -> None:
    """The second import of the same file is recognised by its digest (not read again); its
    report is the one an unchanged re-import read in full (a re-written copy) shows."""
    import zipfile

    out = portfolio.archive.export(tmp_path / "moving.gpcportfolio").path
    copy = tmp_path / "copy.gpcportfolio"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.comment = b"other bytes"
    _, window, ops = other

    def shown(path) -> tuple[str, list[tuple[str, ...]]]:
        with qtbot.waitSignal(window.imported, timeout=WAIT):
            window.import_portfolio_from(path)
        report = window.findChild(QDialog, "archiveImportReport")
        tree = report.findChild(QTreeWidget, "archiveOutcomes")
        rows = [
            tuple(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
            for i in range(tree.topLevelItemCount())
        ]
        summary = report.findChild(QLabel, "archiveImportSummary").text()
        report.close()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        return summary, rows

    def apart_from_names(summary: str) -> str:  # the file's, and the backup line
        return summary.split("\n")[0].split(": ", 1)[1]

    first = shown(out)
    (recognised, rows), (parsed, parsed_rows) = shown(out), shown(copy)
    assert "5 added" in first[0]
    assert apart_from_names(recognised) == apart_from_names(parsed)
    assert "\nA backup was taken first: " in parsed  # it wrote nothing, so it took none:
    assert "backup" not in recognised
    assert "5 unchanged" in recognised and rows == parsed_rows and len(rows) == 5
    settle()
