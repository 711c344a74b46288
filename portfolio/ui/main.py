"""Starting the window: the application object, the bug dialog, the welcome or the main window.

An encrypted portfolio whose key comes from a passphrase is unlocked first: the
``passphraseDialog`` asks (again after a wrong one, saying so); Cancel ends the app with
status 0. A missing keyring key, or anything else that stops it opening, is shown in
``cannotOpen`` (exit 2), with a pointer to docs/encryption.md when the portfolio is encrypted.
A launch on a portfolio already open in another instance brings that window forward and exits
(``portfolio.ui.instance``).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from portfolio.app import Portfolio, known_problem, open_portfolio
from portfolio.errors import DatabaseDamaged, PortfolioError, WrongPassphrase
from portfolio.paths import Location
from portfolio.security.database_key import PassphraseRequired
from portfolio.ui.instance import InstanceServer, ask_running_instance, instance_name
from portfolio.ui.operations import Operations
from portfolio.ui.translations import install_translations
from portfolio.ui.widgets import APPLICATION, DISPLAY_NAME, ORGANISATION, icon

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox  # made when first shown: never before the paint

EXIT_CANNOT_OPEN = 2
SWITCH_INTERVAL_S = 0.0002
"""How long the GUI thread waits for the interpreter while the database thread runs Python
(``sys.setswitchinterval``; 5 ms by default). Qt calls into Python for every event a widget of
ours or a filter of ours handles and for each size or paint of an icon (``_DrawnWhenAsked``),
each time taking the interpreter; behind the ORM's mapping and the day's backup after the
first paint, some 30 such calls each waited up to 5 ms. The database thread's work takes no
longer for it (``Portfolio.settle``: 50-52 ms at 0.2 ms, 1 ms or 5 ms)."""

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
AskPassphrase = Callable[[str, str], "str | None"]
"""``ask(where, message)``: the passphrase typed, or None when the trainee cancels."""


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(icon("app"))
    install_translations(app)
    return app


class BugReporter(QObject):
    """``sys.excepthook`` for the window: an unexpected error shows its traceback, once per
    burst, and is printed to stderr too. Known problems (PortfolioError, a full or read-only
    disk) are shown plainly."""

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

    def hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        print(text, file=sys.stderr)
        if isinstance(error, KeyboardInterrupt):
            QApplication.quit()
            return
        known = known_problem(error)
        if known is not None:  # a known problem, or a full / read-only disk: no traceback
            self._show.emit(str(known), "")
        else:
            self._show.emit(
                self.tr(
                    "Something went wrong inside {app}. Your saved work is safe. Please report this, "
                    "with the details below, so it can be fixed."
                ).format(app=DISPLAY_NAME),
                text,
            )

    def _dialog(self, message: str, details: str) -> None:
        if self._open:
            return
        from PySide6.QtWidgets import QMessageBox

        self._open = True
        box = QMessageBox(
            QMessageBox.Icon.Critical if details else QMessageBox.Icon.Warning,
            DISPLAY_NAME,
            message,
            QMessageBox.StandardButton.Ok,
            QApplication.activeWindow(),
        )
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


def cannot_open(
    error: PortfolioError, parent: QWidget | None = None, location: Location | None = None
) -> None:
    from PySide6.QtWidgets import QMessageBox

    text = QApplication.translate("main", "The portfolio cannot be opened.\n\n{error}").format(
        error=error
    )
    if location is not None and _is_encrypted(location):
        text += "\n\n" + QApplication.translate(
            "main",
            "It is encrypted. “Recovery” in docs/encryption.md says what to do when "
            "its key is missing or the passphrase is forgotten; nothing was changed.",
        )
    box = QMessageBox(
        QMessageBox.Icon.Critical, DISPLAY_NAME, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("cannotOpen")
    box.exec()


def _is_encrypted(location: Location) -> bool:
    from portfolio.app import is_encrypted

    try:
        return is_encrypted(location)
    except (PortfolioError, OSError):
        return False


def _ask_with_dialog(where: str, message: str) -> str | None:
    from portfolio.ui.passphrase_dialog import ask_passphrase

    return ask_passphrase(where, message)


def open_with_passphrase(
    location: Location,
    ask: AskPassphrase | None = None,
) -> Portfolio | None:
    """Open the portfolio, asking for its passphrase first when it needs one.

    A wrong passphrase is said so and asked again; None when the trainee cancels. Other
    problems (locked, too new, a keyring key missing) raise PortfolioError, changing nothing.
    Storing the built-in curricula and the day's backup are left to the window, after its
    first paint (``Portfolio.settle``, ``Portfolio.back_up_if_due``).
    """
    from portfolio.app import needs_passphrase

    if not needs_passphrase(location):
        return open_portfolio(location, back_up=False, store_curricula=False)
    ask = ask or _ask_with_dialog
    where = str(location.sqlite_path or location.data_dir)
    message = ""
    while True:
        passphrase = ask(where, message)
        if passphrase is None:
            return None
        try:
            return open_portfolio(
                location, passphrase=passphrase, back_up=False, store_curricula=False
            )
        except PassphraseRequired:
            message = QApplication.translate("main", "Type the passphrase to open it.")
        except WrongPassphrase:
            message = QApplication.translate(
                "main", "Wrong passphrase; nothing was changed. Check Caps Lock and try again."
            )


def open_recovering(location: Location) -> Portfolio | None:
    """As :func:`open_with_passphrase`; a damaged database is offered its newest sound backup
    first (raises the DatabaseDamaged again when the trainee declines or there is none)."""
    try:
        return open_with_passphrase(location)
    except DatabaseDamaged as error:
        from portfolio.ui.damaged import offer_restore

        if not offer_restore(error, location):
            raise
        return open_with_passphrase(location)


def start_window(portfolio: Portfolio, ops: Operations) -> tuple[QWidget | None, Portfolio | None]:
    """The main window, after the welcome on a first run (None if the welcome was closed),
    and the portfolio now open: the welcome reopens it when it turns encryption on."""
    from portfolio.ui.main_window import MainWindow

    if not portfolio.dashboard.has_profile():
        from portfolio.ui.welcome import WelcomeDialog

        welcome = WelcomeDialog(portfolio, ops)
        accepted = welcome.exec() == QDialog.DialogCode.Accepted
        portfolio = welcome.portfolio  # type: ignore[assignment]
        if not accepted or portfolio is None:
            return None, portfolio
    window = MainWindow(portfolio, ops)
    window.show()
    return window, portfolio


def run_app(location: Location) -> int:
    """Open the window on the portfolio at ``location``; returns the exit status."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = make_application()
    name = instance_name(location)
    if ask_running_instance(name):
        print(
            f"{DISPLAY_NAME} is already open on this portfolio ({location.data_dir}); "
            "brought its window forward."
        )
        return 0
    server = InstanceServer(name, app)
    server.listen()  # before opening: a passphrase prompt or the welcome is brought forward too
    reporter = BugReporter(app)
    reporter.install()
    try:
        try:
            portfolio = open_recovering(location)
        except DatabaseDamaged:  # said so already, with the way back
            return EXIT_CANNOT_OPEN
        except PortfolioError as error:  # locked, newer than this app, key missing, …
            cannot_open(error, location=location)
            return EXIT_CANNOT_OPEN
        if portfolio is None:  # the passphrase prompt was cancelled
            return 0
        ops = Operations(app)
        current: Portfolio | None = portfolio
        try:
            window, current = start_window(portfolio, ops)
            if window is None:
                return 0
            return app.exec()
        finally:
            ops.wait()
            QApplication.processEvents()
            portfolio.close()  # closing twice is harmless (the welcome may have closed it)
            if current is not None and current is not portfolio:
                current.close()
    finally:
        reporter.uninstall()
        server.close()
