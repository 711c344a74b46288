"""One window per portfolio, with real processes: a second launch on the same portfolio brings
the first window forward and exits; on another portfolio it opens normally; a socket left by a
crashed instance does not stop the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from portfolio.paths import resolve_location
from portfolio.ui.instance import bring_forward, instance_name
from tests.conftest import run_cli
from tests.ui.window_process import Windows, ask

ROOT = Path(__file__).parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def _portfolio(folder: Path) -> Path:
    result = run_cli(folder, "init", "--name", "Dr Ada Lovelace", "--gmc", "7654321")
    assert result.returncode == 0, result.stderr
    return folder


def _command(data: Path) -> list[str]:
    return [sys.executable, "-m", "portfolio", "--data-dir", str(data)]


@pytest.fixture
def windows() -> Iterator[Windows]:
    started = Windows()
    yield started
    started.end()


def _open_window(data: Path, windows: Windows) -> subprocess.Popen[str]:
    return windows.open(_command(data), _env(), instance_name(resolve_location(data)))


def _second_launch(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(data), env=_env(), capture_output=True, text=True, timeout=120)


def test_a_second_launch_on_the_same_portfolio_brings_the_first_forward_and_exits(
    qtbot: Any, tmp_path: Path, windows: Windows
) -> None:
    data = _portfolio(tmp_path / "mine")
    first = _open_window(data, windows)
    second = _second_launch(data)
    assert second.returncode == 0, second.stderr
    assert "already open on this portfolio" in second.stdout
    assert "brought its window forward" in second.stdout
    assert first.poll() is None, "the first window stays open"
    assert ask(instance_name(resolve_location(data))) == b"raised mainWindow\n"


def test_a_launch_on_another_portfolio_opens_normally(
    qtbot: Any, tmp_path: Path, windows: Windows
) -> None:
    first = _open_window(_portfolio(tmp_path / "mine"), windows)
    other = _open_window(_portfolio(tmp_path / "theirs"), windows)
    assert first.poll() is None and other.poll() is None
    assert instance_name(resolve_location(tmp_path / "mine")) != instance_name(
        resolve_location(tmp_path / "theirs")
    )


def test_the_socket_of_a_crashed_instance_does_not_stop_the_next(
    qtbot: Any, tmp_path: Path, windows: Windows
) -> None:
    data = _portfolio(tmp_path / "mine")
    crashed = _open_window(data, windows)
    crashed.send_signal(signal.SIGKILL)  # leaves its socket file behind
    crashed.wait(timeout=30)
    after = _open_window(data, windows)  # listens again, over the stale socket
    again = _second_launch(data)
    assert again.returncode == 0 and "brought its window forward" in again.stdout
    assert after.poll() is None


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_bring_forward_restores_a_minimised_main_window(qtbot: Any) -> None:
    window = QMainWindow()
    window.setObjectName("mainWindow")
    qtbot.addWidget(window)
    window.showMinimized()
    assert window.isMinimized()
    assert bring_forward() is window
    assert not window.isMinimized()
    assert window.windowState() & Qt.WindowState.WindowMinimized == Qt.WindowState.WindowNoState
