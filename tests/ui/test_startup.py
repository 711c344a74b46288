"""Starting the window reads no module's source: PySide6's ``__feature__`` import layer, which
read the source of every module imported after Qt (``portfolio/ui/__init__.py``), is taken out
as the window's package is imported, and nothing in the app selects a feature (issue 17).

The real program runs (``portfolio.cli.main`` on a real portfolio, as ``gpc-portfolio`` starts
it); a probe wraps its ``start_window`` once the program itself has imported it, so the probe
imports nothing before the program does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

PACKAGE = Path(__file__).resolve().parents[2] / "portfolio"

PROBE = """
import builtins, importlib.util, json, linecache, sys
from portfolio.cli import main


def usable(window):
    import xml.dom.minidom  # imported after Qt, as a page's module would be

    read = [  # the window's own modules and that one came after Qt
        name
        for name, entry in linecache.cache.items()
        if len(entry) > 1 and ("/portfolio/ui/" in name or "minidom" in name)
    ]
    print(json.dumps({
        "window": window.objectName(),
        "switch interval": sys.getswitchinterval(),
        "import": builtins.__import__.__name__,
        "sources read": sorted(read),
        "modules": sorted(sys.modules),
    }))


def settled(window, settle):  # after the first paint with the data: the Qt classes made
    import PySide6.QtWidgets

    print(json.dumps({"qt classes": sorted(vars(PySide6.QtWidgets))}))
    settle()
    window.close()  # the last window: the app ends, status 0


class AfterImport:
    def find_spec(self, name, path=None, target=None):
        if name != "portfolio.ui.main":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            start = module.start_window

            def watched(portfolio, ops):
                window, current = start(portfolio, ops)
                window.ready.connect(lambda: usable(window))
                settle = window._settle
                window._settle = lambda: settled(window, settle)
                return window, current

            module.start_window = watched

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, AfterImport())
status = main(["--data-dir", sys.argv[1]])
print(json.dumps({"closed": sorted(sys.modules)}))
sys.exit(status)
"""
HEAVY = (
    "reportlab",
    "cryptography",
    "keyring",
    "pydantic",
    "pypdfium2",
    "pyld",
    "sqlcipher3",
    "filelock",
)
"""What the first screen of an unencrypted portfolio never needs."""
LATER = (
    "evidence_list",
    "evidence_model",
    "editor",
    "reviews",
    "reports_page",
    "opportunities_page",
    "mentor",
    "printing",
)
"""Other windows and pages (``portfolio.ui.X``), imported when first shown."""


@pytest.fixture(scope="module")
def first_screen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the real program's process held when its window was usable (the dashboard's data
    in): its import function, the sources it read, its modules; and its modules once closed."""
    folder = tmp_path_factory.mktemp("startup")
    data = folder / "portfolio"
    made = run_cli(data, "init", "--name", "Aoife Byrne", "--gmc", "7123456")
    assert made.returncode == 0, made.stderr
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(folder)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()[-3:]
    usable, painted, closed = (json.loads(line) for line in lines)
    assert usable["window"] == "mainWindow"
    return {**usable, **painted, **closed}


def test_the_window_starts_without_reading_module_sources(first_screen: dict[str, Any]) -> None:
    assert first_screen["import"] != "__feature_import__"
    assert first_screen["sources read"] == []


def test_the_first_screen_imports_only_what_it_shows(first_screen: dict[str, Any]) -> None:
    modules = set(first_screen["modules"])
    assert "portfolio.ui.dashboard" in modules
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []
    later = tuple(f"portfolio.ui.{name}" for name in LATER)
    assert (
        sorted(m for m in modules if m in later or m.startswith(tuple(f"{n}." for n in later)))
        == []
    )


def test_the_dashboard_paints_before_the_orm_classes_are_imported(
    first_screen: dict[str, Any],
) -> None:
    """The first screen reads through Core into ``read_models``: the models, the services that
    map them and their other data classes (``dto``) come after its first paint
    (``Portfolio.settle``)."""
    modules = set(first_screen["modules"])
    assert {"portfolio.services.dashboard", "portfolio.services.read_models"} <= modules
    assert (
        sorted(
            modules & {"portfolio.models", "portfolio.services.evidence", "portfolio.services.dto"}
        )
        == []
    )


def test_the_days_backup_is_imported_after_the_first_paint(first_screen: dict[str, Any]) -> None:
    """Opening the portfolio does not import the backup (``back_up_if_due`` runs it later, on
    the database thread)."""
    assert "portfolio.storage.database" in first_screen["modules"]
    assert "portfolio.storage.backup" not in first_screen["modules"]


CLI_SHARED = ("__init__", "common", "json_text", "lazy", "parser")
"""``portfolio/cli/``'s modules the window's start uses; every other one holds commands' handlers."""


def test_opening_the_window_imports_no_commands_handlers(first_screen: dict[str, Any]) -> None:
    """``gpc-portfolio`` with no command builds no command's parser, nor imports its module."""
    handlers = {
        f"portfolio.cli.{path.stem}"
        for path in (PACKAGE / "cli").glob("*.py")
        if path.stem not in CLI_SHARED
    }
    assert {"portfolio.cli.evidence", "portfolio.cli.reviews"} <= handlers
    assert "portfolio.cli.parser" in first_screen["modules"]
    assert sorted(handlers & set(first_screen["modules"])) == []


def test_the_first_paint_makes_only_the_qt_classes_the_window_uses(
    first_screen: dict[str, Any],
) -> None:
    """PySide6 makes a class of Qt's when it is first used; an application-wide event filter
    written in Python would have it make every class of its modules before the first paint
    (wrapping Qt's private classes for the filter), so the window watches itself alone."""
    made = set(first_screen["qt classes"])
    assert {"QMainWindow", "QListWidget"} <= made
    never = {"QWizard", "QInputDialog", "QColorDialog", "QFontDialog", "QMdiArea", "QDial"}
    never |= {"QMessageBox", "QFileDialog", "QDialogButtonBox"}  # made when first shown
    assert sorted(made & never) == []


def test_the_gui_thread_waits_at_most_a_fifth_of_a_millisecond_for_the_interpreter(
    first_screen: dict[str, Any],
) -> None:
    """While the database thread runs Python (the dashboard's read, the ORM's mapping, the day's
    backup), each event Qt hands to Python on the GUI thread waits for the interpreter: at most
    0.2 ms, not the default 5 ms (``portfolio.ui.main.SWITCH_INTERVAL_S``)."""
    assert first_screen["switch interval"] <= 0.0002


def test_nothing_in_the_app_selects_a_pyside_feature() -> None:
    """Taking the layer out is safe only while no module asks for ``snake_case`` or
    ``true_property``: such an import would now do nothing."""
    selecting = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.M)
    assert [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if selecting.search(path.read_text(encoding="utf-8"))
    ] == []


def test_closing_the_window_imports_nothing_it_did_not_use(first_screen: dict[str, Any]) -> None:
    """Closing asks open editors to close: with none open, the editor is not imported."""
    assert "portfolio.ui.editor" not in first_screen["closed"]
