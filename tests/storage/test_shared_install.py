"""Issue 18, point 4: an encrypted laptop portfolio moves to a centre's shared install on
PostgreSQL and back with the existing archive, item for item and byte for byte, all through the
real command line (``--data-dir`` on the laptop, ``--database`` on the server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import run_cli

PASS = {"GPC_PORTFOLIO_PASSPHRASE": "night shift coffee"}


def cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The laptop's command line (``--data-dir``), or the shared install's when ``args`` start
    with ``--database URL`` (its data folder, for backups, from $GPC_PORTFOLIO_DATA)."""
    if args[:1] != ("--database",):
        return run_cli(data, *args, env=PASS)
    return subprocess.run(
        [sys.executable, "-m", "portfolio", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **PASS, "GPC_PORTFOLIO_DATA": str(data)},
    )


def ok(data: Path, *args: str) -> str:
    done = cli(data, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def content(archive: Path) -> dict[str, bytes]:
    """What the format promises to keep: everything but the manifest (its time and app)."""
    with zipfile.ZipFile(archive) as opened:
        return {n: opened.read(n) for n in opened.namelist() if n != "manifest.json"}


TRUST = ("status", "vouched_by")
"""What depends on the install's own trust roots (the demo's directory is trusted on the laptop
only; the archive carries identities and pins, not trusted directories)."""


def listing(data: Path, *server: str, trust: bool = True) -> list[dict[str, object]]:
    """Every item as ``list --json`` shows it, by uuid (items of one date are listed in the
    order they were stored, which an import does not keep)."""
    items = json.loads(ok(data, *server, "list", "--json"))
    if not trust:
        items = [{k: v for k, v in item.items() if k not in TRUST} for item in items]
    return sorted(items, key=lambda item: str(item["uuid"]))


def test_a_laptop_portfolio_goes_to_the_shared_install_and_back(
    tmp_path: Path, postgres_url: str
) -> None:
    laptop, centre, home = tmp_path / "laptop", tmp_path / "centre", tmp_path / "home"
    server = ("--database", postgres_url)
    ok(laptop, "demo")
    ok(laptop, "encrypt")
    assert b"Handover" not in (laptop / "portfolio.sqlite3").read_bytes()
    first = tmp_path / "laptop.gpcportfolio"
    ok(laptop, "export", "--out", str(first), "--allow-identifiers")

    imported = ok(centre, *server, "import", str(first))
    backup = imported.split("backup before import: ", 1)[1].strip()
    assert backup != "None" and "before-import" in backup
    assert backup in ok(centre, *server, "backups")
    assert listing(centre, *server, trust=False) == listing(laptop, trust=False)
    second = tmp_path / "centre.gpcportfolio"
    ok(centre, *server, "export", "--out", str(second), "--allow-identifiers")
    assert content(second) == content(first)

    ok(home, "encrypt")  # a new portfolio, created encrypted
    ok(home, "import", str(second))
    third = tmp_path / "home.gpcportfolio"
    ok(home, "export", "--out", str(third), "--allow-identifiers")
    assert content(third) == content(first)
    assert listing(home, trust=False) == listing(laptop, trust=False)
    assert listing(home) == listing(centre, *server)  # the same trust roots: the same statuses


def test_encryption_commands_on_a_server_database_are_refused_clearly(
    tmp_path: Path, postgres_url: str
) -> None:
    centre = tmp_path / "centre"
    ok(centre, "--database", postgres_url, "init", "--name", "Alex Morgan", "--gmc", "7000001")
    for command in ("encrypt", "decrypt"):
        refused = cli(centre, "--database", postgres_url, command)
        assert refused.returncode == 2, refused.stderr
        [line] = refused.stderr.strip().splitlines()
        assert "Encryption at rest covers SQLite portfolios" in line
    assert listing(centre, "--database", postgres_url) == []  # and it still opens
