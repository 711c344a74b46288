"""Bulk load of 100,000 items against raw sqlite3 doing the same work, in the same run.

Both start from an empty portfolio made by the app (same schema: indexes, foreign keys on, WAL,
the search index, the append-only triggers) and write the same rows in one transaction: every
item with a fresh uuid, its links, tags and first revision (snapshot and SHA-256 digest of the
canonical content), then the search index. The baseline does it with ``sqlite3`` and ``json``
alone (no validation, no ORM); the row counts of both are checked equal.

    .venv/bin/python benchmarks/bench_core.py [--items N] [--repeat R]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Target,
    alternate,
    arguments,
    drafts,
    report_timed,
    table_counts,
    texts_in,
    wall_and_cpu,
)

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft

TABLES = ("evidence", "evidence_link", "evidence_tag", "revision", "evidence_fts")


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def raw_load(path: Path, items: list[EvidenceDraft]) -> None:
    """What bulk_create writes, with sqlite3 and json alone."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.000000")
    con.execute("BEGIN")
    first = con.execute("SELECT coalesce(max(id), 0) + 1 FROM evidence").fetchone()[0]
    names = sorted({tag for draft in items for tag in draft.tags})
    con.executemany("INSERT OR IGNORE INTO tag(name) VALUES (?)", ((n,) for n in names))
    tag_id = dict(con.execute("SELECT name, id FROM tag"))
    evidence, links, tags, revisions, index = [], [], [], [], []
    for number, draft in enumerate(items, start=first):
        item_uuid = str(uuid.uuid4())
        codes = sorted(link.code for link in draft.links)
        content: dict[str, Any] = {
            "uuid": item_uuid,
            "kind": draft.kind,
            "title": draft.title,
            "occurred_on": draft.occurred_on.isoformat(),
            "occurred_until": None,
            "fields": draft.fields,
            "text": draft.text,
            "links": codes,
            "attachments": [],
        }
        snapshot = {
            **content,
            "status": "draft",
            "private": False,
            "placement_id": None,
            "justifications": {link.code: link.justification for link in draft.links},
            "tags": sorted(draft.tags),
            "attachment_names": {},
            "deleted": False,
        }
        evidence.append(
            (number, item_uuid, draft.kind, draft.title, content["occurred_on"],
             json.dumps(draft.fields), draft.text, now)
        )  # fmt: skip
        links += [(number, link.code, link.justification) for link in draft.links]
        tags += [(number, tag_id[name]) for name in draft.tags]
        digest = hashlib.sha256(_canonical(content).encode()).hexdigest()
        revisions.append((number, now, digest, json.dumps(snapshot)))
        body = "\n".join([*texts_in(draft.fields), draft.text, " ".join(draft.tags)])
        index.append((number, draft.title, body))
    con.executemany(
        "INSERT INTO evidence(id, uuid, kind, title, occurred_on, occurred_until, fields, text, "
        "status, private, placement_id, revision, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'draft', 0, NULL, 1, ?8, ?8)",
        evidence,
    )
    con.executemany("INSERT INTO evidence_link VALUES (?, ?, ?)", links)
    con.executemany("INSERT INTO evidence_tag VALUES (?, ?)", tags)
    con.executemany(
        "INSERT INTO revision(evidence_id, number, saved_at, reason, digest, snapshot) "
        "VALUES (?, 1, ?, 'created', ?, ?)",
        revisions,
    )
    con.executemany("INSERT INTO evidence_fts(rowid, title, body) VALUES (?, ?, ?)", index)
    con.execute("INSERT INTO evidence_fts(evidence_fts) VALUES ('optimize')")
    con.execute("COMMIT")
    con.close()


def main() -> None:
    args = arguments(__doc__, repeat=2, warmup=0, items=(100_000, 200))  # 20 s a pair, quiet
    items: list[EvidenceDraft] = list(drafts(args.items))  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty"
        with open_portfolio(resolve_location(empty)):
            pass
        written: dict[str, tuple[int, ...]] = {}

        def fresh(name: str) -> Path:
            folder = Path(scratch) / name
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(empty, folder)
            return folder

        def ours() -> tuple[float, float]:
            folder = fresh("ours")
            with open_portfolio(resolve_location(folder)) as portfolio:
                took = wall_and_cpu(portfolio.evidence.bulk_create, items)
            written["ours"] = table_counts(folder / "portfolio.sqlite3", TABLES)
            return took

        def raw() -> tuple[float, float]:
            path = fresh("raw") / "portfolio.sqlite3"
            took = wall_and_cpu(raw_load, path, items)
            written["raw"] = table_counts(path, TABLES)
            return took

        mine, base = alternate(ours, raw, args.repeat, args.warmup)
    if written["ours"] != written["raw"]:
        raise SystemExit(f"the baseline wrote other rows: {written} ({', '.join(TABLES)})")
    report_timed(
        f"bulk load {args.items:,} items (rows written: {', '.join(map(str, written['ours']))})",
        mine,
        base,
        baseline="raw sqlite3 + json writing the same rows, revisions, digests and search "
        "index into the same schema",
        target=Target("≤ 1.3x", ratio=1.3),
    )


if __name__ == "__main__":
    main()
