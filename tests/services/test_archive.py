"""The portable archive: everything travels, export is deterministic, imports merge, never drop."""

from __future__ import annotations

import itertools
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.paths import Location
from portfolio.services.archive import KEPT_LOCAL_REASON, MERGED_REASON, OperationCancelled
from portfolio.services.backups import BackupService
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.services.archive_helpers import (
    GMC,
    archive_service,
    database_fingerprint,
    members,
    reflection,
    sample_portfolio,
    supervisor,
)


@pytest.fixture
def fresh(blank_location: Callable[[str], Location]) -> Iterator[Callable[[str], Portfolio]]:
    opened: list[Portfolio] = []

    def make(name: str) -> Portfolio:
        portfolio = open_portfolio(blank_location(name))
        opened.append(portfolio)
        return portfolio

    yield make
    for portfolio in opened:
        portfolio.close()


def rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """Edit portfolio.json of an archive in place (to stage histories the clock cannot)."""
    content = members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    content["portfolio.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return path


def item_of(document: dict[str, Any], uuid: str) -> dict[str, Any]:
    return next(i for i in document["evidence"] if i["uuid"] == uuid)


def later(stamp: str, hours: int = 1) -> str:
    return (datetime.fromisoformat(stamp[:-1]) + timedelta(hours=hours)).isoformat() + "Z"


# -- the whole portfolio travels ----------------------------------------------------------------


def test_export_import_export_gives_the_same_content(fresh, tmp_path: Path) -> None:
    source = fresh("source")
    uuids = sample_portfolio(source)
    first = archive_service(source).export(tmp_path / "first.gpcportfolio")
    assert (first.items, first.signoffs, first.attachments) == (3, 1, 4)

    target = fresh("target")
    report = archive_service(target).import_(first.path)
    assert [i.outcome for i in report.items] == ["added"] * 3
    assert report.profile == "added" and report.placements_added == 1
    second = archive_service(target).export(tmp_path / "second.gpcportfolio")

    one, two = members(first.path), members(second.path)
    assert one.keys() == two.keys()
    assert {n: d for n, d in one.items() if n != "manifest.json"} == {
        n: d for n, d in two.items() if n != "manifest.json"
    }
    # and the portfolio behaves the same: history, sign-off verified, trash, search, health
    assert target.evidence.revisions(uuids[0]) == source.evidence.revisions(uuids[0])
    assert target.evidence.get(uuids[0]).status == "unvouched"  # nobody pinned the signer
    assert target.signoffs.verify_all()[0].status.state == "valid"
    assert target.evidence.get(uuids[-1]).deleted_at is not None
    assert [h.item.uuid for h in target.evidence.search("Handover audit 1")] == [uuids[1]]
    assert (
        target.evidence.attachment_content(target.evidence.get(uuids[0]).attachments[0].sha256)
        == b"notes for 0\n"
    )
    assert BackupService(target.database).check() == []


def test_export_is_byte_for_byte_reproducible_with_source_date_epoch(
    fresh, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio = fresh("p")
    sample_portfolio(portfolio)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    one = archive_service(portfolio).export(tmp_path / "one.gpcportfolio").path.read_bytes()
    two = archive_service(portfolio).export(tmp_path / "two.gpcportfolio").path.read_bytes()
    assert one == two
    manifest = json.loads(members(tmp_path / "one.gpcportfolio")["manifest.json"])
    assert manifest["created_at"] == "2026-01-01T00:00:00Z"
    assert manifest["format"] == "gpc-portfolio-archive" and manifest["format_version"] == 1


def test_private_keys_never_travel(fresh, tmp_path: Path) -> None:
    portfolio = fresh("p")
    sample_portfolio(portfolio)
    portfolio.signoffs.create_identity("Priya Shah", "4567890", "educational_supervisor", "pass")
    path = archive_service(portfolio).export(tmp_path / "a.gpcportfolio").path
    document = json.loads(members(path)["portfolio.json"])
    assert len(document["identities"]) == 2
    assert all(
        set(i) == {"name", "gmc_number", "role", "public_key", "fingerprint", "pinned", "added_at"}
        for i in document["identities"]
    )
    target = fresh("t")
    archive_service(target).import_(path)
    assert not any(i.has_private_key for i in target.signoffs.identities())


def test_import_takes_a_backup_first(fresh, tmp_path: Path) -> None:
    source = fresh("s")
    sample_portfolio(source)
    path = archive_service(source).export(tmp_path / "a.gpcportfolio").path
    target = fresh("t")
    report = archive_service(target).import_(path)
    assert report.backup is not None and report.backup.is_file()
    assert [b.reason for b in BackupService(target.database).list()] == ["before-import"]


# -- merging --------------------------------------------------------------------------------------


def history(portfolio: Portfolio, uuid: str) -> list[tuple[str, str]]:
    return [(r.digest, r.reason) for r in portfolio.evidence.revisions(uuid)]


def test_reimporting_the_same_archive_changes_nothing(fresh, tmp_path: Path) -> None:
    source = fresh("s")
    sample_portfolio(source)
    path = archive_service(source).export(tmp_path / "a.gpcportfolio").path
    report = archive_service(source).import_(path)
    assert {i.outcome for i in report.items} == {"unchanged"}
    assert report.profile == "same" and report.placements_added == 0
    again = archive_service(source).export(tmp_path / "b.gpcportfolio").path
    assert members(again)["portfolio.json"] == members(path)["portfolio.json"]


def test_an_archive_that_is_ahead_fast_forwards(fresh, tmp_path: Path) -> None:
    laptop = fresh("laptop")
    uuids = sample_portfolio(laptop)
    old = archive_service(laptop).export(tmp_path / "old.gpcportfolio").path
    desktop = fresh("desktop")
    archive_service(desktop).import_(old)

    draft = laptop.evidence.get(uuids[1]).as_draft()
    laptop.evidence.update(uuids[1], replace(draft, title="Handover audit, second cycle"))
    ann = supervisor("Ann Lee", "4000003")
    laptop.signoffs.sign_in_meeting(ann, uuids[1], "signed_off", "")
    desktop.signoffs.pin_card(ann.identity)  # pins never travel in an archive
    new = archive_service(laptop).export(tmp_path / "new.gpcportfolio").path

    report = archive_service(desktop).import_(new)
    outcome = {i.uuid: i for i in report.items}
    assert outcome[uuids[1]].outcome == "updated"
    assert (outcome[uuids[1]].revisions_added, outcome[uuids[1]].signoffs_added) == (1, 1)
    assert outcome[uuids[0]].outcome == "unchanged"
    assert history(desktop, uuids[1]) == history(laptop, uuids[1])
    assert desktop.evidence.get(uuids[1]).title == "Handover audit, second cycle"
    assert desktop.evidence.get(uuids[1]).status == "signed_off"
    assert [h.item.uuid for h in desktop.evidence.search("second cycle")] == [uuids[1]]
    assert BackupService(desktop.database).check() == []


def test_a_held_item_that_brings_a_new_sign_off_takes_its_status(fresh, tmp_path: Path) -> None:
    """Every revision of the item is here already (so it is not read again), but the archive
    holds a sign-off of it this portfolio lacks: added, and the item's status follows it."""
    laptop = fresh("laptop")
    uuids = sample_portfolio(laptop)
    desktop = fresh("desktop")
    archive_service(desktop).import_(
        archive_service(laptop).export(tmp_path / "a.gpcportfolio").path
    )
    ann = supervisor("Ann Lee", "4000003")
    laptop.signoffs.sign_in_meeting(ann, uuids[1], "signed_off", "")
    desktop.signoffs.pin_card(ann.identity)
    revisions = len(desktop.evidence.revisions(uuids[1]))
    assert revisions == len(laptop.evidence.revisions(uuids[1]))  # held: nothing new but it

    report = archive_service(desktop).import_(
        archive_service(laptop).export(tmp_path / "b.gpcportfolio").path
    )
    outcome = {i.uuid: i for i in report.items}[uuids[1]]
    assert (outcome.outcome, outcome.revisions_added, outcome.signoffs_added) == ("updated", 0, 1)
    assert desktop.evidence.get(uuids[1]).status == "signed_off"
    assert len(desktop.evidence.revisions(uuids[1])) == revisions


def diverge(fresh, tmp_path: Path) -> tuple[Portfolio, Portfolio, list[str], Path]:
    """Both copies edit item 1 after parting; each signs a different item."""
    laptop = fresh("laptop")
    uuids = sample_portfolio(laptop)
    desktop = fresh("desktop")
    archive_service(desktop).import_(
        archive_service(laptop).export(tmp_path / "common.gpcportfolio").path
    )
    for portfolio, title in ((laptop, "Laptop title"), (desktop, "Desktop title")):
        draft = portfolio.evidence.get(uuids[1]).as_draft()
        portfolio.evidence.update(uuids[1], replace(draft, title=title))
    ann = supervisor("Ann Lee", "4000003")
    laptop.signoffs.sign_in_meeting(ann, uuids[1], "signed_off", "laptop")
    desktop.signoffs.pin_card(ann.identity)  # pins never travel in an archive
    desktop.signoffs.sign_in_meeting(
        supervisor("Raj Patel", "4000004"), uuids[0], "changes_requested", "desktop"
    )
    return laptop, desktop, uuids, archive_service(laptop).export(tmp_path / "l.gpcportfolio").path


def test_a_diverged_item_keeps_both_histories_and_the_newer_content_wins(
    fresh, tmp_path: Path
) -> None:
    laptop, desktop, uuids, path = diverge(fresh, tmp_path)

    def laptop_edit_later(document: dict[str, Any]) -> None:
        item = item_of(document, uuids[1])
        item["revisions"][-1]["saved_at"] = later(item["revisions"][-1]["saved_at"])

    rewrite(path, laptop_edit_later)
    before = history(desktop, uuids[1])
    report = archive_service(desktop).import_(path)
    outcome = {i.uuid: i for i in report.items}[uuids[1]]
    assert outcome.outcome == "merged" and outcome.signoffs_added == 1
    after = desktop.evidence.revisions(uuids[1])
    assert [(r.digest, r.reason) for r in after[: len(before)]] == before  # ours untouched
    laptop_history = history(laptop, uuids[1])
    assert {d for d, _ in laptop_history} <= {r.digest for r in after}
    assert after[-1].reason == f"{MERGED_REASON}: edited"
    shown = desktop.evidence.get(uuids[1])
    assert shown.title == "Laptop title" and shown.digest == after[-1].digest
    assert shown.status == "signed_off"  # the laptop's sign-off is of this content
    assert len(desktop.signoffs.history(uuids[0])) == 2  # the common one and our own
    assert len(desktop.signoffs.history(uuids[1])) == 1
    assert BackupService(desktop.database).check() == []


def test_when_ours_is_newer_it_stays_shown_and_a_revision_says_so(fresh, tmp_path: Path) -> None:
    laptop, desktop, uuids, path = diverge(fresh, tmp_path)

    def laptop_edit_earlier(document: dict[str, Any]) -> None:
        item = item_of(document, uuids[1])
        item["revisions"][-1]["saved_at"] = later(item["revisions"][-1]["saved_at"], -1)

    rewrite(path, laptop_edit_earlier)
    report = archive_service(desktop).import_(path)
    assert {i.uuid: i for i in report.items}[uuids[1]].outcome == "merged"
    after = desktop.evidence.revisions(uuids[1])
    assert after[-1].reason == KEPT_LOCAL_REASON
    assert after[-2].reason == f"{MERGED_REASON}: edited"
    shown = desktop.evidence.get(uuids[1])
    assert shown.title == "Desktop title" and shown.digest == after[-1].digest
    # the laptop's sign-off arrived, but it is of the laptop's content: shown as edited since
    assert [s.state for s in desktop.signoffs.history(uuids[1])] == ["edited"]
    # merging the merged portfolio back into the laptop loses nothing either
    back = archive_service(desktop).export(tmp_path / "back.gpcportfolio").path
    archive_service(laptop).import_(back)
    assert {r.digest for r in after} <= {r.digest for r in laptop.evidence.revisions(uuids[1])}
    assert len(laptop.signoffs.history(uuids[0])) == 2  # the desktop's arrived


@pytest.mark.parametrize("theirs_later_by", [1, -1], ids=["theirs-shown", "ours-kept"])
def test_a_merged_archive_imported_again_adds_no_revision(
    fresh, tmp_path: Path, theirs_later_by: int
) -> None:
    """The merge renumbered the archive's revisions here: they are held all the same, so the
    same archive again (the same bytes, or the same content in other bytes) changes nothing."""
    _laptop, desktop, uuids, path = diverge(fresh, tmp_path)

    def laptop_edit(document: dict[str, Any]) -> None:
        item = item_of(document, uuids[1])
        item["revisions"][-1]["saved_at"] = later(
            item["revisions"][-1]["saved_at"], theirs_later_by
        )

    rewrite(path, laptop_edit)
    first = archive_service(desktop).import_(path)
    assert {i.uuid: i.outcome for i in first.items}[uuids[1]] == "merged"
    merged = desktop.evidence.revisions(uuids[1])
    shown = desktop.evidence.get(uuids[1])
    other_bytes = tmp_path / "other-bytes.gpcportfolio"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(other_bytes, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.comment = b"other bytes"

    reports = [archive_service(desktop).import_(p) for p in (path, other_bytes, path)]
    assert {i.outcome for i in reports[0].items} == {"unchanged"}
    assert (reports[0].signoffs_added, reports[0].attachments_added) == (0, 0)
    assert reports[1].items == reports[2].items == reports[0].items  # parsed, then recognised
    assert desktop.evidence.revisions(uuids[1]) == merged
    assert desktop.evidence.get(uuids[1]) == shown
    assert BackupService(desktop.database).check() == []


def test_placements_and_tags_match_and_the_local_profile_is_kept(fresh, tmp_path: Path) -> None:
    source = fresh("s")
    sample_portfolio(source)
    path = archive_service(source).export(tmp_path / "a.gpcportfolio").path
    target = fresh("t")
    target.profile.save(ProfileData(name="Zoe Orsted", gmc_number=GMC))
    from portfolio.services.dto import PlacementData

    target.placements.save(PlacementData("north trust", date(2025, 8, 6), "acute medicine"))
    target.evidence.create(reflection("Mine", tags=("qi",)))
    report = archive_service(target).import_(path)
    assert report.profile == "kept_local"
    assert set(report.profile_differences) == {"name", "grade", "training_start"}
    assert report.placements_added == 0 and len(target.placements.list()) == 1
    assert sorted(target.evidence.tags(), key=str.lower) == ["audit", "qi"]
    assert target.profile.get().name == "Zoe Orsted"  # type: ignore[union-attr]


def test_another_trainees_archive_is_refused(fresh, tmp_path: Path) -> None:
    source = fresh("s")
    sample_portfolio(source)
    path = archive_service(source).export(tmp_path / "a.gpcportfolio").path
    target = fresh("t")
    target.profile.save(ProfileData(name="Someone Else", gmc_number="7999999"))
    before = database_fingerprint(target.location)
    with pytest.raises(InvalidInput, match="another trainee"):
        archive_service(target).import_(path)
    assert database_fingerprint(target.location) == before


# -- progress and cancel ------------------------------------------------------------------------


def test_progress_is_reported_and_cancel_changes_nothing(fresh, tmp_path: Path) -> None:
    source = fresh("s")
    source.evidence.bulk_create(reflection(f"Item {n}", n % 300) for n in range(450))
    seen: list[tuple[int, int]] = []
    path = (
        archive_service(source)
        .export(tmp_path / "a.gpcportfolio", progress=lambda d, t: seen.append((d, t)))
        .path
    )
    assert seen[-1][0] == seen[-1][1] > 0
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))

    with pytest.raises(OperationCancelled):
        archive_service(source).export(tmp_path / "cancelled.gpcportfolio", cancelled=lambda: True)
    assert not list(tmp_path.glob("*cancelled*"))

    target = fresh("t")
    before = database_fingerprint(target.location)
    calls = {"n": 0}

    def cancel_late() -> bool:  # cancel during the writing phase, just before the commit
        calls["n"] += 1
        return calls["n"] > 12

    with pytest.raises(OperationCancelled, match="nothing was changed"):
        archive_service(target, backup=False).import_(path, cancelled=cancel_late)
    assert calls["n"] > 5
    assert database_fingerprint(target.location) == before
    progress: list[tuple[int, int]] = []
    archive_service(target).import_(path, progress=lambda d, t: progress.append((d, t)))
    assert progress[-1][0] == progress[-1][1] and target.evidence.count() == 450


# -- the property: any portfolio survives the round trip ---------------------------------------

_TYPED = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])
"""What a person can type: no control characters (NUL is refused), no lone surrogates."""

_KINDS = {
    "reflection": st.fixed_dictionaries(
        {
            "model": st.just("what_so_what_now_what"),
            "what": st.text(_TYPED, min_size=1, max_size=30).map(str.strip).filter(bool),
        }
    ),
    "teaching": st.fixed_dictionaries(
        {"topic": st.sampled_from(["Sepsis", "ECGs", "Ünïcode"]), "learners": st.integers(1, 40)}
    ),
    "course": st.fixed_dictionaries(
        {"provider": st.sampled_from(["RCP", "BMJ"]), "hours": st.integers(1, 20)}
    ),
}
_item = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(sorted(_KINDS)),
        "fields_seed": st.integers(0, 2**16),
        "title": st.text(_TYPED, min_size=1, max_size=40).map(str.strip).filter(bool),
        "codes": st.lists(
            st.sampled_from(["GPC1", "GPC3.2", "GPC5", "GPC6.1", "GPC9"]), unique=True, max_size=3
        ),
        "tags": st.lists(
            st.sampled_from(["audit", "QI", "teaching", "Ward 7"]), unique=True, max_size=2
        ),
        "files": st.lists(st.binary(min_size=1, max_size=40), max_size=2),
        "edits": st.integers(0, 2),
        "sign": st.sampled_from([None, "signed_off", "changes_requested"]),
        "delete": st.booleans(),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=st.lists(_item, max_size=5), data=st.data())
def test_any_portfolio_survives_export_import_export(
    blank_location: Callable[[str], Location], items: list[Any], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        meeting = supervisor()
        with open_portfolio(blank_location("s")) as source:
            source.profile.save(ProfileData(name="Zoë Ørsted", gmc_number=GMC))
            for number, spec in enumerate(items):
                fields = data.draw(_KINDS[spec["kind"]])
                draft = EvidenceDraft(
                    kind=spec["kind"],
                    title=spec["title"],
                    occurred_on=date(2026, 1, 1) + timedelta(days=number),
                    fields=fields,
                    links=tuple(Link(c) for c in spec["codes"]),
                    tags=tuple(spec["tags"]),
                )
                uuid = source.evidence.create(draft).uuid
                for index, content in enumerate(spec["files"]):
                    source.evidence.attach_bytes(uuid, f"file{index}.bin", content)
                for edit in range(spec["edits"]):
                    source.evidence.update(
                        uuid, replace(draft, text=f"edit {edit}", private=bool(edit % 2))
                    )
                if spec["sign"]:
                    source.signoffs.sign_in_meeting(meeting, uuid, spec["sign"], "ok")
                if spec["delete"]:
                    source.evidence.delete(uuid)
            first = archive_service(source, backup=False).export(root / "1.gpcportfolio").path
        with open_portfolio(blank_location("t")) as target:
            archive_service(target, backup=False).import_(first)
            second = archive_service(target, backup=False).export(root / "2.gpcportfolio").path
        one, two = members(first), members(second)
        one.pop("manifest.json")
        two.pop("manifest.json")
        assert one == two
