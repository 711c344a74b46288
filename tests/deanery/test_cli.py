"""The mentor's path through the real ``gpc-portfolio deanery …`` processes on a real
PostgreSQL server: the demo's directory, catalogue and 27 summaries loaded, and the figures,
CSV and PDF equal to the file-based ``cohort`` command's over the same folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from portfolio.formats.directory import read_directory
from tests.conftest import run_cli
from tests.deanery.generate import summaries, write_summaries
from tests.storage.test_server_failures import TERMINATE, failing_inserts, one_clear_line

FIXED = {"SOURCE_DATE_EPOCH": "1780000000"}


def test_the_demo_cohort_through_the_store_equals_the_file_based_view(
    tmp_path: Path, postgres_url: str
) -> None:
    data = tmp_path / "data"
    assert run_cli(data, "demo").returncode == 0
    demo = data / "demo"
    db = ("--database", postgres_url)
    created = run_cli(data, "deanery", "init", *db)
    assert created.returncode == 0 and "Created the deanery store" in created.stdout
    assert "already there" in run_cli(data, "deanery", "init", *db).stdout

    untrusted = run_cli(data, "deanery", "load", str(demo), str(demo / "cohort"), *db)
    assert untrusted.returncode == 0, untrusted.stderr
    assert "27 summaries loaded, 1 catalogue loaded; 1 file refused." in untrusted.stdout
    assert "trust it explicitly" in untrusted.stderr
    assert "Trust it with --trust FINGERPRINT." in untrusted.stderr
    (directory,) = demo.glob("*.gpcdirectory")
    fingerprint = read_directory(directory).publisher.fingerprint
    trusted = run_cli(data, "deanery", "load", str(demo), "--trust", fingerprint, "--json", *db)
    assert trusted.returncode == 0, trusted.stderr
    outcomes = sorted((f["kind"], f["outcome"]) for f in json.loads(trusted.stdout)["loaded"])
    assert outcomes == [("catalogue", "unchanged"), ("directory", "loaded")]
    status = json.loads(run_cli(data, "deanery", "status", "--json", *db).stdout)
    assert (status["summaries"], status["trusts"], len(status["directories"])) == (27, 2, 1)
    assert [c["revoked"] for c in status["catalogues"]] == [None]

    ours = run_cli(data, "deanery", "figures", "--json", *db)
    theirs = run_cli(data, "cohort", str(demo / "cohort"), "--json")
    assert ours.returncode == theirs.returncode == 0
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)
    line = run_cli(data, "deanery", "figures", *db).stdout
    assert line == run_cli(data, "cohort", str(demo / "cohort")).stdout

    mine, base = tmp_path / "deanery", tmp_path / "cohort"
    report = run_cli(
        data, "deanery", "report", "--pdf", f"{mine}.pdf", "--csv", f"{mine}.csv", *db, env=FIXED
    )
    assert report.returncode == 0, report.stderr
    files = ("--out", f"{base}.pdf", "--csv", f"{base}.csv")
    assert run_cli(data, "cohort", str(demo / "cohort"), *files, env=FIXED).returncode == 0
    assert Path(f"{mine}.csv").read_text() == Path(f"{base}.csv").read_text()
    assert Path(f"{mine}.pdf").read_bytes() == Path(f"{base}.pdf").read_bytes()
    assert Path(f"{mine}.pdf").read_bytes().startswith(b"%PDF")


def test_bad_commands_get_one_clear_line_and_change_nothing(
    tmp_path: Path, postgres_url: str
) -> None:
    data = tmp_path / "data"
    db = ("--database", postgres_url)

    def fails(*args: str, says: str) -> None:
        done = run_cli(data, "deanery", *args)
        assert done.returncode == 2, done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr

    fails("figures", says="name it with --database postgresql://")
    fails("init", "--database", f"sqlite:///{tmp_path}/d.sqlite3", says="is a PostgreSQL database")
    fails("figures", *db, says="holds no deanery store. Create it with 'gpc-portfolio deanery init")
    unreachable = f"postgresql://nobody@/deanery?host={tmp_path}/no-server"
    fails("init", "--database", unreachable, says="could not be used")
    assert run_cli(data, "deanery", "init", *db).returncode == 0
    fails("figures", *db, says="holds no cohort summaries yet")
    fails("report", *db, says="--pdf FILE.pdf, --csv FILE.csv, or both")
    junk = tmp_path / "junk.gpccohort"
    junk.write_text("{}")
    fails("load", str(junk), *db, says="None of the 1 file could be loaded")
    status = json.loads(run_cli(data, "deanery", "status", "--json", *db).stdout)
    assert status["summaries"] == 0
    before = [sys.executable, "-m", "portfolio", "--database", postgres_url, "deanery", "status"]
    done = subprocess.run(before, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.startswith("0 summaries from 0 Trusts")


def test_a_load_whose_connection_is_lost_while_saving_says_it_may_be_saved(
    tmp_path: Path, postgres_url: str
) -> None:
    """The server ends the session during the load's COMMIT: the mentor is told the files may
    or may not be in the store, never that nothing was changed."""
    data = tmp_path / "data"
    assert run_cli(data, "deanery", "init", "--database", postgres_url).returncode == 0
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            for statement in failing_inserts("deanery_summary", TERMINATE, at_commit=True):
                connection.execute(text(statement))
    finally:
        engine.dispose()
    inbox = write_summaries(tmp_path / "inbox", summaries(2))
    done = run_cli(data, "deanery", "load", str(inbox), "--database", postgres_url)
    one_clear_line(done, "was lost while saving")
    assert "may or may not have been saved" in done.stderr
    assert "Nothing was changed" not in done.stderr
