"""Sign-off by file from the command line: trainee and supervisor each in their own folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

PASS_ENV = {"GPC_PORTFOLIO_PASSPHRASE": "a long supervisor passphrase"}


def ok(data: Path, *args: str) -> str:
    result = run_cli(data, *args, env=PASS_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_review_by_file_then_edit_then_verify(tmp_path: Path) -> None:
    trainee, supervisor = tmp_path / "trainee", tmp_path / "supervisor"
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000003")
    uuid = ok(
        trainee,
        "add",
        "--kind",
        "teaching",
        "--title",
        "Taught sepsis recognition",
        "--date",
        "2026-03-04",
        "--domain",
        "GPC8",
    ).strip()
    ok(trainee, "submit", uuid)

    created = ok(
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
    fingerprint = created.split("Fingerprint: ")[1].splitlines()[0]
    shown = json.loads(ok(supervisor, "identity", "show", "--json"))
    assert shown[0]["fingerprint"] == fingerprint and shown[0]["has_private_key"]
    ok(supervisor, "identity", "export", "--out", str(tmp_path / "card.json"))
    ok(trainee, "identity", "pin", str(tmp_path / "card.json"))

    ok(trainee, "review", "export", "--ready", "--out", str(tmp_path / "pack.gpcreview"))
    ok(
        supervisor,
        "review",
        "sign",
        str(tmp_path / "pack.gpcreview"),
        "--out",
        str(tmp_path / "reply.gpcsignoff"),
        "--comment",
        "Clear and well taught.",
    )
    imported = ok(trainee, "review", "import", str(tmp_path / "reply.gpcsignoff"))
    assert "Valid, vouched for: pinned by the trainee from a card file" in imported

    detail = json.loads(ok(trainee, "show", uuid, "--json"))
    assert detail["status"] == "signed_off"
    assert detail["signoff"]["fingerprint"] == fingerprint
    assert detail["signoff"]["comment"] == "Clear and well taught."
    verified = json.loads(ok(trainee, "verify", "--json"))[0]
    assert (verified["state"], verified["vouched_by"]) == (
        "valid",
        {"kind": "pinned", "how": "file"},
    )

    ok(trainee, "edit", uuid, "--title", "Taught sepsis recognition to the practice team")
    assert json.loads(ok(trainee, "list", "--json"))[0]["status"] == "edited"
    after_edit = run_cli(trainee, "verify", "--json")
    assert after_edit.returncode == 1
    assert json.loads(after_edit.stdout)[0]["state"] == "edited"


def test_wrong_passphrase_and_forged_file_are_refused(tmp_path: Path) -> None:
    trainee, supervisor = tmp_path / "trainee", tmp_path / "supervisor"
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000003")
    uuid = ok(trainee, "add", "--kind", "course", "--title", "ALS", "--date", "2026-01-10").strip()
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
    ok(trainee, "review", "export", uuid, "--out", str(tmp_path / "pack.gpcreview"))
    wrong = run_cli(
        supervisor,
        "review",
        "sign",
        str(tmp_path / "pack.gpcreview"),
        "--out",
        str(tmp_path / "reply.gpcsignoff"),
        env={"GPC_PORTFOLIO_PASSPHRASE": "not it"},
    )
    assert wrong.returncode == 2 and "passphrase" in wrong.stderr.lower()
    assert not (tmp_path / "reply.gpcsignoff").exists()

    ok(
        supervisor,
        "review",
        "sign",
        str(tmp_path / "pack.gpcreview"),
        "--out",
        str(tmp_path / "reply.gpcsignoff"),
    )
    reply = json.loads((tmp_path / "reply.gpcsignoff").read_text())
    reply["records"][0]["comment"] = "Forged praise"
    (tmp_path / "reply.gpcsignoff").write_text(json.dumps(reply))
    forged = run_cli(trainee, "review", "import", str(tmp_path / "reply.gpcsignoff"))
    assert forged.returncode == 2
    assert "altered or forged" in forged.stderr
    assert json.loads(ok(trainee, "show", uuid, "--json"))["signoff"] is None
    assert run_cli(trainee, "verify").returncode == 0
