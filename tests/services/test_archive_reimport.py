"""Re-importing what a portfolio holds already, and the export's privacy screen (issue 17)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput
from tests.services.archive_helpers import archive_service, members, reflection


def rewrite(path: Path, change: Any) -> Path:
    content = members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    content["portfolio.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def statements(portfolio: Portfolio) -> Iterator[list[str]]:
    """Every SQL statement the portfolio's engine runs while the test does."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    engine = portfolio.database.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_an_unchanged_reimport_finds_the_revisions_held_in_one_query(
    portfolio: Portfolio, statements: list[str], tmp_path: Path
) -> None:
    portfolio.evidence.bulk_create(reflection(f"Audit {n}", n % 300) for n in range(1_000))
    path = archive_service(portfolio).export(tmp_path / "all.gpcportfolio").path
    first = portfolio.evidence.list()[-1]
    statements.clear()
    report = archive_service(portfolio, backup=False).import_(path)
    assert len(report.items) == 1_000
    assert {i.outcome for i in report.items} == {"unchanged"}
    assert (first.uuid, first.title) in {(i.uuid, i.title) for i in report.items}
    reading_revisions = [s for s in statements if re.search(r"(FROM|JOIN) revision\b", s)]
    assert len(reading_revisions) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_a_held_item_is_not_read_again_and_nothing_of_it_is_written(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    """Its revisions are all here: the archive's copy of it could add nothing, so even an
    altered copy is left alone (never checked, never written), not merged."""
    uuid = portfolio.evidence.create(reflection("Handover audit")).uuid
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path

    def alter(document: dict[str, Any]) -> None:
        document["evidence"][0]["title"] = "Quietly changed"
        document["evidence"][0]["colour"] = "red"

    report = archive_service(portfolio, backup=False).import_(rewrite(path, alter))
    assert [(i.uuid, i.title, i.outcome) for i in report.items] == [
        (uuid, "Handover audit", "unchanged")
    ]
    assert portfolio.evidence.get(uuid).title == "Handover audit"
    assert len(portfolio.evidence.revisions(uuid)) == 1


def test_a_revision_held_by_number_and_digest_but_not_by_reason_is_merged(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    """Status and tags are not content: two revisions may share a number and a digest and
    still differ. Only the whole key (number, time, reason, digest) makes one held."""
    uuid = portfolio.evidence.create(reflection("Handover audit")).uuid
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path

    def retitle(document: dict[str, Any]) -> None:
        document["evidence"][0]["revisions"][0]["reason"] = "edited"

    report = archive_service(portfolio, backup=False).import_(rewrite(path, retitle))
    assert [i.outcome for i in report.items] == ["merged"]
    assert [r.reason for r in portfolio.evidence.revisions(uuid)] == [
        "created",
        "merged from archive: edited",
        "merge kept the newer local copy",
    ]


def test_a_held_item_still_counts_in_the_manifest_and_vouches_for_its_attachments(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    uuid = portfolio.evidence.create(reflection("With notes")).uuid
    portfolio.evidence.attach_bytes(uuid, "notes.pdf", b"%PDF-1.4 notes")
    portfolio.evidence.create(reflection("Without"))
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    report = archive_service(portfolio, backup=False).import_(path)  # no "belongs to no item"
    assert [i.outcome for i in report.items] == ["unchanged", "unchanged"]

    content = members(path)
    manifest = json.loads(content["manifest.json"])
    manifest["counts"]["items"] = 3
    content["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    with pytest.raises(InvalidInput, match="manifest counts 3 items but the archive holds 2"):
        archive_service(portfolio, backup=False).import_(path)


def test_the_export_screens_what_it_read_and_a_refusal_writes_nothing(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    old = portfolio.evidence.create(reflection("Older", 1)).uuid
    new = portfolio.evidence.create(reflection("Newer", 5)).uuid
    binned = portfolio.evidence.create(reflection("Binned", 9)).uuid
    portfolio.evidence.delete(binned)
    seen: list[list[str]] = []
    archive_service(portfolio).export(
        tmp_path / "a.gpcportfolio", screen=lambda live: seen.append([e["uuid"] for e in live])
    )
    assert seen == [[new, old]]  # the list's order; the trash is not checked, as in the list

    def refuse(live: list[dict[str, Any]]) -> None:
        raise InvalidInput("Nothing was written: likely patient identifiers.")

    out = tmp_path / "b.gpcportfolio"
    with pytest.raises(InvalidInput, match="Nothing was written"):
        archive_service(portfolio).export(out, screen=refuse)
    assert not out.exists()
