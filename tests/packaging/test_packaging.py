"""The wheel carries resources/ and the migrations, so an installed app finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_wheel_carries_resources_and_migrations(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("gpc_portfolio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "portfolio/resources/curricula/gpc-2017.json",
        "portfolio/resources/kinds/reflection.json",
        "portfolio/resources/jsonld/credentials-v2.jsonld",
        "portfolio/resources/jsonld/ob-context-3.0.3.json",
        "portfolio/storage/migrations/env.py",
        "portfolio/storage/migrations/script.py.mako",
        "portfolio/storage/migrations/versions/0001_initial_schema.py",
    }
    assert expected <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "gpc-portfolio = portfolio.cli:main" in text


def test_resources_are_found_through_importlib() -> None:
    from portfolio.resource_files import resource

    assert resource("curricula", "gpc-2017.json").is_file()
