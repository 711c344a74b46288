"""make bundle: the PyInstaller app folder runs where no Python is installed.

The spec is built as `make bundle` builds it, into a temporary folder; the frozen program then
runs in a mount namespace where every Python installation on this machine, and this checkout,
are hidden under empty folders: its --version, demo and report commands, and its window
(offscreen), which answers on its portfolio's socket once the main window is up.
"""

from __future__ import annotations

import glob
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio import __version__
from portfolio.paths import resolve_location
from portfolio.ui.instance import instance_name
from tests.ui.window_process import Windows

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "packaging" / "gpc-portfolio.spec"

pytestmark = pytest.mark.slow


def _pythons() -> list[str]:
    """Every place a Python lives here: the interpreter the tests run on, its venv, the
    system's, and this checkout (which holds the package's sources)."""
    places = {sys.base_prefix, sys.prefix, str(ROOT)}
    places.update(glob.glob("/usr/lib/python3*") + glob.glob("/usr/local/lib/python3*"))
    folders = [Path(p).resolve() for p in places if Path(p).is_dir()]
    outermost = {f for f in folders if not any(o != f and f.is_relative_to(o) for o in folders)}
    return sorted(str(f) for f in outermost)


def _without_python(*command: str) -> list[str]:
    """``command`` in a private mount namespace with each Python folder covered by a tmpfs."""
    hidden = _pythons()
    script = (
        'n=$1; shift; while [ "$n" -gt 0 ]; do mount -t tmpfs none "$1" || exit 97; '
        'shift; n=$((n-1)); done; exec "$@"'
    )
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        script,
        "sh",
        str(len(hidden)),
        *hidden,
        *command,
    ]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            str(SPEC),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=out,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    executable = out / "dist" / "gpc-portfolio" / "gpc-portfolio"
    assert executable.is_file()
    return executable


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def _run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_python_is_really_hidden(env: dict[str, str], tmp_path: Path) -> None:
    python = Path(sys.base_prefix) / "bin" / Path(sys.executable).name
    seen = _run(_without_python(str(python), "-c", "import json"), env, tmp_path)
    assert seen.returncode != 97, seen.stderr  # a folder could not be hidden
    assert seen.returncode != 0, "the interpreter still ran: nothing was hidden"


def test_the_frozen_program_runs_its_commands_without_python(
    program: Path, env: dict[str, str], tmp_path: Path
) -> None:
    version = _run(_without_python(str(program), "--version"), env, tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"gpc-portfolio {__version__}"

    data = tmp_path / "data"
    demo = _run(_without_python(str(program), "--data-dir", str(data), "demo"), env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "sample items" in demo.stdout

    out = tmp_path / "arcp.pdf"
    report = _run(
        _without_python(str(program), "--data-dir", str(data), "report", "--out", str(out)),
        env,
        tmp_path,
    )
    assert report.returncode == 0, report.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Alex Morgan" in text and "Register of sign-offs" in text

    secret = tmp_path / "passphrase"
    secret.write_text("a long enough passphrase for the test")
    where = ["--data-dir", str(data)]
    encrypt = ["encrypt", "--passphrase", "--passphrase-file", str(secret)]
    encrypted = _run(_without_python(str(program), *where, *encrypt), env, tmp_path)
    assert encrypted.returncode == 0, encrypted.stderr  # SQLCipher is in the bundle
    unlock = ["--portfolio-passphrase-file", str(secret)]
    listed = _run(_without_python(str(program), *where, *unlock, "list", "--json"), env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert '"title"' in listed.stdout


@pytest.fixture
def windows() -> Iterator[Windows]:
    started = Windows()
    yield started
    started.end()


def test_the_frozen_program_opens_its_window(
    qtbot: object, program: Path, env: dict[str, str], tmp_path: Path, windows: Windows
) -> None:
    data = tmp_path / "data"
    demo = _run(_without_python(str(program), "--data-dir", str(data), "demo"), env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    window = windows.open(
        _without_python(str(program.with_name("gpc-portfolio-gui")), "--data-dir", str(data)),
        {**env, "QT_QPA_PLATFORM": "offscreen"},
        instance_name(resolve_location(data)),
    )
    assert window.poll() is None


def test_the_spec_names_every_module_the_migration_scripts_import() -> None:
    """Alembic loads the migration scripts as files at run time, so PyInstaller's analysis never
    sees what they import: the spec must list each of our modules among its hidden imports."""
    spec = SPEC.read_text()
    versions = ROOT / "portfolio" / "storage" / "migrations" / "versions"
    imported = {
        name
        for script in versions.glob("*.py")
        for name in re.findall(r"^from (portfolio[\w.]*) import", script.read_text(), re.M)
    }
    assert imported, "the migration scripts import none of our modules: is the pattern right?"
    assert {name for name in imported if f'"{name}"' not in spec} == set()
