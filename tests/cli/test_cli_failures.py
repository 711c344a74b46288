"""Errors of the world and hostile arguments on the command line: one clear line, exit 2, no
traceback, and nothing changed. Each case is one that was tried and showed a traceback (issue 12).

Full disks and read-only folders are real: tmpfs mounts made by the test (tests/storage/disks.py).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio.limits import MAX_TAGS, MAX_TEXT_FILE_BYTES
from tests.cli.test_cli import add, new_portfolio, ok
from tests.conftest import run_cli
from tests.storage.disks import fill, read_only, tmpfs

DEEP = "[" * 10_000 + "]" * 10_000
HUGE_NUMBER = "9" * 5_000


@pytest.fixture(scope="module")
def item(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = new_portfolio(tmp_path_factory.mktemp("hostile") / "portfolio")
    return folder, add(folder)


def state(data: Path, uuid: str) -> str:
    """The item and its history (each case below could only have touched it or added one)."""
    return ok(data, "show", uuid, "--json", "--history") + ok(data, "list", "--json")


def refused(data: Path, *args: str, reason: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert reason in last, last
    if not result.stderr.startswith("usage:"):
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return last


def _add(*extra: str, kind: str = "reflection") -> list[str]:
    return ["add", "--kind", kind, "--title", "x", "--date", "2026-02-03", *extra]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--database", "garbage", "list"], "not a database URL"),
        (["--database", "nosuchdialect://x", "list"], "not a database URL"),
        (_add("--tag", "\udcff\udcfe"), "not valid UTF-8"),
        (["edit", "UUID", "--title", "caf\udce9"], "not valid UTF-8"),
        (["search", "bad", "--limit", str(10**30)], "not a whole number from 1 to"),
        (["search", "bad", "--limit", "٥٠"], "not a whole number from 1 to"),
        (_add("--field", f"model={DEEP}"), "must be one of"),
        (_add("--field", f"pdsa_cycles={DEEP}", kind="qi_project"), "nests more than 64 levels"),
        (
            _add("--field", f"hlm_dimensions=[{HUGE_NUMBER}]", kind="leadership_role"),
            "longer than 20 digits",
        ),
        (_add("--field", f"hours={HUGE_NUMBER}", kind="course"), "must be a whole number"),
        (_add("--field", "hours=٣", kind="course"), "must be a whole number"),
        (_add("--text-file", "/dev/zero"), "not a regular file"),
        (["init", "--name", "A", "--gmc", "٧١٢٣٤٥٦"], "7 digits (0-9)"),
        (["init", "--name", "A", "--gmc", "７１２３４５６"], "7 digits (0-9)"),
        (_add(*[f"--tag=t{n}" for n in range(MAX_TAGS + 1)]), f"at most {MAX_TAGS} tags"),
        (["report", "--out", "/tmp"], "is a folder"),
        (["report", "--out", "/etc/hostname/report.pdf"], "lies under a file"),
        (["export", "--out", "/dev/full"], "not a regular file"),
        (["backup", "--out", "/etc/hostname/copy.sqlite3"], "lies under a file"),
    ],
)
def test_hostile_arguments_are_refused_in_one_line_and_change_nothing(
    item: tuple[Path, str], args: list[str], reason: str
) -> None:
    data, uuid = item
    before = state(data, uuid)
    refused(data, *[uuid if a == "UUID" else a for a in args], reason=reason)
    assert state(data, uuid) == before
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # never replaced by a zip


def test_text_files_are_read_only_up_to_the_limit(item: tuple[Path, str], tmp_path: Path) -> None:
    data, uuid = item
    before = state(data, uuid)
    too_big = tmp_path / "big.txt"
    too_big.write_bytes(b"a" * (MAX_TEXT_FILE_BYTES + 1))
    refused(data, *_add("--text-file", str(too_big)), reason="larger than")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # nobody writes: reading must not wait
    refused(data, *_add("--text-file", str(pipe)), reason="not a regular file")
    assert state(data, uuid) == before


# -- a full disk -----------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "24m") as mount:
        yield mount


def test_a_full_disk_during_add_edit_attach_and_exports_loses_nothing(
    disk: Path, tmp_path: Path
) -> None:
    data = new_portfolio(disk / "portfolio")
    uuid = add(data)
    ok(data, "submit", uuid)  # opening a portfolio with content takes today's backup now
    text = tmp_path / "reflection.txt"
    text.write_text("What went well on the night shift. " * 2_000, encoding="utf-8")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(2**20))
    before = state(data, uuid)
    filler = fill(disk)
    for args in (
        _add("--text-file", str(text)),
        ["edit", uuid, "--title", "Changed on a full disk", "--text-file", str(text)],
        ["attach", uuid, str(scan)],
        ["export", "--out", str(disk / "everything.gpcportfolio")],
        ["review", "export", "--out", str(disk / "pack.gpcreview"), uuid],
    ):
        message = refused(data, *args, reason="disk is full")
        assert "free some space" in message
    filler.unlink()
    assert state(data, uuid) == before
    leftovers = [p.name for p in disk.rglob("*") if p.suffix in (".partial", ".gpcportfolio")]
    assert leftovers == [] and not (disk / "pack.gpcreview").exists()
    assert "is sound" in ok(data, "check")
    ok(data, "edit", uuid, "--title", "Changed once there is room")  # and it works again


def test_a_read_only_data_folder_says_so(disk: Path) -> None:
    data = new_portfolio(disk / "portfolio")
    uuid = add(data)
    ok(data, "backup")
    database = (data / "portfolio.sqlite3").read_bytes()
    read_only(disk)
    for args in (["list"], ["show", uuid], _add(), ["check"]):
        refused(data, *args, reason="read-only")
    listed = run_cli(data, "backups")  # needs no database at all
    assert listed.returncode == 0 and "manual" in listed.stdout
    assert (data / "portfolio.sqlite3").read_bytes() == database
