"""When a supervisor's unlocked signing key is forgotten without anyone pressing Lock.

``IdleLock`` fires after N minutes without keyboard, mouse or touch input anywhere in the app.
Time comes from an injectable clock (``time.monotonic`` by default), so a test advances it
instead of waiting. ``SessionLockWatcher`` fires when the desktop session locks: on Linux the
``ActiveChanged`` signal of org.freedesktop.ScreenSaver / org.gnome.ScreenSaver on the session
bus and ``Lock`` of the login1 session on the system bus (docs/security.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QCoreApplication, QEvent, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:  # QtDBus loads when an identity is first unlocked, not at start-up
    from PySide6.QtDBus import QDBusConnection

Clock = Callable[[], float]

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
POLL_MS = 1_000


class IdleLock(QObject):
    """While armed, emits ``expired`` (once) when no input came for ``minutes``."""

    expired = Signal()

    def __init__(self, clock: Clock = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._seconds = 120.0
        self._last_input: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)

    @property
    def minutes(self) -> float:
        return self._seconds / 60

    @property
    def armed(self) -> bool:
        return self._last_input is not None

    def set_minutes(self, minutes: int) -> None:
        self._seconds = 60.0 * minutes

    def arm(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self.armed:
            app.installEventFilter(self)
        self._last_input = self._clock()
        self._timer.start()

    def disarm(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self.armed:
            app.removeEventFilter(self)
        self._last_input = None
        self._timer.stop()

    def remaining(self) -> float:
        """Seconds until the lock, while armed."""
        if self._last_input is None:
            return self._seconds
        return max(0.0, self._seconds - (self._clock() - self._last_input))

    def check(self) -> None:
        """Run by the timer (and by tests after moving their clock on)."""
        if self.armed and self.remaining() <= 0:
            self.disarm()
            self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False


def login1_session_path(session_id: str) -> str:
    """The login1 object path of a session id, escaped as systemd does ("3" → "_33")."""
    escaped = "".join(
        ch if ch.isascii() and (ch.isalpha() or (ch.isdigit() and i > 0)) else f"_{ord(ch):02x}"
        for i, ch in enumerate(session_id)
    )
    return f"/org/freedesktop/login1/session/{escaped}"


def _subscribe(
    bus: QDBusConnection, path: str, interface: str, name: str, receiver: QObject, slot: str
) -> bool:
    """Connect a D-Bus signal from any sender to a slot (PySide6 takes the SLOT() string form,
    although its stubs say bytes)."""
    return bool(bus.connect("", path, interface, name, receiver, SLOT(slot)))  # type: ignore[call-overload]


class SessionLockWatcher(QObject):
    """Emits ``locked`` when the desktop session locks or its screen saver starts."""

    locked = Signal()

    def __init__(
        self,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtDBus import QDBusConnection

        session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        self.listening: list[str] = []
        """The signals this watcher could subscribe to (none without a bus)."""
        for service, path in (
            ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
            ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
        ):
            if session.isConnected() and _subscribe(
                session, path, service, "ActiveChanged", self, "_screen_saver(bool)"
            ):
                self.listening.append(f"{service}.ActiveChanged")
        session_id = os.environ.get("XDG_SESSION_ID", "")
        if session_id and system.isConnected():
            path = login1_session_path(session_id)
            interface = "org.freedesktop.login1.Session"
            if _subscribe(system, path, interface, "Lock", self, "_session_locked()"):
                self.listening.append(f"{interface}.Lock")

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.locked.emit()

    @Slot()
    def _session_locked(self) -> None:
        self.locked.emit()
