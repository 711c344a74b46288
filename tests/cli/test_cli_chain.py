"""The supervisor's signing log and checked attachment bytes, from the real command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli_review import PASS_ENV, ok
from tests.conftest import run_cli


def setup(tmp_path: Path) -> tuple[Path, Path, str]:
    trainee, supervisor = tmp_path / "trainee", tmp_path / "supervisor"
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000003")
    uuid = ok(
        trainee, "add", "--kind", "course", "--title", "ALS course", "--date", "2026-01-10"
    ).strip()
    ok(trainee, "submit", uuid)
    ok(
        supervisor,
        "identity",
        "create",
        "--name",
        "Priya Shah",
        "--gmc",
        "4567890",
        "--role",
        "educational_supervisor",
    )
    card = tmp_path / "priya.card.json"  # the trainee vouches for her card, checked in person
    ok(supervisor, "identity", "export", "--out", str(card))
    ok(trainee, "identity", "pin", str(card), "--how", "meeting")
    return trainee, supervisor, uuid


def sign_by_file(tmp_path: Path, trainee: Path, supervisor: Path, name: str, *opts: str) -> Path:
    pack, reply = tmp_path / f"{name}.gpcreview", tmp_path / f"{name}.gpcsignoff"
    ok(trainee, "review", "export", "--ready", "--out", str(pack))
    ok(supervisor, "review", "sign", str(pack), "--out", str(reply), *opts)
    return reply


def test_verify_against_the_supervisors_log_shows_a_signoff_the_trainee_kept_back(
    tmp_path: Path,
) -> None:
    trainee, supervisor, uuid = setup(tmp_path)
    ok(trainee, "review", "import", str(sign_by_file(tmp_path, trainee, supervisor, "first")))
    ok(trainee, "submit", uuid)
    withheld = sign_by_file(
        tmp_path, trainee, supervisor, "second", "--decision", "changes_requested"
    )
    log = tmp_path / "priya.gpclog"
    assert "Wrote 2 signed records" in ok(supervisor, "review", "log", "--out", str(log))

    result = run_cli(trainee, "verify", "--against", str(log))
    assert result.returncode == 1
    assert f"MISSING  {uuid}  changes_requested by Priya Shah" in result.stdout
    assert "1 in the log but not here" in result.stderr
    shown = json.loads(run_cli(trainee, "verify", "--json", "--against", str(log)).stdout)
    assert [m["decision"] for m in shown["missing"]] == ["changes_requested"]
    assert shown["missing"][0]["log_entry"] == 2
    assert [s["state"] for s in shown["signoffs"]] == ["valid"]

    ok(trainee, "review", "import", str(withheld))
    assert run_cli(trainee, "verify", "--against", str(log)).returncode == 0
    assert json.loads(ok(trainee, "show", uuid, "--json"))["status"] == "changes_requested"

    log.write_text(log.read_text().replace("changes_requested", "signed_off"))
    altered = run_cli(trainee, "verify", "--against", str(log))
    assert altered.returncode == 2 and "the log was altered" in altered.stderr


def test_verify_exits_1_when_a_signoff_was_cut_out_of_an_items_chain(tmp_path: Path) -> None:
    trainee, supervisor, uuid = setup(tmp_path)
    for name, decision in (("a", "signed_off"), ("b", "changes_requested"), ("c", "signed_off")):
        reply = sign_by_file(tmp_path, trainee, supervisor, name, "--decision", decision)
        ok(trainee, "review", "import", str(reply))
        if name != "c":
            ok(trainee, "submit", uuid)
    assert run_cli(trainee, "verify").returncode == 0

    con = sqlite3.connect(trainee / "portfolio.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # until the triggers go
        con.execute("DELETE FROM signoff WHERE decision = 'changes_requested'")
    con.execute("DROP TRIGGER signoff_append_only_delete")
    con.execute("DELETE FROM signoff WHERE decision = 'changes_requested'")
    con.commit()
    con.close()

    result = run_cli(trainee, "verify")
    assert result.returncode == 1
    assert "A sign-off this item had is missing" in result.stdout
    shown = json.loads(run_cli(trainee, "show", uuid, "--json").stdout)
    assert "missing" in shown["signoff"]["chain_warning"]


def test_swapped_attachment_bytes_are_edited_and_not_exported(tmp_path: Path) -> None:
    trainee, supervisor, uuid = setup(tmp_path)
    certificate = tmp_path / "als-certificate.txt"
    certificate.write_bytes(b"ALS provider: PASS\n")
    ok(trainee, "attach", uuid, str(certificate))
    ok(trainee, "review", "import", str(sign_by_file(tmp_path, trainee, supervisor, "first")))
    assert json.loads(ok(trainee, "verify", "--json"))[0]["state"] == "valid"

    con = sqlite3.connect(trainee / "portfolio.sqlite3")
    con.execute("UPDATE blob SET data = ?", (b"ALS provider: MERIT\n",))
    con.commit()
    con.close()

    edited = run_cli(trainee, "verify", "--json")
    assert edited.returncode == 1 and json.loads(edited.stdout)[0]["state"] == "edited"
    assert json.loads(ok(trainee, "list", "--json"))[0]["status"] == "edited"
    export = run_cli(trainee, "export", "--out", str(tmp_path / "all.gpcportfolio"))
    assert export.returncode == 2
    assert "als-certificate.txt of 'ALS course' no longer matches its hash" in export.stderr
    assert not (tmp_path / "all.gpcportfolio").exists()


def test_the_meeting_lock_is_never_off(tmp_path: Path) -> None:
    data = tmp_path / "trainee"
    for minutes in ("0", "31", "-1"):
        result = run_cli(
            data, "init", "--name", "Alex Morgan", "--gmc", "7000003", "--meeting-lock", minutes
        )
        assert result.returncode == 2 and "cannot be turned off" in result.stderr
    ok(data, "init", "--name", "Alex Morgan", "--gmc", "7000003", "--meeting-lock", "5")


def test_a_supervisor_with_no_log_yet_writes_an_empty_one(tmp_path: Path) -> None:
    _, supervisor, _ = setup(tmp_path)
    log = tmp_path / "empty.gpclog"
    assert (
        "Wrote 0 signed records"
        in run_cli(supervisor, "review", "log", "--out", str(log), env=PASS_ENV).stdout
    )
    assert json.loads(log.read_text())["entries"] == []
