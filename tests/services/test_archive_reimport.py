"""Re-importing what a portfolio holds already, and the export's privacy screen (issue 17)."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput
from portfolio.formats.archive import read_archive
from portfolio.models import ImportedArchive
from portfolio.services import archive as archive_module
from portfolio.services.archive import ArchiveService
from tests.services.archive_helpers import (
    archive_service,
    database_fingerprint,
    members,
    reflection,
    rewritten,
    sample_portfolio,
    supervisor,
)


def rewrite(path: Path, change: Any) -> Path:
    content = members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    content["portfolio.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return path


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


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
    # the only writes: the record of the archive's digest, so that it is not parsed again
    assert [s.split()[:3] for s in writes(statements)] == [
        ["DELETE", "FROM", "imported_archive"],
        ["INSERT", "INTO", "imported_archive"],
    ]

    portfolio.evidence.bulk_create(reflection(f"Not in it {n}") for n in range(1_001))
    statements.clear()
    again = archive_service(portfolio, backup=False).import_(path)
    assert again == report
    assert not [s for s in statements if re.search(r"(FROM|JOIN) revision\b", s)]
    assert not writes(statements)
    reading_items = [
        s for s in statements if re.search(r"SELECT evidence.uuid.*FROM evidence", s, re.S)
    ]
    # the archive's 1,000 uuids in chunks of at most 900, not the 2,001 items here
    assert len(reading_items) == 2 and all("WHERE evidence.uuid IN" in s for s in reading_items)


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


# -- an archive imported before is recognised by the SHA-256 of its bytes ------------------------


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The archives the import parses (``read_archive`` runs as ever; each call is noted)."""
    seen: list[Path] = []

    def reading(path: Path, *args: Any) -> Any:
        seen.append(path)
        return read_archive(path, *args)

    monkeypatch.setattr(archive_module, "read_archive", reading)
    return seen


def resaved(path: Path, out: Path) -> Path:
    """The same archive, member for member, in other bytes (a zip comment)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members(path).items():
            archive.writestr(name, data)
        archive.comment = b"re-written"
    return out


def test_bytes_imported_before_are_recognised_and_other_bytes_of_the_same_items_parsed(
    portfolio: Portfolio, parsed: list[Path], tmp_path: Path
) -> None:
    uuids = sample_portfolio(portfolio)
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    service = archive_service(portfolio, backup=False)
    first = service.import_(path)  # its bytes were exported, never imported: parsed
    assert parsed == [path] and {i.outcome for i in first.items} == {"unchanged"}
    assert [i.uuid for i in first.items] == sorted(uuids)

    assert service.import_(path) == first
    assert parsed == [path]  # recognised: not parsed again

    other = resaved(path, tmp_path / "b.gpcportfolio")
    assert service.import_(other) == first
    assert parsed == [path, other]


def test_an_unchanged_reimport_reports_as_before_without_a_backup(
    portfolio: Portfolio, parsed: list[Path], tmp_path: Path
) -> None:
    """Recognised before anything is backed up: it writes nothing, so there is nothing to
    take a backup before."""
    sample_portfolio(portfolio)
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    before = archive_service(portfolio).import_(path)
    backups = portfolio.backups.list()
    again = archive_service(portfolio).import_(path)
    assert len(parsed) == 1
    assert before.backup is not None and again.backup is None
    assert portfolio.backups.list() == backups
    assert {**again.__dict__, "backup": None} == {**before.__dict__, "backup": None}


@dataclass(frozen=True)
class Imported:
    path: Path
    service: ArchiveService


@pytest.fixture
def imported(portfolio: Portfolio, parsed: list[Path], tmp_path: Path) -> Imported:
    """The sample portfolio's archive, imported into it once (parsed, so recorded), and the
    service (no backups) to import it again with."""
    sample_portfolio(portfolio)  # signed by a supervisor with GMC 4000002
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    service = archive_service(portfolio, backup=False)
    service.import_(path)
    return Imported(path, service)


def test_a_changed_byte_is_parsed_and_checked_in_full(
    portfolio: Portfolio, parsed: list[Path], imported: Imported, tmp_path: Path
) -> None:
    path, service = imported.path, imported.service

    def forge(document: dict[str, Any]) -> None:
        document["evidence"][0]["revisions"][0]["digest"] = "0" * 64

    hostile = rewritten(path, tmp_path / "hostile.gpcportfolio", forge)
    fingerprint = database_fingerprint(portfolio.location)
    with pytest.raises(InvalidInput, match="digest"):
        service.import_(hostile)
    assert parsed == [path, hostile]
    assert database_fingerprint(portfolio.location) == fingerprint  # not even a record
    with pytest.raises(InvalidInput, match="digest"):
        service.import_(hostile)  # a refused archive is never recognised


def test_a_record_forged_for_a_hostile_archive_only_stops_that_import_doing_anything(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    """A trainee who writes a record into their own database for an archive's digest makes
    importing it say "0 added, 0 updated, 0 merged, N unchanged" (N: the uuids forged) and
    write nothing: nothing of the archive is read, so nothing hostile in it reaches the
    portfolio, and another trainee's database has its own records (test_rls)."""
    uuid = portfolio.evidence.create(reflection("Handover audit")).uuid
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path

    def inject(document: dict[str, Any]) -> None:
        document["evidence"][0]["title"] = "x" * 100_000
        document["evidence"].append({**document["evidence"][0], "uuid": "not a uuid"})

    hostile = rewritten(path, tmp_path / "hostile.gpcportfolio", inject)
    with pytest.raises(InvalidInput):
        archive_service(portfolio, backup=False).import_(hostile)
    with portfolio.database.sessions.begin() as session:
        session.add(
            ImportedArchive(
                sha256=hashlib.sha256(hostile.read_bytes()).hexdigest(),
                items=[uuid],
                profile="none",
                profile_differences=[],
                context=archive_module._context(session),
            )
        )
    fingerprint = database_fingerprint(portfolio.location)
    report = archive_service(portfolio, backup=False).import_(hostile)
    assert [(i.uuid, i.title, i.outcome) for i in report.items] == [
        (uuid, "Handover audit", "unchanged")
    ]
    assert database_fingerprint(portfolio.location) == fingerprint


def test_a_placement_or_profile_changed_since_has_the_archive_parsed_again(
    portfolio: Portfolio, parsed: list[Path], imported: Imported, tmp_path: Path
) -> None:
    path, service = imported.path, imported.service
    (placement,) = portfolio.placements.list()
    assert placement.id is not None
    portfolio.placements.remove(placement.id)
    assert service.import_(path).placements_added == 1  # parsed: the placement is back
    assert service.import_(path).placements_added == 0
    assert len(parsed) == 2

    profile = portfolio.profile.get()
    assert profile is not None
    portfolio.profile.save(replace(profile, grade="CT2"))
    report = service.import_(path)
    assert len(parsed) == 3
    assert (report.profile, report.profile_differences) == ("kept_local", ("grade",))
    assert service.import_(path) == report and len(parsed) == 3


def test_an_archive_that_merged_is_recognised_when_imported_again(
    portfolio: Portfolio, parsed: list[Path], tmp_path: Path
) -> None:
    """A merge appends the archive's revisions renumbered, and they are held all the same:
    importing it again is a no-op, so the file is recorded and not parsed again."""
    uuid = portfolio.evidence.create(reflection("Handover audit")).uuid
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path

    def retitle(document: dict[str, Any]) -> None:
        document["evidence"][0]["revisions"][0]["reason"] = "edited"

    merged = rewrite(path, retitle)
    service = archive_service(portfolio, backup=False)
    first = service.import_(merged)
    assert [i.outcome for i in first.items] == ["merged"]
    second = service.import_(merged)
    assert len(parsed) == 1
    assert [(i.uuid, i.outcome) for i in second.items] == [(uuid, "unchanged")]
    assert len(portfolio.evidence.revisions(uuid)) == 3


def test_a_key_pinned_since_that_conflicts_with_the_archives_refuses_it_as_before(
    portfolio: Portfolio, parsed: list[Path], imported: Imported, tmp_path: Path
) -> None:
    path, service = imported.path, imported.service
    portfolio.signoffs.pin_card(supervisor("Tom Hughes", "4000002").identity)  # another key
    with pytest.raises(InvalidInput, match="pinned"):
        service.import_(path)
    assert len(parsed) == 2


def test_a_backup_from_before_the_import_restores_the_records_absence_with_it(
    portfolio: Portfolio, parsed: list[Path], tmp_path: Path
) -> None:
    sample_portfolio(portfolio)
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    first = archive_service(portfolio).import_(path)  # recorded, after its backup
    assert first.backup is not None
    portfolio.backups.restore(first.backup)
    again = archive_service(portfolio, backup=False).import_(path)
    assert len(parsed) == 2  # the restored portfolio has no record of it: read in full
    assert again.items == first.items
    assert archive_service(portfolio, backup=False).import_(path) == again
    assert len(parsed) == 2  # and recorded again
