"""Encryption at rest from the command line, with a passphrase (no keyring in a subprocess)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_cli

PASS = {"GPC_PORTFOLIO_PASSPHRASE": "night shift coffee"}


def test_encrypt_use_and_decrypt(tmp_path: Path) -> None:
    data = tmp_path / "portfolio"
    assert run_cli(data, "init", "--name", "Alex Morgan", "--gmc", "7000003").returncode == 0
    uuid = run_cli(
        data, "add", "--kind", "course", "--title", "Advanced Life Support", "--date", "2026-01-10"
    ).stdout.strip()
    encrypted = run_cli(data, "encrypt", env=PASS)
    assert encrypted.returncode == 0, encrypted.stderr
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data / "portfolio.sqlite3").execute("SELECT * FROM evidence").fetchall()
    assert b"Advanced Life Support" not in (data / "portfolio.sqlite3").read_bytes()

    refused = run_cli(data, "list", "--json", env={"GPC_PORTFOLIO_PASSPHRASE": "wrong"})
    assert refused.returncode == 2 and "Wrong passphrase" in refused.stderr
    listed = run_cli(data, "list", "--json", env=PASS)
    assert [i["uuid"] for i in json.loads(listed.stdout)] == [uuid]

    decrypted = run_cli(data, "decrypt", env=PASS)
    assert decrypted.returncode == 0, decrypted.stderr
    con = sqlite3.connect(data / "portfolio.sqlite3")
    assert con.execute("SELECT title FROM evidence").fetchall() == [("Advanced Life Support",)]
    con.close()
