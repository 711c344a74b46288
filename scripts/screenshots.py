"""Retake the README's screenshots of the main window from the demo portfolio.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from portfolio.app import Portfolio, open_portfolio
from portfolio.demo import fill_demo
from portfolio.paths import resolve_location
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.main_window import MainWindow
from portfolio.ui.tasks import Events, TaskRunner


def settle(app: QApplication, tasks: TaskRunner) -> None:
    """Let queued work finish and its results arrive, as a person waiting would."""
    for _ in range(20):
        tasks.wait()
        app.processEvents()


def sign_some(portfolio: Portfolio) -> None:
    """An educational supervisor signs most of what is ready, as after a midpoint meeting."""
    info = portfolio.signoffs.create_identity(
        "Priya Shah", "4567890", "educational_supervisor", "demo passphrase"
    )
    unlocked = portfolio.signoffs.unlock(info.fingerprint, "demo passphrase")
    ready = portfolio.evidence.list(EvidenceQuery(status="ready"))
    for item in ready[:15]:
        portfolio.signoffs.sign_in_meeting(unlocked, item.uuid, "signed_off", "Well evidenced.")


def main(out: Path) -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QCoreApplication.setOrganizationName("GPC Portfolio screenshots")
        with open_portfolio(resolve_location(Path(folder) / "data")) as portfolio:
            fill_demo(portfolio)
            sign_some(portfolio)
            tasks, events = TaskRunner(), Events()
            window = MainWindow(portfolio, tasks, events)
            window.resize(1280, 800)
            window.show()
            settle(app, tasks)
            window.grab().save(str(out / "dashboard.png"))
            window.show_page("evidence")
            settle(app, tasks)
            window.grab().save(str(out / "evidence-list.png"))
            window.close()
            settle(app, tasks)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
