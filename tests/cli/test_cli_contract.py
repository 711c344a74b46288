"""The command line's names and flags are a contract (docs/cli.md): none may go silently.

tests/data/cli_contract.json was recorded once from the parser; a change to a command, a flag,
its default, choices or arity shows here as a difference to review, and to record on purpose.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from portfolio import __version__
from portfolio.cli import build_parser

ROOT = Path(__file__).parents[2]
CONTRACT = Path(__file__).parents[1] / "data" / "cli_contract.json"


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | bool | type(None)) else repr(value)


def parser_contract(parser: argparse.ArgumentParser, path: str = "") -> dict[str, Any]:
    """``{"identity create": {"--name": {...}, ...}, ...}``: every command and its arguments."""
    found: dict[str, Any] = {}
    arguments: dict[str, Any] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(parser_contract(sub, f"{path} {name}".strip()))
        elif not isinstance(action, argparse._HelpAction):
            metavar = action.metavar
            arguments[", ".join(action.option_strings) or action.dest] = {
                "dest": action.dest,
                "action": type(action).__name__,
                "nargs": action.nargs,
                "required": action.required,
                "choices": sorted(action.choices) if action.choices else None,
                "default": _plain(action.default),
                "metavar": list(metavar) if isinstance(metavar, tuple) else metavar,
            }
    found[path] = arguments
    return found


def test_the_parser_has_exactly_the_recorded_commands_and_flags() -> None:
    recorded = json.loads(CONTRACT.read_text(encoding="utf-8"))
    current = parser_contract(build_parser())
    assert sorted(current) == sorted(recorded)
    for command, arguments in recorded.items():
        assert current[command] == arguments, command


def test_the_entry_points_name_the_one_main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["gpc-portfolio"] == "portfolio.cli:main"
    assert project["gui-scripts"]["gpc-portfolio-gui"] == "portfolio.cli:main"


def test_python_dash_m_portfolio_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portfolio", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"gpc-portfolio {__version__}"
