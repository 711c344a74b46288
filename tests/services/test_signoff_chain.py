"""Append-only sign-offs, their chain, withdrawals, checked attachment bytes and the signer's log.

Each attack of issue 11 that these cover is tried as the trainee would, on their own files.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.models import SignOff
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.review_files import read_review_pack
from portfolio.services.verification import in_chain_order
from tests.raw_database import drop_trigger, raw_database
from tests.services.test_signoffs import PASS, item, meeting_identity


def run_raw(portfolio: Portfolio, *statements: str, **params: object) -> None:
    """Statements run past the app, on the attacker's own connection to the database."""
    with raw_database(portfolio.location) as con:
        for statement in statements:
            con.execute(text(statement), params)


def drop_triggers(portfolio: Portfolio) -> None:
    """What it takes to edit sign-off rows: the attacker drops the append-only triggers."""
    with raw_database(portfolio.location) as con:
        drop_trigger(con, "signoff", "signoff_append_only_update")
        drop_trigger(con, "signoff", "signoff_append_only_delete")


def test_the_database_refuses_to_update_or_delete_a_signoff(trainee: Portfolio) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Good.")
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "changes_requested", "Add the outcome.")
    for statement in (
        "UPDATE signoff SET decision = 'signed_off'",
        "UPDATE signoff SET comment = '' WHERE decision = 'changes_requested'",
        "DELETE FROM signoff WHERE decision = 'changes_requested'",
        "DELETE FROM signoff",
    ):
        with pytest.raises(IntegrityError, match="sign-offs are append-only"):
            run_raw(trainee, statement)
    assert [s.decision for s in trainee.signoffs.history(uuid)] == [
        "signed_off",
        "changes_requested",
    ]
    assert trainee.evidence.get(uuid).status == "changes_requested"


def test_each_record_names_the_one_it_supersedes(trainee: Portfolio) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    first = trainee.signoffs.sign_in_meeting(unlocked, uuid, "changes_requested", "More.")
    second = trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Now good.")
    assert first.status.supersedes is None
    assert second.status.supersedes == first.status.signature
    assert [s.chain_warning for s in trainee.signoffs.history(uuid)] == ["", ""]


def test_a_signoff_deleted_from_the_middle_of_a_chain_shows_as_a_gap(
    trainee: Portfolio,
) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Good.")
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "changes_requested", "Add the outcome.")
    trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Fine now.")
    drop_triggers(trainee)
    run_raw(trainee, "DELETE FROM signoff WHERE decision = 'changes_requested'")
    [result] = trainee.signoffs.verify_all()
    assert result.status.state == "valid"
    assert "missing" in result.status.chain_warning
    assert trainee.evidence.get(uuid).signoff.chain_warning == result.status.chain_warning


def test_an_updated_signoff_row_is_invalid_even_with_the_triggers_dropped(
    trainee: Portfolio,
) -> None:
    uuid = item(trainee)
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "changes_requested", "No.")
    drop_triggers(trainee)
    run_raw(
        trainee,
        "UPDATE signoff SET decision = 'signed_off', comment = 'Yes.'",
        "UPDATE evidence SET status = 'signed_off'",
    )
    assert trainee.evidence.get(uuid).status == "invalid"
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["invalid"]


def test_a_decision_is_withdrawn_by_a_signed_record_not_by_deleting_it(
    trainee: Portfolio,
) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    decision = trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Oops, wrong item.")
    assert trainee.coverage.coverage().domains[4].signed == 1
    withdrawal = trainee.signoffs.withdraw_in_meeting(unlocked, decision.status.signature)
    assert withdrawal.status.decision == "withdrawn" and withdrawal.status.state == "valid"
    assert withdrawal.status.supersedes == decision.status.signature
    detail = trainee.evidence.get(uuid)
    assert detail.status == "ready"  # back in the queue; the decision no longer counts
    assert [d.uuid for d in trainee.evidence.details(EvidenceQuery(status="ready"))] == [uuid]
    assert all(d.signed == 0 for d in trainee.coverage.coverage().domains)
    assert [s.decision for s in trainee.signoffs.history(uuid)] == ["signed_off", "withdrawn"]
    with pytest.raises(InvalidInput, match="Only the latest decision"):
        trainee.signoffs.withdraw_in_meeting(unlocked, decision.status.signature)
    with pytest.raises(InvalidInput, match="Only the latest decision"):
        trainee.signoffs.withdraw_in_meeting(unlocked, withdrawal.status.signature)
    again = trainee.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "The right one.")
    assert again.status.supersedes == withdrawal.status.signature
    assert trainee.evidence.get(uuid).status == "signed_off"


def test_only_the_signer_can_withdraw(trainee: Portfolio) -> None:
    uuid = item(trainee)
    decision = trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "")
    info = trainee.signoffs.create_identity("Ann Lee", "4000009", "clinical_supervisor", PASS)
    other = trainee.signoffs.unlock(info.fingerprint, PASS)
    with pytest.raises(InvalidInput, match="Only the supervisor who signed"):
        trainee.signoffs.withdraw_in_meeting(other, decision.status.signature)
    assert trainee.evidence.get(uuid).status == "signed_off"


# -- attachment bytes ----------------------------------------------------------------------------


def swap_bytes(portfolio: Portfolio, sha256: str, data: bytes) -> None:
    run_raw(portfolio, "UPDATE blob SET data = :data WHERE sha256 = :sha", data=data, sha=sha256)


def test_swapped_attachment_bytes_show_the_item_as_edited_and_never_leave(
    trainee: Portfolio, tmp_path: Path
) -> None:
    uuid = item(trainee)
    attachment = trainee.evidence.attach_bytes(uuid, "audit.csv", b"ward,complete\nA,42\n")
    trainee.evidence.submit([uuid])
    trainee.signoffs.sign_in_meeting(meeting_identity(trainee), uuid, "signed_off", "Good audit.")
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["valid"]
    trainee.archive.export(tmp_path / "before.gpcportfolio")  # fine while the bytes are intact

    swap_bytes(trainee, attachment.sha256, b"ward,complete\nA,50\n")  # same length, new bytes
    assert [r.status.state for r in trainee.signoffs.verify_all()] == ["edited"]
    assert trainee.evidence.get(uuid).status == "edited"
    assert trainee.signoffs.history(uuid)[0].state == "edited"

    with pytest.raises(InvalidInput, match=r"audit\.csv of 'Led the handover audit' no longer"):
        trainee.archive.export(tmp_path / "after.gpcportfolio")
    assert not (tmp_path / "after.gpcportfolio").exists()
    with pytest.raises(InvalidInput, match=r"audit\.csv of 'Led the handover audit' no longer"):
        trainee.signoffs.export_review_pack(tmp_path / "pack.gpcreview", [uuid])
    assert not (tmp_path / "pack.gpcreview").exists()


# -- by file: the pack names the predecessor, the supervisor's copy logs what it signs ------------


def sign_by_file(
    trainee: Portfolio, supervisor, tmp_path: Path, uuids: list[str], decision: str, name: str
) -> Path:
    own, unlocked = supervisor
    pack_path = tmp_path / f"{name}.gpcreview"
    trainee.signoffs.export_review_pack(pack_path, uuids)
    out = tmp_path / f"{name}.gpcsignoff"
    own.signoffs.sign_pack(
        read_review_pack(pack_path), unlocked, {u: (decision, "Noted.") for u in uuids}, out
    )
    return out


def test_by_file_the_supervisor_names_the_record_the_pack_had(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    uuid = item(trainee)
    first = trainee.signoffs.sign_in_meeting(
        meeting_identity(trainee), uuid, "changes_requested", "x"
    )
    trainee.evidence.submit([uuid])
    reply = sign_by_file(trainee, supervisor, tmp_path, [uuid], "signed_off", "one")
    [outcome] = trainee.signoffs.import_signoff_file(reply)
    assert outcome.status.supersedes == first.status.signature
    assert outcome.status.chain_warning == ""


def test_the_signing_log_lists_what_the_portfolio_no_longer_has(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    own, _ = supervisor
    uuids = [item(trainee, "First"), item(trainee, "Second")]
    trainee.signoffs.import_signoff_file(
        sign_by_file(trainee, supervisor, tmp_path, uuids, "signed_off", "one")
    )
    trainee.evidence.submit(uuids[:1])
    later = sign_by_file(trainee, supervisor, tmp_path, uuids[:1], "changes_requested", "two")
    log = tmp_path / "priya.gpclog"
    assert own.signoffs.export_log(log) == 3
    assert trainee.signoffs.missing_from_log(log) == [
        m for m in trainee.signoffs.missing_from_log(log) if m.evidence_uuid == uuids[0]
    ]
    [missing] = trainee.signoffs.missing_from_log(log)  # the trainee kept the reply to themself
    assert (missing.sequence, missing.decision) == (3, "changes_requested")
    trainee.signoffs.import_signoff_file(later)
    assert trainee.signoffs.missing_from_log(log) == []

    # Deleting the latest row (triggers dropped) leaves no gap here, but the log shows it.
    drop_triggers(trainee)
    run_raw(
        trainee,
        "DELETE FROM signoff WHERE decision = 'changes_requested'",
        "UPDATE evidence SET status = 'signed_off'",
    )
    assert {r.status.state for r in trainee.signoffs.verify_all()} == {"valid"}
    assert [m.decision for m in trainee.signoffs.missing_from_log(log)] == ["changes_requested"]


def test_a_log_for_another_trainee_shows_nothing_missing_here(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    own, _ = supervisor
    sign_by_file(trainee, supervisor, tmp_path, [item(trainee)], "signed_off", "one")
    log = tmp_path / "priya.gpclog"
    own.signoffs.export_log(log)
    document = json.loads(log.read_text())
    assert document["entries"][0]["trainee_gmc"] == "7000001"
    trainee.profile.save(ProfileData(name="Someone Else", gmc_number="7000099"))
    assert trainee.signoffs.missing_from_log(log) == []


def _drop_first_and_renumber(entries: list[dict]) -> None:
    """Take the first entry out and renumber the rest, as a careful forger would."""
    del entries[0]
    for number, entry in enumerate(entries, start=1):
        entry["sequence"] = number


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda d: d["entries"].pop(0), "out of sequence"),
        (lambda d: d["entries"].pop(1), "out of sequence"),
        (lambda d: _drop_first_and_renumber(d["entries"]), "does not follow"),
        (lambda d: d["entries"][0].update(sequence=True), "out of sequence"),
        (lambda d: d["entries"][1].update(trainee_gmc="7000099"), "signature does not match"),
        (lambda d: d["entries"][0]["record"].update(comment="Forged"), "log was altered"),
        (lambda d: d["entries"].reverse(), "out of sequence"),
        (lambda d: d.update(format_version=9), "version 9"),
    ],
)
def test_an_altered_signing_log_is_refused(
    trainee: Portfolio, supervisor, tmp_path: Path, tamper, message: str
) -> None:
    own, _ = supervisor
    uuids = [item(trainee, "First"), item(trainee, "Second"), item(trainee, "Third")]
    sign_by_file(trainee, supervisor, tmp_path, uuids, "signed_off", "one")
    log = tmp_path / "priya.gpclog"
    own.signoffs.export_log(log)
    document = json.loads(log.read_text())
    tamper(document)
    log.write_text(json.dumps(document))
    with pytest.raises(InvalidInput, match=message):
        trainee.signoffs.missing_from_log(log)


def test_the_signing_log_is_append_only(supervisor, trainee: Portfolio, tmp_path: Path) -> None:
    own, _ = supervisor
    sign_by_file(trainee, supervisor, tmp_path, [item(trainee)], "signed_off", "one")
    with pytest.raises(IntegrityError, match="the signing log is append-only"):
        run_raw(own, "DELETE FROM signing_log")
    with pytest.raises(IntegrityError, match="the signing log is append-only"):
        run_raw(own, "UPDATE signing_log SET trainee_gmc = '7000099'")


def test_a_version_1_pack_is_still_signed(trainee: Portfolio, supervisor, tmp_path: Path) -> None:
    own, unlocked = supervisor
    uuid = item(trainee)
    pack = tmp_path / "pack.gpcreview"
    trainee.signoffs.export_review_pack(pack, [uuid])
    members = dict(
        (name, zipfile.ZipFile(pack).read(name)) for name in zipfile.ZipFile(pack).namelist()
    )
    manifest = json.loads(members["manifest.json"])
    items = json.loads(members["items.json"])
    manifest["format_version"] = 1
    for entry in items:
        del entry["supersedes"]
    members.update(
        {"manifest.json": json.dumps(manifest).encode(), "items.json": json.dumps(items).encode()}
    )
    with zipfile.ZipFile(pack, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    reply = tmp_path / "reply.gpcsignoff"
    own.signoffs.sign_pack(read_review_pack(pack), unlocked, {uuid: ("signed_off", "")}, reply)
    [outcome] = trainee.signoffs.import_signoff_file(reply)
    assert outcome.status.state == "valid" and outcome.status.supersedes is None


def test_the_chain_travels_in_an_archive_and_a_record_left_out_shows_as_a_gap(
    trainee: Portfolio, tmp_path: Path
) -> None:
    uuid = item(trainee)
    unlocked = meeting_identity(trainee)
    for decision in ("signed_off", "changes_requested", "signed_off"):
        trainee.evidence.submit([uuid])
        trainee.signoffs.sign_in_meeting(unlocked, uuid, decision, "")
    archive = tmp_path / "all.gpcportfolio"
    trainee.archive.export(archive)
    with open_portfolio(resolve_location(tmp_path / "copy")) as copy:
        copy.archive.import_(archive)
        history = copy.signoffs.history(uuid)
        assert [h.supersedes for h in history[1:]] == [h.signature for h in history[:-1]]
        assert {h.chain_warning for h in history} == {""}

    with zipfile.ZipFile(archive) as z:
        members = {name: z.read(name) for name in z.namelist()}
    document = json.loads(members["portfolio.json"])
    document["signoffs"] = [  # the "changes requested" is left out
        s for s in document["signoffs"] if s["record"]["decision"] != "changes_requested"
    ]
    members["portfolio.json"] = json.dumps(document).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["counts"]["signoffs"] -= 1
    members["manifest.json"] = json.dumps(manifest).encode()
    crafted = tmp_path / "crafted.gpcportfolio"
    with zipfile.ZipFile(crafted, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with open_portfolio(resolve_location(tmp_path / "other")) as other:
        other.archive.import_(crafted)
        [result] = other.signoffs.verify_all()
        assert result.status.decision == "signed_off"
        assert "missing" in result.status.chain_warning


def test_nothing_is_sent_that_the_log_could_not_keep(
    trainee: Portfolio, supervisor, tmp_path: Path
) -> None:
    own, unlocked = supervisor
    uuid = item(trainee)
    pack = tmp_path / "pack.gpcreview"
    trainee.signoffs.export_review_pack(pack, [uuid])
    out = tmp_path / "reply.gpcsignoff"
    out.write_text("an older reply the supervisor kept")
    run_raw(  # the supervisor's own copy is a SQLite file on their laptop
        own,
        "CREATE TRIGGER full BEFORE INSERT ON signing_log BEGIN SELECT RAISE(ABORT, 'full'); END",
    )
    with pytest.raises(IntegrityError, match="full"):
        own.signoffs.sign_pack(read_review_pack(pack), unlocked, {uuid: ("signed_off", "")}, out)
    assert out.read_text() == "an older reply the supervisor kept"
    assert own.signoffs.export_log(tmp_path / "log.gpclog") == 0


def test_chain_order_within_one_second_long_chains_and_cycles() -> None:
    def row(n: int, supersedes: int | None, row_id: int) -> SignOff:
        return SignOff(
            id=row_id,
            signature=f"s{n}",
            supersedes=None if supersedes is None else f"s{supersedes}",
            signed_at="2026-03-01T10:00:00Z",
        )

    count = 5_000  # deeper than Python's recursion limit
    rows = [row(n, n - 1 if n else None, row_id=count - n) for n in range(count)]
    assert [r.signature for r in in_chain_order(rows)] == [f"s{n}" for n in range(count)]
    # A record whose predecessor is missing comes after a first record of the same second.
    assert [r.signature for r in in_chain_order([row(7, 3, 1), row(1, None, 2)])] == ["s1", "s7"]
    # Only a forgery makes a cycle; it is ordered, not looped over forever.
    assert len(in_chain_order([row(1, 2, 1), row(2, 1, 2)])) == 2
