"""Export and import of 10,000 items with 1,000 attachments, and an unchanged re-import.

Each beside a baseline doing the same work with sqlite3, json, hashlib and zipfile alone, in
the same run and in turn (the sample has no profile, placements, identities or sign-offs, so
both write those empty):
- export, as ``gpc-portfolio export`` does it: read every item, link, tag, attachment and
  revision, build the same document, run the privacy detector over every live item's words,
  write it as sorted compact JSON and zip it with the attachments (each re-hashed); the
  baseline's ``portfolio.json`` is checked to be the same bytes as ours;
- import into an empty portfolio (same schema): unzip, parse, check every revision's digest,
  insert items, links, tags, revisions, blobs and attachments, build the search index, commit;
- re-import of the same archive: ours recognises the file by the SHA-256 of its bytes (the
  portfolio recorded it when it imported it) and parses nothing; the baseline unzips, parses
  and finds every revision already held;
- re-import of the same items in a re-written archive (other bytes: a zip comment, so never
  recorded), which both parse: ours checks it as any archive and finds every revision held.
Neither side makes the backup that the ``import`` command makes first.

    .venv/bin/python benchmarks/bench_archive.py [--items N] [--attachments N] [--repeat R]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Target, alternate, arguments, report_timed, table_counts, texts_in, wall_and_cpu

from portfolio.app import open_portfolio
from portfolio.formats.archive import CONTENT_KEYS
from portfolio.paths import resolve_location
from portfolio.privacy import find_identifiers
from portfolio.services.archive import ArchiveService
from portfolio.services.dto import EvidenceDraft, Link

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TABLES = ("evidence", "evidence_link", "evidence_tag", "attachment", "blob", "revision")


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def stamp(value: str | None) -> str | None:
    """A database time as the archive writes it."""
    return None if value is None else value[:19].replace(" ", "T") + "Z"


def stored(value: str | None) -> str | None:
    """An archive time as the database stores it."""
    return None if value is None else value[:19].replace("T", " ") + ".000000"


def raw_document(con: sqlite3.Connection) -> dict[str, Any]:
    links: defaultdict[int, list[dict[str, str]]] = defaultdict(list)
    for evidence_id, code, why in con.execute(
        "SELECT evidence_id, code, justification FROM evidence_link ORDER BY code"
    ):
        links[evidence_id].append({"code": code, "justification": why})
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for evidence_id, name in con.execute(
        "SELECT evidence_id, name FROM evidence_tag JOIN tag ON tag.id = tag_id"
    ):
        tags[evidence_id].append(name)
    attachments: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for evidence_id, sha, filename, added_at in con.execute(
        "SELECT evidence_id, sha256, filename, added_at FROM attachment ORDER BY id"
    ):
        attachments[evidence_id].append(
            {"sha256": sha, "filename": filename, "added_at": stamp(added_at)}
        )
    revisions: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for evidence_id, number, saved_at, reason, digest, snapshot in con.execute(
        "SELECT evidence_id, number, saved_at, reason, digest, snapshot FROM revision "
        "ORDER BY evidence_id, number"
    ):
        revisions[evidence_id].append(
            {
                "number": number,
                "saved_at": stamp(saved_at),
                "reason": reason,
                "digest": digest,
                "snapshot": json.loads(snapshot),
            }
        )
    items = []
    referenced: set[str] = set()
    for row in con.execute(
        "SELECT id, uuid, kind, title, occurred_on, occurred_until, fields, text, status, "
        "private, created_at, updated_at, deleted_at FROM evidence ORDER BY uuid"
    ):
        history = revisions[row[0]]
        for revision in history:
            revision["snapshot"]["placement_id"] = None
            referenced.update(revision["snapshot"]["attachments"])
        referenced.update(a["sha256"] for a in attachments[row[0]])
        items.append(
            {
                "uuid": row[1],
                "kind": row[2],
                "title": row[3],
                "occurred_on": row[4],
                "occurred_until": row[5],
                "fields": json.loads(row[6]),
                "text": row[7],
                "status": row[8],
                "private": bool(row[9]),
                "placement": None,
                "created_at": stamp(row[10]),
                "updated_at": stamp(row[11]),
                "deleted_at": stamp(row[12]),
                "links": links[row[0]],
                "tags": sorted(tags[row[0]], key=lambda name: (name.casefold(), name)),
                "attachments": attachments[row[0]],
                "revisions": history,
            }
        )
    files = [
        {"sha256": sha, "size": size}
        for sha, size in con.execute("SELECT sha256, length(data) FROM blob ORDER BY sha256")
        if sha in referenced
    ]
    return {
        "profile": None,
        "placements": [],
        "identities": [],
        "evidence": items,
        "signoffs": [],
        "files": files,
    }


def raw_privacy_check(document: dict[str, Any]) -> int:
    """The detector over what every live item's author wrote (title, fields, text, reasons)."""
    return sum(
        len(find_identifiers(text))
        for item in document["evidence"]
        if item["deleted_at"] is None
        for text in [
            item["title"],
            *texts_in(item["fields"]),
            item["text"],
            *(link["justification"] for link in item["links"]),
        ]
        if text
    )


def raw_export(database: Path, out: Path) -> bytes:
    """The baseline export, privacy-checked as ``gpc-portfolio export`` is; returns its
    portfolio.json."""
    con = sqlite3.connect(database)
    document = raw_document(con)
    raw_privacy_check(document)
    body = canonical(document)
    manifest = {"format": "gpc-portfolio-archive", "format_version": 1, "counts": {}}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("manifest.json", ZIP_DATE), canonical(manifest))
        archive.writestr(zipfile.ZipInfo("portfolio.json", ZIP_DATE), body)
        for entry in document["files"]:
            data = con.execute(
                "SELECT data FROM blob WHERE sha256 = ?", (entry["sha256"],)
            ).fetchone()[0]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            info = zipfile.ZipInfo(f"attachments/{entry['sha256']}", ZIP_DATE)
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    con.close()
    return body


def read_raw(archive_path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(archive_path) as archive:
        document = json.loads(archive.read("portfolio.json"))
        blobs = {
            name.removeprefix("attachments/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("attachments/")
        }
    return document, blobs


def raw_import(archive_path: Path, database: Path) -> None:
    """The baseline import into an empty portfolio's database."""
    document, blobs = read_raw(archive_path)
    for item in document["evidence"]:
        for revision in item["revisions"]:
            content = {key: revision["snapshot"][key] for key in CONTENT_KEYS}
            assert hashlib.sha256(canonical(content)).hexdigest() == revision["digest"]
    con = sqlite3.connect(database, isolation_level=None)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO blob(sha256, size, mime_type, data) VALUES (?, ?, 'application/pdf', ?)",
        ((sha, len(data), data) for sha, data in blobs.items()),
    )
    names = sorted({tag for item in document["evidence"] for tag in item["tags"]})
    con.executemany("INSERT OR IGNORE INTO tag(name) VALUES (?)", ((n,) for n in names))
    tag_id = dict(con.execute("SELECT name, id FROM tag"))
    rows, links, tags, files, revisions, index = [], [], [], [], [], []
    for number, item in enumerate(document["evidence"], start=1):
        rows.append(
            (number, item["uuid"], item["kind"], item["title"], item["occurred_on"],
             item["occurred_until"], json.dumps(item["fields"]), item["text"], item["status"],
             item["private"], len(item["revisions"]), stored(item["created_at"]),
             stored(item["updated_at"]), stored(item["deleted_at"]))
        )  # fmt: skip
        links += [(number, link["code"], link["justification"]) for link in item["links"]]
        tags += [(number, tag_id[name]) for name in item["tags"]]
        files += [
            (number, a["sha256"], a["filename"], stored(a["added_at"])) for a in item["attachments"]
        ]
        revisions += [
            (
                number,
                r["number"],
                stored(r["saved_at"]),
                r["reason"],
                r["digest"],
                json.dumps(r["snapshot"]),
            )
            for r in item["revisions"]
        ]
        body = "\n".join([*map(str, item["fields"].values()), item["text"], *item["tags"]])
        index.append((number, item["title"], body))
    con.executemany(
        "INSERT INTO evidence(id, uuid, kind, title, occurred_on, occurred_until, fields, text, "
        "status, private, revision, created_at, updated_at, deleted_at) "
        f"VALUES ({', '.join('?' * 14)})",
        rows,
    )
    con.executemany("INSERT INTO evidence_link VALUES (?, ?, ?)", links)
    con.executemany("INSERT INTO evidence_tag VALUES (?, ?)", tags)
    con.executemany(
        "INSERT INTO attachment(evidence_id, sha256, filename, added_at) VALUES (?, ?, ?, ?)",
        files,
    )
    con.executemany(
        "INSERT INTO revision(evidence_id, number, saved_at, reason, digest, snapshot) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        revisions,
    )
    con.executemany("INSERT INTO evidence_fts(rowid, title, body) VALUES (?, ?, ?)", index)
    con.execute("COMMIT")
    con.close()


def raw_reimport(archive_path: Path, database: Path) -> None:
    """The baseline's unchanged re-import: every revision is found already held."""
    document, _ = read_raw(archive_path)
    con = sqlite3.connect(database)
    held = set(
        con.execute(
            "SELECT uuid, number, digest FROM revision JOIN evidence ON evidence.id = evidence_id"
        )
    )
    con.close()
    new = [
        item["uuid"]
        for item in document["evidence"]
        for r in item["revisions"]
        if (item["uuid"], r["number"], r["digest"]) not in held
    ]
    assert not new


def fill(folder: Path, items: int, attachments: int) -> None:
    with open_portfolio(resolve_location(folder)) as source:
        source.evidence.bulk_create(
            EvidenceDraft(
                kind="reflection",
                title=f"Handover audit {n}",
                occurred_on=date(2024, 1, 1) + timedelta(days=n % 900),
                fields={"model": "what_so_what_now_what", "what": f"We audited handover {n}."},
                text="A reflection of a few sentences. " * 8,
                links=(Link("GPC5"),),
                tags=("audit",),
            )
            for n in range(items)
        )
        uuids = [s.uuid for s in source.evidence.list()[:attachments]]
        for number, uuid in enumerate(uuids):
            source.evidence.attach_bytes(
                uuid,
                f"notes{number}.pdf",
                b"%PDF-1.4 " + bytes(range(256)) * 8 + str(number).encode(),
            )


def main() -> None:
    args = arguments(__doc__, repeat=3, items=(10_000, 60), attachments=(1_000, 6))
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        fill(root / "source", args.items, args.attachments)
        empty = root / "empty"
        with open_portfolio(resolve_location(empty)):
            pass
        ours_zip, raw_zip = root / "ours.gpcportfolio", root / "raw.gpcportfolio"
        with open_portfolio(resolve_location(root / "source")) as source:
            service = ArchiveService(source.database)
            database = root / "source" / "portfolio.sqlite3"

            def our_export() -> tuple[float, float]:
                """What ``gpc-portfolio export`` does: the privacy check, then the archive."""
                return wall_and_cpu(
                    service.export, ours_zip, None, None, source.privacy.check_entries
                )

            ours, base = alternate(
                our_export,
                lambda: wall_and_cpu(raw_export, database, raw_zip),
                args.repeat,
                args.warmup,
            )
        with zipfile.ZipFile(ours_zip) as archive:
            same = archive.read("portfolio.json") == raw_export(database, raw_zip)
        if not same:
            raise SystemExit("the export baseline wrote another portfolio.json than ours")
        size = ours_zip.stat().st_size / 2**20
        report_timed(
            f"export {args.items:,} items, {args.attachments:,} attachments ({size:.1f} MiB)",
            ours,
            base,
            baseline="sqlite3 + json + zipfile writing the same portfolio.json (checked byte "
            "for byte) and attachments; both privacy-check every live item's words first",
            target=Target("≤ 2x", ratio=2),
        )

        def fresh(name: str) -> Path:
            shutil.rmtree(root / name, ignore_errors=True)
            return Path(shutil.copytree(empty, root / name))

        def our_import() -> tuple[float, float]:
            with open_portfolio(resolve_location(fresh("ours"))) as target:
                service = ArchiveService(target.database, backup_before_import=False)
                return wall_and_cpu(service.import_, ours_zip)

        def baseline_import() -> tuple[float, float]:
            return wall_and_cpu(raw_import, ours_zip, fresh("raw") / "portfolio.sqlite3")

        ours, base = alternate(our_import, baseline_import, args.repeat, args.warmup)
        written = [table_counts(root / n / "portfolio.sqlite3", TABLES) for n in ("ours", "raw")]
        if written[0] != written[1]:
            raise SystemExit(f"the import baseline wrote other rows: {written} ({TABLES})")
        report_timed(
            f"import {args.items:,} items into an empty portfolio",
            ours,
            base,
            baseline="unzip + json + sqlite3: digests checked, the same rows and search index "
            "written into the same schema",
            target=Target("≤ 2x", ratio=2),
        )

        with open_portfolio(resolve_location(root / "ours")) as target:
            service = ArchiveService(target.database, backup_before_import=False)
            ours, base = alternate(
                lambda: wall_and_cpu(service.import_, ours_zip),
                lambda: wall_and_cpu(raw_reimport, ours_zip, root / "raw" / "portfolio.sqlite3"),
                args.repeat,
                args.warmup,
            )
        report_timed(
            f"import the same {args.items:,} items again (all unchanged)",
            ours,
            base,
            baseline="unzip + json, then one query finding every revision already held; "
            "ours recognises the file by its digest",
            target=Target("≤ 0.5 s", at_most=0.5),
        )

        copies = itertools.count()

        def rewritten() -> Path:
            """The archive in bytes never seen before: the same members, a new zip comment."""
            copy = Path(shutil.copy(ours_zip, root / "rewritten.gpcportfolio"))
            with zipfile.ZipFile(copy, "a") as archive:
                archive.comment = f"copy {next(copies)}".encode()
            return copy

        with open_portfolio(resolve_location(root / "ours")) as target:
            service = ArchiveService(target.database, backup_before_import=False)
            ours, base = alternate(
                lambda: wall_and_cpu(service.import_, rewritten()),
                lambda: wall_and_cpu(raw_reimport, rewritten(), root / "raw" / "portfolio.sqlite3"),
                args.repeat,
                args.warmup,
            )
        report_timed(
            f"import the same {args.items:,} items again in a re-written archive",
            ours,
            base,
            baseline="unzip + json, then one query finding every revision already held; "
            "both parse it (its bytes were never imported)",
            target=Target("≤ 2x, as the import (issue 17 sets none)", ratio=2),
        )


if __name__ == "__main__":
    main()
