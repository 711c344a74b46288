"""Every file format: bytes the app wrote read into the format's model and written back are
the same bytes; and a crafted file (wrong version, oversize, a repeated key, a zip bomb) is
refused in the one shared reader's words (portfolio/formats/reader.py)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput
from portfolio.formats.archive import Ticker, json_bytes, read_archive, write_archive
from portfolio.formats.arcp_manifest import Manifest, ManifestItem, parse_manifest
from portfolio.formats.card import read_card_file
from portfolio.formats.catalogue import catalogue_payload, read_catalogue, write_catalogue
from portfolio.formats.cohort_summary import read_summary
from portfolio.formats.credential import parse_credential
from portfolio.formats.directory import read_directory, write_directory
from portfolio.formats.review_pack import (
    read_pack,
    read_signoff_file,
    write_review_pack,
    write_signoff_file,
)
from portfolio.formats.signing_log import read_log
from portfolio.services.credentials import check_file
from portfolio.services.review_files import read_review_pack
from tests.services.test_signoffs import item

TICKER = Ticker(None, None, "test")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezipped(path: Path, out: Path, changes: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (_members(path) | changes).items():
            archive.writestr(name, data)
    return out


def _with_version(path: Path, member: str | None, out: Path) -> Path:
    """A copy of ``path`` whose JSON (or zip ``member``'s) says format_version 99."""
    raw = _members(path)[member] if member else path.read_bytes()
    document = json.loads(raw) | {"format_version": 99}
    changed = json.dumps(document).encode()
    if member:
        return _rezipped(path, out, {member: changed})
    out.write_bytes(changed)
    return out


def _pack(trainee: Portfolio, tmp_path: Path) -> Path:
    path = tmp_path / "pack.gpcreview"
    uuid = item(trainee)
    trainee.evidence.attach(uuid, _attachment(tmp_path))
    trainee.signoffs.export_review_pack(path, [uuid])
    return path


def _attachment(tmp_path: Path) -> Path:
    path = tmp_path / "audit.txt"
    path.write_text("Handover audit, ward 7: 18 of 20 handovers complete.\n", encoding="utf-8")
    return path


def _reply(trainee: Portfolio, supervisor: Any, tmp_path: Path) -> Path:
    own, unlocked = supervisor
    pack = read_review_pack(_pack(trainee, tmp_path))
    out = tmp_path / "reply.gpcsignoff"
    own.signoffs.sign_pack(
        pack, unlocked, {i.detail.uuid: ("signed_off", "Good.") for i in pack.items}, out
    )
    return out


# -- bytes → model → bytes -----------------------------------------------------------------


def test_an_archive_round_trips(trainee: Portfolio, tmp_path: Path) -> None:
    trainee.evidence.attach(item(trainee), _attachment(tmp_path))
    first = tmp_path / "first.gpcportfolio"
    trainee.archive.export(first)
    archive = read_archive(first, TICKER)
    document = json_bytes(archive.document.model_dump(mode="json"))
    assert document == _members(first)["portfolio.json"]
    again = write_archive(
        tmp_path / "again.gpcportfolio",
        archive.manifest.model_dump(mode="json"),
        document,
        archive.files,
        archive.files.__getitem__,
        TICKER,
    )
    assert again.read_bytes() == first.read_bytes()


def test_a_review_pack_round_trips(trainee: Portfolio, tmp_path: Path) -> None:
    first = _pack(trainee, tmp_path)
    pack = read_pack(first)
    assert pack.attachments  # the item's attachment travelled, checked against its hash
    again = write_review_pack(
        tmp_path / "again.gpcreview",
        pack.pack_id,
        pack.created_at,
        pack.trainee.model_dump(),
        list(pack.items),
        pack.attachments,
        {i.uuid: i.supersedes for i in pack.items if i.supersedes},
        [],
    )
    assert again.read_bytes() == first.read_bytes()


def test_a_signoff_file_round_trips(trainee: Portfolio, supervisor: Any, tmp_path: Path) -> None:
    first = _reply(trainee, supervisor, tmp_path)
    reply = read_signoff_file(first)
    again = write_signoff_file(
        tmp_path / "again.gpcsignoff",
        reply.pack_id,
        reply.trainee_gmc,
        reply.signer,
        list(reply.records),
        list(reply.credentials),
    )
    assert again.read_bytes() == first.read_bytes()


def _directory(supervisor: Any, tmp_path: Path) -> Path:
    own, unlocked = supervisor
    path = tmp_path / "deanery.gpcdirectory"
    own.directories.create("North Deanery", path, [unlocked.identity], unlocked)
    return path


def test_a_directory_round_trips(supervisor: Any, tmp_path: Path) -> None:
    first = _directory(supervisor, tmp_path)
    directory = read_directory(first)
    issued = datetime.fromisoformat(directory.issued_at)
    expires = datetime.fromisoformat(directory.expires_at)
    write_directory(
        tmp_path / "again.gpcdirectory",
        directory.directory_id,
        directory.version,
        directory.name,
        directory.entries,
        supervisor[1],
        valid_days=(expires - issued).days,
        now=issued,
    )
    assert (tmp_path / "again.gpcdirectory").read_bytes() == first.read_bytes()


def _catalogue(mentor: Any, tmp_path: Path) -> Path:
    path = tmp_path / "leadership.gpcopportunities"
    mentor.service.publish(mentor.catalogue_id, path, mentor.unlocked)
    return path


def test_a_catalogue_round_trips(mentor: Any, tmp_path: Path) -> None:
    first = _catalogue(mentor, tmp_path)
    catalogue = read_catalogue(first)
    payload = catalogue_payload(
        catalogue.catalogue_id,
        catalogue.version,
        catalogue.title,
        catalogue.trust,
        catalogue.published_at,
        catalogue.publisher,
        catalogue.opportunities,
    )
    again = write_catalogue(tmp_path / "again.gpcopportunities", payload, mentor.unlocked)
    assert again.read_bytes() == first.read_bytes()


def _summary(trainee: Portfolio, tmp_path: Path) -> Path:
    item(trainee)
    path = tmp_path / "trainee.gpccohort"
    trainee.cohort.write_summary(path)
    return path


def test_a_cohort_summary_round_trips(trainee: Portfolio, tmp_path: Path) -> None:
    first = _summary(trainee, tmp_path)
    assert read_summary(first).to_bytes() == first.read_bytes()


def _manifest_bytes() -> bytes:
    listed = ManifestItem(
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "Led the handover audit",
        "reflection",
        "a" * 64,
        "signed_off",
        (2, 3),
        ("credential-1.json",),
    )
    return Manifest(
        "0.1.0",
        "Zoë Ørsted",
        "7000001",
        "2025-08-06 to 2026-08-05",
        "2026-02-01T09:30:00Z",
        (listed,),
        ("deanery-v1.gpcdirectory",),
    ).to_bytes()


def test_an_arcp_manifest_round_trips() -> None:
    raw = _manifest_bytes()
    assert parse_manifest(raw).to_bytes() == raw


def _card(supervisor: Any, tmp_path: Path) -> Path:
    path = tmp_path / "shah.json"
    card = json.dumps(supervisor[1].identity.to_card(), indent=2, ensure_ascii=False).encode()
    path.write_bytes(card)  # as `gpc-portfolio identity export` writes it
    return path


def test_an_identity_card_round_trips(supervisor: Any, tmp_path: Path) -> None:
    first = _card(supervisor, tmp_path)
    identity = read_card_file(first)
    assert (
        json.dumps(identity.to_card(), indent=2, ensure_ascii=False).encode() == first.read_bytes()
    )


def _log(trainee: Portfolio, supervisor: Any, tmp_path: Path) -> Path:
    _reply(trainee, supervisor, tmp_path)
    own, unlocked = supervisor
    path = tmp_path / "shah.gpclog"
    own.signoffs.export_log(path, unlocked.identity.fingerprint)
    return path


def test_a_signing_log_reads_back_what_was_signed(
    trainee: Portfolio, supervisor: Any, tmp_path: Path
) -> None:
    log = read_log(_log(trainee, supervisor, tmp_path))
    assert [e.sequence for e in log.entries] == [1] and log.signer == supervisor[1].identity


# -- crafted files, refused in the shared reader's words ------------------------------------

Make = Callable[[Portfolio, Any, Any, Path], Path]
"""Writes a real file of the format (trainee, supervisor, mentor, folder)."""


def _read_manifest(path: Path) -> Any:
    return parse_manifest(path.read_bytes())


FORMATS: dict[str, tuple[Make, Callable[[Path], Any], str | None, str]] = {
    # name: (make a real file, read it, its JSON member (zips), wrong-version message)
    "archive": (
        lambda t, _s, _m, d: (t.archive.export(d / "a.gpcportfolio"), d / "a.gpcportfolio")[1],
        lambda p: read_archive(p, TICKER),
        "manifest.json",
        "is a version 99 portfolio archive; this app reads version 1.",
    ),
    "review pack": (
        lambda t, _s, _m, d: _pack(t, d),
        read_pack,
        "manifest.json",
        "is a version 99 review pack; this app reads versions 1 and 2.",
    ),
    "sign-off file": (
        lambda t, s, _m, d: _reply(t, s, d),
        read_signoff_file,
        None,
        "is a version 99 sign-off file; this app reads version 1.",
    ),
    "directory": (
        lambda _t, s, _m, d: _directory(s, d),
        read_directory,
        None,
        "is a version 99 supervisor directory; this app reads version 1.",
    ),
    "catalogue": (
        lambda _t, _s, m, d: _catalogue(m, d),
        read_catalogue,
        None,
        "is a version 99 opportunity catalogue; this app reads version 1.",
    ),
    "cohort summary": (
        lambda t, _s, _m, d: _summary(t, d),
        read_summary,
        None,
        "is a version 99 cohort summary; this app reads version 1.",
    ),
    "identity card": (
        lambda _t, s, _m, d: _card(s, d),
        read_card_file,
        None,
        "The identity card field 'format_version' must be 1; this version of the app reads "
        "only that.",
    ),
    "signing log": (
        lambda t, s, _m, d: _log(t, s, d),
        read_log,
        None,
        "is a version 99 signing log; this app reads version 1.",
    ),
    "arcp manifest": (
        lambda _t, _s, _m, d: (d / "m.json", (d / "m.json").write_bytes(_manifest_bytes()))[0],
        _read_manifest,
        None,
        "is a version 99 ARCP summary manifest; this app reads version 1.",
    ),
}
ZIPS = {name for name, (_, _, member, _) in FORMATS.items() if member}
OVERSIZE = {
    "identity card": "The identity card file .* is larger than 64 KiB; it was not read.",
    "sign-off file": "The sign-off file .* is larger than 5 MiB; it was not read.",
    "directory": "is too large to be a supervisor directory.",
    "catalogue": "The opportunity catalogue file .* is larger than 5 MiB; it was not read.",
    "cohort summary": "The cohort summary file .* is larger than 256 KiB; it was not read.",
    "signing log": "is too large to be a signing log.",
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_file_of_another_version_is_refused(
    name: str, trainee: Portfolio, supervisor: Any, mentor: Any, tmp_path: Path
) -> None:
    make, read, member, message = FORMATS[name]
    real = make(trainee, supervisor, mentor, tmp_path)
    read(real)  # the real file reads
    crafted = _with_version(real, member, tmp_path / f"crafted{real.suffix}")
    with pytest.raises(InvalidInput) as refused:
        read(crafted)
    assert str(refused.value).endswith(message)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_repeated_key_is_refused(
    name: str, trainee: Portfolio, supervisor: Any, mentor: Any, tmp_path: Path
) -> None:
    """A second "format_version" could tell a checker one thing and a reader another."""
    make, read, member, _ = FORMATS[name]
    real = make(trainee, supervisor, mentor, tmp_path)
    raw = _members(real)[member] if member else real.read_bytes()
    repeated = raw.replace(b'"format_version": ', b'"format_version": 1, "format_version": ', 1)
    assert repeated != raw
    crafted = tmp_path / f"crafted{real.suffix}"
    if member:
        _rezipped(real, crafted, {member: repeated})
    else:
        crafted.write_bytes(repeated)
    with pytest.raises(InvalidInput, match="repeats the key 'format_version' in one object"):
        read(crafted)


@pytest.mark.parametrize("name", sorted(OVERSIZE))
def test_an_oversized_file_is_refused_unread(name: str, tmp_path: Path) -> None:
    _, read, _, _ = FORMATS[name]
    crafted = tmp_path / "huge.json"
    with crafted.open("wb") as handle:  # sparse: nothing near the limit is ever held
        handle.write(b"{")
        handle.truncate(64 * 2**20 + 1)
    with pytest.raises(InvalidInput, match=OVERSIZE[name]):
        read(crafted)


@pytest.mark.parametrize("name", sorted(ZIPS))
def test_a_zip_bomb_is_refused_before_it_inflates(
    name: str, trainee: Portfolio, supervisor: Any, mentor: Any, tmp_path: Path
) -> None:
    make, read, _, _ = FORMATS[name]
    real = make(trainee, supervisor, mentor, tmp_path)
    bomb = b"\0" * (31 * 2**20)  # inflates a thousandfold, past every member limit
    crafted = _rezipped(real, tmp_path / f"bomb{real.suffix}", {"attachments/" + "0" * 64: bomb})
    with pytest.raises(InvalidInput, match=r"attachments/0{64} in bomb.* is too large"):
        read(crafted)


def test_a_credential_with_a_repeated_key_is_not_a_credential(tmp_path: Path) -> None:
    crafted = tmp_path / "credential.json"
    crafted.write_bytes(b'{"id": "urn:uuid:1", "id": "urn:uuid:2"}')
    assert check_file(crafted).problem == "The file is not a JSON credential."
    with pytest.raises(InvalidInput, match=r"^credential\.json is not a JSON credential$"):
        parse_credential(crafted.read_bytes(), "credential.json")
