"""Sign-off credentials: issued with the sign-off, carried by file, exported, and refused forged."""

from __future__ import annotations

import copy
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput, NotFound
from portfolio.paths import resolve_location
from portfolio.security.canonical import digest
from portfolio.security.credentials import secure, verify_credential
from portfolio.security.signing import generate_private_key
from portfolio.services.review_files import read_review_pack
from tests.raw_database import raw_database
from tests.security.credential_check import check
from tests.services.test_signoffs import PASS, item, meeting_identity, supervisor, trainee

__all__ = ["supervisor", "trainee"]  # fixtures


def exported(portfolio: Portfolio, out: Path, suite: str = "eddsa-rdfc-2022") -> list[Any]:
    result = portfolio.credentials.export(out, suite)  # type: ignore[arg-type]
    return [json.loads(p.read_text(encoding="utf-8")) for p in result.paths]


def test_a_meeting_sign_off_is_issued_in_both_suites_and_passes_the_independent_check(
    trainee: Portfolio, tmp_path: Path
) -> None:
    uuid = item(trainee, "Led the handover audit")
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "Well done.")
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        (credential,) = exported(trainee, tmp_path / suite, suite)
        assert credential["proof"]["cryptosuite"] == suite
        document = check(credential)
        assert document["credentialSubject"]["identifier"][0]["identityHash"] == "7000001"
        achievement = document["credentialSubject"]["achievement"]
        assert achievement["name"] == "Led the handover audit"
        assert [a["targetCode"] for a in achievement["alignment"]] == ["GPC5", "GPC6.2"]
        assert achievement["alignment"][0]["targetName"].startswith("Capabilities in")
        assert document["issuer"]["name"] == "Tom Hughes"
        assert document["evidence"][0]["narrative"] == "Well done."
        assert trainee.evidence.get(uuid).digest in document["evidence"][0]["description"]


def test_changes_requested_is_no_credential(trainee: Portfolio, tmp_path: Path) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "changes_requested", "No")
    with pytest.raises(InvalidInput, match="no sign-offs"):
        trainee.credentials.export(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def forget_credentials(portfolio: Portfolio) -> None:
    """The state of a portfolio upgraded from before credentials: sign-offs, no credentials."""
    with raw_database(portfolio.location) as con:
        con.execute(text("DELETE FROM signoff_credential"))


def test_earlier_sign_offs_are_issued_on_that_supervisors_next_signing_only(
    trainee: Portfolio, tmp_path: Path
) -> None:
    first, second, third = item(trainee, "One"), item(trainee, "Two"), item(trainee, "Three")
    tom = meeting_identity(trainee)
    trainee.signoffs.sign_in_meeting(tom, first, "signed_off", "")
    forget_credentials(trainee)
    with pytest.raises(InvalidInput, match="issued the next time"):
        trainee.credentials.export(tmp_path / "none")

    other = trainee.signoffs.create_identity("Ann Lee", "4000003", "clinical_supervisor", PASS)
    ann = trainee.signoffs.unlock(other.fingerprint, PASS)
    trainee.signoffs.sign_in_meeting(ann, second, "signed_off", "")
    result = trainee.credentials.export(tmp_path / "ann")
    assert result.pending == 1  # Tom's, which only Tom's key may issue
    assert [json.loads(p.read_text())["issuer"]["name"] for p in result.paths] == ["Ann Lee"]

    trainee.signoffs.sign_in_meeting(tom, third, "signed_off", "")
    credentials = exported(trainee, tmp_path / "all")
    titles = sorted(c["credentialSubject"]["achievement"]["name"] for c in credentials)
    assert titles == ["One", "Three", "Two"]
    late = next(c for c in credentials if c["credentialSubject"]["achievement"]["name"] == "One")
    assert late["proof"]["created"] >= late["validFrom"]
    check(late)


def test_by_file_the_credentials_travel_with_the_sign_offs(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    own, unlocked = supervisor
    uuid = item(trainee)
    trainee.signoffs.export_review_pack(tmp_path / "pack.gpcreview", [uuid])
    pack = read_review_pack(tmp_path / "pack.gpcreview")
    reply = tmp_path / "reply.gpcsignoff"
    own.signoffs.sign_pack(pack, unlocked, {uuid: ("signed_off", "Good")}, reply)
    carried = json.loads(reply.read_text())["credentials"]
    assert sorted(c["proof"]["cryptosuite"] for c in carried) == [
        "eddsa-jcs-2022",
        "eddsa-rdfc-2022",
    ]
    trainee.signoffs.import_signoff_file(reply)
    (credential,) = exported(trainee, tmp_path / "out")
    assert credential == next(c for c in carried if c["proof"]["cryptosuite"] == "eddsa-rdfc-2022")
    check(credential)
    trainee.signoffs.import_signoff_file(reply)  # again: nothing doubles
    assert len(exported(trainee, tmp_path / "again")) == 1


def signed_reply(trainee: Portfolio, supervisor: Any, tmp_path: Path) -> tuple[Path, str]:
    own, unlocked = supervisor
    uuid = item(trainee)
    trainee.signoffs.export_review_pack(tmp_path / "pack.gpcreview", [uuid])
    pack = read_review_pack(tmp_path / "pack.gpcreview")
    reply = tmp_path / "reply.gpcsignoff"
    own.signoffs.sign_pack(pack, unlocked, {uuid: ("signed_off", "Good")}, reply)
    return reply, uuid


def test_a_sign_off_file_from_before_credentials_still_imports(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    reply, _ = signed_reply(trainee, supervisor, tmp_path)
    document = json.loads(reply.read_text())
    del document["credentials"]
    reply.write_text(json.dumps(document))
    (outcome,) = trainee.signoffs.import_signoff_file(reply)
    assert outcome.new and outcome.status.state == "valid"
    with pytest.raises(InvalidInput, match="issued the next time"):
        trainee.credentials.export(tmp_path / "out")


def forge_title(credentials: list[Any]) -> None:
    credentials[0]["credentialSubject"]["achievement"]["name"] = "Something else"


def forge_subject(credentials: list[Any]) -> None:
    credentials[0]["credentialSubject"]["identifier"][0]["identityHash"] = "7999999"


def forge_extra_claim(credentials: list[Any]) -> None:
    """An undefined term: RDF canonicalisation would drop it from what is signed."""
    credentials[0]["credentialSubject"]["grade"] = "Outstanding"


def resign_by_mallory(credentials: list[Any]) -> None:
    """A credential signed by another key that still names the supervisor as issuer."""
    claims = verify_credential(credentials[0]).claims
    mallory = generate_private_key()
    credentials[0] = secure(claims.document(), mallory, "eddsa-jcs-2022", "2026-01-01T00:00:00Z")


ATTACKS = {
    "another title": forge_title,
    "another trainee": forge_subject,
    "an unsigned claim": forge_extra_claim,
    "another key": resign_by_mallory,
    "an unknown context": lambda c: c[0]["@context"].append("https://evil.example/ctx.jsonld"),
    "not an object": lambda c: c.__setitem__(0, ["not", "a", "credential"]),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_forged_credential_in_a_sign_off_file_imports_nothing(
    trainee: Portfolio, supervisor: Any, tmp_path: Path, attack: str
) -> None:
    reply, uuid = signed_reply(trainee, supervisor, tmp_path)
    document = json.loads(reply.read_text())
    credentials = copy.deepcopy(document["credentials"])
    ATTACKS[attack](credentials)
    reply.write_text(json.dumps({**document, "credentials": credentials}))
    with pytest.raises(InvalidInput, match=r"credential 1.*Nothing was imported|is malformed"):
        trainee.signoffs.import_signoff_file(reply)
    assert trainee.signoffs.history(uuid) == []


def test_export_of_unknown_items_or_suites_is_refused(trainee: Portfolio, tmp_path: Path) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "")
    with pytest.raises(NotFound):
        trainee.credentials.export(tmp_path / "a", uuids=["123e4567-e89b-12d3-a456-426614174000"])
    with pytest.raises(InvalidInput, match="Unknown cryptosuite"):
        trainee.credentials.export(tmp_path / "b", "rsa-2048")  # type: ignore[arg-type]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_stored_credential_altered_in_the_database_is_not_exported(
    trainee: Portfolio, tmp_path: Path
) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "")
    with raw_database(trainee.location) as con:
        con.execute(
            text("UPDATE signoff_credential SET document = replace(document, 'GPC5', 'GPC1')")
        )
    with pytest.raises(InvalidInput, match="does not verify"):
        trainee.credentials.export(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def pack_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite_pack(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def old_sign_off_by_file(trainee: Portfolio, supervisor: Any, tmp_path: Path) -> str:
    """An item signed off by file before credentials existed (its reply carried none)."""
    reply, uuid = signed_reply(trainee, supervisor, tmp_path / "old")
    document = json.loads(reply.read_text())
    del document["credentials"]
    reply.write_text(json.dumps(document))
    trainee.signoffs.import_signoff_file(reply)
    return uuid


def test_earlier_sign_offs_by_file_are_issued_in_the_supervisors_own_app(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    old = old_sign_off_by_file(trainee, supervisor, tmp_path)
    own, unlocked = supervisor
    new = item(trainee, "Ran the teaching session")
    trainee.signoffs.export_review_pack(tmp_path / "next.gpcreview", [new])
    pack = read_review_pack(tmp_path / "next.gpcreview")
    assert [e.record.evidence_uuid for e in pack.earlier] == [old]
    own.signoffs.sign_pack(pack, unlocked, {new: ("signed_off", "")}, tmp_path / "r.gpcsignoff")
    trainee.signoffs.import_signoff_file(tmp_path / "r.gpcsignoff")
    credentials = exported(trainee, tmp_path / "out")
    assert sorted(c["evidence"][0]["id"] for c in credentials) == sorted(
        f"urn:uuid:{u}" for u in (old, new)
    )
    for credential in credentials:
        check(credential)
    trainee.signoffs.export_review_pack(tmp_path / "third.gpcreview", [new])
    assert read_review_pack(tmp_path / "third.gpcreview").earlier == ()


def test_an_earlier_sign_off_with_altered_content_is_refused_by_the_supervisor(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    old_sign_off_by_file(trainee, supervisor, tmp_path)
    trainee.signoffs.export_review_pack(tmp_path / "next.gpcreview", [item(trainee, "Next")])
    members = pack_members(tmp_path / "next.gpcreview")
    earlier = json.loads(members["earlier-signoffs.json"])
    earlier[0]["content"]["title"] = "Led the whole department"
    rewrite_pack(tmp_path / "next.gpcreview", {**members, "earlier-signoffs.json": json.dumps(
        earlier
    ).encode()})  # fmt: skip
    with pytest.raises(InvalidInput, match="earlier sign-offs are malformed"):
        read_review_pack(tmp_path / "next.gpcreview")


def test_a_forged_earlier_record_gets_no_credential(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    """A record re-digested to match altered content no longer carries the supervisor's
    signature: the supervisor's app issues nothing for it."""
    (tmp_path / "old").mkdir()
    old_sign_off_by_file(trainee, supervisor, tmp_path)
    new = item(trainee, "Next")
    trainee.signoffs.export_review_pack(tmp_path / "next.gpcreview", [new])
    members = pack_members(tmp_path / "next.gpcreview")
    earlier = json.loads(members["earlier-signoffs.json"])
    earlier[0]["content"]["title"] = "Led the whole department"
    earlier[0]["record"]["evidence_digest"] = digest(earlier[0]["content"])
    rewrite_pack(tmp_path / "next.gpcreview", {**members, "earlier-signoffs.json": json.dumps(
        earlier
    ).encode()})  # fmt: skip
    own, unlocked = supervisor
    pack = read_review_pack(tmp_path / "next.gpcreview")
    own.signoffs.sign_pack(pack, unlocked, {new: ("signed_off", "")}, tmp_path / "r.gpcsignoff")
    carried = json.loads((tmp_path / "r.gpcsignoff").read_text())["credentials"]
    assert {c["evidence"][0]["id"] for c in carried} == {f"urn:uuid:{new}"}


def test_private_or_other_supervisors_earlier_sign_offs_stay_out(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    private, others = item(trainee, "Private"), item(trainee, "Tom's")
    tom = meeting_identity(trainee)
    trainee.signoffs.sign_in_meeting(tom, private, "signed_off", "")
    trainee.signoffs.sign_in_meeting(tom, others, "signed_off", "")
    forget_credentials(trainee)
    trainee.evidence.update(
        private, replace(trainee.evidence.get(private).as_draft(), private=True)
    )
    new = item(trainee, "Next")
    trainee.signoffs.export_review_pack(tmp_path / "next.gpcreview", [new])
    pack = read_review_pack(tmp_path / "next.gpcreview")
    assert [e.record.evidence_uuid for e in pack.earlier] == [others]
    own, unlocked = supervisor  # Priya, not Tom
    own.signoffs.sign_pack(pack, unlocked, {new: ("signed_off", "")}, tmp_path / "r.gpcsignoff")
    carried = json.loads((tmp_path / "r.gpcsignoff").read_text())["credentials"]
    assert {c["evidence"][0]["id"] for c in carried} == {f"urn:uuid:{new}"}


def rewrite_archive(path: Path, change: Any) -> None:
    content = pack_members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    rewrite_pack(path, {**content, "portfolio.json": json.dumps(document).encode()})


def test_credentials_travel_in_the_portable_archive(trainee: Portfolio, tmp_path: Path) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "Good")
    before = exported(trainee, tmp_path / "before")
    archive = trainee.archive.export(tmp_path / "all.gpcportfolio").path
    with open_portfolio(resolve_location(tmp_path / "desktop")) as desktop:
        desktop.archive.import_(archive)
        assert exported(desktop, tmp_path / "after") == before


def test_a_forged_credential_in_an_archive_refuses_the_archive(
    trainee: Portfolio, tmp_path: Path
) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "Good")
    archive = trainee.archive.export(tmp_path / "all.gpcportfolio").path
    rewrite_archive(
        archive,
        lambda d: d["signoffs"][0]["credentials"][0]["credentialSubject"]["achievement"].update(
            name="Led the whole department"
        ),
    )
    with open_portfolio(resolve_location(tmp_path / "desktop")) as desktop:
        with pytest.raises(InvalidInput, match=r"credential 1.*Nothing was imported"):
            desktop.archive.import_(archive)
        assert desktop.evidence.count() == 0
