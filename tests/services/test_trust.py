"""Who vouches for a signer: trusted supervisor directories and the trainee's pins, and every
way a trainee's own files could try to make a forged sign-off count (issue 11)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput, Remedy
from portfolio.paths import resolve_location
from portfolio.security.signing import PublicIdentity
from portfolio.services.directories import DirectoryService
from portfolio.services.dto import ProfileData, Vouch
from portfolio.services.review_files import read_review_pack
from portfolio.services.signoffs import Unlocked
from tests.raw_database import raw_database
from tests.services.archive_helpers import (
    archive_service,
    database_fingerprint,
    members,
    reflection,
    supervisor,
)

PASS = "correct horse battery staple"
SHAH_GMC = "7654321"


@pytest.fixture
def trainee(portfolio: Portfolio) -> Portfolio:
    portfolio.profile.save(ProfileData(name="Alex Morgan", gmc_number="7000001"))
    return portfolio


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Unlocked]:
    """The postgraduate education office's own copy of the app and its publishing identity."""
    with open_portfolio(resolve_location(tmp_path / "office")) as own:
        info = own.signoffs.create_identity("Dr Helen Ward", "4999999", "other", PASS)
        yield own.signoffs.unlock(info.fingerprint, PASS)


@pytest.fixture
def shah() -> Unlocked:
    return supervisor("Dr Priya Shah", SHAH_GMC)


def clock(day: date) -> Callable[[], datetime]:
    """A test clock standing at noon on ``day`` (no sleeping, no real time)."""
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return lambda: moment


def publishing(day: date | None = None) -> DirectoryService:
    """The publisher's side needs no database: each version is made from the last file."""
    if day is None:
        return DirectoryService(None)  # type: ignore[arg-type]
    return DirectoryService(None, clock=clock(day))  # type: ignore[arg-type]


def publish(office: Unlocked, path: Path, cards: list[PublicIdentity], **validity: Any) -> Path:
    publishing().create("North West supervisors", path, cards, office, **validity)
    return path


def signed_item(trainee: Portfolio, signer: Unlocked, title: str = "Led the handover audit") -> str:
    created = trainee.evidence.create(reflection(title, codes=("GPC5",)))
    trainee.evidence.submit([created.uuid])
    trainee.signoffs.sign_in_meeting(signer, created.uuid, "signed_off", "Well done.")
    return created.uuid


def status(trainee: Portfolio, uuid: str) -> Any:
    detail = trainee.evidence.get(uuid)
    assert detail.signoff is not None
    return detail.signoff


def gpc5_signed(trainee: Portfolio) -> int:
    return next(d for d in trainee.coverage.coverage().domains if d.code == "GPC5").signed


# -- trusting a directory ----------------------------------------------------------------------


def test_a_trusted_directory_vouches_by_name_and_publisher_fingerprint(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    uuid = signed_item(trainee, shah)
    assert trainee.evidence.get(uuid).status == "unvouched"
    assert status(trainee, uuid).vouched_by is None and gpc5_signed(trainee) == 0
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])

    with pytest.raises(InvalidInput, match=office.identity.fingerprint) as refused:
        trainee.directories.import_directory(path)
    assert "trust it explicitly" in str(refused.value)
    assert refused.value.remedy is Remedy.TRUST_PUBLISHER  # the CLI adds "--trust FINGERPRINT"
    with pytest.raises(InvalidInput, match="not by the fingerprint you gave"):
        trainee.directories.import_directory(path, shah.identity.fingerprint)
    assert trainee.directories.directories() == []

    spaced = office.identity.fingerprint.replace(" ", "").lower()
    result = trainee.directories.import_directory(path, spaced)
    assert (result.previous_version, result.info.entries) == (None, 1)
    assert status(trainee, uuid).vouched_by == Vouch(
        "directory", "North West supervisors", office.identity.fingerprint
    )
    assert trainee.evidence.get(uuid).status == "signed_off" and gpc5_signed(trainee) == 1
    assert [r.status.trusted for r in trainee.signoffs.verify_all()] == [True]


def test_a_newer_version_replaces_the_older_and_revokes_a_key(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    uuid = signed_item(trainee, shah)
    first = publish(office, tmp_path / "v1.gpcdirectory", [shah.identity])
    v1 = first.read_bytes()
    trainee.directories.import_directory(first, office.identity.fingerprint)
    hughes = supervisor()
    second = tmp_path / "v2.gpcdirectory"
    publishing().add(first, second, [hughes.identity], office)
    third = tmp_path / "v3.gpcdirectory"
    publishing().revoke(second, third, [shah.identity.fingerprint], office)

    updated = trainee.directories.import_directory(second)  # no --trust: same publisher
    assert (updated.previous_version, updated.info.version, updated.info.entries) == (1, 2, 2)
    assert trainee.directories.import_directory(second).unchanged
    trainee.directories.import_directory(third)
    revoked = status(trainee, uuid)
    assert (revoked.state, revoked.vouched_by) == ("revoked", None)
    assert "revoked this key" in revoked.reason
    assert trainee.evidence.get(uuid).status == "revoked" and gpc5_signed(trainee) == 0

    first.write_bytes(v1)
    with pytest.raises(InvalidInput, match="you already trust the newer version 3"):
        trainee.directories.import_directory(first)
    assert [d.version for d in trainee.directories.directories()] == [3]


def test_a_version_by_another_key_or_a_different_same_version_is_refused(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    document = json.loads(path.read_text())
    forger = supervisor("Dr Helen Ward", "4999999")
    forged = tmp_path / "forged.gpcdirectory"
    publishing().add(path, forged, [supervisor("Dr Fake", "4123456").identity], office)
    data = json.loads(forged.read_text())
    # the same directory id and a higher version, re-signed by another key
    from portfolio.security.signing import sign

    data["publisher"] = forger.identity.to_card()
    data.pop("signature")
    data["signature"] = sign(forger.private_key, data)
    forged.write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match="not by its publisher"):
        trainee.directories.import_directory(forged, forger.identity.fingerprint)

    again = tmp_path / "again.gpcdirectory"
    publishing().add(path, again, [supervisor("Dr B", "4123457").identity], office)
    trainee.directories.import_directory(again)
    other = tmp_path / "other.gpcdirectory"
    publishing().add(path, other, [supervisor("Dr C", "4123458").identity], office)
    with pytest.raises(InvalidInput, match="differs from the version 2 you trust"):
        trainee.directories.import_directory(other)
    assert document["directory_id"] == trainee.directories.directories()[0].directory_id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["entries"][0].update(public_key=d["publisher"]["public_key"]), "altered"),
        (lambda d: d["entries"][0].update(revoked=False, gmc_number="1234567"), "altered"),
        (lambda d: d.update(expires_at="2099-01-01T00:00:00Z"), "altered"),
        (lambda d: d.update(format_version=2), "version 2 supervisor directory"),
        (lambda d: d.update(format="gpc-portfolio-opportunities"), "not a GPC Portfolio"),
        (lambda d: d["entries"][0].pop("valid_until"), "malformed"),
    ],
)
def test_an_altered_directory_is_refused_with_a_clear_message(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path, change, message: str
) -> None:
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    with pytest.raises(InvalidInput, match=message):
        trainee.directories.import_directory(path, office.identity.fingerprint)
    assert trainee.directories.directories() == []


def test_an_expired_directory_is_refused_and_one_that_expires_stops_vouching(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    uuid = signed_item(trainee, shah)
    path = tmp_path / "old.gpcdirectory"
    publishing(date(2020, 1, 1)).create(
        "North West supervisors", path, [shah.identity], office, valid_days=30
    )
    with pytest.raises(InvalidInput, match="expired on 2020-01-31"):
        trainee.directories.import_directory(path, office.identity.fingerprint)
    assert trainee.directories.directories() == []

    then = DirectoryService(trainee.database.sessions, clock=clock(date(2020, 1, 10)))
    then.import_directory(path, office.identity.fingerprint)  # trusted while it was current
    now = status(trainee, uuid)
    assert now.vouched_by is None and "expired on 2020-01-31" in now.reason
    assert trainee.directories.directories()[0].expired


def test_a_key_used_after_its_valid_until_is_revoked(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    path = publish(
        office,
        tmp_path / "nw.gpcdirectory",
        [shah.identity],
        valid_from=date(2024, 8, 1),
        valid_until=date(2025, 7, 31),
    )
    trainee.directories.import_directory(path, office.identity.fingerprint)
    uuid = signed_item(trainee, shah)  # signed today, after 2025-07-31
    late = status(trainee, uuid)
    assert late.state == "revoked" and "outside the key's validity" in late.reason
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["revoked"]


def test_a_directory_edited_in_the_database_vouches_for_nobody(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    impostor = supervisor("Dr Priya Shah", "4111111")
    uuid = signed_item(trainee, impostor)
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    with raw_database(trainee.location) as c:
        c.execute(
            text("UPDATE trusted_directory SET document = replace(document, :real, :fake)"),
            {"real": shah.identity.public_key, "fake": impostor.identity.public_key},
        )
    assert status(trainee, uuid).vouched_by is None
    assert [d.altered for d in trainee.directories.directories()] == [True]


# -- pins --------------------------------------------------------------------------------------


def test_a_pin_records_how_and_a_card_with_a_second_key_is_refused(
    trainee: Portfolio, shah: Unlocked
) -> None:
    uuid = signed_item(trainee, shah)
    trainee.signoffs.pin_card(shah.identity, "meeting")
    assert status(trainee, uuid).vouched_by == Vouch("pinned", how="meeting")
    assert trainee.signoffs.pin_card(shah.identity, "file").pinned_how == "meeting"
    second = supervisor("Dr Priya Shah", SHAH_GMC).identity
    with pytest.raises(InvalidInput) as refused:
        trainee.signoffs.pin_card(second)
    assert second.fingerprint in str(refused.value)
    assert shah.identity.fingerprint in str(refused.value)
    with pytest.raises(InvalidInput, match=shah.identity.fingerprint):
        trainee.signoffs.create_identity("Dr Priya Shah", SHAH_GMC, "educational_supervisor", PASS)
    assert [i.fingerprint for i in trainee.signoffs.identities() if i.pinned] == [
        shah.identity.fingerprint
    ]


def test_a_card_conflicting_with_a_directory_is_refused_unless_it_lists_both(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    new_laptop = supervisor("Dr Priya Shah", SHAH_GMC)
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    with pytest.raises(InvalidInput, match="listed in “North West supervisors”"):
        trainee.signoffs.pin_card(new_laptop.identity)
    both = tmp_path / "both.gpcdirectory"
    publishing().add(path, both, [new_laptop.identity], office)
    trainee.directories.import_directory(both)
    trainee.signoffs.pin_card(new_laptop.identity)
    uuid = signed_item(trainee, new_laptop)
    assert status(trainee, uuid).vouched_by is not None
    assert status(trainee, uuid).vouched_by.kind == "directory"


# -- files that bring keys ---------------------------------------------------------------------


def crafted_archive(tmp_path: Path, trainee_gmc: str = "7000001") -> tuple[Path, str, str]:
    """The attack of issue 11: the trainee's own archive with a fresh key "Dr Priya Shah" and a
    sign-off by it of a draft item. Returns the archive, the item's uuid and the fake key."""
    with open_portfolio(resolve_location(tmp_path / "crafted")) as crafted:
        crafted.profile.save(ProfileData(name="Alex Morgan", gmc_number=trainee_gmc))
        item = crafted.evidence.create(reflection("Audit I never had signed", codes=("GPC5",)))
        fake = supervisor("Dr Priya Shah", SHAH_GMC)
        crafted.signoffs.sign_in_meeting(fake, item.uuid, "signed_off", "Excellent.")
        crafted.signoffs.pin_card(fake.identity)  # the archive even says "pinned"
        path = archive_service(crafted).export(tmp_path / "crafted.gpcportfolio").path
    document = json.loads(members(path)["portfolio.json"])
    assert [i["pinned"] for i in document["identities"]] == [True]
    return path, item.uuid, fake.identity.fingerprint


def test_a_crafted_archive_without_a_pin_imports_but_nothing_counts(
    trainee: Portfolio, tmp_path: Path
) -> None:
    path, uuid, _fake = crafted_archive(tmp_path)
    archive_service(trainee).import_(path)
    shown = trainee.evidence.get(uuid)
    assert shown.status == "unvouched"
    assert shown.signoff is not None and shown.signoff.vouched_by is None
    assert not any(i.pinned for i in trainee.signoffs.identities())
    assert gpc5_signed(trainee) == 0
    assert [r.status.trusted for r in trainee.signoffs.verify_all()] == [False]


def test_a_crafted_archive_is_refused_whole_when_the_real_card_is_pinned(
    trainee: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    trainee.signoffs.pin_card(shah.identity, "meeting")
    path, _uuid, fake = crafted_archive(tmp_path)
    before = database_fingerprint(trainee.location)
    with pytest.raises(InvalidInput) as refused:
        archive_service(trainee, backup=False).import_(path)
    assert fake in str(refused.value) and shah.identity.fingerprint in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert database_fingerprint(trainee.location) == before


def test_an_archive_with_a_second_key_for_a_listed_gmc_is_refused(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    archive, _uuid, fake = crafted_archive(tmp_path)
    with pytest.raises(InvalidInput, match=fake):
        archive_service(trainee).import_(archive)
    assert trainee.evidence.count() == 0


def signoff_file(trainee: Portfolio, signer: Unlocked, tmp_path: Path, name: str) -> Path:
    """A sign-off file by ``signer`` about a new item of the trainee's (by a separate copy)."""
    created = trainee.evidence.create(reflection(f"Item for {name}", codes=("GPC5",)))
    trainee.evidence.submit([created.uuid])
    pack = tmp_path / f"{name}.gpcreview"
    trainee.signoffs.export_review_pack(pack, [created.uuid])
    out = tmp_path / f"{name}.gpcsignoff"
    with open_portfolio(resolve_location(tmp_path / name)) as other:
        other.signoffs.sign_pack(
            read_review_pack(pack), signer, {created.uuid: ("signed_off", "")}, out
        )
    return out


def test_a_signoff_file_with_a_second_key_for_a_listed_gmc_is_refused(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    fake = supervisor("Dr Priya Shah", SHAH_GMC)
    forged = signoff_file(trainee, fake, tmp_path, "forged")
    with pytest.raises(InvalidInput) as refused:
        trainee.signoffs.import_signoff_file(forged)
    assert fake.identity.fingerprint in str(refused.value)
    assert shah.identity.fingerprint in str(refused.value)
    real = trainee.signoffs.import_signoff_file(signoff_file(trainee, shah, tmp_path, "real"))
    assert [o.status.trusted for o in real] == [True]
    assert len(trainee.signoffs.verify_all()) == 1


def test_a_review_pack_cannot_carry_a_key(
    trainee: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    """A review pack holds no identities; one that tries to bring a signer is refused, and a
    smuggled member is never read."""
    created = trainee.evidence.create(reflection("Teaching", codes=("GPC5",)))
    pack = tmp_path / "pack.gpcreview"
    trainee.signoffs.export_review_pack(pack, [created.uuid])
    with zipfile.ZipFile(pack) as z:
        content = {name: z.read(name) for name in z.namelist()}
    manifest = json.loads(content["manifest.json"])
    manifest["signer"] = supervisor("Dr Priya Shah", SHAH_GMC).identity.to_card()
    for extra, message in ((None, "malformed"), ("identities.json", "unexpected file")):
        smuggled = tmp_path / "smuggled.gpcreview"
        with zipfile.ZipFile(smuggled, "w") as z:
            for name, data in content.items():
                z.writestr(name, json.dumps(manifest) if name == "manifest.json" else data)
            if extra:
                z.writestr(extra, json.dumps([manifest["signer"]]))
        with pytest.raises(InvalidInput, match=message):
            read_review_pack(smuggled)
    assert trainee.signoffs.identities() == []


def test_old_and_new_sign_offs_by_the_same_key_see_the_same_roots(
    trainee: Portfolio, shah: Unlocked
) -> None:
    """The history shows who vouches for each sign-off, not only the latest."""
    uuid = signed_item(trainee, shah)
    trainee.signoffs.pin_card(shah.identity)
    draft = trainee.evidence.get(uuid).as_draft()
    from dataclasses import replace

    trainee.evidence.update(uuid, replace(draft, text="More."))
    trainee.signoffs.sign_in_meeting(shah, uuid, "signed_off", "Again.")
    assert [(h.state, h.vouched_by) for h in trainee.signoffs.history(uuid)] == [
        ("edited", Vouch("pinned", how="file")),
        ("valid", Vouch("pinned", how="file")),
    ]


def test_a_pinned_key_signing_under_another_gmc_number_is_not_vouched_for(
    trainee: Portfolio, shah: Unlocked
) -> None:
    trainee.signoffs.pin_card(shah.identity)
    other_name = PublicIdentity(
        "Dr Sam Okafor", "4111111", "clinical_supervisor", shah.identity.public_key
    )
    uuid = signed_item(trainee, Unlocked(other_name, shah.private_key))
    shown = status(trainee, uuid)
    assert shown.state == "valid" and shown.vouched_by is None
    assert f"pinned for Dr Priya Shah under GMC {SHAH_GMC}, not 4111111" in shown.reason


def test_a_directory_outranks_an_earlier_pin_of_another_key(
    trainee: Portfolio, office: Unlocked, shah: Unlocked, tmp_path: Path
) -> None:
    """A "Dr Shah" key made on the trainee's own laptop before the deanery's directory arrived
    stops counting once the directory lists her real key."""
    info = trainee.signoffs.create_identity(
        "Dr Priya Shah", SHAH_GMC, "educational_supervisor", PASS
    )
    made_here = trainee.signoffs.unlock(info.fingerprint, PASS)
    uuid = signed_item(trainee, made_here)
    assert status(trainee, uuid).vouched_by == Vouch("pinned", how="created_here")
    path = publish(office, tmp_path / "nw.gpcdirectory", [shah.identity])
    trainee.directories.import_directory(path, office.identity.fingerprint)
    shown = status(trainee, uuid)
    assert shown.state == "valid" and shown.vouched_by is None
    assert "listed in “North West supervisors”" in shown.reason
    assert shah.identity.fingerprint in shown.reason
    assert trainee.evidence.get(uuid).status == "unvouched"
