"""The two files of sign-off by post: a review pack (.gpcreview) the trainee sends, and a
sign-off file (.gpcsignoff) the supervisor sends back. Formats: docs/formats.md.

Readers check everything before anything is used (through ``portfolio.formats.reader``): a bad
file gets one sentence naming the problem. ``portfolio.services.review_files`` shows a pack's
items as the app's evidence details.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from portfolio import __version__
from portfolio.errors import InvalidInput
from portfolio.formats.reader import parse_json, read_bounded, read_zip, validated, versioned
from portfolio.security.canonical import digest
from portfolio.security.content import Content, content_of
from portfolio.security.signing import PublicIdentity, SignOffRecord
from portfolio.storage.files import write_atomically, write_zip

if TYPE_CHECKING:  # the schemas import pydantic: only a reader imports them
    from portfolio.formats._review_pack_schema import PackItem as PackItem
    from portfolio.formats._review_pack_schema import PackTrainee as PackTrainee

PACK_FORMAT = "gpc-portfolio-review"
SIGNOFFS_FORMAT = "gpc-portfolio-signoffs"
FORMAT_VERSION = 1
"""Of sign-off files; the records inside carry their own version."""
PACK_FORMAT_VERSION = 2
"""Version 2 adds each item's ``supersedes``; version 1 packs are still read."""
MAX_SIGNOFF_FILE_BYTES = 5 * 2**20
_ATTACHMENT = re.compile(r"^attachments/[0-9a-f]{64}$")
EARLIER = "earlier-signoffs.json"
"""Optional pack member: earlier sign-offs that have no credential yet, with the signed content,
so that their supervisor's app can issue the credentials (docs/formats.md)."""


@dataclass(frozen=True)
class EarlierSignOff:
    """A sign-off made before credentials existed, with the item's content as it was signed."""

    record: SignOffRecord
    title: str
    kind: str
    links: tuple[str, ...]


@dataclass(frozen=True)
class PackFile:
    """A read and checked review pack: each item's content has its digest, each attachment
    its hash."""

    pack_id: str
    created_at: str
    trainee: PackTrainee
    items: tuple[PackItem, ...]
    attachments: dict[str, bytes]
    """The items' attachments by SHA-256."""
    earlier: tuple[EarlierSignOff, ...] = ()


class _LinkSource(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def justification(self) -> str: ...


class _AttachmentSource(Protocol):
    @property
    def sha256(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def mime_type(self) -> str: ...


class PackSource(Content, Protocol):
    """An item to put in a pack (the app's evidence detail)."""

    @property
    def uuid(self) -> str: ...
    @property
    def links(self) -> Sequence[_LinkSource]: ...
    @property
    def attachments(self) -> Sequence[_AttachmentSource]: ...
    @property
    def digest(self) -> str: ...


@dataclass(frozen=True)
class SignOffFile:
    pack_id: str
    trainee_gmc: str
    signer: PublicIdentity
    records: tuple[SignOffRecord, ...]
    credentials: tuple[dict[str, Any], ...] = ()
    """Sign-off credentials (optional: files from before credentials have none)."""


def write_review_pack(
    path: Path,
    pack_id: str,
    created_at: str,
    trainee: dict[str, str],
    items: Sequence[PackSource],
    attachments: dict[str, bytes],
    supersedes: dict[str, str],
    earlier: list[tuple[SignOffRecord, dict[str, Any]]],
) -> Path:
    """``supersedes``: uuid → the signature of the item's latest sign-off, for those with one;
    ``earlier``: (record, the signed content as `content_of` gives it) of sign-offs that have no
    credential yet."""
    manifest = {
        "format": PACK_FORMAT,
        "format_version": PACK_FORMAT_VERSION,
        "app_version": __version__,
        "pack_id": pack_id,
        "created_at": created_at,
        "trainee": trainee,
    }
    entries = [
        {
            "uuid": item.uuid,
            "kind": item.kind,
            "title": item.title,
            "occurred_on": item.occurred_on.isoformat(),
            "occurred_until": item.occurred_until.isoformat() if item.occurred_until else None,
            "fields": item.fields,
            "text": item.text,
            "links": [{"code": ln.code, "justification": ln.justification} for ln in item.links],
            "attachments": [
                {
                    "sha256": a.sha256,
                    "filename": a.filename,
                    "size": a.size,
                    "mime_type": a.mime_type,
                }
                for a in item.attachments
            ],
            "digest": item.digest,
            "supersedes": supersedes.get(item.uuid),
        }
        for item in items
    ]
    members = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode(),
        "items.json": json.dumps(entries, indent=2, ensure_ascii=False).encode(),
    }
    members.update({f"attachments/{sha}": data for sha, data in sorted(attachments.items())})
    if earlier:
        entries_earlier = [{"record": r.to_dict(), "content": c} for r, c in earlier]
        members[EARLIER] = json.dumps(entries_earlier, ensure_ascii=False).encode()
    return write_zip(path, members)


def read_pack(path: Path) -> PackFile:
    members = read_zip(
        path,
        "review pack",
        lambda name: (
            name in ("manifest.json", "items.json", EARLIER) or bool(_ATTACHMENT.match(name))
        ),
    )
    for required in ("manifest.json", "items.json"):
        if required not in members:
            raise InvalidInput(f"{path.name} is not a review pack: {required} is missing.")
    loose = parse_json(members["manifest.json"], f"{path.name}: manifest.json")
    raw_items = parse_json(members["items.json"], f"{path.name}: items.json")
    versioned(loose, path.name, PACK_FORMAT, (1, PACK_FORMAT_VERSION), "review pack")
    from portfolio.formats._review_pack_schema import PackItem, _Manifest  # pydantic, when read

    manifest = validated(_Manifest, loose, path.name)
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput(f"{path.name} holds no items to review.")
    items = tuple(validated(PackItem, entry, path.name) for entry in raw_items)
    if manifest.format_version == 1 and any(item.supersedes for item in items):
        raise InvalidInput(f"{path.name} is a version 1 review pack with version 2 items.")
    attachments: dict[str, bytes] = {}
    for item in items:
        attachments.update(_checked_item(path, item, members))
    return PackFile(
        manifest.pack_id,
        manifest.created_at,
        manifest.trainee,
        items,
        attachments,
        _earlier(path, members.get(EARLIER)),
    )


def _earlier(path: Path, member: bytes | None) -> tuple[EarlierSignOff, ...]:
    """Earlier sign-offs whose content matches the digest their record signs; else refused."""
    if member is None:
        return ()
    try:
        entries = parse_json(member, EARLIER)
        found = []
        for entry in entries:
            record, content = SignOffRecord.from_dict(entry["record"]), entry["content"]
            title, kind, links = content["title"], content["kind"], content["links"]
            if (
                digest(content) != record.evidence_digest
                or content["uuid"] != record.evidence_uuid
                or not all(isinstance(t, str) for t in (title, kind, *links))
            ):
                raise ValueError("content that is not what was signed")
            found.append(EarlierSignOff(record, title, kind, tuple(links)))
    except (ValueError, TypeError, KeyError, InvalidInput) as error:
        raise InvalidInput(f"{path.name}: the earlier sign-offs are malformed ({error}).") from None
    return tuple(found)


def _checked_item(path: Path, item: PackItem, members: dict[str, bytes]) -> dict[str, bytes]:
    """The item's attachments, when each has its hash and its content has its digest."""
    data: dict[str, bytes] = {}
    for attachment in item.attachments:
        content = members.get(f"attachments/{attachment.sha256}")
        if content is None or hashlib.sha256(content).hexdigest() != attachment.sha256:
            raise InvalidInput(
                f"{path.name}: attachment {attachment.filename} of "
                f"'{item.title}' is missing or altered."
            )
        data[attachment.sha256] = content
    if digest(content_of(item.uuid, item, (a.sha256 for a in item.attachments))) != item.digest:
        raise InvalidInput(
            f"{path.name}: the content of '{item.title}' does not match its "
            "digest; the pack was altered after it was made."
        )
    return data


def write_signoff_file(
    path: Path,
    pack_id: str,
    trainee_gmc: str,
    signer: PublicIdentity,
    records: list[SignOffRecord],
    credentials: list[dict[str, Any]],
) -> Path:
    document = {
        "format": SIGNOFFS_FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "pack_id": pack_id,
        "trainee_gmc": trainee_gmc,
        "signer": signer.to_card(),
        "records": [record.to_dict() for record in records],
        "credentials": credentials,
    }
    return write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False).encode())


def read_signoff_file(path: Path) -> SignOffFile:
    raw = read_bounded(path, "sign-off", MAX_SIGNOFF_FILE_BYTES)
    data = parse_json(raw, path.name)
    versioned(data, path.name, SIGNOFFS_FORMAT, (FORMAT_VERSION,), "sign-off file")
    from portfolio.formats._review_pack_schema import _SignOffFile  # pydantic, when one is read

    document = validated(_SignOffFile, data, path.name)
    signer = PublicIdentity.from_card(document.signer)
    records = []
    for number, entry in enumerate(document.records, start=1):
        try:
            record = SignOffRecord.from_dict(entry)
        except InvalidInput as error:
            raise InvalidInput(f"{path.name}, sign-off {number}: {error}") from None
        if record.signer != signer:
            raise InvalidInput(
                f"{path.name}, sign-off {number}: signed by someone other than the file's signer."
            )
        records.append(record)
    if not records:
        raise InvalidInput(f"{path.name} holds no sign-offs.")
    return SignOffFile(
        document.pack_id,
        document.trainee_gmc,
        signer,
        tuple(records),
        tuple(document.credentials),
    )
