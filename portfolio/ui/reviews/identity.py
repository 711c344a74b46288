"""The supervisor's signing identity: choose, create, unlock and lock it, save its card.

The private key is held in memory only while unlocked. It is forgotten on "Lock", on leaving the
page, when the window is minimised or hidden, after the profile's minutes without input
(``IdleLock``) and when the desktop session locks (``SessionLockWatcher``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError, WrongPassphrase
from portfolio.services.dto import ProfileData
from portfolio.ui.identity_creation import create_identity
from portfolio.ui.meeting_lock import Clock, IdleLock, SessionLockWatcher
from portfolio.ui.operations import Operations
from portfolio.ui.reviews.common import refuse
from portfolio.ui.translations import counted
from portfolio.ui.widgets import FieldError, icon, role_label

if TYPE_CHECKING:  # signing pulls in cryptography: imported when first used, not at start-up
    from portfolio.services.signoffs import IdentityInfo, Unlocked


@dataclass(frozen=True)
class KeyInfo:
    """What the page says about keys: passphrase needed?, where they live, any warning."""

    identities: list[IdentityInfo]
    needs_passphrase: bool
    location: str
    warning: str | None
    own_copy: bool = False
    """No trainee profile: a supervisor's own copy, which keeps a signing log."""


class SupervisorIdentity(QGroupBox):
    message = Signal(str)
    failed = Signal(str)
    identities_loaded = Signal()
    lock_changed = Signal(bool)
    """True when an identity was unlocked, False when locked again."""
    card_saved = Signal(str)
    """The public card was written: its path."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        clock: Clock,
        session_lock: SessionLockWatcher | None,
        parent: QWidget | None = None,
    ) -> None:
        """``session_lock`` defaults to the desktop's buses, connected when first unlocked."""
        super().__init__(parent)
        self.setTitle(self.tr("Supervisor"))
        self.setObjectName("identityBox")
        self._portfolio = portfolio
        self._ops = ops
        self.keys = KeyInfo([], True, "", None)
        self.keys_known = False
        """True once the identities and the key store have been read (first shown)."""
        self._unlocked: Unlocked | None = None
        self._unlocked_location = ""
        self.idle_lock = IdleLock(clock, self)
        self.idle_lock.expired.connect(
            lambda: self.lock(
                counted("Locked after %n minute(s) without input.", round(self.idle_lock.minutes))
            )
        )
        self.session_lock = session_lock
        if session_lock is not None:
            session_lock.locked.connect(self._session_locked)

        locked = QWidget(self)
        self.identity_combo = QComboBox(locked)
        self.identity_combo.setObjectName("identityCombo")
        self.identity_combo.setAccessibleName(self.tr("Signing identity"))
        self.identity_combo.setMinimumContentsLength(16)
        self.identity_combo.currentIndexChanged.connect(lambda _: self._describe_choice())
        self.passphrase_label = QLabel(self.tr("&Passphrase:"), locked)
        self.passphrase = QLineEdit(locked)
        self.passphrase.setObjectName("passphraseEdit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase of the signing key"))
        self.passphrase.returnPressed.connect(self.unlock)
        self.passphrase_label.setBuddy(self.passphrase)
        self.unlock_button = QPushButton(icon("key"), self.tr("&Unlock"), locked)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.unlock)
        self.create_button = QPushButton(self.tr("Create identity…"), locked)
        self.create_button.setObjectName("createIdentityButton")
        self.create_button.clicked.connect(self.create_identity)
        who = QLabel(self.tr("&Identity:"), locked)
        who.setBuddy(self.identity_combo)
        row = QGridLayout()
        row.addWidget(who, 0, 0)
        row.addWidget(self.identity_combo, 0, 1)
        row.addWidget(self.create_button, 0, 2)
        row.addWidget(self.passphrase_label, 1, 0)
        row.addWidget(self.passphrase, 1, 1)
        row.addWidget(self.unlock_button, 1, 2)
        row.setColumnStretch(1, 1)
        row.setColumnStretch(3, 1)
        self.choice_note = QLabel(locked)
        self.choice_note.setObjectName("identityNote")
        self.choice_note.setWordWrap(True)
        self.choice_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unlock_message = FieldError("unlockMessage", locked)
        locked_layout = QVBoxLayout(locked)
        locked_layout.setContentsMargins(0, 0, 0, 0)
        locked_layout.addLayout(row)
        locked_layout.addWidget(self.choice_note)
        locked_layout.addWidget(self.unlock_message)

        unlocked = QWidget(self)
        self.signer = QLabel(unlocked)
        self.signer.setObjectName("signerLabel")
        self.signer.setWordWrap(True)
        self.signer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_card_button = QPushButton(icon("card"), self.tr("Save my card…"), unlocked)
        self.save_card_button.setObjectName("saveCardButton")
        self.save_card_button.setToolTip(
            self.tr("Save your public identity card for the trainee to pin")
        )
        self.save_card_button.clicked.connect(self.choose_card_destination)
        self.lock_button = QPushButton(icon("lock"), self.tr("&Lock"), unlocked)
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip(self.tr("Forget the unlocked key"))
        self.lock_button.clicked.connect(self.lock)
        unlocked_layout = QHBoxLayout(unlocked)
        unlocked_layout.setContentsMargins(0, 0, 0, 0)
        key = QLabel(unlocked)
        key.setPixmap(icon("key").pixmap(28, 28))
        unlocked_layout.addWidget(key)
        unlocked_layout.addWidget(self.signer, 1)
        unlocked_layout.addWidget(self.save_card_button)
        unlocked_layout.addWidget(self.lock_button)

        self._locked_panel, self._unlocked_panel = locked, unlocked
        layout = QVBoxLayout(self)
        layout.addWidget(locked)
        layout.addWidget(unlocked)
        unlocked.setVisible(False)
        self._show_lock_state()

    @property
    def unlocked(self) -> Unlocked | None:
        return self._unlocked

    def reload(self, select: str | None = None) -> None:
        """Read the identities and the key store again (``select``: choose that fingerprint)."""
        signoffs = self._portfolio.signoffs
        profile = self._portfolio.profile

        def work() -> KeyInfo:
            store = signoffs.keystore()
            return KeyInfo(
                signoffs.identities(),
                store.needs_passphrase,
                store.location(),
                signoffs.key_warning(),
                profile.get() is None,
            )

        def done(keys: KeyInfo) -> None:
            self.keys = keys
            self.keys_known = True
            wanted = select or self.identity_combo.currentData()
            self.identity_combo.blockSignals(True)
            self.identity_combo.clear()
            for info in keys.identities:
                if info.has_private_key:
                    identity = info.identity
                    self.identity_combo.addItem(
                        f"{identity.name} — {role_label(identity.role)}", info.fingerprint
                    )
            if self.identity_combo.count() == 0:
                self.identity_combo.addItem(self.tr("No identity yet: create one"), None)
            found = self.identity_combo.findData(wanted) if wanted else -1
            self.identity_combo.setCurrentIndex(max(found, 0))
            self.identity_combo.blockSignals(False)
            self._describe_choice()
            self.identities_loaded.emit()

        self._ops.database(self, work).success(done).failure(
            lambda error: self._ops.known_error.emit(str(error))
        ).run()

    def chosen(self) -> IdentityInfo | None:
        fingerprint = self.identity_combo.currentData()
        return next((i for i in self.keys.identities if i.fingerprint == fingerprint), None)

    def _describe_choice(self) -> None:
        info = self.chosen()
        has = info is not None
        self.identity_combo.setEnabled(has)
        self.passphrase.setEnabled(has)
        self.unlock_button.setEnabled(has)
        self.passphrase.setVisible(self.keys.needs_passphrase)
        self.passphrase_label.setVisible(self.keys.needs_passphrase)
        lines = []
        if info is not None:
            lines.append(
                self.tr("Fingerprint {fp} · GMC {gmc} · key kept {where}").format(
                    fp=info.fingerprint,
                    gmc=info.identity.gmc_number,
                    where=info.key_location or self.keys.location,
                )
            )
        else:
            lines.append(
                self.tr(
                    "A supervisor signs with their own identity. Signing keys "
                    "made here are kept {where}."
                ).format(where=self.keys.location)
            )
        if self.keys.warning:
            lines.append(self.keys.warning)
        self.choice_note.setText("\n".join(lines))

    def unlock(self) -> None:
        info = self.chosen()
        if info is None:
            self.unlock_message.show_error(self.tr("Create an identity first."))
            return
        passphrase = self.passphrase.text() if self.keys.needs_passphrase else None
        if self.keys.needs_passphrase and not passphrase:
            self.unlock_message.show_error(self.tr("Type the passphrase of this identity."))
            return
        self.unlock_message.show_error("")
        self.unlock_button.setEnabled(False)
        signoffs = self._portfolio.signoffs

        def failed(error: PortfolioError) -> None:
            self.unlock_button.setEnabled(True)
            text = str(error)
            if isinstance(error, WrongPassphrase):
                text = self.tr(
                    "Wrong passphrase for {name}; nothing was unlocked. Type it "
                    "again (it is the one chosen when the identity was made)."
                ).format(name=info.identity.name)
            self.unlock_message.show_error(text)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            self.failed.emit(text)

        def done(result: tuple[Unlocked, int]) -> None:
            unlocked, minutes = result
            self.unlock_button.setEnabled(True)
            self.passphrase.clear()
            if not self.isVisible():  # the page was left while the key was being unlocked
                return
            self._unlocked = unlocked
            self.idle_lock.set_minutes(minutes)
            self.idle_lock.arm()
            if self.session_lock is None:
                self.session_lock = SessionLockWatcher(parent=self)
                self.session_lock.locked.connect(self._session_locked)
            self._unlocked_location = info.key_location or self.keys.location
            self._show_lock_state()
            self.message.emit(
                self.tr("Unlocked: signing as {name}.").format(name=unlocked.identity.name)
            )
            self.lock_changed.emit(True)

        profile = self._portfolio.profile

        def work() -> tuple[Unlocked, int]:
            found = profile.get()
            minutes = (found or ProfileData("", "")).meeting_lock_minutes
            return signoffs.unlock(info.fingerprint, passphrase), minutes

        self._ops.database(self, work).success(done).failure(failed).run()

    def lock(self, reason: str = "") -> None:
        """Forget the private key; ``reason`` says why when it was not the Lock button."""
        was = self._unlocked is not None
        self._unlocked = None
        self.idle_lock.disarm()
        self.passphrase.clear()
        self._show_lock_state()
        if was:
            self.message.emit(reason or self.tr("Locked: the signing key is no longer held."))
            self.lock_changed.emit(False)

    def _session_locked(self) -> None:
        self.lock(self.tr("Locked: the computer's session was locked."))

    def _show_lock_state(self) -> None:
        unlocked = self._unlocked
        self._locked_panel.setVisible(unlocked is None)
        self._unlocked_panel.setVisible(unlocked is not None)
        if unlocked is None:
            return
        identity = unlocked.identity
        self.signer.setText(
            self.tr(
                "<b>Signing as {name}</b> — {role}, GMC {gmc}<br>Fingerprint <tt>{fp}</tt><br>"
                "Private key kept {where}<br>Locks after {minutes} min without input, on "
                "leaving this page, minimising the window or locking the screen."
            ).format(
                minutes=round(self.idle_lock.minutes),
                name=identity.name,
                role=role_label(identity.role),
                gmc=identity.gmc_number,
                fp=identity.fingerprint,
                where=self._unlocked_location,
            )
        )

    def create_identity(self) -> None:
        def created(info: IdentityInfo) -> None:
            self.message.emit(
                self.tr("Identity created for {name}: fingerprint {fp}.").format(
                    name=info.identity.name, fp=info.fingerprint
                )
            )
            self.reload(select=info.fingerprint)
            self.passphrase.setFocus()

        self.create_dialog = create_identity(
            self,
            self._ops,
            self._portfolio.signoffs,
            needs_passphrase=self.keys.needs_passphrase,
            key_location=self.keys.location,
            purpose="supervisor",
            created=created,
        )

    # -- the public card ---------------------------------------------------------------------

    def choose_card_destination(self) -> None:
        unlocked = self._unlocked
        if unlocked is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save your identity card"),
            str(Path.home() / f"{unlocked.identity.name} card.json"),
            self.tr("Identity cards (*.json)"),
        )
        if chosen:
            self.save_card_to(Path(chosen))

    def save_card_to(self, path: Path) -> None:
        """Write the public card (never the key) off the GUI thread; ``card_saved`` follows."""
        unlocked = self._unlocked
        if unlocked is None:
            return
        identity = unlocked.identity

        def write() -> Path:
            from portfolio.formats.card import write_card_file

            return write_card_file(identity, path)

        def done(written: Path) -> None:
            self.message.emit(
                self.tr("Your identity card is saved to {path}.").format(path=written)
            )
            self.card_saved.emit(str(written))

        self._ops.render(self, write).success(done).failure(
            lambda error: refuse(self, self.failed, error, "saveCardError")
        ).run()
