"""The main window: side bar of pages, menus, toolbar, status bar; remembers its layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from portfolio import __version__
from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.kinds import kind_templates
from portfolio.services.evidence_query import EvidenceQuery
from portfolio.services.read_models import Coverage
from portfolio.ui.dashboard import DashboardPage
from portfolio.ui.list_actions import ListActions
from portfolio.ui.operations import Operations
from portfolio.ui.screen_fit import SizeMemory, fit_to_screen, keep_on_screen
from portfolio.ui.translations import counted
from portfolio.ui.widgets import DISPLAY_NAME, announce, app_settings, icon, show_message
from portfolio.vocabulary import EVERYTHING, ChangeKind

if TYPE_CHECKING:
    from portfolio.services.archive import ExportSummary, ImportReport
    from portfolio.services.privacy import Gathered
    from portfolio.services.recovery import Unsaved
    from portfolio.ui.archive_dialogs import ProgressDialog
    from portfolio.ui.backups_dialog import BackupsDialog
    from portfolio.ui.editor import EvidenceEditor
    from portfolio.ui.evidence_list import EvidenceListPage
    from portfolio.ui.mentor import MentorPage
    from portfolio.ui.opportunities_page import OpportunitiesPage
    from portfolio.ui.privacy_dialog import PrivacyDialog
    from portfolio.ui.reports_page import ReportsPage
    from portfolio.ui.reviews import ReviewsPage

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class NewItemDialog(QDialog):
    """Ctrl+N: choose what kind of evidence to record."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newItemDialog")
        self.setWindowTitle(self.tr("New evidence"))
        prompt = QLabel(self.tr("What would you like to record?"), self)
        self.kinds = QListWidget(self)
        self.kinds.setObjectName("kindList")
        self.kinds.setAccessibleName(self.tr("Kind of evidence"))
        prompt.setBuddy(self.kinds)
        for kind, template in kind_templates().items():
            item = QListWidgetItem(template.title)
            item.setData(KIND_ROLE, kind)
            item.setToolTip(template.description)
            self.kinds.addItem(item)
        self.kinds.setCurrentRow(0)
        from PySide6.QtWidgets import QDialogButtonBox  # Qt's dialog classes: made when first shown

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Create"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.kinds.itemActivated.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.kinds)
        layout.addWidget(buttons)
        self.resize(360, 380)

    def kind(self) -> str | None:
        item = self.kinds.currentItem()
        return item.data(KIND_ROLE) if item is not None else None


class AnnouncingStatusBar(QStatusBar):
    """A status bar whose messages (saved, moved to the trash …) screen readers speak.

    Only what the app shows with ``showMessage``: the status tips of menu entries, which Qt
    shows without calling it, are read by the reader with the entry already.
    """

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        super().showMessage(text, timeout)
        announce(self, text)


PageT = TypeVar("PageT", bound=QWidget)


class BuiltPage(Generic[PageT]):
    """``window.<page>``: the window's page of that key, built the first time it is asked for."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, window: MainWindow, owner: type[MainWindow] | None = None) -> PageT:
        return cast(PageT, window._page(self.key))


class _AfterNextPaint(QObject):
    """Calls ``then`` once, just after the window's next paint: work left until the window is
    on the screen starts then. Not once the app is quitting: nothing is started that could
    outlive it.

    It watches the window alone, never the whole app: every repaint of a widget of the window
    is done while the window handles an ``UpdateRequest`` (or its own first ``Paint``). An
    application-wide filter written in Python would have PySide6 wrap every object that gets an
    event, Qt's private classes among them, and looking those up makes it create every class of
    its loaded modules (some 150 Python enums) just before the first paint.
    """

    PAINTING = (QEvent.Type.UpdateRequest, QEvent.Type.Paint)

    def __init__(self, then: Callable[[], object], window: QWidget) -> None:
        super().__init__(window)
        self._then: Callable[[], object] | None = then
        self._window = window
        window.installEventFilter(self)
        app = cast(QApplication, QApplication.instance())  # a window exists: so does it
        app.aboutToQuit.connect(self._cancel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.PAINTING:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._call)  # behind the paint being done now
        return False

    def _call(self) -> None:
        if self._then is not None:
            self._then()

    def _cancel(self) -> None:
        self._window.removeEventFilter(self)
        self._then = None


MAIN_SIZE = QSize(1280, 860)
"""The first window's size where the screen has room; a share of the screen where not."""
EDITOR_SIZE = QSize(1100, 800)
MENTOR_MODE = "mentor/mode"


class MainWindow(QMainWindow):
    """Pages in a stack chosen from the side bar; one line in ``_add_pages`` adds a page."""

    ready = Signal()
    """The first page has its data: the window is usable."""
    exported = Signal(str)
    """A portfolio export finished (the file's path)."""
    imported = Signal(object)
    """A portfolio import finished (its ImportReport)."""
    archive_finished = Signal(str)
    """An export or import failed or was cancelled (the message shown)."""
    recovery_checked = Signal(int)
    """The start-up look for unsaved drafts is done (how many were found)."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(DISPLAY_NAME)
        self.setWindowIcon(icon("app"))
        self._portfolio = portfolio
        self._ops = ops
        self._settings = settings or app_settings()
        self._editors: list[EvidenceEditor] = []
        self._editor_size = SizeMemory(self._settings, "editor/size", EDITOR_SIZE, self)
        self._page_keys: list[str] = []
        self._ready_sent = False
        self._settling: _AfterNextPaint | None = None
        self._recovery_checked = False

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setSpacing(2)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("pages")
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([180, 1000])
        self.setCentralWidget(self.splitter)

        self._built: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._view_menu_pages: list[QAction] = []
        self.list_actions = ListActions(self)
        self._add_pages()
        self._page("dashboard")  # first: its query runs while the rest is built
        self.navigation.currentRowChanged.connect(self._show_row)
        self.navigation.setMinimumWidth(self.navigation.sizeHintForColumn(0) + 40)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()  # the item count and ``ready`` come from the dashboard's coverage
        ops.busy_changed.connect(self.busy.setVisible)
        ops.known_error.connect(self.show_error)
        app = QApplication.instance()
        if app is not None:  # quit without closing this window first (a signal, the session)
            app.aboutToQuit.connect(self.keep_drafts)
        self.navigation.setCurrentRow(0)
        self.restore_layout()

    # -- pages -------------------------------------------------------------------------------

    def _add_pages(self) -> None:
        self.add_page("dashboard", self.tr("Dashboard"), "dashboard", self._make_dashboard)
        self.add_page("evidence", self.tr("Evidence"), "evidence", self._make_evidence)
        self.add_page("reviews", self.tr("Reviews"), "reviews", self._make_reviews)
        self.add_page("reports", self.tr("Reports"), "reports", self._make_reports)
        self.add_page(
            "opportunities", self.tr("Opportunities"), "opportunities", self._make_opportunities
        )
        self.add_page("mentor", self.tr("Mentor"), "reports", self._make_mentor)

    def add_page(self, key: str, title: str, icon_name: str, build: Callable[[], QWidget]) -> None:
        """A side-bar entry, a View menu entry (Ctrl+1 …) and a place for the page, which
        ``build`` makes when it is first shown or used."""
        item = QListWidgetItem(icon(icon_name), title)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.navigation.addItem(item)
        self.pages.addWidget(QWidget(self.pages))  # a placeholder until the page is built
        self._builders[key] = build
        self._page_keys.append(key)
        number = len(self._page_keys)
        action = QAction(icon(icon_name), title, self)
        action.setObjectName(f"show_{key}")
        if number <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda: self.show_page(key))
        self._view_menu_pages.append(action)

    def _page(self, key: str) -> QWidget:
        """The page, built in its place the first time it is asked for."""
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self._builders[key]()
            index = self._page_keys.index(key)
            placeholder = self.pages.widget(index)
            shown = self.pages.currentIndex() == index
            self.pages.insertWidget(index, page)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
            if shown:
                self.pages.setCurrentIndex(index)
        return page

    def is_built(self, key: str) -> bool:
        return key in self._built

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._page_keys):
            self._page(self._page_keys[row])
        self.pages.setCurrentIndex(row)

    dashboard: BuiltPage[DashboardPage] = BuiltPage("dashboard")
    evidence: BuiltPage[EvidenceListPage] = BuiltPage("evidence")
    reviews: BuiltPage[ReviewsPage] = BuiltPage("reviews")
    reports: BuiltPage[ReportsPage] = BuiltPage("reports")
    opportunities: BuiltPage[OpportunitiesPage] = BuiltPage("opportunities")
    mentor: BuiltPage[MentorPage] = BuiltPage("mentor")

    def _make_dashboard(self) -> QWidget:
        page = DashboardPage(self._portfolio, self._ops, self)
        page.domain_chosen.connect(self.show_domain)
        page.open_requested.connect(self.open_item)
        page.loaded.connect(self._coverage_loaded)
        return page

    def _make_evidence(self) -> QWidget:
        from portfolio.ui.evidence_list import EvidenceListPage

        page = EvidenceListPage(self._portfolio, self._ops, self, actions=self.list_actions)
        page.open_requested.connect(self.open_item)
        page.message.connect(self._status_message)
        page.trash_toggle.toggled.connect(self.trash_action.setChecked)
        header = self._settings.value("evidence/header")
        if header is not None:
            page.table.horizontalHeader().restoreState(header)
        return page

    def _make_reviews(self) -> QWidget:
        from portfolio.ui.reviews import ReviewsPage

        page = ReviewsPage(self._portfolio, self._ops, self)
        page.message.connect(self._status_message)
        page.open_requested.connect(self.open_item)
        return page

    def _make_reports(self) -> QWidget:
        from portfolio.ui.reports_page import ReportsPage

        page = ReportsPage(self._portfolio, self._ops, self)
        self._guard_reports(page)
        return page

    def _make_opportunities(self) -> QWidget:
        from portfolio.ui.opportunities_page import OpportunitiesPage

        page = OpportunitiesPage(self._portfolio, self._ops, self)
        page.evidence_created.connect(self.open_item)
        return page

    def _make_mentor(self) -> QWidget:
        from portfolio.ui.mentor import MentorPage

        page = MentorPage(self._portfolio, self._ops, self, settings=self._settings)
        page.catalogue.message.connect(self._status_message)
        return page

    def _status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self._page_keys.index(key))

    def current_page_key(self) -> str:
        return self._page_keys[self.pages.currentIndex()]

    def set_mentor_mode(self, on: bool, *, show: bool = True) -> None:
        """Show or hide the Mentor page (remembered); turning it on opens the page."""
        row = self._page_keys.index("mentor")
        self.navigation.item(row).setHidden(not on)
        self._view_menu_pages[row].setVisible(on)
        self.mentor_mode_action.setChecked(on)
        self._settings.setValue(MENTOR_MODE, on)
        if on and show:
            self.show_page("mentor")
        elif not on and self.current_page_key() == "mentor":
            self.show_page("dashboard")

    def show_domain(self, code: str) -> None:
        self.evidence.show_domain(code)
        self.show_page("evidence")

    # -- actions, menus, toolbar, status bar -------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], Any],
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(
            "newAction",
            self.tr("&New evidence…"),
            self.new_item,
            shortcut=keys.New,
            icon_name="new",
            tip=self.tr("Record a new evidence item (Ctrl+N)"),
        )
        self.profile_action = self._action(
            "profileAction",
            self.tr("&Profile and placements…"),
            self.edit_profile,
            icon_name="profile",
            tip=self.tr("Your details and your placements"),
        )
        self.quit_action = self._action(
            "quitAction", self.tr("&Quit"), self.close, shortcut=keys.Quit
        )
        self.find_action = self._action(
            "findAction",
            self.tr("&Find"),
            self.focus_search,
            shortcut=keys.Find,
            icon_name="search",
            tip=self.tr("Search your evidence (Ctrl+F)"),
        )
        self.open_action = self._action(
            "openAction", self.tr("&Open selected item"), lambda: self.evidence.open_selected()
        )
        self.submit_action = self.list_actions.submit
        self.delete_action = self.list_actions.delete
        self.delete_action.setStatusTip(self.tr("Move the selected items to the trash"))
        self.undo_delete_action = self._action(
            "undoDeleteAction",
            self.tr("&Undo move to trash"),
            lambda: self.evidence.undo_delete(),
            shortcut=keys.Undo,
        )
        self.restore_action = self._action(
            "restoreAction",
            self.tr("&Restore from trash"),
            lambda: self.evidence.restore_selected(),
            icon_name="restore",
        )
        self.trash_action = self._action(
            "trashAction", self.tr("&Trash"), self._toggle_trash, icon_name="trash"
        )
        self.trash_action.setCheckable(True)
        self.refresh_action = self._action(
            "refreshAction",
            self.tr("&Refresh"),
            lambda: self._ops.announce(ChangeKind.EVIDENCE),
            shortcut=keys.Refresh,
        )
        self.print_action = self._action(
            "printAction",
            self.tr("P&rint ARCP summary…"),
            self._print_report,
            shortcut=keys.Print,
            icon_name="reports",
            tip=self.tr("Print the ARCP summary (Ctrl+P)"),
        )
        self.export_portfolio_action = self._action(
            "exportPortfolioAction",
            self.tr("&Export portfolio…"),
            self.choose_export_portfolio,
            icon_name="export",
            tip=self.tr("Save your whole portfolio to a .gpcportfolio file, to move it"),
        )
        self.import_portfolio_action = self._action(
            "importPortfolioAction",
            self.tr("&Import portfolio…"),
            self.choose_import_portfolio,
            icon_name="import",
            tip=self.tr("Bring in a .gpcportfolio file; nothing is lost"),
        )
        self.backups_action = self._action(
            "backupsAction",
            self.tr("&Backups…"),
            self.show_backups,
            icon_name="backup",
            tip=self.tr("See, make and restore backups; check the portfolio"),
        )
        self.privacy_action = self._action(
            "privacyCheckAction",
            self.tr("Check &privacy…"),
            self.show_privacy_check,
            icon_name="privacy",
            tip=self.tr("Look for patient-identifiable data across your portfolio"),
        )
        self.open_pack_action = self._action(
            "openReviewPackAction",
            self.tr("&Open review pack…"),
            self._open_review_pack,
            icon_name="import",
            tip=self.tr("Supervisors: review a trainee's pack and sign it"),
        )
        self.export_pack_action = self._action(
            "exportReviewPackAction",
            self.tr("&Export review pack…"),
            self.export_review_pack,
            icon_name="export",
            tip=self.tr("The items ready for review (or those selected) for your supervisor"),
        )
        self.import_signoff_action = self._action(
            "importSignoffAction",
            self.tr("&Import sign-off file…"),
            self._import_signoffs,
            icon_name="import",
            tip=self.tr("Bring in the sign-offs your supervisor sent"),
        )
        self.pin_card_action = self._action(
            "pinCardAction",
            self.tr("&Pin supervisor card…"),
            self._pin_card,
            icon_name="card",
            tip=self.tr("Trust a supervisor's identity card"),
        )
        self.trust_directory_action = self._action(
            "trustDirectoryAction",
            self.tr("&Trust supervisor directory…"),
            self._trust_directory,
            icon_name="import",
            tip=self.tr(
                "Trust the supervisors your deanery or Trust lists, after checking its key"
            ),
        )
        self.shortcuts_action = self._action(
            "shortcutsAction",
            self.tr("&Keyboard shortcuts"),
            self.show_shortcuts,
            shortcut=keys.HelpContents,
        )
        self.guide_action = self._action(
            "guideAction",
            self.tr("User &guide (README)"),
            self.open_guide,
            tip=self.tr("Open the README, which explains how to use {app}").format(
                app=DISPLAY_NAME
            ),
        )
        self.about_action = self._action(
            "aboutAction", self.tr("&About {app}").format(app=DISPLAY_NAME), self.about
        )
        self.mentor_mode_action = self._action(
            "mentorModeAction",
            self.tr("&Mentor mode"),
            lambda: self.set_mentor_mode(self.mentor_mode_action.isChecked()),
            shortcut="Ctrl+Shift+M",
            tip=self.tr(
                "For a Clinical Leadership Mentor: your cohort's figures and your catalogue "
                "of opportunities"
            ),
        )
        self.mentor_mode_action.setCheckable(True)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.profile_action, self.print_action])
        file_menu.addSeparator()
        file_menu.addActions(
            [self.export_portfolio_action, self.import_portfolio_action, self.backups_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions(
            [
                self.find_action,
                self.open_action,
                self.submit_action,
                self.delete_action,
                self.undo_delete_action,
                self.restore_action,
            ]
        )
        reviews_menu = bar.addMenu(self.tr("&Reviews"))
        reviews_menu.addActions(
            [
                self.export_pack_action,
                self.import_signoff_action,
                self.pin_card_action,
                self.trust_directory_action,
            ]
        )
        reviews_menu.addSeparator()
        reviews_menu.addAction(self.open_pack_action)
        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.privacy_action)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(self._view_menu_pages)
        view_menu.addSeparator()
        view_menu.addActions([self.trash_action, self.refresh_action])
        view_menu.addSeparator()
        view_menu.addAction(self.mentor_mode_action)
        self.view_menu = view_menu
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.shortcuts_action, self.guide_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.new_action, self.find_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addAction(self.profile_action)
        self.addToolBar(toolbar)
        self.view_menu.addSeparator()
        self.view_menu.addAction(toolbar.toggleViewAction())

    def _make_status_bar(self) -> None:
        self.item_count = QLabel(self)
        self.item_count.setObjectName("itemCount")
        self.busy = QProgressBar(self)
        self.busy.setObjectName("busyIndicator")
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.setVisible(self._ops.busy)
        self.setStatusBar(AnnouncingStatusBar(self))
        self.statusBar().setObjectName("statusBar")
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.item_count)

    def _coverage_loaded(self, coverage: Coverage) -> None:
        self.item_count.setText(self.tr("%Ln item(s)", "", coverage.total_items))
        if not self._ready_sent:
            self._ready_sent = True
            self._settle_after_paint()
            self.ready.emit()

    def _settle_after_paint(self) -> None:
        """Once the window shows its data: after that paint, ``_settle``."""
        if self._settling is None and self._ready_sent and self.isVisible():
            self._settling = _AfterNextPaint(self._settle, self)

    def _settle(self) -> None:
        """``Portfolio.settle`` (the built-in curricula stored as shipped, the ORM's mapping) and
        then the day's backup, queued on the database thread in the background: the GUI thread
        answers input meanwhile, work the trainee asks for queues behind them, and a failure is
        shown as any other (``show_error``)."""
        for work in (self._portfolio.settle, self._portfolio.back_up_if_due):
            self._ops.database(self, work).in_background().run()

    # -- commands ----------------------------------------------------------------------------

    def _print_report(self) -> None:
        self.show_page("reports")
        self._report_checked(self.reports.print_report)

    def _guard_reports(self, reports: ReportsPage) -> None:
        """The privacy check runs before the Reports page saves or prints.

        The page has no hook for it, so its two buttons are routed through the check here.
        """
        for button, slot in (
            (reports.save_button, reports.save_as),
            (reports.print_button, reports.print_report),
        ):
            button.clicked.disconnect(slot)
            button.clicked.connect(lambda _=False, go=slot: self._report_checked(go))

    def _report_checked(self, proceed: Callable[[], None]) -> None:
        """Check what the report will hold (the period, public items, ticked private ones)."""
        from portfolio.ui.privacy_dialog import check_privacy_first

        privacy = self._portfolio.privacy
        date_from, date_to = self.reports.period()
        private = tuple(self.reports.included_private())

        def gather() -> Gathered:
            found = privacy.gather(
                EvidenceQuery(date_from=date_from, date_to=date_to, include_private=False)
            )
            if private:
                found += privacy.gather(uuids=private)
            return found

        check_privacy_first(
            self,
            self._ops,
            gather,
            proceed,
            what=self.tr("the report is made"),
            open_item=self.open_item,
            on_error=lambda error: self.show_error(str(error)),
        )

    # -- reviews -----------------------------------------------------------------------------

    def export_review_pack(self) -> None:
        """The selected items when the Evidence page has a selection, else every ready item."""
        uuids: tuple[str, ...] = ()
        if self.current_page_key() == "evidence":
            uuids = tuple(self.evidence.selected_uuids())
        self.reviews.trainee.choose_export_review_pack(uuids)

    def export_review_pack_to(self, path: Path, uuids: tuple[str, ...] = ()) -> None:
        self.reviews.trainee.export_review_pack_to(path, uuids)

    def _open_review_pack(self) -> None:
        self.show_page("reviews")
        self.reviews.signing.choose_review_pack()

    def _import_signoffs(self) -> None:
        self.reviews.trainee.choose_signoff_file()

    def _pin_card(self) -> None:
        self.reviews.trainee.choose_card()

    def _trust_directory(self) -> None:
        self.reviews.trainee.choose_directory()

    # -- whole portfolio: export, import, backups, privacy -----------------------------------

    def choose_export_portfolio(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export your portfolio"),
            str(Path.home() / "portfolio.gpcportfolio"),
            self.tr("GPC Portfolio archives (*.gpcportfolio)"),
        )
        if chosen:
            path = Path(chosen)
            self.export_portfolio_to(
                path if path.suffix == ".gpcportfolio" else path.with_suffix(".gpcportfolio")
            )

    def export_portfolio_to(self, path: Path) -> None:
        """Check privacy across everything, then export with progress and Cancel."""
        from PySide6.QtWidgets import QMessageBox

        from portfolio.ui.archive_dialogs import run_with_progress
        from portfolio.ui.privacy_dialog import check_privacy_first

        privacy, archive = self._portfolio.privacy, self._portfolio.archive

        def export() -> None:
            def done(summary: ExportSummary) -> None:
                text = self.tr(
                    "Exported {items}, {revisions}, {signoffs} and {attachments} to {path}."
                ).format(
                    items=counted("%n item(s)", summary.items),
                    revisions=counted("%n revision(s)", summary.revisions),
                    signoffs=counted("%n sign-off(s)", summary.signoffs),
                    attachments=counted("%n attachment(s)", summary.attachments),
                    path=summary.path,
                )
                self.statusBar().showMessage(text, 15_000)
                show_message(
                    self,
                    self.tr("Portfolio exported"),
                    text,
                    name="exportDone",
                    icon_kind=QMessageBox.Icon.Information,
                )
                self.exported.emit(str(summary.path))

            self.archive_progress = run_with_progress(
                self,
                self._ops,
                self.tr("Exporting your portfolio"),
                self.tr("Writing {name}…").format(name=path.name),
                lambda progress, cancelled: archive.export(path, progress, cancelled),
                done,
                self._archive_failed,
                self._archive_cancelled,
            )

        check_privacy_first(
            self,
            self._ops,
            lambda: privacy.gather(EvidenceQuery()),
            export,
            what=self.tr("your portfolio is exported"),
            open_item=self.open_item,
            on_error=lambda error: self.show_error(str(error)),
        )

    def choose_import_portfolio(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a portfolio"),
            str(Path.home()),
            self.tr("GPC Portfolio archives (*.gpcportfolio);;All files (*)"),
        )
        if chosen:
            self.import_portfolio_from(Path(chosen))

    def import_portfolio_from(self, path: Path) -> ProgressDialog:
        from portfolio.ui.archive_dialogs import ImportReportDialog, run_with_progress

        archive = self._portfolio.archive

        def done(report: ImportReport) -> None:
            dialog = ImportReportDialog(path, report, self)
            dialog.open()
            self.import_report = dialog
            self.imported.emit(report)

        self.archive_progress = run_with_progress(
            self,
            self._ops,
            self.tr("Importing a portfolio"),
            self.tr("Checking and merging {name}… Nothing changes until it is all done.").format(
                name=path.name
            ),
            lambda progress, cancelled: archive.import_(path, progress, cancelled),
            done,
            self._archive_failed,
            self._archive_cancelled,
            changes=EVERYTHING,
        )
        return self.archive_progress

    def _archive_failed(self, error: PortfolioError) -> None:
        show_message(self, DISPLAY_NAME, str(error), name="archiveError")
        self.archive_finished.emit(str(error))

    def _archive_cancelled(self) -> None:
        text = self.tr("Cancelled; nothing was changed.")
        self.statusBar().showMessage(text, 10_000)
        self.archive_finished.emit(text)

    def show_backups(self) -> BackupsDialog:
        from portfolio.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self._portfolio, self._ops, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_privacy_check(self) -> PrivacyDialog:
        from portfolio.ui.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(self._portfolio, self._ops, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_item)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        self.show_page("evidence")
        self.evidence.focus_search()

    def _toggle_trash(self) -> None:
        self.show_page("evidence")
        self.evidence.set_trash(self.trash_action.isChecked())

    def new_item(self) -> None:
        dialog = NewItemDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            kind = dialog.kind()
            if kind:
                self.open_editor(kind=kind)

        dialog.accepted.connect(chosen)
        dialog.open()

    def open_item(self, item_uuid: str) -> None:
        """Bring forward the item's open editor (it follows every change), else open one."""
        for editor in self._editors:
            if editor.item_uuid == item_uuid:
                editor.show()
                editor.raise_()
                editor.activateWindow()
                return
        self.open_editor(item_uuid=item_uuid)

    def open_editor(
        self,
        *,
        item_uuid: str | None = None,
        kind: str | None = None,
        recovered: Unsaved | None = None,
    ) -> EvidenceEditor:
        """A new editor window (an item, a new item of ``kind``, or a recovered draft); it is
        destroyed when closed, so an item opened again is read afresh."""
        from portfolio.ui.editor import EvidenceEditor  # its own window, built when needed

        editor = EvidenceEditor(
            self._portfolio,
            self._ops,
            item_uuid=item_uuid,
            kind=kind,
            recovered=recovered,
            parent=self,
        )
        editor.setWindowFlag(Qt.WindowType.Window, True)
        self._editor_size.apply(editor)
        self._editors.append(editor)
        editor.closed.connect(lambda: self._forget_editor(editor))
        editor.show()
        return editor

    def _forget_editor(self, editor: EvidenceEditor) -> None:
        if editor in self._editors:
            self._editors.remove(editor)

    @property
    def editors(self) -> list[EvidenceEditor]:
        return list(self._editors)

    def keep_drafts(self) -> None:
        """Quitting without the window's close: every open editor keeps an autosave copy."""
        for editor in list(self._editors):
            editor.close_keeping_draft()

    def edit_profile(self) -> None:
        from portfolio.ui.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self._portfolio, self._ops, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda: self.statusBar().showMessage(self.tr("Profile saved."), 5000))
        dialog.open()

    def show_shortcuts(self) -> None:
        from portfolio.ui.help_dialogs import ShortcutsDialog

        actions = [*self.actions(), *self._view_menu_pages]
        dialog = ShortcutsDialog(dict.fromkeys(actions), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_guide(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from portfolio.ui.help_dialogs import guide_path

        path = guide_path()
        if path is None:
            self.show_error(self.tr("The user guide (README.md) was not installed with this copy."))
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.show_error(
                self.tr("No program could open the user guide; it is at {path}.").format(
                    path=str(path)
                )
            )

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        show_message(
            self,
            self.tr("About {app}").format(app=DISPLAY_NAME),
            self.tr(
                "{app} {version}\n\nAn offline portfolio of evidence against the GMC Generic "
                "Professional Capabilities. Your data stays in {folder}."
            ).format(
                app=DISPLAY_NAME, version=__version__, folder=str(self._portfolio.location.data_dir)
            ),
            name="aboutBox",
            icon_kind=QMessageBox.Icon.Information,
        )

    def show_error(self, message: str) -> None:
        show_message(self, DISPLAY_NAME, message, name="errorMessage")

    # -- recovery of unsaved drafts ----------------------------------------------------------

    def check_recovery(self) -> None:
        """Offer back any editor state a crash left behind (asked once, after showing)."""
        if self._recovery_checked:
            return
        self._recovery_checked = True
        self._ops.database(self, self._portfolio.recovery.pending).success(
            self._offer_recovery
        ).run()

    def _offer_recovery(self, pending: list[Unsaved]) -> None:
        self.recovery_checked.emit(len(pending))
        if not pending:
            return
        from PySide6.QtWidgets import QMessageBox

        titles = "\n".join(
            f"• {u.title or self.tr('(untitled)')}  —  {u.saved_at:%d %b %Y %H:%M}" for u in pending
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved work found"),
            counted(
                "{app} closed before %n draft(s) were saved. Reopen them so you can save them, "
                "or discard them?",
                len(pending),
            ).format(app=DISPLAY_NAME),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("recoveryPrompt")
        box.setInformativeText(titles)
        reopen = box.addButton(self.tr("&Reopen"), QMessageBox.ButtonRole.AcceptRole)
        reopen.setObjectName("reopenButton")
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("discardButton")
        later = box.addButton(self.tr("Ask me &later"), QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("laterButton")
        box.setDefaultButton(reopen)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is reopen:
                for unsaved in pending:
                    self.open_editor(recovered=unsaved)
            elif clicked is discard:
                self._discard(pending)

        box.finished.connect(answered)
        box.open()
        self.recovery_prompt = box

    def _discard(self, pending: list[Unsaved]) -> None:
        recovery = self._portfolio.recovery

        def work() -> None:
            for unsaved in pending:
                recovery.discard(unsaved.key)

        self._ops.database(self, work).success(
            lambda _: self.statusBar().showMessage(
                self.tr("Discarded %n unsaved draft(s).", "", len(pending)), 8000
            )
        ).run()

    # -- layout memory -----------------------------------------------------------------------

    def restore_layout(self) -> None:
        settings = self._settings
        geometry = settings.value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            fit_to_screen(self, MAIN_SIZE)
        state = settings.value("main/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        mentor = settings.value(MENTOR_MODE, False) in (True, "true")
        self.set_mentor_mode(mentor, show=False)
        page = settings.value("main/page")
        if isinstance(page, str) and page in self._page_keys and (page != "mentor" or mentor):
            self.show_page(page)

    def save_layout(self) -> None:
        settings = self._settings
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/splitter", self.splitter.saveState())
        if self.is_built("evidence"):  # else the header saved before is still the one
            settings.setValue("evidence/header", self.evidence.table.horizontalHeader().saveState())
        settings.setValue("main/page", self.current_page_key())
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._recovery_checked:
            keep_on_screen(self)  # a size saved on a larger screen; the frame is known now
            QTimer.singleShot(0, self.check_recovery)
        self._settle_after_paint()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.isMinimized()
            and self.is_built("reviews")  # no identity was unlocked elsewhere
        ):
            self.reviews.identity.lock(self.tr("Locked: the window was minimised."))

    def closeEvent(self, event: QCloseEvent) -> None:
        for editor in list(self._editors):
            if not editor.close():  # an editor may ask to keep unsaved work
                from portfolio.ui.editor import EditorState  # loaded already: an editor is open

                event.ignore()
                if editor.editor_state is EditorState.SAVING_TO_CLOSE:  # "Save": close after it
                    editor.closed.connect(self.close, Qt.ConnectionType.QueuedConnection)
                return
        if self.is_built("reviews"):
            self.reviews.cleanup()  # forget any unlocked signing key
        self.save_layout()
        super().closeEvent(event)
