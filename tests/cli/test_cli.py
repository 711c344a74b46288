"""The command line as a user runs it: real processes on a real data folder."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli


def new_portfolio(folder: Path) -> Path:
    result = run_cli(
        folder,
        "init",
        "--name",
        "Nguyễn Thị Minh",
        "--gmc",
        "7123456",
        "--grade",
        "FY2",
        "--trust",
        "South West Coast NHS Foundation Trust",
    )
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return new_portfolio(tmp_path / "portfolio")


@pytest.fixture(scope="module")
def one_item(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A portfolio with one item, shared by the tests that must leave it unchanged."""
    folder = new_portfolio(tmp_path_factory.mktemp("unchanged") / "portfolio")
    return folder, add(folder)


def ok(data: Path, *args: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def add(data: Path, *extra: str) -> str:
    return ok(
        data,
        "add",
        "--kind",
        "reflection",
        "--title",
        "Breaking bad news",
        "--date",
        "2026-02-03",
        "--domain",
        "GPC2.2",
        *extra,
    ).strip()


def test_version() -> None:
    result = run_cli(Path("/nonexistent"), "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("gpc-portfolio ")


def test_add_list_show_edit_submit(data: Path, tmp_path: Path) -> None:
    text_file = tmp_path / "reflection.txt"
    text_file.write_text("I will check understanding with teach-back.\n", encoding="utf-8")
    uuid = add(
        data,
        "--field",
        "model=gibbs",
        "--field",
        "feelings=Anxious at first",
        "--text-file",
        str(text_file),
        "--tag",
        "communication",
    )
    items = json.loads(ok(data, "list", "--json"))
    assert items == [
        {
            "uuid": uuid,
            "kind": "reflection",
            "title": "Breaking bad news",
            "date": "2026-02-03",
            "status": "draft",
            "domains": ["GPC2.2"],
            "private": False,
            "updated_at": items[0]["updated_at"],
            "vouched_by": None,
        }
    ]
    detail = json.loads(ok(data, "show", uuid, "--json"))
    assert detail["fields"]["model"] == "gibbs"
    assert detail["text"].startswith("I will check understanding")
    assert detail["tags"] == ["communication"]
    ok(data, "edit", uuid, "--title", "Breaking bad news with a family", "--domain", "GPC1")
    ok(data, "submit", uuid)
    detail = json.loads(ok(data, "show", uuid, "--json", "--history"))
    assert detail["title"] == "Breaking bad news with a family"
    assert detail["domains"] == ["GPC1"]
    assert detail["status"] == "ready"
    assert [h["reason"] for h in detail["history"]] == ["created", "edited", "submitted"]
    assert json.loads(ok(data, "list", "--status", "ready", "--json"))[0]["uuid"] == uuid
    assert json.loads(ok(data, "list", "--domain", "GPC2", "--json")) == []


def test_search_and_coverage_json(data: Path) -> None:
    uuid = add(data, "--field", "what=A conversation about prognosis")
    hits = json.loads(ok(data, "search", "progn", "--json"))
    assert [h["uuid"] for h in hits] == [uuid]
    coverage = json.loads(ok(data, "coverage", "--json"))
    assert [d["code"] for d in coverage["domains"]] == [f"GPC{n}" for n in range(1, 10)]
    assert coverage["domains"][1]["items"] == 1
    assert coverage["total_items"] == 1
    assert "GPC1" in coverage["without_evidence"]
    human = ok(data, "coverage")
    assert "GPC2 Professional skills" in human


def test_delete_undelete_attach_detach(data: Path, tmp_path: Path) -> None:
    uuid = add(data)
    ok(data, "delete", uuid)
    assert json.loads(ok(data, "list", "--json")) == []
    assert json.loads(ok(data, "list", "--trash", "--json"))[0]["uuid"] == uuid
    ok(data, "undelete", uuid)
    note = tmp_path / "feedback.txt"
    note.write_text("Thank you for the teaching session.", encoding="utf-8")
    sha = ok(data, "attach", uuid, str(note)).split()[0]
    assert json.loads(ok(data, "show", uuid, "--json"))["attachments"][0]["sha256"] == sha
    ok(data, "detach", uuid, sha)
    assert json.loads(ok(data, "show", uuid, "--json"))["attachments"] == []


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["add", "--kind", "reflection", "--title", "x", "--date", "2026-02-30"], "not a date"),
        (["add", "--kind", "diary", "--title", "x", "--date", "2026-02-03"], "Unknown kind"),
        (
            [
                "add",
                "--kind",
                "reflection",
                "--title",
                "x",
                "--date",
                "2026-02-03",
                "--domain",
                "GPC0",
            ],
            "Unknown domain code",
        ),
        (
            [
                "add",
                "--kind",
                "reflection",
                "--title",
                "x",
                "--date",
                "2026-02-03",
                "--field",
                "colour=blue",
            ],
            "colour",
        ),
        (
            [
                "add",
                "--kind",
                "reflection",
                "--title",
                "x",
                "--date",
                "2026-02-03",
                "--text-file",
                "/no/such/file.txt",
            ],
            "There is no text file",
        ),
        (["init", "--name", "A", "--gmc", "12345"], "7 digits"),
        (["show", "11111111-2222-3333-4444-555555555555"], "No evidence item"),
        (["edit", "11111111-2222-3333-4444-555555555555", "--title", "x"], "No evidence item"),
        (["attach", "UUID", "/no/such/file.pdf"], "No such file"),
        (["submit", "UUID", "11111111-2222-3333-4444-555555555555"], "No evidence item"),
        (["list", "--status", "finished"], "Unknown status"),
        (["restore", "/no/such/backup.sqlite3"], "no backup file"),
    ],
)
def test_invalid_input_exits_non_zero_with_one_line_and_changes_nothing(
    one_item: tuple[Path, str], args: list[str], reason: str
) -> None:
    data, uuid = one_item
    before = ok(data, "show", uuid, "--json", "--history")
    result = run_cli(data, *[uuid if a == "UUID" else a for a in args])
    assert result.returncode != 0
    # One line with the reason (argparse's own errors come after its usage summary).
    assert reason in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
    if not result.stderr.startswith("usage:"):
        assert len(result.stderr.strip().splitlines()) == 1
    assert ok(data, "show", uuid, "--json", "--history") == before


def test_backup_check_restore(data: Path, tmp_path: Path) -> None:
    first = add(data)
    backup = tmp_path / "saved.sqlite3"
    ok(data, "backup", "--out", str(backup))
    assert backup.exists()
    second = add(data)
    assert "sound" in ok(data, "check")
    message = ok(data, "restore", str(backup))
    assert "state before the restore is saved" in message
    assert [i["uuid"] for i in json.loads(ok(data, "list", "--json"))] == [first]
    safety = Path(message.rsplit(" in ", 1)[1].strip().rstrip("."))
    assert safety.exists()
    ok(data, "restore", str(safety))
    assert {i["uuid"] for i in json.loads(ok(data, "list", "--json"))} == {first, second}
    assert ok(data, "backups").count("portfolio-") >= 2


def test_restore_refuses_a_file_that_is_not_a_backup(data: Path, tmp_path: Path) -> None:
    uuid = add(data)
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"garbage" * 1000)
    result = run_cli(data, "restore", str(bogus))
    assert result.returncode == 2
    assert "not a sound portfolio backup" in result.stderr
    assert json.loads(ok(data, "list", "--json"))[0]["uuid"] == uuid


def test_export_and_import_move_a_portfolio(data: Path, tmp_path: Path) -> None:
    uuid = add(data, "--field", "what=Handover")
    ok(data, "submit", uuid)
    archive = tmp_path / "everything.gpcportfolio"
    ok(data, "export", "--out", str(archive))
    laptop = tmp_path / "new-laptop"
    imported = ok(laptop, "import", str(archive))
    assert "1 added" in imported
    assert json.loads(ok(laptop, "show", uuid, "--json", "--history")) == json.loads(
        ok(data, "show", uuid, "--json", "--history")
    )
    before_import = sorted((laptop / "backups").glob("*before-import*"))
    assert len(before_import) == 1  # the real import's
    again = run_cli(laptop, "import", str(archive))  # recognised by its digest
    assert sorted((laptop / "backups").glob("*before-import*")) == before_import  # none new
    copy = tmp_path / "copy.gpcportfolio"  # the same members in other bytes: read in full
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.comment = b"other bytes"
    parsed = run_cli(laptop, "import", str(copy))
    assert len(list((laptop / "backups").glob("*before-import*"))) == 2  # read, backed up first
    assert again.returncode == parsed.returncode == 0 and again.stderr == parsed.stderr == ""
    assert again.stdout == (
        "0 added, 0 updated, 0 merged, 1 unchanged; nothing was written, so no backup was taken\n"
    )
    assert re.fullmatch(
        r"0 added, 0 updated, 0 merged, 1 unchanged; backup before import: \S+before-import\S+\n",
        parsed.stdout,
    )
    bogus = tmp_path / "bogus.gpcportfolio"
    bogus.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_cli(laptop, "import", str(bogus))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_report_writes_a_pdf(data: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    uuid = add(data)
    out = tmp_path / "arcp.pdf"
    assert ok(data, "report", "--out", str(out)).strip() == str(out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Nguyễn Thị Minh" in text and "Breaking bad news" in text
    single = tmp_path / "one.pdf"
    ok(data, "report", "--item", uuid, "--out", str(single))
    assert PdfReader(single).pages
    missing = run_cli(
        data,
        "report",
        "--item",
        "11111111-2222-3333-4444-555555555555",
        "--out",
        str(tmp_path / "none.pdf"),
    )
    assert missing.returncode == 2 and not (tmp_path / "none.pdf").exists()
