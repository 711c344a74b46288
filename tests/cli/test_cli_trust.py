"""Supervisor directories and pins from the command line, each party in its own folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_review import PASS_ENV, ok
from tests.conftest import run_cli


def fails(data: Path, *args: str, code: int = 2) -> str:
    result = run_cli(data, *args, env=PASS_ENV)
    assert result.returncode == code, (result.stdout, result.stderr)
    return result.stderr + result.stdout


def identity(data: Path, name: str, gmc: str, card: Path, role: str = "other") -> str:
    created = ok(data, "identity", "create", "--name", name, "--gmc", gmc, "--role", role)
    ok(data, "identity", "export", "--out", str(card))
    return created.split("Fingerprint: ")[1].splitlines()[0]


def test_directory_create_import_verify_revoke(tmp_path: Path) -> None:
    trainee, office, shah = tmp_path / "trainee", tmp_path / "office", tmp_path / "shah"
    office_fp = identity(office, "Dr Helen Ward", "4999999", tmp_path / "office.json")
    shah_fp = identity(
        shah, "Dr Priya Shah", "7654321", tmp_path / "shah.json", "educational_supervisor"
    )
    directory = tmp_path / "nw.gpcdirectory"
    made = ok(
        office,
        "directory",
        "create",
        "--name",
        "North West supervisors",
        "--out",
        str(directory),
        "--card",
        str(tmp_path / "shah.json"),
        "--valid-days",
        "90",
    )
    assert office_fp in made and "version 1" in made

    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000001")
    uuid = ok(trainee, "add", "--kind", "course", "--title", "ALS", "--date", "2026-01-10").strip()
    ok(trainee, "submit", uuid)
    ok(trainee, "review", "export", uuid, "--out", str(tmp_path / "pack.gpcreview"))
    ok(shah, "review", "sign", str(tmp_path / "pack.gpcreview"), "--out", str(tmp_path / "r"))
    ok(trainee, "review", "import", str(tmp_path / "r"))
    unvouched = run_cli(trainee, "verify", "--json")
    assert unvouched.returncode == 1
    assert [(r["state"], r["vouched_by"]) for r in json.loads(unvouched.stdout)] == [
        ("valid", None)
    ]
    assert json.loads(ok(trainee, "list", "--json"))[0]["status"] == "unvouched"

    asked = fails(trainee, "directory", "import", str(directory))  # no terminal, no --trust
    assert office_fp in asked and "--trust" in asked
    assert json.loads(ok(trainee, "directory", "list", "--json")) == []
    ok(trainee, "directory", "import", str(directory), "--trust", office_fp)
    listed = json.loads(ok(trainee, "directory", "list", "--json"))
    assert [(d["name"], d["version"], d["publisher_fingerprint"]) for d in listed] == [
        ("North West supervisors", 1, office_fp)
    ]
    verified = json.loads(ok(trainee, "verify", "--json"))
    assert [(r["state"], r["vouched_by"]) for r in verified] == [
        (
            "valid",
            {"kind": "directory", "directory": "North West supervisors", "fingerprint": office_fp},
        )
    ]
    shown = ok(trainee, "show", uuid)
    assert "vouched for by the directory “North West supervisors”" in shown

    ok(office, "directory", "revoke", str(directory), "--key", shah_fp)
    ok(trainee, "directory", "import", str(directory))
    revoked = run_cli(trainee, "verify")
    assert revoked.returncode == 1 and revoked.stdout.startswith("revoked")
    assert "0 of 1 valid and vouched for" in revoked.stderr


def test_identity_pin_records_how_and_refuses_a_second_key(tmp_path: Path) -> None:
    trainee, shah, fake = tmp_path / "trainee", tmp_path / "shah", tmp_path / "fake"
    shah_fp = identity(shah, "Dr Priya Shah", "7654321", tmp_path / "shah.json")
    fake_fp = identity(fake, "Dr Priya Shah", "7654321", tmp_path / "fake.json")
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000001")
    pinned = ok(trainee, "identity", "pin", str(tmp_path / "shah.json"), "--how", "meeting")
    assert "checked against the supervisor's own device" in pinned
    refused = fails(trainee, "identity", "pin", str(tmp_path / "fake.json"))
    assert shah_fp in refused and fake_fp in refused
    shown = json.loads(ok(trainee, "identity", "show", "--json"))
    assert [(i["fingerprint"], i["pinned_how"]) for i in shown] == [(shah_fp, "meeting")]
    assert "invalid choice" in fails(trainee, "identity", "pin", "x.json", "--how", "trust-me")
