"""Services say what is wrong in the user's terms and name no command; the command line adds
its own hint (``portfolio.cli.common.REMEDY_HINTS``), the window its own or none."""

from __future__ import annotations

import ast
import re
import sqlite3
from datetime import date
from pathlib import Path

import portfolio
from portfolio.app import Portfolio
from portfolio.cli.common import REMEDY_HINTS, error_line
from portfolio.errors import InvalidInput, Remedy
from portfolio.services.backups import INDEX_OUT_OF_STEP
from portfolio.services.dto import EvidenceDraft
from tests.cli.test_cli import add, new_portfolio
from tests.conftest import run_cli

PACKAGE = Path(portfolio.__file__).parent
BELOW_THE_FRONT_ENDS = (
    "services",
    "storage",
    "security",
    "models",
    "privacy",
    "reports",
    "formats",
)
A_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
"""A command-line option such as ``--identity``: the front end's word, not a service's."""


def _messages_below_the_front_ends() -> list[tuple[str, str]]:
    """Every string in the code below the front ends, but docstrings, with where it is."""
    found = []
    for layer in BELOW_THE_FRONT_ENDS:
        for path in (PACKAGE / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                ):
                    found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node.value))
    return found


def test_no_message_below_the_front_ends_names_a_command() -> None:
    offenders = [
        where
        for where, text in _messages_below_the_front_ends()
        if "'gpc-portfolio " in text or "run '" in text
    ]
    assert offenders == []


def test_no_message_below_the_front_ends_names_a_command_line_option() -> None:
    offenders = [where for where, text in _messages_below_the_front_ends() if A_FLAG.search(text)]
    assert offenders == []


def test_every_remedy_has_a_command_line_hint_after_the_message() -> None:
    assert set(REMEDY_HINTS) == set(Remedy)
    error = InvalidInput("This portfolio has no profile yet.", remedy=Remedy.CREATE_PROFILE)
    assert error_line(error) == (
        "gpc-portfolio: This portfolio has no profile yet. Create it with 'gpc-portfolio init'."
    )
    assert error_line(InvalidInput("No hint here.")) == "gpc-portfolio: No hint here."


def test_reading_a_missing_portfolio_gets_the_command_lines_hint(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "nothing", "list")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith("gpc-portfolio: There is no portfolio at "), line
    assert line.endswith("Create it with 'gpc-portfolio init'."), line
    assert len(result.stderr.strip().splitlines()) == 1


def test_signing_without_an_identity_names_the_command_to_make_one(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    result = run_cli(data, "review", "log", "--out", str(tmp_path / "log.gpclog"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "gpc-portfolio: This copy holds no signing identity yet. "
        "Create one with 'gpc-portfolio identity create'."
    )


def _drop_search_index(data: Path) -> None:
    with sqlite3.connect(data / "portfolio.sqlite3") as connection:
        connection.execute("DELETE FROM evidence_fts")
    connection.close()


def test_check_names_the_repair_and_the_repair_mends_it(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    add(data)
    _drop_search_index(data)
    found = run_cli(data, "check")
    assert found.returncode == 1, found.stderr
    assert found.stdout.splitlines() == [
        INDEX_OUT_OF_STEP,
        "Rebuild the search index with: gpc-portfolio check --repair",
    ]
    repaired = run_cli(data, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "The portfolio is sound" in repaired.stdout


def test_the_check_the_window_shows_names_no_command(portfolio: Portfolio) -> None:
    portfolio.evidence.create(EvidenceDraft(kind="reflection", title="x", occurred_on=date.today()))
    with portfolio.database.sessions() as session:
        session.connection().exec_driver_sql("DELETE FROM evidence_fts")
        session.commit()
    problems = portfolio.backups.check()
    assert problems == [INDEX_OUT_OF_STEP]
    assert "gpc-portfolio" not in INDEX_OUT_OF_STEP
