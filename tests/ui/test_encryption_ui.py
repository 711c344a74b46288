"""Encryption at rest in the window: offered by the welcome, and a passphrase asked before an
encrypted portfolio opens (docs/encryption.md)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.paths import Location, resolve_location
from portfolio.security import database_key
from portfolio.services.dto import ProfileData
from portfolio.storage.database import encrypt_portfolio
from portfolio.storage.encryption import needs_passphrase, status
from portfolio.ui.main import open_with_passphrase, run_app
from portfolio.ui.operations import Operations
from portfolio.ui.passphrase_dialog import PassphraseDialog
from portfolio.ui.welcome import WelcomeDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_key, "SCRYPT_N", 2**10)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def location(tmp_path: Path) -> Location:
    return resolve_location(tmp_path / "data")


def is_plain_sqlite(location: Location) -> bool:
    assert location.sqlite_path is not None
    return location.sqlite_path.read_bytes()[:16] == b"SQLite format 3\x00"


def child(parent: Any, cls: type[Any], name: str) -> Any:
    found = parent.findChild(cls, name)
    assert found is not None, name
    return found


def open_welcome(qtbot: Any, location: Location, ops: Operations) -> WelcomeDialog:
    welcome = WelcomeDialog(open_portfolio(location), ops)
    qtbot.addWidget(welcome)
    with qtbot.waitSignal(welcome.keyring_checked, timeout=10_000):
        welcome.show()
    return welcome


def fill_profile(qtbot: Any, welcome: WelcomeDialog) -> None:
    qtbot.keyClicks(child(welcome, QLineEdit, "nameEdit"), "Dr Alex Morgan")
    qtbot.keyClicks(child(welcome, QLineEdit, "gmcEdit"), "7654321")


def finish(qtbot: Any, welcome: WelcomeDialog, ops: Operations) -> Portfolio:
    with qtbot.waitSignal(welcome.accepted, timeout=30_000):
        qtbot.mouseClick(child(welcome, QPushButton, "createButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy)
    portfolio = welcome.portfolio
    assert portfolio is not None
    return portfolio


# ---------------------------------------------------------------------------------------------
# The welcome
# ---------------------------------------------------------------------------------------------


def test_first_run_encrypts_with_a_passphrase_when_no_keyring_works(
    qtbot: Any,
    location: Location,
    ops: Operations,
    no_keyring: None,
    tmp_path: Path,
) -> None:
    welcome = open_welcome(qtbot, location, ops)
    first = welcome.portfolio
    check = child(welcome, QCheckBox, "encryptCheck")
    passphrase = child(welcome, QLineEdit, "encryptPassphrase")
    again = child(welcome, QLineEdit, "encryptPassphraseAgain")
    assert not passphrase.isVisible()  # only once encryption is chosen
    check.click()
    assert passphrase.isVisible() and again.isVisible()
    assert passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert "cannot be recovered" in child(welcome, QLabel, "encryptWarning").text()
    assert "passphrase" in child(welcome, QLabel, "encryptNote").text()

    fill_profile(qtbot, welcome)
    qtbot.keyClicks(passphrase, PASSPHRASE)
    qtbot.keyClicks(again, PASSPHRASE + "!")
    qtbot.mouseClick(child(welcome, QPushButton, "createButton"), Qt.MouseButton.LeftButton)
    assert "differ" in child(welcome, QLabel, "encryptError").text()
    assert is_plain_sqlite(location)  # nothing done yet
    again.clear()
    qtbot.keyClicks(again, PASSPHRASE)

    out = Path(os.environ.get("GPC_PORTFOLIO_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert welcome.grab().save(str(out / "welcome-encryption.png"))

    with qtbot.waitSignal(welcome.encrypted, timeout=30_000):
        portfolio = finish(qtbot, welcome, ops)
    try:
        assert portfolio is not first
        assert portfolio.profile.get().name == "Dr Alex Morgan"
    finally:
        portfolio.close()

    assert not is_plain_sqlite(location)
    assert location.sqlite_path is not None
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(location.sqlite_path) as plain:
        plain.execute("select count(*) from sqlite_master").fetchone()
    assert needs_passphrase(location)
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        open_portfolio(location, passphrase="not it at all")
    with open_portfolio(location, passphrase=PASSPHRASE) as reopened:
        profile = reopened.profile.get()
        assert profile is not None and profile.gmc_number == "7654321"


def test_first_run_encrypts_into_the_keyring_when_one_works(
    qtbot: Any, location: Location, ops: Operations
) -> None:
    welcome = open_welcome(qtbot, location, ops)
    assert welcome.uses_keyring
    child(welcome, QCheckBox, "encryptCheck").click()
    assert not child(welcome, QLineEdit, "encryptPassphrase").isVisible()
    assert "keyring" in child(welcome, QLabel, "encryptNote").text()
    fill_profile(qtbot, welcome)
    portfolio = finish(qtbot, welcome, ops)
    portfolio.close()
    assert not is_plain_sqlite(location)
    assert status(location).encrypted and not needs_passphrase(location)
    with open_portfolio(location) as reopened:  # the key comes from the keyring
        assert reopened.profile.get().name == "Dr Alex Morgan"


def test_first_run_without_encryption_stays_plain(
    qtbot: Any, location: Location, ops: Operations
) -> None:
    welcome = open_welcome(qtbot, location, ops)
    first = welcome.portfolio
    fill_profile(qtbot, welcome)
    portfolio = finish(qtbot, welcome, ops)
    assert portfolio is first
    portfolio.close()
    assert is_plain_sqlite(location)


def test_a_short_passphrase_is_refused_before_anything_happens(
    qtbot: Any, location: Location, ops: Operations, no_keyring: None
) -> None:
    welcome = open_welcome(qtbot, location, ops)
    child(welcome, QCheckBox, "encryptCheck").click()
    fill_profile(qtbot, welcome)
    qtbot.keyClicks(child(welcome, QLineEdit, "encryptPassphrase"), "short")
    qtbot.keyClicks(child(welcome, QLineEdit, "encryptPassphraseAgain"), "short")
    qtbot.mouseClick(child(welcome, QPushButton, "createButton"), Qt.MouseButton.LeftButton)
    assert "at least" in child(welcome, QLabel, "encryptError").text()
    assert not ops.busy and welcome.isVisible()
    assert welcome.portfolio is not None and welcome.portfolio.profile.get() is None
    welcome.portfolio.close()
    assert is_plain_sqlite(location)


# ---------------------------------------------------------------------------------------------
# The passphrase prompt before opening
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def encrypted(location: Location, no_keyring: None) -> Location:
    with open_portfolio(location) as portfolio:
        portfolio.profile.save(ProfileData(name="Dr Enc", gmc_number="2222222"))
    encrypt_portfolio(location, PASSPHRASE)
    assert needs_passphrase(location)
    return location


def answer_dialogs(answers: list[str | None], seen: list[str]) -> QTimer:
    """Answer each passphraseDialog in turn: type the answer and Open, or Cancel for None."""
    timer = QTimer()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog) or not dialog.isVisible() or not answers:
            return
        seen.append(child(dialog, QLabel, "passphraseMessage").text())
        reply = answers.pop(0)
        if reply is None:
            child(dialog, QPushButton, "cancelPassphraseButton").click()
            return
        edit = child(dialog, QLineEdit, "portfolioPassphraseEdit")
        edit.setText(reply)
        child(dialog, QPushButton, "openPortfolioButton").click()

    timer.timeout.connect(answer)
    timer.start(30)
    return timer


def test_wrong_passphrase_is_said_and_asked_again(qtbot: Any, encrypted: Location) -> None:
    seen: list[str] = []
    timer = answer_dialogs(["not the passphrase", PASSPHRASE], seen)
    portfolio = open_with_passphrase(encrypted)
    timer.stop()
    assert portfolio is not None
    try:
        assert portfolio.profile.get().name == "Dr Enc"
    finally:
        portfolio.close()
    assert seen[0] == ""
    assert "Wrong passphrase" in seen[1]


def test_open_with_passphrase_takes_any_asker(encrypted: Location) -> None:
    asked: list[str] = []
    replies = iter(["nope", "still wrong", PASSPHRASE])

    def ask(where: str, message: str) -> str | None:
        assert where.endswith("portfolio.sqlite3")
        asked.append(message)
        return next(replies)

    portfolio = open_with_passphrase(encrypted, ask)
    assert portfolio is not None
    portfolio.close()
    assert asked[0] == "" and all("Wrong passphrase" in m for m in asked[1:])
    assert open_with_passphrase(encrypted, lambda where, message: None) is None


def test_plain_portfolio_never_asks(location: Location) -> None:
    def ask(where: str, message: str) -> str | None:
        raise AssertionError("asked")

    portfolio = open_with_passphrase(location, ask)
    assert portfolio is not None
    portfolio.close()


def test_run_app_cancel_at_the_prompt_exits_cleanly(qtbot: Any, encrypted: Location) -> None:
    assert encrypted.sqlite_path is not None
    before = encrypted.sqlite_path.read_bytes()
    seen: list[str] = []
    timer = answer_dialogs(["wrong one", None], seen)
    assert run_app(encrypted) == 0
    timer.stop()
    assert len(seen) == 2 and "Wrong passphrase" in seen[1]
    assert encrypted.sqlite_path.read_bytes() == before  # nothing changed
    with open_portfolio(encrypted, passphrase=PASSPHRASE) as reopened:  # and not left locked
        assert reopened.profile.get() is not None


def test_run_app_right_passphrase_opens_the_main_window(qtbot: Any, encrypted: Location) -> None:
    seen: list[str] = []
    shown: list[str] = []
    timer = answer_dialogs([PASSPHRASE], seen)

    def close_main() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "mainWindow" and widget.isVisible():
                shown.append("mainWindow")
                widget.close()

    closer = QTimer()
    closer.timeout.connect(close_main)
    closer.start(200)
    assert run_app(encrypted) == 0
    timer.stop()
    closer.stop()
    assert shown == ["mainWindow"]


def test_run_app_missing_keyring_key_points_at_the_docs(
    qtbot: Any, location: Location, isolated: Any
) -> None:
    with open_portfolio(location) as portfolio:
        portfolio.profile.save(ProfileData(name="Dr Key", gmc_number="3333333"))
    encrypt_portfolio(location)  # key in the (test's memory) keyring
    isolated.secrets.clear()  # a new computer: the keyring entry is gone
    seen: list[str] = []
    timer = QTimer()

    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "cannotOpen":
            seen.append(box.text())
            box.reject()

    timer.timeout.connect(close)
    timer.start(50)
    assert run_app(location) == 2
    timer.stop()
    assert seen and "keyring" in seen[0] and "docs/encryption.md" in seen[0]
