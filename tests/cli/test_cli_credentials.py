"""`credentials export` and `verify FILE` from the command line, in real processes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from portfolio.paths import resolve_location
from tests.cli.test_cli_review import PASS_ENV, ok
from tests.conftest import run_cli
from tests.security.credential_check import check


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A trainee's portfolio with one item signed off by file (the supervisor's copy beside)."""
    tmp = tmp_path_factory.mktemp("signed")
    trainee, supervisor = tmp / "trainee", tmp / "supervisor"
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000003")
    uuid = ok(
        trainee, "add", "--kind", "teaching", "--title", "Taught sepsis recognition",
        "--date", "2026-03-04", "--domain", "GPC8",
    ).strip()  # fmt: skip
    ok(trainee, "submit", uuid)
    ok(
        supervisor, "identity", "create", "--name", "Priya Shah", "--gmc", "4567890",
        "--role", "educational_supervisor",
    )  # fmt: skip
    ok(supervisor, "identity", "export", "--out", str(tmp / "card.json"))
    ok(trainee, "identity", "pin", str(tmp / "card.json"))
    ok(trainee, "review", "export", "--ready", "--out", str(tmp / "pack.gpcreview"))
    ok(
        supervisor,
        "review",
        "sign",
        str(tmp / "pack.gpcreview"),
        "--out",
        str(tmp / "r.gpcsignoff"),
    )
    ok(trainee, "review", "import", str(tmp / "r.gpcsignoff"))
    return trainee, uuid


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_export_then_verify_each_suite(
    signed: tuple[Path, str], tmp_path: Path, suite: str
) -> None:
    trainee, uuid = signed
    out = tmp_path / "credentials"
    said = ok(trainee, "credentials", "export", "--out", str(out), "--suite", suite, uuid)
    assert said.startswith("Wrote 1 credential ")
    (path,) = out.glob("*.json")
    credential = json.loads(path.read_text(encoding="utf-8"))
    assert credential["proof"]["cryptosuite"] == suite
    check(credential)

    nowhere = tmp_path / "no-portfolio"
    (result,) = json.loads(ok(nowhere, "verify", str(path), "--json"))
    assert not nowhere.exists()  # verifying a file needs, and makes, no portfolio
    assert result["state"] == "valid" and result["suite"] == suite
    assert result["uuid"] == uuid and result["title"] == "Taught sepsis recognition"
    assert result["signer"] == "Priya Shah" and result["signer_gmc"] == "4567890"
    assert result["trainee_gmc"] == "7000003" and result["domains"] == ["GPC8"]
    assert result["did"].startswith("did:key:z6Mk")


def test_verify_a_folder_reports_each_file_and_fails_on_a_forgery(
    signed: tuple[Path, str], tmp_path: Path
) -> None:
    trainee, _ = signed
    out = tmp_path / "credentials"
    ok(trainee, "credentials", "export", "--out", str(out))
    (good,) = out.glob("*.json")
    forged = json.loads(good.read_text())
    forged["credentialSubject"]["achievement"]["name"] = "Led the whole department"
    (out / "forged.json").write_text(json.dumps(forged))
    (out / "notes.json").write_text("{ not json")

    result = run_cli(tmp_path / "none", "verify", str(out))
    assert result.returncode == 1
    lines = sorted(result.stdout.splitlines())
    assert len(lines) == 3
    assert lines[0].startswith("invalid") and "forged.json" in lines[0]
    assert "altered after signing" in lines[0]
    assert lines[1].startswith("invalid") and "not a JSON credential" in lines[1]
    assert lines[2].startswith("valid") and "Priya Shah" in lines[2]
    assert "1 valid, 2 invalid" in result.stderr

    states = {Path(r["file"]).name: r["state"] for r in json.loads(
        run_cli(tmp_path / "none", "verify", str(out), "--json").stdout
    )}  # fmt: skip
    assert states == {good.name: "valid", "forged.json": "invalid", "notes.json": "invalid"}


def test_bad_paths_and_suites_get_one_clear_line(signed: tuple[Path, str], tmp_path: Path) -> None:
    trainee, _ = signed
    missing = run_cli(tmp_path / "none", "verify", str(tmp_path / "nothing-here.json"))
    assert missing.returncode == 2
    assert "There is no file or folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_cli(tmp_path / "none", "verify", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "holds no .json" in empty.stderr
    suite = run_cli(
        trainee,
        "credentials",
        "export",
        "--out",
        str(tmp_path / "x"),
        "--suite",
        "rsa",
        env=PASS_ENV,
    )
    assert suite.returncode == 2 and "Unknown cryptosuite" in suite.stderr
    assert not (tmp_path / "x").exists()


def test_verify_without_a_file_still_checks_the_portfolio(signed: tuple[Path, str]) -> None:
    trainee, _ = signed
    (result,) = json.loads(ok(trainee, "verify", "--json"))
    assert result["state"] == "valid"


def test_an_earlier_sign_off_is_issued_when_the_supervisor_signs_the_next_pack(
    signed: tuple[Path, str], tmp_path: Path
) -> None:
    trainee, old = signed
    supervisor = trainee.parent / "supervisor"
    upgraded = tmp_path / "upgraded"  # as if signed before credentials existed
    shutil.copytree(trainee, upgraded)
    database = resolve_location(upgraded).sqlite_path
    assert database is not None
    with sqlite3.connect(database) as con:
        con.execute("DELETE FROM signoff_credential")
    con.close()
    new = ok(
        upgraded, "add", "--kind", "teaching", "--title", "Ran the simulation session",
        "--date", "2026-04-01", "--domain", "GPC5",
    ).strip()  # fmt: skip
    ok(upgraded, "submit", new)
    ok(upgraded, "review", "export", "--ready", "--out", str(tmp_path / "next.gpcreview"))
    said = ok(
        supervisor, "review", "sign", str(tmp_path / "next.gpcreview"),
        "--out", str(tmp_path / "next.gpcsignoff"),
    )  # fmt: skip
    assert "Also issued credentials for your earlier sign-offs" in said
    assert "Taught sepsis recognition" in said
    ok(upgraded, "review", "import", str(tmp_path / "next.gpcsignoff"))
    ok(upgraded, "credentials", "export", "--out", str(tmp_path / "out"))
    credentials = [json.loads(p.read_text()) for p in (tmp_path / "out").glob("*.json")]
    assert sorted(c["evidence"][0]["id"] for c in credentials) == sorted(
        f"urn:uuid:{u}" for u in (old, new)
    )
    for credential in credentials:
        check(credential)
