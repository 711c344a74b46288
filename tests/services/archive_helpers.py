"""Building portfolios worth archiving, and fingerprinting a database's whole content."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from portfolio.app import Portfolio
from portfolio.paths import Location
from portfolio.security.signing import (
    PublicIdentity,
    SignOffRecord,
    generate_private_key,
    public_key_b64,
    sign,
)
from portfolio.services.archive import ArchiveService
from portfolio.services.dto import EvidenceDraft, Link, PlacementData, ProfileData
from portfolio.services.signoffs import Unlocked

GMC = "7000001"

IMPORT_CHILD = """
import sys
from pathlib import Path
from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.archive import ArchiveService

data_dir, url, archive, marker = sys.argv[1:5]

def progress(done, total):
    Path(marker + ".partial").write_text(f"{done} {total}")
    Path(marker + ".partial").replace(marker)

with open_portfolio(resolve_location(data_dir, url or None)) as portfolio:
    ArchiveService(portfolio.database).import_(Path(archive), progress=progress)
Path(marker).write_text("done")
"""


def archive_service(portfolio: Portfolio, *, backup: bool = True) -> ArchiveService:
    return ArchiveService(portfolio.database, backup_before_import=backup)


def supervisor(name: str = "Tom Hughes", gmc: str = "4000002") -> Unlocked:
    """A supervisor's identity with its key in memory, as after unlocking it in a meeting."""
    key = generate_private_key()
    return Unlocked(PublicIdentity(name, gmc, "clinical_supervisor", public_key_b64(key)), key)


def reflection(
    title: str,
    day: int = 0,
    *,
    what: str = "We audited handover.",
    codes: tuple[str, ...] = ("GPC5",),
    tags: tuple[str, ...] = (),
    placement_id: int | None = None,
) -> EvidenceDraft:
    return EvidenceDraft(
        kind="reflection",
        title=title,
        occurred_on=date(2026, 1, 1) + timedelta(days=day),
        fields={"model": "what_so_what_now_what", "what": what},
        links=tuple(Link(c, f"because {c}") for c in codes),
        tags=tags,
        placement_id=placement_id,
    )


def sample_portfolio(portfolio: Portfolio, items: int = 3) -> list[str]:
    """Profile, a placement, items with edits, tags, attachments and a meeting sign-off."""
    portfolio.profile.save(
        ProfileData(name="Zoë Ørsted", gmc_number=GMC, grade="CT1", training_start=date(2025, 8, 6))
    )
    placement = portfolio.placements.save(
        PlacementData("North Trust", date(2025, 8, 6), "Acute medicine")
    )
    uuids = []
    for number in range(items):
        created = portfolio.evidence.create(
            reflection(
                f"Handover audit {number}",
                number,
                codes=("GPC5", "GPC6.2"),
                tags=("audit", "QI"),
                placement_id=placement.id,
            )
        )
        portfolio.evidence.attach_bytes(
            created.uuid, f"notes{number}.txt", f"notes for {number}\n".encode()
        )
        portfolio.evidence.attach_bytes(created.uuid, "shared.pdf", b"%PDF-1.4 shared")
        uuids.append(created.uuid)
    edited = portfolio.evidence.get(uuids[0]).as_draft()
    portfolio.evidence.update(uuids[0], replace(edited, text="A longer reflection."))
    portfolio.evidence.submit(uuids[:2])
    portfolio.signoffs.sign_in_meeting(supervisor(), uuids[0], "signed_off", "Well done.")
    portfolio.evidence.delete(uuids[-1])
    return uuids


def database_fingerprint(location: Location, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 over every row of every table (committed state, read by a separate connection),
    on either engine."""
    if location.sqlite_path is None:
        return _server_fingerprint(location.database_url, skip)
    connection = sqlite3.connect(f"file:{location.sqlite_path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return _digest({t: connection.execute(f'SELECT * FROM "{t}"') for t in tables}, skip)
    finally:
        connection.close()


def _server_fingerprint(url: str, skip: tuple[str, ...]) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            return _digest(
                {t: connection.execute(text(f'SELECT * FROM "{t}"')) for t in tables}, skip
            )
    finally:
        engine.dispose()


def _digest(rows_of: dict[str, Iterable[Any]], skip: tuple[str, ...]) -> str:
    hasher = hashlib.sha256()
    for table, rows in rows_of.items():
        if table in skip:
            continue
        hasher.update(table.encode())
        for row in sorted(repr(tuple(row)) for row in rows):
            hasher.update(row.encode())
    return hasher.hexdigest()


def members(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewritten(path: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of an archive whose ``portfolio.json`` ``change`` edited (its counts kept true)."""
    import json
    import zipfile

    content = members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    manifest = json.loads(content["manifest.json"])
    manifest["counts"]["signoffs"] = len(document["signoffs"])
    content["portfolio.json"] = json.dumps(document).encode()
    content["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return out


def version_1(
    signer: Unlocked, evidence_uuid: str, evidence_digest: str, signed_at: str
) -> SignOffRecord:
    """A decision to sign off as an app from before version 2 records signed it: no trainee."""
    unsigned = SignOffRecord(
        evidence_uuid,
        evidence_digest,
        "signed_off",
        "Signed by an older app.",
        signer.identity,
        signed_at,
        "",
        format_version=1,
    )
    return replace(unsigned, signature=sign(signer.private_key, unsigned.payload()))


def import_in_child(location: Location, archive: Path, marker: Path) -> subprocess.Popen[bytes]:
    """The import the window makes (with its progress), in a process of its own to kill:
    ``marker`` holds "done total" as it goes, then "done" once it has committed."""
    url = "" if location.sqlite_path is not None else location.database_url
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            IMPORT_CHILD,
            str(location.data_dir),
            url,
            str(archive),
            str(marker),
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def wait_for(marker: Path, process: subprocess.Popen[bytes], threshold: int) -> str:
    """Poll (never a fixed sleep) until the import has got as far as ``threshold`` or ended."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "exited"
        try:
            seen = marker.read_text()
        except FileNotFoundError:
            seen = ""
        if seen == "done":
            return "exited"
        if seen and int(seen.split()[0]) >= threshold:
            return "running"
        time.sleep(0.005)
    process.kill()
    pytest.fail("the import never got going")
