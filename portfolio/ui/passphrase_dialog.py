"""Asking for the passphrase of an encrypted portfolio before it opens (docs/encryption.md).

``PassphraseDialog`` (``passphraseDialog``): the field ``portfolioPassphraseEdit``, a message
``passphraseMessage`` (e.g. "Wrong passphrase …", hidden when empty), and Open / Cancel
(``openPortfolioButton`` / ``cancelPassphraseButton``). :func:`ask_passphrase` shows it with
``exec()`` at start-up, before any window exists; it returns None on Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from portfolio.ui.widgets import DISPLAY_NAME, FieldError, bold, icon


class PassphraseDialog(QDialog):
    def __init__(self, where: str, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(self.tr("Unlock your portfolio — {app}").format(app=DISPLAY_NAME))
        self.setWindowIcon(icon("app"))

        lock = QLabel(self)
        lock.setPixmap(icon("lock").pixmap(40, 40))
        title = bold(QLabel(self.tr("Your portfolio is encrypted"), self), 1.25)
        intro = QLabel(
            self.tr(
                "Type the passphrase you chose when you encrypted it. Nothing is opened or changed "
                "until the passphrase is right."
            ),
            self,
        )
        intro.setWordWrap(True)
        place = QLabel(where, self)
        place.setObjectName("passphraseLocation")
        place.setWordWrap(True)
        place.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edit = QLineEdit(self)
        self.edit.setObjectName("portfolioPassphraseEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("Passphrase"))
        self.edit.setPlaceholderText(self.tr("Passphrase"))
        self.edit.setMinimumWidth(320)
        label = QLabel(self.tr("&Passphrase"), self)
        label.setBuddy(self.edit)
        self.message = FieldError("passphraseMessage", self, field=self.edit)
        self.message.show_error(message)

        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton(
            self.tr("&Open"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setObjectName("openPortfolioButton")
        self.open_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelPassphraseButton")
        buttons.accepted.connect(self._accept_if_typed)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(intro)
        text.addWidget(place)
        top = QHBoxLayout()
        top.addWidget(lock, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.edit.textEdited.connect(lambda _: self.message.show_error(""))
        self.edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def _accept_if_typed(self) -> None:
        if not self.edit.text():
            self.message.show_error(self.tr("Type the passphrase first."))
            return
        self.accept()

    def passphrase(self) -> str:
        return self.edit.text()


def ask_passphrase(where: str, message: str = "") -> str | None:
    """Show the dialog (blocking, before any window exists); None when cancelled."""
    dialog = PassphraseDialog(where, message)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()
    finally:
        dialog.edit.clear()
        dialog.deleteLater()
