"""A supervisor's unlocked identity never sits unattended, and a meeting's decisions can be
withdrawn by a signed record. Idle time comes from a test clock: nothing here sleeps."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QListWidget, QPlainTextEdit, QPushButton

from portfolio.app import Portfolio
from portfolio.formats.signing_log import read_log
from portfolio.services.dto import ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.review_files import read_review_pack
from portfolio.ui.main_window import MainWindow
from portfolio.ui.meeting_lock import SessionLockWatcher, login1_session_path
from portfolio.ui.reviews import ReviewsPage
from tests.ui.test_reviews import PASSPHRASE, WAIT, choose_row, click, decide, reviews_of, unlock


class ManualClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def bus_address() -> Iterator[str]:
    """A private D-Bus session bus, as a desktop has, for this test only."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian package dbus)")
    started = subprocess.run(
        [daemon, "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    address, pid = started.stdout.split()[:2]
    yield address
    subprocess.run(["kill", pid], check=False)


def page_with(qtbot, demo: Portfolio, ops, clock: ManualClock, session_lock=None) -> ReviewsPage:
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    page = ReviewsPage(demo, ops, clock=clock, session_lock=session_lock)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitUntil(lambda: page.identity.keys_known, timeout=WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    return page


def test_an_unattended_identity_locks_after_two_minutes_without_input(
    qtbot, demo, ops, clock, settle
) -> None:
    page = page_with(qtbot, demo, ops, clock)
    unlock(qtbot, page, PASSPHRASE)
    assert page.identity.idle_lock.minutes == 2
    messages: list[str] = []
    page.message.connect(messages.append)

    clock.advance(119)
    page.identity.idle_lock.check()
    assert page.identity.unlocked is not None
    qtbot.keyClicks(page.findChild(QPlainTextEdit, "reviewComment"), "Good")  # input resets it
    clock.advance(119)
    page.identity.idle_lock.check()
    assert page.identity.unlocked is not None

    clock.advance(1)
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT) as locked:
        page.identity.idle_lock.check()
    assert locked.args == [False]
    assert page.identity.unlocked is None and not page.identity.idle_lock.armed
    assert messages[-1] == "Locked after 2 minutes without input."
    choose_row(qtbot, page, 0)
    assert not page.findChild(QPushButton, "signButton").isEnabled()
    assert "Unlock" in page.findChild(QLabel, "decisionHint").text()
    settle()


def test_the_idle_minutes_come_from_the_profile(qtbot, demo, ops, clock) -> None:
    demo.profile.save(replace(demo.profile.get(), meeting_lock_minutes=5))
    page = page_with(qtbot, demo, ops, clock)
    unlock(qtbot, page, PASSPHRASE)
    clock.advance(4 * 60 + 59)
    page.identity.idle_lock.check()
    assert page.identity.unlocked is not None
    clock.advance(1)
    page.identity.idle_lock.check()
    assert page.identity.unlocked is None


def test_the_attack_unlock_then_sign_on_another_page_minutes_later(
    qtbot, trainee_window: MainWindow, demo, settle
) -> None:
    """Issue 11: unlocked in a meeting, then used on another page minutes later."""
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    page = reviews_of(qtbot, trainee_window)
    page.identity.reload()
    settle()
    unlock(qtbot, page, PASSPHRASE)
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT) as locked:
        trainee_window.show_page("evidence")
    assert locked.args == [False] and page.identity.unlocked is None
    assert "Reviews page was left" in trainee_window.statusBar().currentMessage()
    trainee_window.show_page("reviews")
    assert page.identity.unlocked is None  # coming back needs the passphrase again
    assert page.findChild(QPushButton, "unlockButton").isVisible()


def test_minimising_the_window_locks(qtbot, trainee_window: MainWindow, demo, settle) -> None:
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    page = reviews_of(qtbot, trainee_window)
    page.identity.reload()
    settle()
    unlock(qtbot, page, PASSPHRASE)
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT):
        trainee_window.showMinimized()
    assert page.identity.unlocked is None


def test_the_app_being_hidden_locks(qtbot, demo, ops, clock) -> None:
    page = page_with(qtbot, demo, ops, clock)
    unlock(qtbot, page, PASSPHRASE)
    app = QGuiApplication.instance()
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT):
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationHidden)
    assert page.identity.unlocked is None


def test_the_session_locking_locks(qtbot, demo, ops, clock, bus_address) -> None:
    bus = QDBusConnection.connectToBus(bus_address, "meeting-lock-test")
    watcher = SessionLockWatcher(bus, bus)
    assert "org.freedesktop.ScreenSaver.ActiveChanged" in watcher.listening
    page = page_with(qtbot, demo, ops, clock, watcher)
    unlock(qtbot, page, PASSPHRASE)

    def screen_saver(active: bool) -> None:
        signal = QDBusMessage.createSignal(
            "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
        )
        signal.setArguments([active])
        assert bus.send(signal)

    with qtbot.assertNotEmitted(watcher.locked, wait=200):
        screen_saver(False)  # the screen saver stopping does not unlock or lock anything
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT):
        screen_saver(True)
    assert page.identity.unlocked is None
    QDBusConnection.disconnectFromBus("meeting-lock-test")


def test_login1_session_paths_are_escaped_as_systemd_does() -> None:
    assert login1_session_path("3") == "/org/freedesktop/login1/session/_33"
    assert login1_session_path("c2") == "/org/freedesktop/login1/session/c2"
    assert login1_session_path("a-b") == "/org/freedesktop/login1/session/a_2db"


def test_a_decision_signed_in_this_meeting_is_withdrawn_by_a_signed_record(
    qtbot, demo, ops, clock, settle
) -> None:
    page = page_with(qtbot, demo, ops, clock)
    unlock(qtbot, page, PASSPHRASE)
    meeting = page.findChild(QListWidget, "meetingList")
    assert not page.meeting.isVisible()
    item_uuid = choose_row(qtbot, page, 0)
    title = demo.evidence.get(item_uuid).title
    decide(qtbot, page, "signOffRadio", "Well done.")
    settle()
    assert page.meeting.isVisible() and meeting.count() == 1
    assert f"Signed off: {title} — signed by Dr Alex Morgan" in meeting.item(0).text()
    assert demo.evidence.get(item_uuid).status == "signed_off"
    page.resize(1100, 800)
    page.grab().save("/tmp/chain-reviews-meeting.png")

    with qtbot.waitSignal(page.meeting.withdrawn, timeout=WAIT):
        click(qtbot, page, QPushButton, "withdrawButton")
    settle()
    assert demo.evidence.get(item_uuid).status == "ready"
    assert item_uuid in [d.uuid for d in demo.evidence.details(EvidenceQuery(status="ready"))]
    history = demo.signoffs.history(item_uuid)
    assert [s.decision for s in history] == ["signed_off", "withdrawn"]
    assert history[1].supersedes == history[0].signature
    assert meeting.count() == 2 and "Withdrawn" in meeting.item(0).text()
    assert meeting.item(1).font().strikeOut()
    meeting.setCurrentRow(1)
    assert not page.findChild(QPushButton, "withdrawButton").isEnabled()  # already withdrawn
    queue = page.findChild(QListWidget, "reviewQueue")
    qtbot.waitUntil(
        lambda: (
            item_uuid
            in [queue.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(queue.count())]
        ),
        timeout=WAIT,
    )

    page.identity.lock()
    meeting.setCurrentRow(0)
    assert not page.findChild(QPushButton, "withdrawButton").isEnabled()  # needs the key


def test_the_profile_dialog_sets_the_meeting_lock(qtbot, demo) -> None:
    from portfolio.ui.profile_dialog import ProfileForm

    form = ProfileForm(training_period=True)
    qtbot.addWidget(form)
    form.set_profile(demo.profile.get())
    spin = form.meeting_lock
    assert spin is not None and spin.value() == 2
    assert (spin.minimum(), spin.maximum()) == (1, 30)  # never off
    spin.setValue(7)
    profile = form.profile()
    assert isinstance(profile, ProfileData) and profile.meeting_lock_minutes == 7


def test_the_supervisors_own_copy_exports_its_signing_log(
    qtbot, supervisor, demo, trainee_window: MainWindow, tmp_path, settle
) -> None:
    theirs, window, ops = supervisor
    info = theirs.signoffs.create_identity("Priya Shah", "4567890", "educational_supervisor", None)
    page = reviews_of(qtbot, window)
    page.identity.reload()
    qtbot.waitUntil(lambda: page.signing.export_log_button.isVisible(), timeout=WAIT)
    assert not reviews_of(qtbot, trainee_window).signing.export_log_button.isVisible()  # trainee's

    pack = tmp_path / "pack.gpcreview"
    uuid = demo.evidence.details(EvidenceQuery(status="ready"))[0].uuid
    demo.signoffs.export_review_pack(pack, [uuid])
    unlocked = theirs.signoffs.unlock(info.fingerprint, None)
    theirs.signoffs.sign_pack(
        read_review_pack(pack), unlocked, {uuid: ("signed_off", "")}, tmp_path / "r.gpcsignoff"
    )
    log = tmp_path / "priya.gpclog"
    with qtbot.waitSignal(page.signing.log_exported, timeout=WAIT):
        page.signing.export_log_to(log)
    assert [e.record.evidence_uuid for e in read_log(log).entries] == [uuid]
    assert demo.signoffs.missing_from_log(log)[0].evidence_uuid == uuid  # not imported yet
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
