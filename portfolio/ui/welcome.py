"""First run: create the profile, or open the demo portfolio to look around."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.services.dto import ProfileData
from portfolio.ui.profile_dialog import ProfileForm
from portfolio.ui.tasks import Events, TaskRunner
from portfolio.ui.widgets import DISPLAY_NAME, icon


def fill_demo(portfolio: Portfolio) -> int:
    """The demo portfolio (sample profile and evidence), imported only when chosen."""
    from portfolio.demo import fill_demo as fill

    return fill(portfolio)


class WelcomeDialog(QDialog):
    """Accepted once the portfolio has a profile (typed in, or the demo's)."""

    def __init__(self, portfolio: Portfolio, tasks: TaskRunner, events: Events,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle(self.tr("Welcome to {app}").format(app=DISPLAY_NAME))
        self.setWindowIcon(icon("app"))
        self._portfolio = portfolio
        self._tasks = tasks
        self._events = events

        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(56, 56))
        logo.setAccessibleName(DISPLAY_NAME)
        title = QLabel(self.tr("Welcome to your GPC portfolio"), self)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        title.setFont(font)
        intro = QLabel(self.tr(
            "Record your leadership, teamwork, patient-safety and quality-improvement evidence "
            "against the GMC Generic Professional Capabilities. Everything stays on this "
            "computer. Start with a few details about you; you can change them later."), self)
        intro.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(intro)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.form = ProfileForm(self)
        self.create_button = QPushButton(self.tr("&Create my portfolio"), self)
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Open the &demo portfolio"), self)
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setToolTip(self.tr(
            "Fills this portfolio with a sample trainee and realistic sample evidence"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.create_button.clicked.connect(self.create_profile)
        self.demo_button.clicked.connect(self.open_demo)
        self.setTabOrder(self.form.supervisor, self.create_button)
        self.setTabOrder(self.create_button, self.demo_button)
        self.resize(640, self.sizeHint().height())
        self.form.name.setFocus()

    def create_profile(self) -> None:
        profile = self.form.profile()
        if profile is None:
            return
        service = self._portfolio.profile
        self._set_busy(True)

        def done(_: ProfileData) -> None:
            self._events.changed.emit("profile", [])
            self.accept()

        self._tasks.run(lambda: service.save(profile), done, self._failed)

    def open_demo(self) -> None:
        portfolio = self._portfolio
        self._set_busy(True)
        self.form.show_error("")

        def done(_: int) -> None:
            self._events.changed.emit("evidence", [])
            self._events.changed.emit("profile", [])
            self.accept()

        self._tasks.run(lambda: fill_demo(portfolio), done, self._failed)

    def _failed(self, error: PortfolioError) -> None:
        self._set_busy(False)
        self.form.show_error(str(error))

    def _set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
