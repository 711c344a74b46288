"""`verify FILE.pdf`: an ARCP summary checked from the PDF alone, in real processes, and the
attacks on it: an altered credential, an altered manifest, a self-made directory, and a PDF
whose attachments were stripped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from portfolio.services.pdf_verification import verify_pdf
from tests.cli.test_cli_review import PASS_ENV, ok
from tests.cli.test_cli_trust import identity
from tests.conftest import run_cli

MANIFEST = "gpc-portfolio-manifest.json"


@dataclass(frozen=True)
class Summary:
    pdf: Path
    """Printed once the trainee trusts the office's directory."""
    unvouched: Path
    """Printed before: the supervisor's key is vouched for by nobody."""
    signed: str
    draft: str
    office_fp: str
    directory: Path
    tmp: Path


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    tmp = tmp_path_factory.mktemp("summary")
    trainee, office, shah = tmp / "trainee", tmp / "office", tmp / "shah"
    office_fp = identity(office, "Dr Helen Ward", "4999999", tmp / "office.json")
    identity(shah, "Dr Priya Shah", "7654321", tmp / "shah.json", "educational_supervisor")
    directory = tmp / "nw.gpcdirectory"
    ok(
        office, "directory", "create", "--name", "North West supervisors", "--out",
        str(directory), "--card", str(tmp / "shah.json"), "--valid-days", "90",
    )  # fmt: skip
    ok(trainee, "init", "--name", "Alex Morgan", "--gmc", "7000001")
    signed = ok(
        trainee, "add", "--kind", "course", "--title", "ALS", "--date", "2026-01-10",
        "--domain", "GPC2",
    ).strip()  # fmt: skip
    draft = ok(trainee, "add", "--kind", "course", "--title", "ILS", "--date", "2026-01-11")
    ok(trainee, "submit", signed)
    ok(trainee, "review", "export", signed, "--out", str(tmp / "pack.gpcreview"))
    ok(shah, "review", "sign", str(tmp / "pack.gpcreview"), "--out", str(tmp / "r"))
    ok(trainee, "review", "import", str(tmp / "r"))
    ok(trainee, "report", "--out", str(tmp / "unvouched.pdf"))
    ok(trainee, "directory", "import", str(directory), "--trust", office_fp)
    ok(trainee, "report", "--out", str(tmp / "summary.pdf"))
    return Summary(
        tmp / "summary.pdf", tmp / "unvouched.pdf", signed, draft.strip(), office_fp, directory, tmp
    )


def verify(pdf: Path, tmp: Path, *extra: str) -> tuple[int, str, str]:
    """Run `verify` where there is no portfolio at all."""
    nowhere = tmp / "no-portfolio"
    result = run_cli(nowhere, "verify", str(pdf), *extra, env=PASS_ENV)
    assert not nowhere.exists()
    return result.returncode, result.stdout, result.stderr


def attachments(pdf: Path) -> dict[str, bytes]:
    return {name: data[0] for name, data in PdfReader(pdf).attachments.items()}


def rewritten(source: Path, out: Path, files: dict[str, bytes]) -> Path:
    """The same pages with these attached files (none: the attachments stripped)."""
    reader, writer = PdfReader(source), PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for name, data in files.items():
        writer.add_attachment(name, data)
    with out.open("wb") as stream:
        writer.write(stream)
    return out


def by_uuid(output: str) -> dict[str, dict[str, object]]:
    return {item["uuid"]: item for item in json.loads(output)["items"]}


def test_the_summary_carries_credentials_directory_and_manifest(summary: Summary) -> None:
    files = attachments(summary.pdf)
    credentials = sorted(n for n in files if n.startswith("credential-"))
    assert [n.rsplit("-", 3)[-3:] for n in credentials] == [
        ["eddsa", "jcs", "2022.json"],
        ["eddsa", "rdfc", "2022.json"],
    ]
    (directory,) = [n for n in files if n.endswith(".gpcdirectory")]
    assert files[directory] == summary.directory.read_bytes()  # the signed text, as stored
    manifest = json.loads(files[MANIFEST])
    assert (
        manifest["format"] == "gpc-portfolio-arcp-manifest" and manifest["trainee_gmc"] == "7000001"
    )
    items = {i["uuid"]: i for i in manifest["items"]}
    assert sorted(items[summary.signed]["credentials"]) == credentials
    assert items[summary.draft]["credentials"] == [] and items[summary.draft]["status"] == "draft"
    pages = len(PdfReader(summary.pdf).pages)
    assert (
        all(1 < p <= pages for i in items.values() for p in i["pages"])
        and items[summary.signed]["pages"]
    )
    assert manifest["directories"] == [directory]


def test_verify_reports_each_item_and_who_vouches(summary: Summary) -> None:
    code, out, err = verify(summary.pdf, summary.tmp, "--json")
    assert code == 0, err
    items = by_uuid(out)
    assert items[summary.signed]["state"] == "valid"
    assert items[summary.signed]["vouched_by"] == {
        "kind": "directory", "directory": "North West supervisors",
        "fingerprint": summary.office_fp,
    }  # fmt: skip
    assert items[summary.signed]["signer"] == "Dr Priya Shah"
    assert items[summary.draft]["state"] == "not_signed_off"
    code, out, err = verify(summary.pdf, summary.tmp)
    assert code == 0
    assert f"publisher key {summary.office_fp}" in out
    assert "vouched for by the directory “North West supervisors”" in out
    assert "1 of 1 signed-off items valid and vouched for; 1 not signed off" in err


def test_a_pin_cannot_travel_in_a_pdf(summary: Summary) -> None:
    code, out, _ = verify(summary.unvouched, summary.tmp, "--json")
    assert code == 1
    item = by_uuid(out)[summary.signed]
    assert item["state"] == "valid" and item["vouched_by"] is None
    assert "cannot travel in a PDF" in str(item["reason"])


def test_an_altered_credential_is_invalid(summary: Summary, tmp_path: Path) -> None:
    files = attachments(summary.pdf)
    name = next(n for n in files if n.endswith("rdfc-2022.json"))
    forged = json.loads(files[name])
    forged["credentialSubject"]["achievement"]["name"] = "Led the whole department"
    files[name] = json.dumps(forged).encode()
    code, out, _ = verify(
        rewritten(summary.pdf, tmp_path / "forged.pdf", files), tmp_path, "--json"
    )
    assert code == 1
    item = by_uuid(out)[summary.signed]
    assert item["state"] == "invalid" and name in str(item["reason"])


def test_an_altered_manifest_digest_is_invalid(summary: Summary, tmp_path: Path) -> None:
    files = attachments(summary.pdf)
    manifest = json.loads(files[MANIFEST])
    for item in manifest["items"]:
        if item["uuid"] == summary.signed:
            item["digest"] = "0" * 64
    files[MANIFEST] = json.dumps(manifest).encode()
    code, out, _ = verify(rewritten(summary.pdf, tmp_path / "m.pdf", files), tmp_path, "--json")
    assert code == 1
    item = by_uuid(out)[summary.signed]
    assert item["state"] == "invalid" and "manifest was altered" in str(item["reason"])


def test_a_self_made_directory_shows_another_publisher(summary: Summary, tmp_path: Path) -> None:
    forger = tmp_path / "forger"
    forger_fp = identity(forger, "Mallory", "4888888", tmp_path / "forger.json")
    fake = tmp_path / "fake.gpcdirectory"
    ok(
        forger, "directory", "create", "--name", "North West supervisors", "--out", str(fake),
        "--card", str(summary.tmp / "shah.json"),
    )  # fmt: skip
    files = attachments(summary.pdf)
    (name,) = [n for n in files if n.endswith(".gpcdirectory")]
    files[name] = fake.read_bytes()
    swapped = rewritten(summary.pdf, tmp_path / "swapped.pdf", files)
    code, out, _ = verify(swapped, tmp_path, "--json")
    assert code == 0  # it verifies as its own publisher's: only the fingerprint tells
    vouch = by_uuid(out)[summary.signed]["vouched_by"]
    assert isinstance(vouch, dict) and vouch["directory"] == "North West supervisors"
    assert vouch["fingerprint"] == forger_fp != summary.office_fp  # the fingerprint tells
    _, text, _ = verify(swapped, tmp_path)
    assert f"publisher key {forger_fp}" in text and summary.office_fp not in text


def test_a_directory_altered_in_the_pdf_vouches_for_nobody(
    summary: Summary, tmp_path: Path
) -> None:
    files = attachments(summary.pdf)
    (name,) = [n for n in files if n.endswith(".gpcdirectory")]
    files[name] = files[name].replace(b"North West", b"North East")
    code, out, _ = verify(rewritten(summary.pdf, tmp_path / "d.pdf", files), tmp_path, "--json")
    assert code == 1
    (directory,) = json.loads(out)["directories"]
    assert "signature does not match" in directory["problem"]
    assert by_uuid(out)[summary.signed]["vouched_by"] is None


def test_a_directory_expired_since_vouches_for_nobody(summary: Summary) -> None:
    check = verify_pdf(summary.pdf, now=datetime(2030, 1, 1, tzinfo=UTC))
    (directory,) = check.directories
    assert directory.directory is not None and directory.expired
    item = next(i for i in check.items if i.item.uuid == summary.signed)
    assert item.state == "valid" and item.vouched_by is None and not check.passes
    assert item.reason.startswith(
        "the directory “North West supervisors” that lists the key expired"
    )


def test_a_pdf_stripped_of_its_attachments_says_so(summary: Summary, tmp_path: Path) -> None:
    code, out, err = verify(rewritten(summary.pdf, tmp_path / "bare.pdf", {}), tmp_path)
    assert code == 2 and out == ""
    assert "carries no verification files" in err


def test_a_file_that_is_no_pdf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "summary.pdf"
    fake.write_text("not a pdf")
    code, _, err = verify(fake, tmp_path)
    assert code == 2 and "is not a PDF" in err
