"""The Reviews page: supervisor mode on the trainee's machine, and sign-off by file.

In a meeting the supervisor unlocks their identity (or creates one here), walks the queue of
items ready for review, reads each in full and records a decision, signed at once
(``SignOffService.sign_in_meeting``). With a review pack (``.gpcreview``) a supervisor works in
their own copy: the same queue comes from the pack, decisions are collected and signed together
into a sign-off file (``sign_pack``). The trainee exports packs, imports the replies and pins
supervisors' identity cards from here too.

The private key is held in memory only while unlocked. It is forgotten on "Lock", on leaving the
page, when the window is minimised or hidden, after the profile's minutes without input
(``IdleLock``) and when the desktop session locks (``SessionLockWatcher``). What was signed in
this meeting is listed, and a decision made here can be withdrawn by a signed record.
Every service call runs on the task runner; methods ending in ``_to`` / ``_from`` take a path so
tests (and the menu actions) skip the file dialogs.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput, PortfolioError, WrongPassphrase
from portfolio.services.dto import EvidenceDetail, EvidenceSummary, ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.attachment_viewer import AttachmentViewer, view_attachment
from portfolio.ui.meeting_lock import Clock, IdleLock, SessionLockWatcher
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.privacy_dialog import check_privacy_first
from portfolio.ui.review_dialogs import (
    ATTACHMENT_SCHEME,
    CreateIdentityDialog,
    SignOffImportDialog,
    item_html,
)
from portfolio.ui.widgets import (
    Connections,
    FieldError,
    bold,
    decision_label,
    icon,
    kind_title,
    role_label,
    show_message,
    status_icon,
)
from portfolio.vocabulary import ChangeKind, PinMethod

if TYPE_CHECKING:  # signing pulls in cryptography: imported when first used, not at start-up
    from portfolio.services.credentials import EarlierChoice
    from portfolio.services.directories import DirectoryImport
    from portfolio.services.privacy import Gathered
    from portfolio.services.review_files import ReviewPack
    from portfolio.services.signoffs import IdentityInfo, ImportOutcome, SignOffInfo, Unlocked

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SIGNATURE_ROLE = Qt.ItemDataRole.UserRole + 2
FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class KeyInfo:
    """What the page says about keys: passphrase needed?, where they live, any warning."""

    identities: list[IdentityInfo]
    needs_passphrase: bool
    location: str
    warning: str | None
    own_copy: bool = False
    """No trainee profile: a supervisor's own copy, which keeps a signing log."""


class ReviewsPage(QWidget):
    message = Signal(str)
    """A short note for the status bar."""
    open_requested = Signal(str)
    identities_loaded = Signal()
    lock_changed = Signal(bool)
    """True when an identity was unlocked, False when locked again."""
    detail_shown = Signal(str)
    signed = Signal(str)
    """An item was signed in the meeting (or a decision recorded for a pack): its uuid."""
    withdrawn = Signal(str)
    """A decision signed in this meeting was withdrawn: the item's uuid."""
    pack_opened = Signal(int)
    pack_exported = Signal(str)
    signoff_saved = Signal(str)
    log_exported = Signal(str)
    signoffs_imported = Signal(list)
    failed = Signal(str)
    """A known error was shown to the user (its text)."""

    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        clock: Clock = time.monotonic,
        session_lock: SessionLockWatcher | None = None,
    ) -> None:
        """``clock`` drives the idle lock; ``session_lock`` defaults to the desktop's buses,
        connected when an identity is first unlocked."""
        super().__init__(parent)
        self.setObjectName("reviewsPage")
        self._portfolio = portfolio
        self._ops = ops
        self._connections = Connections(self)
        self._keys = KeyInfo([], True, "", None)
        self._unlocked: Unlocked | None = None
        self._unlocked_location = ""
        self._pack: ReviewPack | None = None
        self._pack_path: Path | None = None
        self._decisions: dict[str, tuple[str, str]] = {}
        self._current: EvidenceDetail | None = None
        self._signing = False
        self._keep_row = 0
        self.attachment_viewer: AttachmentViewer | None = None
        self.idle_lock = IdleLock(clock, self)
        self.idle_lock.expired.connect(
            lambda: self.lock(
                self.tr("Locked after {n} minute(s) without input.").format(
                    n=round(self.idle_lock.minutes)
                )
            )
        )
        self.session_lock = session_lock
        if session_lock is not None:
            session_lock.locked.connect(self._session_locked)

        title = bold(QLabel(self.tr("Reviews"), self), 1.4)
        intro = QLabel(
            self.tr(
                "Supervisor mode. In a meeting, the supervisor unlocks their signing identity, reads "
                "each item ready for review and signs their decision here. Sign-offs can also go by "
                "file: export a review pack for your supervisor and import the sign-off file they "
                "send back."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.identity_box = self._identity_box()
        self.source = bold(QLabel(self))
        self.source.setObjectName("reviewSource")
        self.source.setWordWrap(True)
        self.open_pack_button = self._button(
            "openPackButton", self.tr("Open review pack…"), "import", self.choose_review_pack
        )
        self.close_pack_button = self._button(
            "closePackButton", self.tr("Close pack"), None, self.close_pack
        )
        self.close_pack_button.setVisible(False)
        self.export_log_button = self._button(
            "exportLogButton", self.tr("Export signing log…"), "export", self.choose_log_destination
        )
        self.export_log_button.setToolTip(
            self.tr(
                "Everything this copy signed, signed again as a log: a portfolio can be checked "
                "against it with 'gpc-portfolio verify --against'."
            )
        )
        self.export_log_button.setVisible(False)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.export_log_button)
        source_row.addWidget(self.open_pack_button)
        source_row.addWidget(self.close_pack_button)

        self.queue = QListWidget(self)
        self.queue.setObjectName("reviewQueue")
        self.queue.setAccessibleName(self.tr("Items to review"))
        self.queue.setIconSize(QSize(18, 18))
        self.queue.setMinimumWidth(220)
        self.queue.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue.setUniformItemSizes(True)
        self.queue.currentRowChanged.connect(self._row_chosen)
        self.empty_queue = QLabel(self.tr("Nothing is waiting for review."), self)
        self.empty_queue.setObjectName("emptyQueueLabel")
        self.empty_queue.setWordWrap(True)
        self.empty_queue.setVisible(False)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.queue, 1)
        left_layout.addWidget(self.empty_queue)

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("reviewDetail")
        self.detail.setAccessibleName(self.tr("The item under review (read-only)"))
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._anchor_clicked)
        self.detail.setPlaceholderText(self.tr("Choose an item on the left to read it in full."))
        self.decision_box = self._decision_box()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(self.decision_box)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("reviewSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640])

        trainee = QHBoxLayout()
        trainee_label = QLabel(self.tr("For the trainee:"), self)
        trainee.addWidget(trainee_label)
        self.export_pack_button = self._button(
            "exportPackButton",
            self.tr("Export review pack…"),
            "export",
            self.choose_export_review_pack,
        )
        self.import_signoff_button = self._button(
            "importSignoffButton",
            self.tr("Import sign-off file…"),
            "import",
            self.choose_signoff_file,
        )
        self.pin_card_button = self._button(
            "pinCardButton", self.tr("Pin supervisor card…"), "card", self.choose_card
        )
        self.trust_directory_button = self._button(
            "trustDirectoryButton",
            self.tr("Trust supervisor directory…"),
            "import",
            self.choose_directory,
        )
        for button in (
            self.export_pack_button,
            self.import_signoff_button,
            self.pin_card_button,
            self.trust_directory_button,
        ):
            trainee.addWidget(button)
        trainee.addStretch(1)

        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(self.identity_box)
        column.addLayout(source_row)
        column.addWidget(self.splitter, 1)
        self.meeting_box = self._meeting_box()
        column.addWidget(self.meeting_box)
        column.addLayout(trainee)
        scroll = QScrollArea(self)  # a small window scrolls rather than growing the main window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self._connections.connect(ops.changed, self._data_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            self._connections.connect(app.applicationStateChanged, self._application_state)
        self._started = False
        self.keys_known = False
        """True once the identities and the key store have been read (first shown)."""
        self._show_lock_state()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.start()

    def hideEvent(self, event: Any) -> None:
        """Leaving the page, or the window being minimised or hidden, locks the identity."""
        super().hideEvent(event)
        self.lock(self.tr("Locked: the Reviews page was left."))

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state in (
            Qt.ApplicationState.ApplicationHidden,
            Qt.ApplicationState.ApplicationSuspended,
        ):
            self.lock(self.tr("Locked: the app was hidden."))

    def _session_locked(self) -> None:
        self.lock(self.tr("Locked: the computer's session was locked."))

    def start(self) -> None:
        """Read identities and the queue: when first shown, so start-up does not pay for it."""
        if self._started:
            return
        self._started = True
        self.reload_identities()
        self.reload_queue()

    # -- building ----------------------------------------------------------------------------

    def _button(self, name: str, text: str, icon_name: str | None, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        if icon_name:
            button.setIcon(icon(icon_name))
        button.clicked.connect(slot)
        return button

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Supervisor"), self)
        box.setObjectName("identityBox")

        locked = QWidget(box)
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

        unlocked = QWidget(box)
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
        layout = QVBoxLayout(box)
        layout.addWidget(locked)
        layout.addWidget(unlocked)
        unlocked.setVisible(False)
        return box

    def _decision_box(self) -> QFrame:
        box = QFrame(self)
        box.setObjectName("decisionBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.sign_off_radio = QRadioButton(self.tr("&Sign off"), box)
        self.sign_off_radio.setObjectName("signOffRadio")
        self.sign_off_radio.setIcon(status_icon("signed_off", self.palette()))
        self.changes_radio = QRadioButton(self.tr("Request &changes"), box)
        self.changes_radio.setObjectName("changesRadio")
        self.changes_radio.setIcon(status_icon("changes_requested", self.palette()))
        self.decision_group = QButtonGroup(box)
        self.decision_group.addButton(self.sign_off_radio)
        self.decision_group.addButton(self.changes_radio)
        self.decision_group.buttonToggled.connect(lambda *_: self._update_controls())
        self.comment = QPlainTextEdit(box)
        self.comment.setObjectName("reviewComment")
        self.comment.setAccessibleName(self.tr("Supervisor's comment"))
        self.comment.setPlaceholderText(
            self.tr("Comment for the trainee (needed when asking for changes)")
        )
        self.comment.setMaximumHeight(self.comment.fontMetrics().height() * 5)
        self.comment.textChanged.connect(self._update_controls)
        self.sign_button = QPushButton(icon("key"), self.tr("Sign &now"), box)
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self.sign)
        self.decision_hint = QLabel(box)
        self.decision_hint.setObjectName("decisionHint")
        self.decision_hint.setWordWrap(True)
        self.decision_error = FieldError("decisionError", box)
        self.save_signoff_button = QPushButton(icon("export"), self.tr("Save sign-off file…"), box)
        self.save_signoff_button.setObjectName("saveSignoffButton")
        self.save_signoff_button.clicked.connect(self.choose_signoff_destination)
        self.save_signoff_button.setVisible(False)

        radios = QHBoxLayout()
        radios.addWidget(QLabel(self.tr("Decision:"), box))
        radios.addWidget(self.sign_off_radio)
        radios.addWidget(self.changes_radio)
        radios.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.decision_hint, 1)
        actions.addWidget(self.save_signoff_button)
        actions.addWidget(self.sign_button)
        layout = QVBoxLayout(box)
        layout.addLayout(radios)
        layout.addWidget(self.comment)
        layout.addWidget(self.decision_error)
        layout.addLayout(actions)
        return box

    def _meeting_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Signed in this meeting"), self)
        box.setObjectName("meetingBox")
        self.meeting_list = QListWidget(box)
        self.meeting_list.setObjectName("meetingList")
        self.meeting_list.setAccessibleName(self.tr("Decisions signed in this meeting"))
        self.meeting_list.setMaximumHeight(self.meeting_list.fontMetrics().height() * 6)
        self.meeting_list.currentRowChanged.connect(lambda _: self._update_controls())
        self.withdraw_button = QPushButton(self.tr("&Withdraw decision"), box)
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.setToolTip(
            self.tr(
                "Sign a withdrawal of the chosen decision: it stays on record, no longer counts, "
                "and the item goes back to the queue."
            )
        )
        self.withdraw_button.clicked.connect(self.withdraw)
        layout = QHBoxLayout(box)
        layout.addWidget(self.meeting_list, 1)
        layout.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignTop)
        box.setVisible(False)
        return box

    # -- identities and the key --------------------------------------------------------------

    @property
    def unlocked(self) -> Unlocked | None:
        return self._unlocked

    @property
    def pack(self) -> ReviewPack | None:
        return self._pack

    @property
    def current(self) -> EvidenceDetail | None:
        """The item shown in full."""
        return self._current

    def reload_identities(self, select: str | None = None) -> None:
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
            self._keys = keys
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
            self.export_log_button.setVisible(
                keys.own_copy and any(i.has_private_key for i in keys.identities)
            )
            self.identities_loaded.emit()

        self._ops.database(self, work).success(done).failure(self._known_error).run()

    def _chosen(self) -> IdentityInfo | None:
        fingerprint = self.identity_combo.currentData()
        return next((i for i in self._keys.identities if i.fingerprint == fingerprint), None)

    def _describe_choice(self) -> None:
        info = self._chosen()
        has = info is not None
        self.identity_combo.setEnabled(has)
        self.passphrase.setEnabled(has)
        self.unlock_button.setEnabled(has)
        self.passphrase.setVisible(self._keys.needs_passphrase)
        self.passphrase_label.setVisible(self._keys.needs_passphrase)
        lines = []
        if info is not None:
            lines.append(
                self.tr("Fingerprint {fp} · GMC {gmc} · key kept {where}").format(
                    fp=info.fingerprint,
                    gmc=info.identity.gmc_number,
                    where=info.key_location or self._keys.location,
                )
            )
        else:
            lines.append(
                self.tr(
                    "A supervisor signs with their own identity. Signing keys "
                    "made here are kept {where}."
                ).format(where=self._keys.location)
            )
        if self._keys.warning:
            lines.append(self._keys.warning)
        self.choice_note.setText("\n".join(lines))

    def unlock(self) -> None:
        info = self._chosen()
        if info is None:
            self.unlock_message.show_error(self.tr("Create an identity first."))
            return
        passphrase = self.passphrase.text() if self._keys.needs_passphrase else None
        if self._keys.needs_passphrase and not passphrase:
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
            self._unlocked_location = info.key_location or self._keys.location
            self._show_lock_state()
            self.message.emit(
                self.tr("Unlocked: signing as {name}.").format(name=unlocked.identity.name)
            )
            self.lock_changed.emit(True)
            if self.queue.currentRow() < 0 and self.queue.count():
                self.queue.setCurrentRow(0)

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

    def _show_lock_state(self) -> None:
        unlocked = self._unlocked
        self._locked_panel.setVisible(unlocked is None)
        self._unlocked_panel.setVisible(unlocked is not None)
        if unlocked is not None:
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
        self._update_controls()

    def create_identity(self) -> None:
        dialog = CreateIdentityDialog(self._keys.needs_passphrase, self._keys.location, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        signoffs = self._portfolio.signoffs

        def send() -> None:
            problem = dialog.problem()
            dialog.error.show_error(problem)
            if problem:
                return
            name, gmc, role, passphrase = dialog.values()
            dialog.set_busy(True)

            def done(info: IdentityInfo) -> None:
                dialog.accept()
                self.message.emit(
                    self.tr("Identity created for {name}: fingerprint {fp}.").format(
                        name=info.identity.name, fp=info.fingerprint
                    )
                )
                self.reload_identities(select=info.fingerprint)
                self.passphrase.setFocus()

            def failed(error: PortfolioError) -> None:
                dialog.set_busy(False)
                dialog.error.show_error(str(error))

            self._ops.database(
                dialog, lambda: signoffs.create_identity(name, gmc, role, passphrase)
            ).success(done).failure(failed).changes(ChangeKind.IDENTITIES).run()

        dialog.buttons.accepted.connect(send)
        dialog.open()
        self.create_dialog = dialog

    # -- the queue ---------------------------------------------------------------------------

    def reload_queue(self) -> None:
        if self._pack is not None or not self._started:
            return
        evidence = self._portfolio.evidence
        self._ops.database(
            self,
            lambda: evidence.list(EvidenceQuery(status="ready", sort="date", descending=False)),
        ).success(self._show_queue).failure(self._known_error).run()

    def _show_queue(self, items: list[EvidenceSummary]) -> None:
        if self._pack is not None:
            return
        current = self._current_uuid()
        self.source.setText(
            self.tr("Items ready for review in this portfolio: {n}").format(n=len(items))
        )
        self.queue.blockSignals(True)
        self.queue.clear()
        for summary in items:
            text = f"{summary.occurred_on.isoformat()}  {summary.title}"
            if summary.private:
                text += self.tr("  (private)")
            row = QListWidgetItem(status_icon(summary.status, self.palette()), text)
            row.setData(UUID_ROLE, summary.uuid)
            row.setToolTip(
                f"{summary.title}\n{kind_title(summary.kind)} · {', '.join(summary.domains)}"
            )
            self.queue.addItem(row)
        self.queue.blockSignals(False)
        self._after_queue_change(current)

    def _after_queue_change(self, keep: str | None) -> None:
        self.empty_queue.setVisible(self.queue.count() == 0)
        row = self._row_of(keep) if keep else -1
        if row < 0 and self.queue.count():
            row = min(self._keep_row, self.queue.count() - 1)
        if row >= 0:
            if row == self.queue.currentRow():
                self._row_chosen(row)
            else:
                self.queue.setCurrentRow(row)
        else:
            self._show_detail(None)

    def _row_of(self, item_uuid: str | None) -> int:
        for row in range(self.queue.count()):
            if self.queue.item(row).data(UUID_ROLE) == item_uuid:
                return row
        return -1

    def _current_uuid(self) -> str | None:
        row = self.queue.currentItem()
        return row.data(UUID_ROLE) if row is not None else None

    def _row_chosen(self, row: int) -> None:
        if row < 0:
            self._show_detail(None)
            return
        self._keep_row = row
        item_uuid = self.queue.item(row).data(UUID_ROLE)
        if self._pack is not None:
            found = next(i for i in self._pack.items if i.detail.uuid == item_uuid)
            self._show_detail(found.detail)
            return
        if self._current is not None and self._current.uuid == item_uuid:
            return
        evidence = self._portfolio.evidence

        def done(detail: EvidenceDetail) -> None:
            if self._current_uuid() == detail.uuid:
                self._show_detail(detail)

        self._ops.database(self, lambda: evidence.get(item_uuid)).success(done).failure(
            self._known_error
        ).run()

    def _show_detail(self, detail: EvidenceDetail | None) -> None:
        changed = detail is None or self._current is None or self._current.uuid != detail.uuid
        self._current = detail
        if detail is None:
            self.detail.clear()
        else:
            self.detail.setHtml(item_html(detail, show_status=self._pack is None))
        if changed:
            self._reset_decision(detail)
        self._update_controls()
        if detail is not None:
            self.detail_shown.emit(detail.uuid)

    def _reset_decision(self, detail: EvidenceDetail | None) -> None:
        self.decision_group.setExclusive(False)
        self.sign_off_radio.setChecked(False)
        self.changes_radio.setChecked(False)
        self.decision_group.setExclusive(True)
        self.comment.clear()
        self.decision_error.show_error("")
        earlier = self._decisions.get(detail.uuid) if detail is not None else None
        if earlier is not None:
            decision, comment = earlier
            (self.sign_off_radio if decision == "signed_off" else self.changes_radio).setChecked(
                True
            )
            self.comment.setPlainText(comment)

    def _decision(self) -> str | None:
        if self.sign_off_radio.isChecked():
            return "signed_off"
        if self.changes_radio.isChecked():
            return "changes_requested"
        return None

    def _update_controls(self) -> None:
        in_pack = self._pack is not None
        has_item = self._current is not None
        unlocked = self._unlocked is not None
        decision = self._decision()
        for widget in (self.sign_off_radio, self.changes_radio, self.comment):
            widget.setEnabled(has_item and (unlocked or in_pack))
        self.sign_button.setText(self.tr("&Record decision") if in_pack else self.tr("Sign &now"))
        self.sign_button.setEnabled(
            has_item and decision is not None and not self._signing and (unlocked or in_pack)
        )
        self.save_signoff_button.setVisible(in_pack)
        self.save_signoff_button.setEnabled(bool(self._decisions) and unlocked)
        chosen = self.meeting_list.currentItem()
        self.withdraw_button.setEnabled(
            chosen is not None
            and chosen.data(SIGNATURE_ROLE) is not None
            and not self._signing
            and self._unlocked is not None
            and chosen.data(FINGERPRINT_ROLE) == self._unlocked.identity.fingerprint
        )
        if not has_item:
            hint = ""
        elif not unlocked and not in_pack:
            hint = self.tr("Unlock a supervisor identity above to sign.")
        elif decision is None:
            hint = self.tr("Choose sign off or request changes.")
        elif in_pack:
            hint = self.tr(
                "{n} decision(s) recorded; all are signed together when you save the sign-off file."
            ).format(n=len(self._decisions))
            if not unlocked:
                hint += " " + self.tr("Unlock your identity to save.")
        else:
            hint = self.tr(
                "Signing records the decision now, with your key, for this exact "
                "version of the item."
            )
        self.decision_hint.setText(hint)

    # -- deciding and signing ----------------------------------------------------------------

    def sign(self) -> None:
        detail = self._current
        decision = self._decision()
        if detail is None or decision is None:
            return
        comment = self.comment.toPlainText().strip()
        if decision == "changes_requested" and not comment:
            self.decision_error.show_error(self.tr("Say what needs to change in the comment."))
            return
        self.decision_error.show_error("")
        if self._pack is not None:
            self._decisions[detail.uuid] = (decision, comment)
            row = self.queue.item(self._row_of(detail.uuid))
            row.setIcon(status_icon(decision, self.palette()))
            row.setText(
                f"{detail.occurred_on.isoformat()}  {detail.title}  ·  {decision_label(decision)}"
            )
            self.signed.emit(detail.uuid)
            self._next_after(detail.uuid, remove=False)
            return
        unlocked = self._unlocked
        if unlocked is None:
            return
        signoffs = self._portfolio.signoffs
        self._signing = True
        self._update_controls()

        def done(info: SignOffInfo) -> None:
            self._signing = False
            issued = (
                self.tr(" Credentials issued for {n} sign-off(s) of this trainee.").format(
                    n=info.credentials_issued
                )
                if info.credentials_issued
                else ""
            )
            self.message.emit(
                self.tr("{decision}: “{title}”, signed by {name}.").format(
                    decision=decision_label(info.status.decision),
                    title=info.evidence_title,
                    name=info.status.signer_name,
                )
                + issued
            )
            self._add_to_meeting(info)
            self._next_after(info.evidence_uuid, remove=True)
            self.signed.emit(info.evidence_uuid)

        def failed(error: PortfolioError) -> None:
            self._signing = False
            self._update_controls()
            self.decision_error.show_error(str(error))
            self.failed.emit(str(error))

        self._ops.database(
            self, lambda: signoffs.sign_in_meeting(unlocked, detail.uuid, decision, comment)
        ).success(done).failure(failed).changes(
            ChangeKind.EVIDENCE, uuids=lambda info: [info.evidence_uuid]
        ).run()

    def _add_to_meeting(self, info: SignOffInfo) -> None:
        status = info.status
        row = QListWidgetItem(
            status_icon(status.decision, self.palette()),
            self.tr("{time}  {decision}: {title} — signed by {name}").format(
                time=datetime.strptime(status.signed_at, "%Y-%m-%dT%H:%M:%SZ")
                .replace(tzinfo=UTC)
                .astimezone()
                .strftime("%H:%M"),
                decision=decision_label(status.decision),
                title=info.evidence_title,
                name=status.signer_name,
            ),
        )
        row.setData(UUID_ROLE, info.evidence_uuid)
        row.setData(SIGNATURE_ROLE, status.signature)
        row.setData(FINGERPRINT_ROLE, status.fingerprint)
        self.meeting_list.insertItem(0, row)
        self.meeting_list.setCurrentRow(0)
        self.meeting_box.setVisible(True)

    def withdraw(self) -> None:
        """Sign a withdrawal of the decision chosen in "Signed in this meeting"."""
        chosen = self.meeting_list.currentItem()
        unlocked = self._unlocked
        if chosen is None or unlocked is None or chosen.data(SIGNATURE_ROLE) is None:
            return
        signature = chosen.data(SIGNATURE_ROLE)
        signoffs = self._portfolio.signoffs
        self._signing = True
        self._update_controls()

        def done(info: SignOffInfo) -> None:
            self._signing = False
            chosen.setData(SIGNATURE_ROLE, None)
            font = chosen.font()
            font.setStrikeOut(True)
            chosen.setFont(font)
            chosen.setToolTip(self.tr("Withdrawn by a signed record."))
            self._add_to_meeting(info)
            self.message.emit(
                self.tr("Withdrawn: the decision about “{title}” no longer counts.").format(
                    title=info.evidence_title
                )
            )
            self.withdrawn.emit(info.evidence_uuid)

        def failed(error: PortfolioError) -> None:
            self._signing = False
            self._update_controls()
            self._show_error(error, "withdrawError")

        self._ops.database(self, lambda: signoffs.withdraw_in_meeting(unlocked, signature)).success(
            done
        ).failure(failed).changes(
            ChangeKind.EVIDENCE, uuids=lambda info: [info.evidence_uuid]
        ).run()

    def _next_after(self, item_uuid: str, *, remove: bool) -> None:
        row = self._row_of(item_uuid)
        if row < 0:
            return
        if remove:
            self.queue.blockSignals(True)
            self.queue.takeItem(row)
            self.queue.blockSignals(False)
            self._current = None
            self._keep_row = row
            self.source.setText(
                self.tr("Items ready for review in this portfolio: {n}").format(
                    n=self.queue.count()
                )
            )
            self._after_queue_change(None)
        else:
            undecided = [
                r
                for r in range(self.queue.count())
                if self.queue.item(r).data(UUID_ROLE) not in self._decisions
            ]
            after = [r for r in undecided if r > row] or undecided
            if after:
                self.queue.setCurrentRow(after[0])
            else:
                self._update_controls()

    # -- review packs (supervisor's own copy) ------------------------------------------------

    def choose_review_pack(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a review pack"),
            str(Path.home()),
            self.tr("Review packs (*.gpcreview);;All files (*)"),
        )
        if chosen:
            self.open_review_pack(Path(chosen))

    def open_review_pack(self, path: Path) -> None:
        def done(pack: ReviewPack) -> None:
            self._pack, self._pack_path = pack, path
            self._decisions = {}
            self._current = None
            self.source.setText(
                self.tr(
                    "Review pack from {name} (GMC {gmc}{programme}), made {when}: {n} item(s)"
                ).format(
                    name=pack.trainee_name,
                    gmc=pack.trainee_gmc,
                    programme=f", {pack.trainee_programme}" if pack.trainee_programme else "",
                    when=pack.created_at[:10],
                    n=len(pack.items),
                )
            )
            self.close_pack_button.setVisible(True)
            self.queue.blockSignals(True)
            self.queue.clear()
            for item in pack.items:
                detail = item.detail
                row = QListWidgetItem(
                    status_icon("ready", self.palette()),
                    f"{detail.occurred_on.isoformat()}  {detail.title}",
                )
                row.setData(UUID_ROLE, detail.uuid)
                row.setToolTip(f"{detail.title}\n{kind_title(detail.kind)}")
                self.queue.addItem(row)
            self.queue.blockSignals(False)
            self._keep_row = 0
            self._after_queue_change(None)
            self.message.emit(self.tr("Opened {file}.").format(file=path.name))
            self.pack_opened.emit(len(pack.items))

        def read() -> ReviewPack:
            from portfolio.services.review_files import read_review_pack

            return read_review_pack(path)

        self._ops.database(self, read).success(done).failure(
            lambda error: self._show_error(error, "reviewPackError")
        ).run()

    def close_pack(self) -> None:
        self._pack, self._pack_path = None, None
        self._decisions = {}
        self._current = None
        self.close_pack_button.setVisible(False)
        self.queue.clear()
        self._show_detail(None)
        self.reload_queue()

    def choose_log_destination(self) -> None:
        info = self._chosen()
        if info is None:
            return
        suggested = Path.home() / f"signing log of {info.identity.name}.gpclog"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the signing log"),
            str(suggested),
            self.tr("Signing logs (*.gpclog)"),
        )
        if chosen:
            path = Path(chosen)
            self.export_log_to(path if path.suffix == ".gpclog" else path.with_suffix(".gpclog"))

    def export_log_to(self, path: Path) -> None:
        """Write the chosen identity's signing log (no passphrase: its entries are signed)."""
        info = self._chosen()
        if info is None:
            return
        signoffs = self._portfolio.signoffs

        def done(count: int) -> None:
            self.message.emit(
                self.tr("Wrote {n} signed record(s) to {file}.").format(n=count, file=path.name)
            )
            self.log_exported.emit(str(path))

        self._ops.database(self, lambda: signoffs.export_log(path, info.fingerprint)).success(
            done
        ).failure(lambda error: self._show_error(error, "exportLogError")).run()

    def choose_signoff_destination(self) -> None:
        pack = self._pack
        if pack is None:
            return
        folder = self._pack_path.parent if self._pack_path else Path.home()
        suggested = folder / f"sign-offs for {pack.trainee_name}.gpcsignoff"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the sign-off file"),
            str(suggested),
            self.tr("Sign-off files (*.gpcsignoff)"),
        )
        if chosen:
            path = Path(chosen)
            self.save_signoff_file_to(
                path if path.suffix == ".gpcsignoff" else path.with_suffix(".gpcsignoff")
            )

    def save_signoff_file_to(self, path: Path) -> None:
        pack, unlocked = self._pack, self._unlocked
        if pack is None or not self._decisions:
            return
        if unlocked is None:
            self.decision_error.show_error(self.tr("Unlock your identity to sign the file."))
            return
        decisions = dict(self._decisions)
        signoffs = self._portfolio.signoffs

        def done(result: tuple[list[Any], EarlierChoice]) -> None:
            records, earlier = result
            self.message.emit(
                self.tr("Signed {n} decision(s) into {file}; send it back to {name}.").format(
                    n=len(records), file=path.name, name=pack.trainee_name
                )
            )
            show_message(
                self,
                self.tr("Sign-off file saved"),
                self.tr(
                    "{n} signed decision(s) saved to\n{path}\n\nSend this file to {name}, who "
                    "imports it into their portfolio."
                ).format(n=len(records), path=path, name=pack.trainee_name)
                + earlier_words(self, earlier, pack.trainee_name),
                name="signoffSaved",
                icon_kind=QMessageBox.Icon.Information,
            )
            self.signoff_saved.emit(str(path))

        self._ops.database(
            self,
            lambda: (
                signoffs.sign_pack(pack, unlocked, decisions, path),
                signoffs.earlier_credentials(pack, unlocked.identity.public_key),
            ),
        ).success(done).failure(lambda error: self._show_error(error, "signoffSaveError")).run()

    # -- the trainee's side ------------------------------------------------------------------

    def choose_export_review_pack(self, uuids: tuple[str, ...] = ()) -> None:
        what = (
            self.tr("{n} selected item(s)").format(n=len(uuids))
            if uuids
            else self.tr("all items ready for review")
        )
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export a review pack ({what})").format(what=what),
            str(Path.home() / "review pack.gpcreview"),
            self.tr("Review packs (*.gpcreview)"),
        )
        if chosen:
            path = Path(chosen)
            self.export_review_pack_to(
                path if path.suffix == ".gpcreview" else path.with_suffix(".gpcreview"), uuids
            )

    def export_review_pack_to(self, path: Path, uuids: tuple[str, ...] = ()) -> None:
        """Check privacy, then write the pack (the chosen items, or every ready one)."""
        portfolio = self._portfolio

        def gather() -> Gathered:
            if uuids:
                return portfolio.privacy.gather(uuids=tuple(uuids))
            return portfolio.privacy.gather(EvidenceQuery(status="ready", include_private=False))

        def export() -> None:
            def done(items: list[EvidenceDetail]) -> None:
                self.message.emit(
                    self.tr("Review pack of {n} item(s) saved to {path}.").format(
                        n=len(items), path=path
                    )
                )
                self.pack_exported.emit(str(path))

            self._ops.database(
                self, lambda: portfolio.signoffs.export_review_pack(path, uuids, ready=not uuids)
            ).success(done).failure(lambda error: self._show_error(error, "reviewPackError")).run()

        check_privacy_first(
            self,
            self._ops,
            gather,
            export,
            what=self.tr("the review pack is made"),
            open_item=self.open_requested.emit,
            on_error=lambda error: self._show_error(error, "reviewPackError"),
        )

    def choose_signoff_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a sign-off file"),
            str(Path.home()),
            self.tr("Sign-off files (*.gpcsignoff);;All files (*)"),
        )
        if chosen:
            self.import_signoff_file_from(Path(chosen))

    def import_signoff_file_from(self, path: Path) -> None:
        signoffs = self._portfolio.signoffs

        def done(outcomes: list[ImportOutcome]) -> None:
            report = SignOffImportDialog(path.name, outcomes, self)
            report.open()
            self.import_report = report
            self.reload_identities()
            self.signoffs_imported.emit(outcomes)

        self._ops.database(self, lambda: signoffs.import_signoff_file(path)).success(done).failure(
            lambda error: self._show_error(
                error, "signoffImportError", self.tr("Sign-off file refused")
            )
        ).changes(
            ChangeKind.EVIDENCE, uuids=lambda outcomes: [o.evidence_uuid for o in outcomes]
        ).run()

    def choose_card(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Pin a supervisor's identity card"),
            str(Path.home()),
            self.tr("Identity cards (*.json *.gpcidentity);;All files (*)"),
        )
        if chosen:
            self.pin_card_from(Path(chosen))

    def pin_card_from(self, path: Path) -> QMessageBox | None:
        """Read the card, show who it is, and pin it once the trainee confirms."""
        from portfolio.services.signoffs import read_card_file

        try:
            card = read_card_file(path)
        except PortfolioError as error:
            self._show_error(error, "pinCardError")
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Pin this supervisor's card?"),
            self.tr("Pin the card of {name}?").format(name=card.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("pinCardConfirm")
        box.setInformativeText(
            self.tr(
                "{role}, GMC {gmc}\nFingerprint: {fp}\n\nCheck the fingerprint with your supervisor "
                "(in person or by phone). Once pinned, a sign-off by any other key under this GMC "
                "number is refused. A pin is your own word: an ARCP panel sees that you pinned "
                "it, and how."
            ).format(role=role_label(card.role), gmc=card.gmc_number, fp=card.fingerprint)
        )
        in_meeting = QCheckBox(
            self.tr("I compared it in person with the fingerprint on my supervisor's own device"),
            box,
        )
        in_meeting.setObjectName("pinInMeeting")
        box.setCheckBox(in_meeting)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Pin"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        signoffs = self._portfolio.signoffs

        def answered(result: int) -> None:
            if result != QMessageBox.StandardButton.Yes:
                return

            def pinned(info: IdentityInfo) -> None:
                self.message.emit(
                    self.tr("Pinned the card of {name} ({fp}).").format(
                        name=info.identity.name, fp=info.fingerprint
                    )
                )
                self.reload_identities()

            how = PinMethod.MEETING if in_meeting.isChecked() else PinMethod.FILE
            self._ops.database(self, lambda: signoffs.pin_card(card, how)).success(pinned).failure(
                lambda error: self._show_error(error, "pinCardError")
            ).changes(ChangeKind.IDENTITIES, ChangeKind.EVIDENCE).run()

        box.finished.connect(answered)
        box.open()
        return box

    def choose_directory(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Trust a supervisor directory"),
            str(Path.home()),
            self.tr("Supervisor directories (*.gpcdirectory);;All files (*)"),
        )
        if chosen:
            self.trust_directory_from(Path(chosen))

    def trust_directory_from(self, path: Path) -> QMessageBox | None:
        """Show the directory's publisher and fingerprint; trust it once the trainee confirms."""
        from portfolio.ui.directory_dialog import trust_directory

        def done(result: DirectoryImport) -> None:
            info = result.info
            self.message.emit(
                self.tr("Trusted “{name}” version {version} ({fp}).").format(
                    name=info.name, version=info.version, fp=info.publisher_fingerprint
                )
            )

        return trust_directory(
            self,
            self._portfolio,
            self._ops,
            path,
            done,
            lambda error: self._show_error(error, "trustDirectoryError"),
        )

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
        """The public card only (never the key), written to a temporary file then renamed."""
        unlocked = self._unlocked
        if unlocked is None:
            return
        data = json.dumps(unlocked.identity.to_card(), indent=2, ensure_ascii=False) + "\n"
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            temporary.write_text(data, encoding="utf-8")
            os.replace(temporary, path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            self._show_error(
                InvalidInput(f"{path} cannot be written ({error.strerror})."), "saveCardError"
            )
            return
        self.message.emit(self.tr("Your identity card is saved to {path}.").format(path=path))

    # -- attachments -------------------------------------------------------------------------

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == ATTACHMENT_SCHEME:
            self.open_attachment(url.path())

    def open_attachment(self, sha256: str) -> None:
        """Show the attachment in a viewer of the app's own: no copy is written anywhere."""
        detail = self._current
        if detail is None:
            return
        found = next((a for a in detail.attachments if a.sha256 == sha256), None)
        if found is None:
            return
        pack, evidence, uuid = self._pack, self._portfolio.evidence, detail.uuid

        def read() -> bytes:  # a pack's attachments were read with it, a portfolio's are not
            if pack is None:
                return evidence.attachment_content(sha256)
            item = next(i for i in pack.items if i.detail.uuid == uuid)
            return item.attachment_data[sha256]

        self.attachment_viewer = view_attachment(self, self._ops, found.filename, read)

    # -- plumbing ----------------------------------------------------------------------------

    def _data_changed(self, changes: Changes) -> None:
        if not self._started:
            return
        if changes.kind is ChangeKind.EVIDENCE:
            self.reload_queue()
        elif changes.kind is ChangeKind.IDENTITIES:
            self.reload_identities()
            self.reload_queue()

    def _known_error(self, error: PortfolioError) -> None:
        self._ops.known_error.emit(str(error))

    def _show_error(self, error: Exception, name: str, title: str = "") -> None:
        show_message(self, title or self.tr("Reviews"), str(error), name=name)
        self.failed.emit(str(error))

    def closeEvent(self, event: Any) -> None:
        self.lock()
        super().closeEvent(event)

    def cleanup(self) -> None:
        """Forget the key (when the window closes)."""
        self.lock()


def earlier_words(widget: QWidget, earlier: EarlierChoice, trainee: str) -> str:
    """What the sign-off file says about credentials for the pack's earlier sign-offs."""
    words = ""
    if earlier.issued:
        words += widget.tr(
            "\n\nAlso issued credentials for {n} earlier sign-off(s) of yours."
        ).format(n=len(earlier.issued))
    if earlier.withheld:
        words += widget.tr(
            "\n\nNo credential for {n} earlier sign-off(s): nothing shows they were signed for "
            "{name} (not in your signing log for them)."
        ).format(n=len(earlier.withheld), name=trainee)
    return words
