"""A way back from damage, and no plaintext left behind, as a trainee meets them on the command
line: a truncated, overwritten or quietly damaged database; encrypt and decrypt interrupted."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from portfolio.paths import resolve_location
from portfolio.storage import database as conversions
from portfolio.storage.encryption import SQLITE_HEADER
from tests.cli.test_cli import add, new_portfolio, ok
from tests.cli.test_cli_failures import refused
from tests.conftest import run_cli

PASS = {"GPC_PORTFOLIO_PASSPHRASE": "night shift coffee"}
SECRET = "Mrs Featherstonehaugh's sepsis"


@pytest.fixture
def backed_up(tmp_path: Path) -> tuple[Path, list[str], Path]:
    """A portfolio of two items and a manual backup of it."""
    data = new_portfolio(tmp_path / "portfolio")
    uuids = [add(data), add(data)]
    backup = Path(ok(data, "backup").strip())
    return data, uuids, backup


def uuids_listed(data: Path, env: dict[str, str] | None = None) -> list[str]:
    result = run_cli(data, "list", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return sorted(item["uuid"] for item in json.loads(result.stdout))


def _truncate(database: Path) -> None:
    os.truncate(database, 8192)


def _overwrite(database: Path) -> None:
    database.write_bytes(os.urandom(database.stat().st_size))


@pytest.mark.parametrize("damage", [_truncate, _overwrite], ids=["truncated", "overwritten"])
def test_a_damaged_database_has_a_way_back(
    backed_up: tuple[Path, list[str], Path], damage: Callable[[Path], None]
) -> None:
    data, uuids, backup = backed_up
    database = data / "portfolio.sqlite3"
    damage(database)
    damaged_bytes = database.read_bytes()
    refused(data, "list", reason="check")  # says what to do: check, then restore
    refused(
        data,
        *["add", "--kind", "reflection", "--title", "x", "--date", "2026-02-03"],
        reason="check",
    )
    listed = run_cli(data, "backups")
    assert listed.returncode == 0 and str(backup) in listed.stdout
    checked = run_cli(data, "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert f"The newest sound backup is {backup}" in checked.stdout
    assert database.read_bytes() == damaged_bytes  # nothing opened it for writing
    restored = run_cli(data, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "damaged database is kept as" in restored.stdout
    assert uuids_listed(data) == sorted(uuids)
    kept = next((data / "backups").glob("*-damaged.sqlite3"))
    assert kept.read_bytes() == damaged_bytes
    assert "is sound" in ok(data, "check")


def test_a_damaged_evidence_page_is_corruption_not_an_empty_portfolio(
    backed_up: tuple[Path, list[str], Path],
) -> None:
    data, _uuids, backup = backed_up
    database = data / "portfolio.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'evidence'"
        ).fetchone()
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    with database.open("r+b") as handle:  # a well-formed but empty leaf: no read error at all
        handle.seek((root - 1) * page_size)
        handle.write(bytes([0x0D, 0, 0, 0, 0, page_size >> 8 & 0xFF, 0, 0]).ljust(page_size, b"\0"))
    refused(data, "list", "--json", reason="is damaged")
    checked = run_cli(data, "check")
    assert checked.returncode == 1 and f"The newest sound backup is {backup}" in checked.stdout


def test_check_on_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "nothing-here"
    refused(data, "check", reason="nothing was created")
    assert not (data / "portfolio.sqlite3").exists()


def _plaintext(data: Path) -> list[str]:
    """Files in the data folder that SQLite could read, or that hold the evidence text."""
    found = []
    for path in data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if content.startswith(SQLITE_HEADER) or SECRET.encode() in content:
                found.append(path.name)
    return found


def test_after_encrypt_nothing_in_the_data_folder_is_plaintext(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    text = tmp_path / "text.txt"
    text.write_text(SECRET, encoding="utf-8")
    add(data, "--text-file", str(text))
    ok(data, "backup")
    ok(data, "backup", "--out", str(data / "backups" / "before-my-move.sqlite3"))
    ok(data, "backup", "--out", str(data / "copy.sqlite3"))
    # What an interrupted backup and an interrupted atomic write leave behind:
    database = data / "portfolio.sqlite3"
    (data / "backups" / "portfolio-20260101-000000-000000-manual.sqlite3.partial").write_bytes(
        database.read_bytes()
    )
    (data / ".portfolio.sqlite3.x1y2.partial").write_bytes(database.read_bytes())
    assert len(_plaintext(data)) >= 5
    encrypted = run_cli(data, "encrypt", env=PASS)
    assert encrypted.returncode == 0, encrypted.stderr
    assert _plaintext(data) == []
    assert len(uuids_listed(data, PASS)) == 1


def test_an_interrupted_decrypt_resumes_and_its_backups_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    uuid = add(data)
    assert run_cli(data, "encrypt", env=PASS).returncode == 0
    backup = Path(run_cli(data, "backup", env=PASS).stdout.strip())

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # the power goes after the database, before the backups

    monkeypatch.setattr(conversions, "_convert_backups", crash)
    with pytest.raises(KeyboardInterrupt):
        conversions.decrypt_portfolio(resolve_location(data), PASS["GPC_PORTFOLIO_PASSPHRASE"])
    monkeypatch.undo()
    assert (data / "portfolio.sqlite3").read_bytes().startswith(SQLITE_HEADER)
    assert not backup.read_bytes().startswith(SQLITE_HEADER)  # left encrypted
    refused(data, "decrypt", reason="passphrase")  # says what it needs
    resumed = run_cli(data, "decrypt", env=PASS)
    assert resumed.returncode == 0, resumed.stderr
    assert backup.read_bytes().startswith(SQLITE_HEADER)
    restored = run_cli(data, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert uuids_listed(data) == [uuid]


def _make_newer(data: Path, env: dict[str, str] | None = None) -> None:
    from portfolio.app import open_portfolio

    with (
        open_portfolio(
            resolve_location(data), passphrase=(env or {}).get("GPC_PORTFOLIO_PASSPHRASE")
        ) as portfolio,
        portfolio.database.engine.begin() as connection,
    ):
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_encrypt_and_decrypt_refuse_a_newer_database_untouched(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    add(data)
    if command == "decrypt":
        assert run_cli(data, "encrypt", env=PASS).returncode == 0
    monkeypatch.setenv("GPC_PORTFOLIO_PASSPHRASE", PASS["GPC_PORTFOLIO_PASSPHRASE"])
    _make_newer(data, PASS if command == "decrypt" else None)
    before = {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    refused(data, command, reason="newer version")
    # (Reading its version may leave SQLite's empty -wal and -shm files beside it.)
    assert {name: (data / name).read_bytes() for name in before} == before


def test_a_damaged_encrypted_portfolio_comes_back_encrypted(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    uuid = add(data)
    assert run_cli(data, "encrypt", env=PASS).returncode == 0
    backup = Path(run_cli(data, "backup", env=PASS).stdout.strip())
    _overwrite(data / "portfolio.sqlite3")
    checked = run_cli(data, "check", env=PASS)
    assert checked.returncode == 1 and f"The newest sound backup is {backup}" in checked.stdout
    restored = run_cli(data, "restore", str(backup), env=PASS)
    assert restored.returncode == 0, restored.stderr
    assert uuids_listed(data, PASS) == [uuid]
    assert _plaintext(data) == []
