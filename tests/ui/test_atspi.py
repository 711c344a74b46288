"""Accessibility proven by a real client (issue 14.10): the app under Xvfb on the AT-SPI bus.

The test run starts everything itself: an X server (Xvfb), a D-Bus session, the AT-SPI bus
(at-spi-bus-launcher, which starts the registry), a window manager (openbox) and the app with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``. Debian's Python then runs ``atspi_client.py`` (pyatspi)
against it. Any of them missing fails the test with the package to install: never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli

CLIENT = Path(__file__).with_name("atspi_client.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
NEEDED = {  # what the session runs, and the Debian package that has it (system_check --tests)
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "openbox": "openbox",
    BUS_LAUNCHER: "at-spi2-core",
}


def _require_tools() -> None:
    missing = [package for tool, package in NEEDED.items() if not shutil.which(tool)]
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        missing.append("python3-pyatspi")
    if missing:
        pytest.fail(
            "the AT-SPI test needs: sudo apt-get install " + " ".join(sorted(set(missing))),
            pytrace=False,
        )


class Session:
    """The processes of one desktop session, each ended by its own pid at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
        }
        self.env.update(
            XDG_RUNTIME_DIR=str(self._folder("runtime")),
            XDG_CONFIG_HOME=str(self._folder("config")),
            HOME=str(self._folder("home")),
            NO_AT_BRIDGE="0",
        )

    def _folder(self, name: str) -> Path:
        path = self.folder / name
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def start(self, *command: str, log: str) -> subprocess.Popen[bytes]:
        with open(self.folder / f"{log}.log", "wb") as out:
            process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=self.folder
            )
        self.processes.append(process)
        return process

    def _read_line(self, command: list[str], what: str) -> str:
        """Start a daemon that prints one line when ready (a display number, a bus address)."""
        read, write = os.pipe()
        with open(self.folder / f"{what}.log", "wb") as log:
            process = subprocess.Popen(
                [part.replace("{fd}", str(write)) for part in command],
                env=self.env,
                pass_fds=(write,),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        os.close(write)
        self.processes.append(process)
        with os.fdopen(read) as lines:
            line = lines.readline().strip()
        if not line:
            pytest.fail(f"{what} did not start: {(self.folder / f'{what}.log').read_text()}")
        return line

    def up(self) -> None:
        display = self._read_line(
            ["Xvfb", "-displayfd", "{fd}", "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
            "xvfb",
        )
        self.env["DISPLAY"] = f":{display}"
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self._read_line(
            ["dbus-daemon", "--session", "--nofork", "--print-address={fd}"], "dbus"
        )
        self.start(BUS_LAUNCHER, "--launch-immediately", log="at-spi-bus")
        self.start("openbox", "--sm-disable", log="openbox")

    def down(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    _require_tools()
    desktop = Session(tmp_path)
    try:
        desktop.up()
        yield desktop
    finally:
        desktop.down()


def test_a_screen_reader_finds_every_control_named_and_the_keyboard_does_the_rest(
    session: Session, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert run_cli(data, "demo").returncode == 0
    started = time.monotonic()
    session.env.update(QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    app = session.start(
        sys.executable,
        "-m",
        "portfolio",
        "--data-dir",
        str(data),
        log="app",
    )
    client = subprocess.run(
        [SYSTEM_PYTHON, str(CLIENT), str(app.pid)],
        env=session.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    app_log = (tmp_path / "app.log").read_text(errors="replace")
    assert client.returncode == 0, f"client: {client.stderr[-3000:]}\napp: {app_log[-2000:]}"
    report = json.loads(client.stdout)
    elapsed = time.monotonic() - started

    assert report["unnamed"] == [], json.dumps(report["unnamed"], indent=1)
    for where, count in report["pages"].items():
        assert count > 0, f"nothing interactive found on {where}"

    evidence = report["tab_stops"]["evidence"]
    for name in (
        "kindFilter",
        "domainFilter",
        "statusFilter",
        "tagFilter",
        "dateFrom",
        "dateTo",
        "placementFilter",
        "clearFilters",
        "trashToggle",
        "evidenceTable",
    ):
        assert any(name in stop for stop in evidence), f"Tab never reached {name}: {evidence}"
    assert any("saveReportButton" in stop for stop in report["tab_stops"]["reports"])
    assert "evidenceTable" in report["focus_after_editor"]

    seen = {control["id"].rsplit(".", 1)[-1]: control for control in report["seen"]}
    for name in ("kindFilter", "domainFilter", "statusFilter", "tagFilter", "placementFilter"):
        assert seen[name]["labelled"], f"{name} has no labelled-by relation"
    assert seen["dateFrom"]["labelled"] and seen["dateTo"]["labelled"]
    assert {seen["reportFromDate"]["name"], seen["reportToDate"]["name"]} == {
        "Period starts",
        "Period ends",
    }
    for code in range(1, 10):
        card = seen[f"domainCard_GPC{code}"]
        assert card["role"] == "push button" and "Press" in card["actions"], card
    assert seen["opportunityTable"]["name"] == "Opportunities"
    assert seen["gradeText"]["role"] == "text" and seen["gradeText"]["name"] == "Grade"
    for required in ("nameEdit", "gmcEdit", "titleEdit"):
        assert seen[required]["description"].startswith("Required."), seen[required]

    announced = " | ".join(report["announced"])
    assert "Saved" in announced and "Submitted" in announced, announced
    assert "Please enter your name." in announced, announced
    items = json.loads(run_cli(data, "list", "--json").stdout)
    [made] = [item for item in items if item["title"] == "Keyboard-only reflection"]
    assert made["status"] == "ready"
    assert elapsed < 90, f"the AT-SPI walk took {elapsed:.0f} s"
