"""Starting the window: the application object, the bug dialog, the welcome or the main window."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import PortfolioError
from portfolio.paths import Location
from portfolio.ui.tasks import Events, TaskRunner
from portfolio.ui.widgets import APPLICATION, DISPLAY_NAME, ORGANISATION, icon

EXIT_CANNOT_OPEN = 2

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(icon("app"))
    return app


class BugReporter(QObject):
    """``sys.excepthook`` for the window: an unexpected error shows its traceback, once per
    burst, and is printed to stderr too. Known problems (PortfolioError) are shown plainly."""

    _show = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open = False
        self._box: QMessageBox | None = None  # a parentless box lives as long as this holds it
        # queued: the hook may run on the worker thread or inside a paint event
        self._show.connect(self._dialog, Qt.ConnectionType.QueuedConnection)
        self._previous: ExceptHook = sys.excepthook

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def hook(self, kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        print(text, file=sys.stderr)
        if isinstance(error, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(error, PortfolioError):
            self._show.emit(str(error), "")
        else:
            self._show.emit(self.tr(
                "Something went wrong inside {app}. Your saved work is safe. Please report this, "
                "with the details below, so it can be fixed.").format(app=DISPLAY_NAME), text)

    def _dialog(self, message: str, details: str) -> None:
        if self._open:
            return
        self._open = True
        box = QMessageBox(QMessageBox.Icon.Critical if details else QMessageBox.Icon.Warning,
                          DISPLAY_NAME, message, QMessageBox.StandardButton.Ok,
                          QApplication.activeWindow())
        box.setObjectName("bugDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if details:
            box.setDetailedText(details)
        box.finished.connect(self._closed)
        self._box = box
        box.open()

    def _closed(self) -> None:
        self._open = False
        self._box = None


def cannot_open(error: PortfolioError, parent: QWidget | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, QApplication.translate(
        "main", "The portfolio cannot be opened.\n\n{error}").format(error=error),
        QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("cannotOpen")
    box.exec()


def start_window(portfolio: Portfolio, tasks: TaskRunner, events: Events) -> QWidget | None:
    """The main window, after the welcome on a first run (None if the welcome was closed)."""
    from portfolio.ui.main_window import MainWindow

    if portfolio.profile.get() is None:
        from portfolio.ui.welcome import WelcomeDialog

        welcome = WelcomeDialog(portfolio, tasks, events)
        if welcome.exec() != QDialog.DialogCode.Accepted:
            return None
    window = MainWindow(portfolio, tasks, events)
    window.show()
    return window


def run_app(location: Location) -> int:
    """Open the window on the portfolio at ``location``; returns the exit status."""
    app = make_application()
    reporter = BugReporter(app)
    reporter.install()
    try:
        try:
            portfolio = open_portfolio(location)
        except PortfolioError as error:  # locked by another copy, newer than this app, …
            cannot_open(error)
            return EXIT_CANNOT_OPEN
        tasks = TaskRunner(app)
        events = Events(app)
        try:
            window = start_window(portfolio, tasks, events)
            if window is None:
                return 0
            return app.exec()
        finally:
            tasks.wait()
            QApplication.processEvents()
            portfolio.close()
    finally:
        reporter.uninstall()
