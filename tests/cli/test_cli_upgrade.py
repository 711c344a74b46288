"""``upgrade``: the schema made or brought to this version's, and nothing else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from portfolio.storage.migrate import head_revision
from tests.conftest import run_cli


def test_upgrade_makes_a_sqlite_schema_without_a_profile(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = run_cli(data, "upgrade")
    assert done.returncode == 0, done.stderr
    database = data / "portfolio.sqlite3"
    assert done.stdout == f"The schema of {database} is at revision {head_revision()}.\n"
    con = sqlite3.connect(database)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
        assert con.execute("SELECT count(*) FROM profile").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM curriculum").fetchone() == (0,)
    finally:
        con.close()
    again = run_cli(data, "upgrade")
    assert again.returncode == 0 and again.stdout == done.stdout
