"""One window per portfolio: a second launch on the same portfolio brings the first one's window
forward and exits, through a local socket (QLocalServer: a Unix socket, or a named pipe on
Windows). A launch on another portfolio has another socket name, and opens normally.

The first instance listens before it opens the portfolio, so a launch while it is still asking
for a passphrase or showing the welcome brings that window forward instead.
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from portfolio.paths import Location

RAISE = b"raise\n"
RAISED = b"raised"
"""The answer, followed by the objectName of the window brought forward and a newline."""
TIMEOUT_MS = 3000
"""How long a second launch waits for the first to answer before opening normally."""


def instance_name(location: Location) -> str:
    """The socket name for this user and this portfolio (data folder and database)."""
    key = f"{getpass.getuser()}\n{location.data_dir}\n{location.database_url}"
    return "gpc-portfolio-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def ask_running_instance(name: str) -> bool:
    """Ask the instance listening under ``name`` to bring its window forward; True when it
    answered that it did (then this launch should exit), False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    answered = b""
    while not answered.endswith(b"\n") and socket.waitForReadyRead(TIMEOUT_MS):
        answered += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answered.startswith(RAISED)


def bring_forward() -> QWidget | None:
    """Show, un-minimise, raise and activate the app's front window (a dialog over the main
    window if one is open); returns it."""
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]  # minimised too
    main = [w for w in windows if w.objectName() == "mainWindow"]
    front = QApplication.activeModalWidget() or next(iter(main or windows), None)
    if front is None:
        return None
    for window in windows:
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    front.raise_()
    front.activateWindow()
    return front


class InstanceServer(QObject):
    """Listens under the portfolio's name; each ``raise`` it hears brings the window forward."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening. A socket left by an instance that crashed is removed first (no one
        answered on it, or this launch would have exited). False when it cannot listen: the
        app then runs without the check, as before."""
        if self._server.listen(self._name):
            return True
        QLocalServer.removeServer(self._name)
        return self._server.listen(self._name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == RAISE:
            front = bring_forward()
            name = front.objectName() if front is not None else ""
            socket.write(RAISED + b" " + name.encode() + b"\n")
            socket.flush()
