"""Windows fit the screen they open on: the first window and the editor on a 1366×768 laptop
(less its task bar), at 100 % and at 200 % scaling, with every control reachable; the sizes the
user gives them are remembered, and shrunk onto a smaller screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from portfolio.app import Portfolio
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations
from portfolio.ui.screen_fit import SCREEN_SHARE
from tests.conftest import run_cli

ROOT = Path(__file__).parents[2]
LAPTOP = (1366, 768 - 48)  # a 48-pixel task bar


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("fit") / "data"
    result = run_cli(data, "demo")
    assert result.returncode == 0, result.stderr
    return data


@pytest.mark.parametrize("scale", [1, 2], ids=["100%", "200%"])
def test_on_a_1366x768_laptop_every_window_fits_and_every_control_is_reachable(
    demo: Path, tmp_path: Path, scale: int
) -> None:
    width, height = LAPTOP
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width * scale, "height": height * scale}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    data = tmp_path / "data"
    data.symlink_to(demo)  # fresh settings below: this is a first run
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(scale),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ui.window_fit_probe",
            str(data),
            f"/tmp/desktop-fit-{scale}x",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["screen"] == [width, height]
    assert found["window_inside"], found["window"]
    assert found["window"][0] >= width * SCREEN_SHARE - 2  # it uses the room there is
    assert found["editor_inside"], found["editor"]
    assert found["pages"] == {key: [] for key in found["pages"]}
    assert found["editor_unreachable"] == []


def test_a_window_saved_on_a_larger_screen_is_shrunk_onto_this_one(
    qtbot: Any, portfolio: Portfolio, ops: Operations, settle: Any
) -> None:
    area = QApplication.primaryScreen().availableGeometry()
    first = MainWindow(portfolio, ops)
    qtbot.addWidget(first)
    first.show()
    settle()
    first.resize(area.width() * 2, area.height() * 2)  # as saved on a large monitor
    first.save_layout()
    first.close()
    second = MainWindow(portfolio, ops)
    qtbot.addWidget(second)
    second.show()
    settle()
    assert area.contains(second.frameGeometry())
    second.close()
    settle()


def test_the_editors_size_is_remembered_for_the_next_editor(
    qtbot: Any, main_window: MainWindow, settle: Any
) -> None:
    editor = main_window.open_editor(kind="reflection")
    settle()
    area = QApplication.primaryScreen().availableGeometry()
    assert area.contains(editor.frameGeometry())
    editor.resize(QSize(620, 480))
    settle()
    editor.close()
    settle()
    again = main_window.open_editor(kind="teaching")
    settle()
    assert again.size() == QSize(620, 480)
    again.close()
    settle()
