"""The window in its own process: start it, and wait until its main window answers on the
portfolio's local socket (portfolio.ui.instance), which proves the window is up and serving
its event loop."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence

import pytest
from PySide6.QtNetwork import QLocalSocket

from portfolio.ui.instance import RAISE

STARTUP_S = 120


def ask(name: str) -> bytes:
    """Send ``raise`` to the instance listening under ``name``; its answer (b"" if none)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(1000):
        return b""
    socket.write(RAISE)
    socket.flush()
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(5000):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer


class Windows:
    """The window processes a test starts; :meth:`end` ends each by its own pid."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[str]] = []

    def open(self, command: Sequence[str], env: dict[str, str], name: str) -> subprocess.Popen[str]:
        """Start ``command`` and return once its main window answers under ``name``."""
        process = subprocess.Popen(
            list(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.processes.append(process)
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if ask(name) == b"raised mainWindow\n":
                return process
            try:  # paces the asking, and ends it at once if the process died
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the app exited with {process.returncode}: {process.communicate()[1]}")
        pytest.fail(f"no main window answered within {STARTUP_S} s")

    def end(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
            try:
                process.communicate(timeout=30)  # closes its pipe too
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
