"""Sign-off that anyone can verify: in a meeting and by file, and nothing forged passes."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import BadPath, InvalidInput
from portfolio.formats.card import read_card_file, write_card_file
from portfolio.paths import resolve_location
from portfolio.security.signing import PublicIdentity
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.review_files import read_review_pack
from portfolio.services.signoffs import Unlocked
from tests.raw_database import drop_trigger, raw_database

PASS = "correct horse battery staple"


def item(portfolio: Portfolio, title: str = "Led the handover audit") -> str:
    created = portfolio.evidence.create(
        EvidenceDraft(
            kind="reflection",
            title=title,
            occurred_on=date(2026, 2, 1),
            fields={"model": "what_so_what_now_what", "what": "We audited handover."},
            links=(Link("GPC5"), Link("GPC6.2")),
        )
    )
    portfolio.evidence.submit([created.uuid])
    return created.uuid


@pytest.fixture
def trainee(portfolio: Portfolio) -> Portfolio:
    portfolio.profile.save(ProfileData(name="Zoë Ørsted-Łukasiewicz", gmc_number="7000001"))
    return portfolio


@pytest.fixture
def supervisor(tmp_path: Path):
    """The supervisor's own copy of the app, with their identity."""
    with open_portfolio(resolve_location(tmp_path / "supervisor")) as own:
        info = own.signoffs.create_identity("Priya Shah", "4567890", "educational_supervisor", PASS)
        yield own, own.signoffs.unlock(info.fingerprint, PASS)


def meeting_identity(trainee: Portfolio) -> Unlocked:
    info = trainee.signoffs.create_identity("Tom Hughes", "4000002", "clinical_supervisor", PASS)
    return trainee.signoffs.unlock(info.fingerprint, PASS)


def test_on_the_trainees_machine_the_key_needs_the_supervisors_passphrase(
    trainee: Portfolio, isolated
) -> None:
    assert trainee.signoffs.keystore().needs_passphrase
    with pytest.raises(InvalidInput, match="passphrase is needed"):
        trainee.signoffs.create_identity("Tom Hughes", "4000002", "clinical_supervisor", None)
    unlocked = meeting_identity(trainee)
    assert isolated.secrets == {}  # never in the trainee's keyring
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        trainee.signoffs.unlock(unlocked.identity.fingerprint, "guess")


def test_on_the_supervisors_own_copy_the_keyring_holds_the_key(supervisor, isolated) -> None:
    own, unlocked = supervisor
    assert not own.signoffs.keystore().needs_passphrase
    assert list(isolated.secrets) == [("gpc-portfolio", unlocked.identity.fingerprint)]
    assert "keyring" in own.signoffs.identities()[0].key_location


def test_meeting_sign_off_shows_valid_then_edited(trainee: Portfolio) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    signed = trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Well reflected.")
    assert signed.status.state == "valid"
    detail = trainee.evidence.get(uuid)
    assert detail.status == "signed_off"
    assert detail.signoff is not None and detail.signoff.signer_name == "Tom Hughes"
    assert trainee.coverage.coverage().domains[4].signed == 1

    draft = detail.as_draft()
    trainee.evidence.update(uuid, replace(draft, text="Added what I would do next time."))
    edited = trainee.evidence.get(uuid)
    assert edited.status == "edited"
    assert edited.signoff is not None and edited.signoff.state == "edited"
    assert [s.status for s in trainee.evidence.list()] == ["edited"]
    assert trainee.evidence.list(EvidenceQuery(status="signed_off")) == []
    assert [s.uuid for s in trainee.evidence.list(EvidenceQuery(status="edited"))] == [uuid]
    assert trainee.coverage.coverage().domains[4].signed == 0
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["edited"]
    # The old sign-off stays in the history; a new one makes it valid again.
    trainee.evidence.submit([uuid])
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Thanks for adding that.")
    assert [h.state for h in trainee.signoffs.history(uuid)] == ["edited", "valid"]
    assert trainee.evidence.get(uuid).status == "signed_off"


def test_changes_requested_is_signed_too(trainee: Portfolio) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(
        meeting_identity(trainee), uuid, "changes_requested", "Please anonymise the ward."
    )
    detail = trainee.evidence.get(uuid)
    assert detail.status == "changes_requested"
    assert detail.signoff is not None and detail.signoff.comment == "Please anonymise the ward."


def test_a_status_column_set_by_hand_is_not_believed(trainee: Portfolio) -> None:
    uuid = item(trainee)
    with trainee.database.engine.begin() as c:
        c.exec_driver_sql("UPDATE evidence SET status = 'signed_off'")
    assert trainee.evidence.get(uuid).status == "invalid"
    assert trainee.coverage.coverage().domains[4].signed == 0


def test_a_tampered_signoff_row_is_invalid(trainee: Portfolio) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "changes_requested", "No.")
    with raw_database(trainee.location) as c:  # short of the triggers, refused (test_chain)
        drop_trigger(c, "signoff", "signoff_append_only_update")
        c.execute(text("UPDATE signoff SET decision = 'signed_off', comment = 'Yes.'"))
        c.execute(text("UPDATE evidence SET status = 'signed_off'"))
    assert trainee.evidence.get(uuid).status == "invalid"
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["invalid"]


def round_trip_files(trainee: Portfolio, supervisor, tmp_path: Path, uuids: list[str]) -> Path:
    own, unlocked = supervisor
    pack_path = trainee.signoffs.export_review_pack(tmp_path / "pack.gpcreview", uuids) and (
        tmp_path / "pack.gpcreview"
    )
    pack = read_review_pack(pack_path)
    decisions = {u: ("signed_off", "Good.") for u in uuids}
    out = tmp_path / "reply.gpcsignoff"
    own.signoffs.sign_pack(pack, unlocked, decisions, out)
    return out


def test_by_file_round_trip(trainee: Portfolio, supervisor, tmp_path: Path) -> None:
    uuids = [item(trainee, "First"), item(trainee, "Second")]
    trainee.evidence.attach_bytes(uuids[0], "feedback.txt", b"Thanks for teaching us.")
    reply = round_trip_files(trainee, supervisor, tmp_path, uuids)
    outcomes = trainee.signoffs.import_signoff_file(reply)
    assert [(o.new, o.status.state) for o in outcomes] == [(True, "valid"), (True, "valid")]
    assert {trainee.evidence.get(u).status for u in uuids} == {"unvouched"}
    trainee.signoffs.pin_card(supervisor[1].identity, "meeting")
    assert {trainee.evidence.get(u).status for u in uuids} == {"signed_off"}
    again = trainee.signoffs.import_signoff_file(reply)
    assert [o.new for o in again] == [False, False]
    assert len(trainee.signoffs.history(uuids[0])) == 1


def test_a_pack_with_altered_content_is_refused(trainee: Portfolio, tmp_path: Path) -> None:
    uuid = item(trainee)
    pack = tmp_path / "pack.gpcreview"
    trainee.signoffs.export_review_pack(pack, [uuid])
    members = {i.filename: zipfile.ZipFile(pack).read(i) for i in zipfile.ZipFile(pack).infolist()}
    items = json.loads(members["items.json"])
    items[0]["text"] = "Something the trainee never wrote."
    members["items.json"] = json.dumps(items).encode()
    altered = tmp_path / "altered.gpcreview"
    with zipfile.ZipFile(altered, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(InvalidInput, match="does not match its digest"):
        read_review_pack(altered)


def edit_reply(reply: Path, change) -> Path:
    document = json.loads(reply.read_text())
    change(document)
    reply.write_text(json.dumps(document))
    return reply


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["records"][1].update(comment="Outstanding, no changes needed."),
            "signature does not match",
        ),
        (lambda d: d["records"][0].update(evidence_digest="0" * 64), "signature does not match"),
        (
            lambda d: d["records"][0].update(decision="changes_requested"),
            "signature does not match",
        ),
        (
            lambda d: d["records"][0].update(signature=d["records"][1]["signature"]),
            "signature does not match",
        ),
        (lambda d: d.update(format_version=9), "version 9"),
        (lambda d: d["records"][0].pop("signed_at"), "signed_at"),
        (lambda d: d.update(trainee_gmc="7999999"), "another trainee"),
    ],
)
def test_altered_signoff_files_are_refused_and_nothing_is_imported(
    trainee: Portfolio, supervisor, tmp_path: Path, change, message: str
) -> None:
    uuids = [item(trainee, "First"), item(trainee, "Second")]
    reply = edit_reply(round_trip_files(trainee, supervisor, tmp_path, uuids), change)
    with pytest.raises(InvalidInput, match=message):
        trainee.signoffs.import_signoff_file(reply)
    assert all(trainee.signoffs.history(u) == [] for u in uuids)
    assert {trainee.evidence.get(u).status for u in uuids} == {"ready"}


def test_a_truncated_signoff_file_is_refused(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    uuid = item(trainee)
    reply = round_trip_files(trainee, supervisor, tmp_path, [uuid])
    reply.write_bytes(reply.read_bytes()[: len(reply.read_bytes()) // 2])
    with pytest.raises(InvalidInput, match="truncated"):
        trainee.signoffs.import_signoff_file(reply)
    assert trainee.signoffs.history(uuid) == []


def test_another_key_under_a_pinned_supervisors_name_is_refused(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    _own, unlocked = supervisor
    trainee.signoffs.pin_card(unlocked.identity)
    uuid = item(trainee)
    with open_portfolio(resolve_location(tmp_path / "impostor")) as impostor:
        info = impostor.signoffs.create_identity(
            "Priya Shah", "4567890", "educational_supervisor", PASS
        )
        fake = impostor.signoffs.unlock(info.fingerprint, PASS)
        pack_path = tmp_path / "pack.gpcreview"
        trainee.signoffs.export_review_pack(pack_path, [uuid])
        reply = tmp_path / "forged.gpcsignoff"
        impostor.signoffs.sign_pack(
            read_review_pack(pack_path), fake, {uuid: ("signed_off", "")}, reply
        )
    with pytest.raises(InvalidInput, match="not the key pinned for Priya Shah"):
        trainee.signoffs.import_signoff_file(reply)
    assert trainee.signoffs.history(uuid) == []


def test_unpinned_signers_are_not_vouched_for(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    uuid = item(trainee)
    trainee.signoffs.import_signoff_file(round_trip_files(trainee, supervisor, tmp_path, [uuid]))
    status = trainee.evidence.get(uuid).signoff
    assert status is not None and status.state == "valid" and status.vouched_by is None
    assert "not pinned" in status.reason
    assert trainee.coverage.coverage().domains[4].signed == 0


def test_private_items_stay_out_of_packs_unless_chosen(trainee: Portfolio, tmp_path: Path) -> None:
    shown = item(trainee, "Shown")
    hidden = trainee.evidence.create(
        EvidenceDraft(
            kind="reflection", title="Private worry", occurred_on=date(2026, 2, 2), private=True
        )
    )
    trainee.evidence.submit([hidden.uuid])
    pack = tmp_path / "ready.gpcreview"
    trainee.signoffs.export_review_pack(pack, ready=True)
    assert [i.detail.uuid for i in read_review_pack(pack).items] == [shown]
    trainee.signoffs.export_review_pack(pack, [hidden.uuid])
    assert [i.detail.uuid for i in read_review_pack(pack).items] == [hidden.uuid]


def test_identity_cards_round_trip(supervisor) -> None:
    _own, unlocked = supervisor
    card = unlocked.identity.to_card()
    assert PublicIdentity.from_card(json.loads(json.dumps(card))) == unlocked.identity


def test_a_card_file_holds_the_public_card_only_and_replaces_nothing_but_a_file(
    supervisor, tmp_path: Path
) -> None:
    _own, unlocked = supervisor
    path = tmp_path / "new folder" / "Priya card.json"
    assert write_card_file(unlocked.identity, path) == path
    assert read_card_file(path) == unlocked.identity
    assert json.loads(path.read_text()) == unlocked.identity.to_card()  # no key, nothing more
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    with pytest.raises(BadPath, match="is a folder"):
        write_card_file(unlocked.identity, path.parent)
    assert [p.name for p in path.parent.iterdir()] == [path.name]
