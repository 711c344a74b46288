"""Scripts call the command line often: a read command imports only what it uses (issue 17).

Each command runs as a real ``python -X importtime -m portfolio`` process on a real portfolio;
the modules it imported are read back from what ``-X importtime`` prints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

READ = {"portfolio.tables", "portfolio.services.quick_reads"}
"""One of them is imported by whatever reads the portfolio: through Core, or precompiled SQL."""
HEAVY = (
    "PySide6",
    "reportlab",
    "cryptography",
    "pydantic",
    "keyring",
    "pypdfium2",
    "pyld",
    "filelock",
)
"""Packages no read command needs on an unencrypted portfolio of unsigned items."""
OURS = ("portfolio.security.keystore", "portfolio.security.signing")
"""Our own modules that stand for the key store and signatures."""


def imported(data: Path, *args: str) -> set[str]:
    """Every module the command's process imported (it must succeed)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "portfolio", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rpartition("|")[2].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    } - {"imported package"}


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in OURS)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("imports") / "portfolio"
    made = run_cli(data, "init", "--name", "Aoife Byrne", "--gmc", "7123456")
    assert made.returncode == 0, made.stderr
    added = run_cli(
        data,
        *("add", "--kind", "reflection", "--title", "Handover", "--date", "2026-02-03"),
        *("--domain", "GPC2.2", "--field", "model=gibbs", "--tag", "ward"),
    )
    assert added.returncode == 0, added.stderr
    return data, added.stdout.strip()


def test_version_imports_no_database_layer(tmp_path: Path) -> None:
    modules = imported(tmp_path / "none", "--version")
    assert heavy(modules) == []
    assert "sqlalchemy" not in modules
    assert "portfolio.app" not in modules


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("list", "--json"),
        ("list", "--domain", "GPC2", "--kind", "reflection"),
        ("show", "UUID"),
        ("show", "UUID", "--json", "--history"),
        ("coverage",),
        ("coverage", "--json"),
    ],
    ids=" ".join,
)
def test_read_commands_import_nothing_heavy(
    portfolio: tuple[Path, str], command: tuple[str, ...]
) -> None:
    data, uuid = portfolio
    modules = imported(data, *(uuid if word == "UUID" else word for word in command))
    assert READ & modules  # it did read the portfolio
    assert heavy(modules) == []
    assert "sqlcipher3" not in modules  # an unencrypted portfolio needs no SQLCipher
    assert "platformdirs" not in modules  # the folder is given: no default to look up


ORM = ("sqlalchemy.orm", "portfolio.models", "portfolio.app", "alembic")
"""What a Core read of a portfolio at the current schema does without: the ORM and its models,
the composition root (every service), and the migrations."""


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("list", "--json"),
        ("list", "--json", "--domain", "GPC2", "--kind", "reflection", "--tag", "ward"),
        ("list", "--status", "signed_off", "--sort", "domains"),
        ("coverage",),
        ("coverage", "--json"),
        ("search", "handover"),
        ("search", "handover", "--json", "--limit", "5"),
    ],
    ids=" ".join,
)
def test_list_coverage_and_search_read_through_core_alone(
    portfolio: tuple[Path, str], command: tuple[str, ...]
) -> None:
    data, _ = portfolio
    modules = imported(data, *command)
    assert ({"portfolio.services.evidence_query", "portfolio.services.coverage"} | READ) & modules
    assert sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in ORM)) == []


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("list", "--json"),
        ("list", "--json", "--kind", "reflection", "--status", "draft"),
        ("list", "--sort", "title", "--ascending"),
        ("coverage",),
        ("coverage", "--json"),
    ],
    ids=" ".join,
)
def test_list_and_coverage_of_a_sqlite_portfolio_import_no_sqlalchemy(
    portfolio: tuple[Path, str], command: tuple[str, ...]
) -> None:
    """At this app's schema they run the SQL their Core statements compile to (issue 17):
    SQLAlchemy's import alone costs more than the query."""
    data, _ = portfolio
    modules = imported(data, *command)
    assert "portfolio.services.quick_reads" in modules
    assert sorted(m for m in modules if m.split(".")[0] == "sqlalchemy") == []


def test_report_imports_no_pydantic_nor_qt(portfolio: tuple[Path, str], tmp_path: Path) -> None:
    """``report`` on a portfolio without a trusted directory parses no file with pydantic."""
    data, _ = portfolio
    modules = imported(data, "report", "--out", str(tmp_path / "summary.pdf"))
    assert "portfolio.reports.arcp" in modules  # it did lay the summary out
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF-")
    assert sorted(m for m in modules if m.split(".")[0] in ("pydantic", "PySide6")) == []


CORE_FIRST = """
import sys
from portfolio.cli import main

class StopAtQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6":  # the window's first Qt import: what came before it?
            print(sorted(m for m in CORE if m in sys.modules))
            raise SystemExit(0)

CORE = ("sqlalchemy.orm", "portfolio.app", "portfolio.services.evidence", "portfolio.models")
sys.meta_path.insert(0, StopAtQt())
main(["--data-dir", sys.argv[1]])
print("the window opened without importing PySide6")
"""


def test_the_window_imports_sqlalchemy_before_qt_and_our_models_later(
    portfolio: tuple[Path, str],
) -> None:
    """SQLAlchemy's ORM comes first, with the collector paused; the ORM's classes and the
    services that map them come after the first paint (``Portfolio.settle``), and since
    ``portfolio/ui/__init__.py`` takes PySide6's import hook out, importing them after Qt
    costs what it did before it."""
    result = subprocess.run(
        [sys.executable, "-c", CORE_FIRST, str(portfolio[0])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(["sqlalchemy.orm"])
