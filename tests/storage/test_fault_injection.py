"""Fault injection: every write of a save, an import and a backup fails in turn; nothing is lost.

The real command line runs under ``strace``, which makes one system call fail with the error a
full or failing disk gives (ENOSPC for writes and renames, EIO for fsync and truncate). The
writes to fail are read from a trace of the same command run once without a fault: the first
write of every run of writes to one file (a run of page writes into one file fails alike
wherever it breaks), and the last write of the command. After each failure the portfolio
holds exactly its old or its new content, passes SQLite's integrity check, and the command
said so in words, never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.storage.backup import integrity_problems, list_backups
from tests.cli.test_cli import add, new_portfolio, ok

STRACE = shutil.which("strace")
pytestmark = pytest.mark.skipif(STRACE is None, reason="needs strace (Debian: strace)")

_ERRORS = {
    "pwrite64": "ENOSPC",
    "write": "ENOSPC",
    "rename": "ENOSPC",
    "fdatasync": "EIO",
    "fsync": "EIO",
    "ftruncate": "EIO",
}
"""The writes that can fail, and how a full or failing disk fails them."""
_LINE = re.compile(r'^\d+\s+(\w+)\((?:\d+<([^>]*)>|"([^"]*)")')


def _cli(data: Path) -> list[str]:
    return [sys.executable, "-m", "portfolio", "--data-dir", str(data)]


def _points(trace: Path) -> list[tuple[str, int]]:
    """(syscall, its ordinal) of the first write of each run to one file, and the last write."""
    counts: dict[str, int] = {}
    points: list[tuple[str, int]] = []
    previous: tuple[str, str] | None = None
    for line in trace.read_text().splitlines():
        match = _LINE.match(line)
        if match is None or match[1] not in _ERRORS:
            continue
        name, where = match[1], match[2] or match[3] or ""
        counts[name] = counts.get(name, 0) + 1
        if where.endswith("-shm") or not where.startswith("/"):
            continue  # shared memory (not durable), and pipes: the command's own output
        if (name, where) != previous:
            points.append((name, counts[name]))
        previous = (name, where)
    if previous is not None:
        points.append((previous[0], counts[previous[0]]))
    return sorted(set(points), key=points.index)


def _strace(data: Path, args: list[str], trace: Path, inject: str | None = None) -> Any:
    command = [STRACE or "strace", "-f", "-y", "-o", str(trace)]
    command += ["-e", "trace=" + ",".join(_ERRORS)]
    if inject:
        command += ["-e", f"inject={inject}"]
    return subprocess.run(
        [*command, *_cli(data), *args], capture_output=True, text=True, timeout=120
    )


def _content(data: Path) -> str:
    with open_portfolio(resolve_location(data), write=False) as portfolio:
        items = portfolio.evidence.details()
        return json.dumps(
            [
                (i.uuid, i.title, i.text, i.revision, [a.sha256 for a in i.attachments])
                for i in items
            ]
        )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("faults")
    source = new_portfolio(root / "source")
    uuid = add(source)
    archive = root / "source.gpcportfolio"
    ok(source, "export", "--out", str(archive))
    ok(source, "list")  # today's backup is taken: the save below is the only write
    empty = new_portfolio(root / "empty")
    return {"root": root, "source": source, "empty": empty, "uuid": uuid, "archive": archive}


def _save(t: dict[str, Any]) -> tuple[Path, list[str]]:
    return t["source"], ["edit", t["uuid"], "--title", "Handover, rewritten"]


def _import(t: dict[str, Any]) -> tuple[Path, list[str]]:
    return t["empty"], ["import", str(t["archive"])]


def _backup(t: dict[str, Any]) -> tuple[Path, list[str]]:
    return t["source"], ["backup"]


@pytest.mark.parametrize("operation", [_save, _import, _backup], ids=["save", "import", "backup"])
def test_each_write_fails_in_turn_and_nothing_is_lost(
    template: dict[str, Any],
    operation: Callable[[dict[str, Any]], tuple[Path, list[str]]],
    tmp_path: Path,
) -> None:
    original, args = operation(template)
    old = _content(original)
    clean = tmp_path / "clean"
    shutil.copytree(original, clean)
    done = _strace(clean, args, tmp_path / "clean.trace")
    assert done.returncode == 0, done.stderr
    new = _content(clean)
    points = _points(tmp_path / "clean.trace")
    assert len(points) >= 3
    for number, (syscall, ordinal) in enumerate(points):
        data = tmp_path / f"run{number}"
        shutil.copytree(original, data)
        trace = tmp_path / f"run{number}.trace"
        result = _strace(data, args, trace, f"{syscall}:error={_ERRORS[syscall]}:when={ordinal}")
        where = f"{syscall} #{ordinal}: rc {result.returncode}, {result.stderr[-400:]}"
        assert "(INJECTED)" in trace.read_text(), where
        assert "Traceback" not in result.stderr, where
        assert result.returncode in (0, 2), where
        if result.returncode == 2:
            assert result.stderr.startswith("gpc-portfolio: "), where
        assert _content(data) in (old, new), where
        database = data / "portfolio.sqlite3"
        assert integrity_problems(database) == [], where
        for backup in list_backups(data / "backups"):
            assert integrity_problems(backup.path) == [], f"{where}: {backup.path.name}"
        assert not [p.name for p in data.rglob("*.partial")], where
        shutil.rmtree(data)
