"""Sign-offs bound to the trainee: trainee B cannot pass off trainee A's signed work as theirs.

A version 2 record names the trainee whose portfolio the item is in, inside what is signed. The
attacks: A's item and its sign-off put into B's portfolio by a crafted archive, a sign-off file,
or a database edit; and credentials naming B issued for A's sign-offs, by a supervisor signing
B's review pack or signing in B's meeting.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.formats.review_pack import read_signoff_file
from portfolio.models import SignOff
from portfolio.paths import resolve_location
from portfolio.services import signing_log
from portfolio.services.dto import ProfileData
from portfolio.services.review_files import read_review_pack
from portfolio.services.signoffs import Unlocked
from portfolio.services.verification import signoff_row
from tests.raw_database import raw_database
from tests.security.credential_check import check as check_credential
from tests.services.archive_helpers import (
    archive_service,
    database_fingerprint,
    reflection,
    rewritten,
    supervisor,
    version_1,
)

A_GMC, B_GMC = "7000001", "7000002"


@pytest.fixture
def shah() -> Unlocked:
    return supervisor("Dr Priya Shah", "7654321")


@pytest.fixture
def bea(portfolio: Portfolio, shah: Unlocked) -> Portfolio:
    """Trainee B, who pinned the real supervisor's card in a meeting."""
    portfolio.profile.save(ProfileData(name="Bea Jones", gmc_number=B_GMC))
    portfolio.signoffs.pin_card(shah.identity, "meeting")
    return portfolio


def alex(tmp_path: Path, shah: Unlocked, *, v1: bool = False) -> tuple[Path, str]:
    """Trainee A's archive: an item Dr Shah signed off in A's meeting (as an older app did when
    ``v1``). Returns the archive and the item's uuid."""
    with open_portfolio(resolve_location(tmp_path / "alex")) as a:
        a.profile.save(ProfileData(name="Alex Morgan", gmc_number=A_GMC))
        item = a.evidence.create(reflection("Alex's handover audit", codes=("GPC5",)))
        a.evidence.submit([item.uuid])
        if v1:
            record = version_1(shah, item.uuid, item.digest, "2026-11-01T10:00:00Z")
            a.signoffs.pin_card(shah.identity, "meeting")
            with a.database.sessions.begin() as session:  # as the older app wrote it
                session.execute(insert(SignOff), [signoff_row(record, "meeting")])
        else:
            a.signoffs.sign_in_meeting(shah, item.uuid, "signed_off", "Excellent.")
        path = archive_service(a).export(tmp_path / "alex.gpcportfolio").path
    return path, item.uuid


def as_bea(document: dict[str, Any]) -> None:
    """The crafted archive: A's items and sign-offs under B's profile."""
    document["profile"] = {**document["profile"], "name": "Bea Jones", "gmc_number": B_GMC}


def without_signoffs(document: dict[str, Any]) -> None:
    as_bea(document)
    document["signoffs"] = []


def test_a_copied_signoff_in_a_crafted_archive_is_refused_naming_the_trainee(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    path, _uuid = alex(tmp_path, shah)
    crafted = rewritten(path, tmp_path / "crafted.gpcportfolio", as_bea)
    before = database_fingerprint(bea.location)
    with pytest.raises(InvalidInput, match=f"signed for another trainee \\(GMC {A_GMC}\\)"):
        archive_service(bea, backup=False).import_(crafted)
    assert database_fingerprint(bea.location) == before


def test_a_copied_signoff_file_is_refused_naming_the_trainee(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    """B takes A's item (no sign-off) by a crafted archive, then A's sign-off file for it with
    its unsigned ``trainee_gmc`` changed to B's."""
    with open_portfolio(resolve_location(tmp_path / "alex")) as a:
        a.profile.save(ProfileData(name="Alex Morgan", gmc_number=A_GMC))
        item = a.evidence.create(reflection("Alex's teaching", codes=("GPC5",)))
        a.evidence.submit([item.uuid])
        a.signoffs.export_review_pack(tmp_path / "alex.gpcreview", [item.uuid])
        archive = archive_service(a).export(tmp_path / "alex.gpcportfolio").path
    reply = tmp_path / "alex.gpcsignoff"
    with open_portfolio(resolve_location(tmp_path / "shah")) as own_copy:
        pack = read_review_pack(tmp_path / "alex.gpcreview")
        own_copy.signoffs.sign_pack(pack, shah, {item.uuid: ("signed_off", "")}, reply)
    archive_service(bea).import_(rewritten(archive, tmp_path / "c.gpcportfolio", without_signoffs))
    document = json.loads(reply.read_text())
    document["trainee_gmc"] = B_GMC
    reply.write_text(json.dumps(document))
    assert read_signoff_file(reply).records[0].trainee_gmc == A_GMC
    with pytest.raises(
        InvalidInput, match=f"sign-off 1: signed for another trainee \\(GMC {A_GMC}"
    ):
        bea.signoffs.import_signoff_file(reply)
    assert bea.signoffs.verify_all() == []


def test_a_record_for_another_trainee_put_in_by_a_database_edit_never_counts(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    path, uuid = alex(tmp_path, shah)
    archive_service(bea).import_(rewritten(path, tmp_path / "c.gpcportfolio", without_signoffs))
    record = json.loads(zipfile.ZipFile(path).read("portfolio.json"))["signoffs"][0]["record"]
    with raw_database(bea.location) as db:  # append-only triggers do not stop an INSERT
        columns = {**record, "source": "meeting", "received_at": "2026-12-01 09:00:00"}
        columns["signer_gmc"], columns["signer_role"] = record["signer_gmc"], record["signer_role"]
        del columns["format"]
        db.execute(
            text(
                f"INSERT INTO signoff ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + name for name in columns)})"
            ),
            columns,
        )
        db.execute(text("UPDATE evidence SET status = 'signed_off' WHERE uuid = :u"), {"u": uuid})
    shown = bea.evidence.get(uuid)
    assert shown.signoff is not None
    assert shown.signoff.state == "valid" and shown.signoff.vouched_by is None
    assert shown.signoff.reason == f"signed for another trainee (GMC {A_GMC})"
    assert shown.status == "unvouched"
    assert not bea.signoffs.verify_all()[0].status.trusted
    assert next(d for d in bea.coverage.coverage().domains if d.code == "GPC5").signed == 0


def test_version_1_records_still_verify_and_say_they_name_no_trainee(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    path, uuid = alex(tmp_path, shah, v1=True)
    # A version 1 record cannot be bound, so the copy is not refused: it counts, and says why
    # it cannot show whose it is (docs/security.md).
    archive_service(bea).import_(rewritten(path, tmp_path / "c.gpcportfolio", as_bea))
    (info,) = bea.signoffs.verify_all()
    assert info.evidence_uuid == uuid and info.status.trusted
    assert "does not name the trainee" in info.status.warning


def test_backfilling_a_review_pack_issues_credentials_only_for_this_trainees_records(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    """B's pack carries A's version 1 sign-off (copied by an archive) and A's version 2 one
    (smuggled into earlier-signoffs.json): the supervisor's app issues neither for B."""
    path, _uuid = alex(tmp_path, shah, v1=True)
    archive_service(bea).import_(rewritten(path, tmp_path / "c.gpcportfolio", as_bea))
    own = bea.evidence.create(reflection("Bea's own audit", codes=("GPC5",)))
    bea.evidence.submit([own.uuid])
    pack_path = tmp_path / "bea.gpcreview"
    bea.signoffs.export_review_pack(pack_path, [own.uuid])
    v2_path, _ = alex(tmp_path / "v2", shah)
    smuggle_earlier(pack_path, v2_path)
    pack = read_review_pack(pack_path)
    assert {e.record.format_version for e in pack.earlier} == {1, 2}
    with open_portfolio(resolve_location(tmp_path / "shah")) as own_copy:
        choice = own_copy.signoffs.earlier_credentials(pack, shah.identity.public_key)
        assert choice.issued == () and len(choice.withheld) == 2
        reply = tmp_path / "bea.gpcsignoff"
        own_copy.signoffs.sign_pack(pack, shah, {own.uuid: ("signed_off", "")}, reply)
    issued = read_signoff_file(reply).credentials
    assert len(issued) == 2  # both suites of the new sign-off only
    for document in issued:
        assert subject_of(document) == B_GMC
        assert document["credentialSubject"]["achievement"]["name"] == "Bea's own audit"
        check_credential(document)


def test_a_version_1_record_in_the_signers_log_for_this_trainee_is_backfilled(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    item = bea.evidence.create(reflection("Bea's teaching", codes=("GPC5",)))
    record = version_1(shah, item.uuid, item.digest, "2026-11-01T10:00:00Z")
    with bea.database.sessions.begin() as session:
        session.execute(insert(SignOff), [signoff_row(record, "file")])
    pack_path = tmp_path / "bea.gpcreview"
    bea.signoffs.export_review_pack(pack_path, [item.uuid])
    pack = read_review_pack(pack_path)
    with open_portfolio(resolve_location(tmp_path / "shah")) as own_copy:
        assert own_copy.signoffs.earlier_credentials(pack, shah.identity.public_key).issued == ()
        with own_copy.database.sessions.begin() as session:  # the older app's log of it
            signing_log.append(session, shah.private_key, shah.identity, B_GMC, [record])
        choice = own_copy.signoffs.earlier_credentials(pack, shah.identity.public_key)
        assert [e.record for e in choice.issued] == [record]


def test_a_meeting_backfills_version_1_records_only_when_signed_in_a_meeting_here(
    bea: Portfolio, shah: Unlocked, tmp_path: Path
) -> None:
    path, copied_uuid = alex(tmp_path, shah, v1=True)

    def from_a_file(document: dict[str, Any]) -> None:
        as_bea(document)
        document["signoffs"][0]["source"] = "file"

    archive_service(bea).import_(rewritten(path, tmp_path / "c.gpcportfolio", from_a_file))
    earlier = bea.evidence.create(reflection("Bea's earlier audit", codes=("GPC5",)))
    here = version_1(shah, earlier.uuid, earlier.digest, "2026-11-02T10:00:00Z")
    with bea.database.sessions.begin() as session:  # signed in a meeting by an older app here
        session.execute(insert(SignOff), [signoff_row(here, "meeting")])
    new = bea.evidence.create(reflection("Bea's new audit", codes=("GPC5",)))
    bea.evidence.submit([new.uuid])
    info = bea.signoffs.sign_in_meeting(shah, new.uuid, "signed_off", "Good.")
    assert info.credentials_issued == 2  # the new one and the earlier one signed here
    exported = bea.credentials.export(tmp_path / "credentials")
    assert exported.pending == 1  # the copied one gets none
    documents = [json.loads(p.read_text()) for p in exported.paths]
    assert {subject_of(d) for d in documents} == {B_GMC}
    names = {d["credentialSubject"]["achievement"]["name"] for d in documents}
    assert names == {"Bea's earlier audit", "Bea's new audit"}
    assert copied_uuid not in json.dumps(documents)


def smuggle_earlier(pack_path: Path, archive: Path) -> None:
    """Add A's signed record and its content to B's pack's earlier-signoffs.json."""
    document = json.loads(zipfile.ZipFile(archive).read("portfolio.json"))
    record = document["signoffs"][0]["record"]
    snapshot = document["evidence"][0]["revisions"][-1]["snapshot"]
    keys = ("uuid", "kind", "title", "occurred_on", "occurred_until", "fields", "text", "links")
    content = {key: snapshot[key] for key in (*keys, "attachments")}
    with zipfile.ZipFile(pack_path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    earlier = json.loads(members.get("earlier-signoffs.json", b"[]"))
    members["earlier-signoffs.json"] = json.dumps(
        [*earlier, {"record": record, "content": content}]
    ).encode()
    with zipfile.ZipFile(pack_path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def subject_of(document: dict[str, Any]) -> str:
    return str(document["credentialSubject"]["identifier"][0]["identityHash"])
