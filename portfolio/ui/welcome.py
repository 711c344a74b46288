"""First run: create the profile, or open the demo portfolio to look around.

Encryption at rest is offered here (docs/encryption.md): ``encryptCheck`` "Encrypt this portfolio
on this computer", with ``encryptNote`` saying where the key will live. When a system keyring
works (``DatabaseKey.keyring_problem()`` is None, probed off the GUI thread) the key goes there;
otherwise two passphrase fields (``encryptPassphrase``, ``encryptPassphraseAgain``) and a
warning that a forgotten passphrase cannot be recovered (``encryptWarning``) appear;
``encryptError`` says what to fix. If chosen, the portfolio (still empty) is closed, encrypted
with ``encrypt_portfolio`` and reopened on the task runner, and only then is the profile (or the
demo) written. The dialog's :attr:`WelcomeDialog.portfolio` is then the reopened
:class:`Portfolio`: whoever showed the welcome must carry on with (and close) that one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import PortfolioError
from portfolio.ui.operations import Operations
from portfolio.ui.profile_dialog import ProfileForm
from portfolio.ui.screen_fit import fit_to_screen
from portfolio.ui.widgets import DISPLAY_NAME, FieldError, bold, icon
from portfolio.vocabulary import ChangeKind

MIN_PASSPHRASE = 8
_CHECKING = "checking"


def keyring_problem() -> str | None:
    """None when the database key can go into the system keyring, else why not."""
    from portfolio.security.database_key import DatabaseKey

    return DatabaseKey.keyring_problem()


def encrypt_and_reopen(
    portfolio: Portfolio, passphrase: str | None, opened: Callable[[Portfolio], None]
) -> Portfolio:
    """Close ``portfolio``, encrypt it in place and open it again (runs off the GUI thread).

    ``opened`` hears of the portfolio that is open afterwards, whatever happens: the encrypted
    one, or (when encrypting failed) the same portfolio reopened as it was.
    """
    from portfolio.app import encrypt

    location = portfolio.location
    portfolio.close()
    try:
        encrypt(location, passphrase)
    except BaseException:
        opened(open_portfolio(location, passphrase=passphrase))  # a crash leaves old or new
        raise
    reopened = open_portfolio(location, passphrase=passphrase)
    opened(reopened)
    return reopened


def fill_demo(portfolio: Portfolio) -> int:
    """The demo portfolio (sample profile and evidence), imported only when chosen."""
    from portfolio.demo import fill_demo as fill

    return fill(portfolio)


class WelcomeDialog(QDialog):
    """Accepted once the portfolio has a profile (typed in, or the demo's)."""

    keyring_checked = Signal()
    """The keyring probe has answered (``encryptNote`` now says where the key will live)."""
    encrypted = Signal()
    """The portfolio was encrypted and reopened: :attr:`portfolio` is the new object."""

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle(self.tr("Welcome to {app}").format(app=DISPLAY_NAME))
        self.setWindowIcon(icon("app"))
        self._portfolio: Portfolio | None = portfolio
        self._ops = ops
        self._busy = False
        self._encrypted = False
        self._keyring_problem: str | None = _CHECKING

        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(56, 56))
        logo.setAccessibleName(DISPLAY_NAME)
        title = bold(QLabel(self.tr("Welcome to your GPC portfolio"), self), 1.5)
        intro = QLabel(
            self.tr(
                "Record your leadership, teamwork, patient-safety and quality-improvement evidence "
                "against the GMC Generic Professional Capabilities. Everything stays on this "
                "computer. Start with a few details about you; you can change them later."
            ),
            self,
        )
        intro.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(intro)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.form = ProfileForm(self)
        self.encrypt_box = self._build_encryption()
        self.create_button = QPushButton(self.tr("&Create my portfolio"), self)
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Open the &demo portfolio"), self)
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setToolTip(
            self.tr(
                "Fills this portfolio with a sample trainee's year: evidence, a supervisor's "
                "sign-offs and the Trust's leadership opportunities"
            )
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addWidget(self.encrypt_box)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.create_button.clicked.connect(self.create_profile)
        self.demo_button.clicked.connect(self.open_demo)
        self.setTabOrder(self.form.supervisor, self.encrypt_check)
        self.setTabOrder(self.encrypt_check, self.passphrase_edit)
        self.setTabOrder(self.passphrase_edit, self.passphrase_again)
        self.setTabOrder(self.passphrase_again, self.create_button)
        self.setTabOrder(self.create_button, self.demo_button)
        fit_to_screen(self, QSize(640, self.sizeHint().height()))
        self.form.name.setFocus()
        self._ops.database(self, keyring_problem).success(self._on_keyring_checked).failure(
            lambda error: self._on_keyring_checked(str(error))
        ).run()

    @property
    def portfolio(self) -> Portfolio | None:
        """The open portfolio: a new object once encryption has been turned on (None only if
        it could not be reopened after a failure)."""
        return self._portfolio

    # -- encryption ------------------------------------------------------------------------------

    def _build_encryption(self) -> QFrame:
        box = QFrame(self)
        box.setObjectName("encryptBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        self.encrypt_check = QCheckBox(self.tr("&Encrypt this portfolio on this computer"), box)
        self.encrypt_check.setObjectName("encryptCheck")
        self.encrypt_check.setToolTip(
            self.tr(
                "Someone who takes this computer, or copies the data folder, cannot read your "
                "portfolio or its backups."
            )
        )
        self.encrypt_note = QLabel(box)
        self.encrypt_note.setObjectName("encryptNote")
        self.encrypt_note.setWordWrap(True)
        self.encrypt_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.encrypt_check)
        layout.addWidget(self.encrypt_note)

        self.passphrase_host = QWidget(box)
        grid = QGridLayout(self.passphrase_host)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(10)
        self.passphrase_edit = QLineEdit(self.passphrase_host)
        self.passphrase_edit.setObjectName("encryptPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        self.passphrase_again = QLineEdit(self.passphrase_host)
        self.passphrase_again.setObjectName("encryptPassphraseAgain")
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName(self.tr("Passphrase again"))
        first = QLabel(self.tr("&Passphrase"), self.passphrase_host)
        first.setBuddy(self.passphrase_edit)
        again = QLabel(self.tr("&Again"), self.passphrase_host)
        again.setBuddy(self.passphrase_again)
        grid.addWidget(first, 0, 0)
        grid.addWidget(self.passphrase_edit, 0, 1)
        grid.addWidget(again, 1, 0)
        grid.addWidget(self.passphrase_again, 1, 1)
        self.encrypt_warning = QLabel(
            self.tr(
                "<b>Keep it safe.</b> A forgotten passphrase cannot be recovered, by you or by "
                "anyone else, and neither can the portfolio. Keep an export somewhere safe too."
            ),
            self.passphrase_host,
        )
        self.encrypt_warning.setObjectName("encryptWarning")
        self.encrypt_warning.setWordWrap(True)
        grid.addWidget(self.encrypt_warning, 2, 0, 1, 2)
        layout.addWidget(self.passphrase_host)
        self.encrypt_error = FieldError("encryptError", box)
        layout.addWidget(self.encrypt_error)
        self.encrypt_status = QLabel(box)
        self.encrypt_status.setObjectName("encryptStatus")
        self.encrypt_status.setWordWrap(True)
        self.encrypt_status.hide()
        layout.addWidget(self.encrypt_status)

        self.encrypt_check.toggled.connect(lambda _: self._update_encryption())
        for edit in (self.passphrase_edit, self.passphrase_again):
            edit.textEdited.connect(lambda _: self.encrypt_error.show_error(""))
        self._update_encryption()
        return box

    def _on_keyring_checked(self, problem: str | None) -> None:
        self._keyring_problem = problem
        self._update_encryption()
        self.keyring_checked.emit()

    @property
    def uses_keyring(self) -> bool:
        return self._keyring_problem is None

    def _update_encryption(self) -> None:
        chosen = self.encrypt_check.isChecked()
        problem = self._keyring_problem
        if self._encrypted:
            text = self.tr("Encrypted. Its key is kept {where}.").format(
                where=self.tr("in this computer's keyring")
                if problem is None
                else self.tr("nowhere: it is made from your passphrase each time")
            )
        elif problem == _CHECKING:
            text = self.tr("Checking where the key could be kept…")
        elif problem is None:
            text = self.tr(
                "Someone who takes this computer or copies the data folder cannot read it, or "
                "its backups. The key is kept in this computer's keyring, so it opens as usual "
                "while you are logged in. Files you export or print are not encrypted."
            )
        else:
            text = self.tr(
                "Someone who takes this computer or copies the data folder cannot read it, or "
                "its backups. No system keyring works here, so the key is made from a "
                "passphrase you type each time the portfolio opens."
            )
        self.encrypt_note.setText(text)
        self.encrypt_note.setToolTip("" if problem in (None, _CHECKING) else problem)
        self.passphrase_host.setVisible(
            chosen and problem not in (None, _CHECKING) and not self._encrypted
        )
        self.encrypt_check.setEnabled(not self._encrypted and not self._busy)
        if not chosen:
            self.encrypt_error.show_error("")

    def _chosen_passphrase(self) -> tuple[bool, str | None]:
        """(ok, passphrase): None means the keyring. Shows what to fix when not ok."""
        if self._keyring_problem == _CHECKING:
            self.encrypt_error.show_error(
                self.tr("Still checking where the key could be kept; try again in a moment.")
            )
            return False, None
        if self._keyring_problem is None:
            return True, None
        first, again = self.passphrase_edit.text(), self.passphrase_again.text()
        if len(first) < MIN_PASSPHRASE:
            self.encrypt_error.show_error(
                self.tr(
                    "Choose a passphrase of at least {count} characters; a few unrelated words "
                    "are easy to remember and hard to guess."
                ).format(count=MIN_PASSPHRASE)
            )
            self.passphrase_edit.setFocus()
            return False, None
        if first != again:
            self.encrypt_error.show_error(self.tr("The two passphrases differ."))
            self.passphrase_again.setFocus()
            return False, None
        return True, first

    def _run(
        self,
        step: Callable[[Portfolio], Any],
        done: Callable[[Any], None],
        changes: tuple[ChangeKind, ...],
    ) -> None:
        """``step`` on the database thread, after encrypting when that was chosen (and not
        done); ``changes`` are announced when it succeeds."""
        portfolio = self._portfolio
        if portfolio is None:
            return
        if not self.encrypt_check.isChecked() or self._encrypted:
            self._set_busy(True)
            self._ops.database(self, lambda: step(portfolio)).success(done).failure(
                self._failed
            ).changes(*changes).run()
            return
        ok, passphrase = self._chosen_passphrase()
        if not ok:
            return
        self._set_busy(True)
        self.encrypt_status.setText(self.tr("Encrypting your portfolio…"))
        self.encrypt_status.show()
        holder: dict[str, Portfolio] = {}

        def work() -> Any:
            def opened(reopened: Portfolio) -> None:
                holder["portfolio"] = reopened

            reopened = encrypt_and_reopen(portfolio, passphrase, opened)
            return step(reopened)

        def settle() -> None:
            self._portfolio = holder.get("portfolio")
            self.encrypt_status.hide()
            if (
                self._portfolio is not None
                and self._portfolio is not portfolio
                and self._portfolio.database.key is not None
            ):
                self._encrypted = True
                self.passphrase_edit.clear()
                self.passphrase_again.clear()
                self._update_encryption()
                self.encrypted.emit()

        def finished(result: Any) -> None:
            settle()
            done(result)

        def failed(error: PortfolioError) -> None:
            settle()
            if not self._encrypted and "keyring" in str(error):  # the probe was too hopeful
                self._keyring_problem = str(error)
                self._update_encryption()
            self._failed(error)
            if self._portfolio is None:  # could not even reopen it: nothing more to do here
                self.create_button.setEnabled(False)
                self.demo_button.setEnabled(False)

        self._ops.database(self, work).success(finished).failure(failed).changes(*changes).run()

    def create_profile(self) -> None:
        profile = self.form.profile()
        if profile is None:
            return

        self._run(
            lambda portfolio: portfolio.profile.save(profile),
            lambda _: self.accept(),
            (ChangeKind.PROFILE,),
        )

    def open_demo(self) -> None:
        self.form.show_error("")

        self._run(fill_demo, lambda _: self.accept(), (ChangeKind.EVIDENCE, ChangeKind.PROFILE))

    def _failed(self, error: PortfolioError) -> None:
        self._set_busy(False)
        self.form.show_error(str(error))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)
        self.encrypt_check.setEnabled(not busy and not self._encrypted)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        if self._busy:  # the portfolio is being written (perhaps encrypted): wait for it
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
