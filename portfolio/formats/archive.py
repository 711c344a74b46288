"""The portable archive file (.gpcportfolio, format 1): its schema, writer and checked reader.

A zip of ``manifest.json``, ``portfolio.json`` and ``attachments/<sha256>`` (see
docs/formats.md). Everything here is about the file alone; the use case that reads the
database and merges into it is ``portfolio.services.archive``; every read goes through
``portfolio.formats.reader``.

The reader checks everything that can be checked without a database before anything is used:
zip member names, sizes and counts (``read_zip``), the manifest's format and version, every
field of ``portfolio.json`` against strict pydantic models (``extra="forbid"``, lengths,
counts), attachment contents against their SHA-256, every revision's digest against its
snapshot, every item's content against its latest revision, and every sign-off's signature.
A problem is one ``InvalidInput`` sentence.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from portfolio import limits
from portfolio.curriculum import Curriculum, builtin_curricula, curriculum_from_data
from portfolio.errors import InvalidInput, OperationCancelled
from portfolio.formats.reader import ZipLimits, parse_json, read_zip, validated, versioned
from portfolio.reproducible import source_date
from portfolio.security.canonical import digest
from portfolio.security.content import content_of
from portfolio.security.signing import PublicIdentity, SignOffRecord
from portfolio.storage.files import write_zip
from portfolio.vocabulary import GMC_NUMBER_PATTERN, STATUSES, Role, Status

FORMAT = "gpc-portfolio-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PORTFOLIO = "portfolio.json"
ATTACHMENT_PREFIX = "attachments/"
_ATTACHMENT_NAME = re.compile(r"^attachments/[0-9a-f]{64}$")
CONTENT_KEYS = (
    "uuid",
    "kind",
    "title",
    "occurred_on",
    "occurred_until",
    "fields",
    "text",
    "links",
    "attachments",
)
"""The snapshot keys that make up an item's signed content (``content.content_of``)."""

MAX_ITEMS = 500_000
MAX_FILES = 100_000
MAX_PORTFOLIO_JSON_BYTES = 1 * 2**30
LIMITS = ZipLimits(
    max_members=MAX_FILES + 2,
    max_member_bytes=MAX_PORTFOLIO_JSON_BYTES,
    max_total_bytes=8 * 2**30,
)

Progress = Callable[[int, int], None]
"""Called with (done, total) as work goes on; ``total`` may grow between phases."""
Cancelled = Callable[[], bool]
"""Asked between steps; True stops the work, leaving the portfolio (or the old file) as it was."""


class Ticker:
    """Reports progress and honours cancellation at the same points."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, what: str) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._what = what
        self.done = 0
        self.total = 0

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise OperationCancelled(f"The {self._what} was cancelled; nothing was changed.")

    def add_total(self, amount: int) -> None:
        self.total += amount
        self._report()

    def step(self, amount: int = 1) -> None:
        self.done += amount
        if self.done % 100 == 0 or self.done >= self.total:
            self._report()
            self.check()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total)


# -- timestamps ------------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$")


def format_timestamp(moment: datetime) -> str:
    """Database times are naive UTC; in the archive they carry a Z."""
    return (moment if moment.tzinfo is None else moment.replace(tzinfo=None)).isoformat() + "Z"


def _parse_timestamp(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        raise ValueError("must be a UTC time such as 2026-02-01T09:30:00Z")
    return datetime.fromisoformat(value[:-1])


def archive_created_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    return format_timestamp(source_date() or datetime.now(UTC).replace(microsecond=0))


Timestamp = Annotated[
    datetime, BeforeValidator(_parse_timestamp), PlainSerializer(format_timestamp, when_used="json")
]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Uuid = Annotated[
    str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Name = Annotated[str, Field(max_length=limits.MAX_PROFILE_TEXT)]


# -- schema ----------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _stored(status: Status) -> Status:
    if status not in STATUSES:
        raise ValueError(f"must be one of {', '.join(STATUSES)}")
    return status


StoredStatus = Annotated[Status, AfterValidator(_stored)]


def _unused(value: object) -> bool:
    """An optional member left out when empty, so the archive is what earlier versions wrote."""
    return not value


class Counts(_Strict):
    items: int = Field(ge=0)
    revisions: int = Field(ge=0)
    signoffs: int = Field(ge=0)
    attachments: int = Field(ge=0)
    placements: int = Field(ge=0)
    identities: int = Field(ge=0)


class Manifest(_Strict):
    format: Literal["gpc-portfolio-archive"]
    format_version: Literal[1]
    app_version: str = Field(max_length=40)
    created_at: str = Field(max_length=40)
    counts: Counts


class ProfileEntry(_Strict):
    name: str = Field(min_length=1, max_length=limits.MAX_PROFILE_TEXT)
    gmc_number: str = Field(pattern=GMC_NUMBER_PATTERN)
    grade: Name = ""
    specialty: Name = ""
    programme: Name = ""
    region: Name = ""
    trust: Name = ""
    training_start: date | None = None
    training_end: date | None = None
    educational_supervisor: Name = ""
    curriculum_id: str = Field(default="", max_length=64, exclude_if=_unused)
    """The trainee's own curriculum (optional: written only when one is chosen)."""


class CurriculumEntry(_Strict):
    """An imported curriculum: its curriculum file (docs/curricula.md), and whether the
    exporting portfolio had removed it (it is then kept only for the links to its nodes)."""

    curriculum: dict[str, Any]
    removed: bool = False


class PlacementEntry(_Strict):
    ref: int = Field(ge=1, le=1_000_000)
    """This placement's number in the archive: items and snapshots refer to it."""
    trust: str = Field(min_length=1, max_length=limits.MAX_PROFILE_TEXT)
    department: Name = ""
    starts_on: date
    ends_on: date | None = None
    clinical_supervisor: Name = ""


class IdentityEntry(_Strict):
    name: Name
    gmc_number: str = Field(pattern=GMC_NUMBER_PATTERN)
    role: Role
    public_key: str = Field(max_length=64)
    fingerprint: str = Field(max_length=64)
    pinned: bool
    added_at: Timestamp


class LinkEntry(_Strict):
    code: str = Field(min_length=1, max_length=64)
    justification: str = Field(default="", max_length=limits.MAX_JUSTIFICATION)


class AttachmentEntry(_Strict):
    sha256: Sha256
    filename: str = Field(min_length=1, max_length=limits.MAX_FILENAME)
    added_at: Timestamp


class Snapshot(_Strict):
    """An item as it was at one save (``content.snapshot_of``); ``placement_id`` is a ref."""

    uuid: Uuid
    kind: str = Field(max_length=40)
    title: str = Field(max_length=limits.MAX_TITLE)
    occurred_on: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    occurred_until: str | None = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    fields: dict[str, Any]
    text: str = Field(max_length=limits.MAX_TEXT)
    links: list[Annotated[str, Field(max_length=64)]] = Field(max_length=limits.MAX_LINKS)
    attachments: list[Sha256] = Field(max_length=limits.MAX_ATTACHMENTS)
    status: StoredStatus
    private: bool
    placement_id: int | None
    justifications: dict[str, Annotated[str, Field(max_length=limits.MAX_JUSTIFICATION)]]
    tags: list[Annotated[str, Field(max_length=limits.MAX_TAG)]] = Field(max_length=limits.MAX_TAGS)
    attachment_names: dict[str, Annotated[str, Field(max_length=limits.MAX_FILENAME)]]
    deleted: bool


class RevisionEntry(_Strict):
    number: int = Field(ge=1, le=10_000_000)
    saved_at: Timestamp
    reason: str = Field(min_length=1, max_length=40)
    digest: Sha256
    snapshot: Snapshot


class ItemEntry(_Strict):
    uuid: Uuid
    kind: str = Field(max_length=40)
    title: str = Field(min_length=1, max_length=limits.MAX_TITLE)
    occurred_on: date
    occurred_until: date | None = None
    fields: dict[str, Any]
    text: str = Field(max_length=limits.MAX_TEXT)
    status: StoredStatus
    private: bool
    placement: int | None = None
    created_at: Timestamp
    updated_at: Timestamp
    deleted_at: Timestamp | None = None
    links: list[LinkEntry] = Field(max_length=limits.MAX_LINKS)
    tags: list[Annotated[str, Field(min_length=1, max_length=limits.MAX_TAG)]] = Field(
        max_length=limits.MAX_TAGS
    )
    attachments: list[AttachmentEntry] = Field(max_length=limits.MAX_ATTACHMENTS)
    revisions: list[RevisionEntry] = Field(min_length=1, max_length=100_000)

    def content_digest(self) -> str:
        return digest(content_of(self.uuid, self, (a.sha256 for a in self.attachments)))


class SignOffEntry(_Strict):
    record: dict[str, Any]
    """The signed record exactly as ``SignOffRecord.to_dict()`` (docs/formats.md)."""
    received_at: Timestamp
    source: Literal["meeting", "file"]
    credentials: list[dict[str, Any]] = Field(default_factory=list, max_length=2)
    """Its credentials, as issued (optional: archives from before credentials have none)."""


class FileEntry(_Strict):
    sha256: Sha256
    size: int = Field(ge=1, le=limits.MAX_ATTACHMENT_BYTES)


class PortfolioDocument(_Strict):
    profile: ProfileEntry | None
    placements: list[PlacementEntry] = Field(max_length=10_000)
    identities: list[IdentityEntry] = Field(max_length=10_000)
    evidence: list[ItemEntry] = Field(max_length=MAX_ITEMS)
    signoffs: list[SignOffEntry] = Field(max_length=2_000_000)
    files: list[FileEntry] = Field(max_length=MAX_FILES)
    curricula: list[CurriculumEntry] = Field(
        default_factory=list, max_length=100, exclude_if=_unused
    )
    """Imported curricula (optional: written only when there are any)."""


# -- writing ---------------------------------------------------------------------------------


def json_bytes(document: dict[str, Any]) -> bytes:
    """Deterministic JSON: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def write_archive(
    path: Path,
    manifest: dict[str, Any],
    portfolio_json: bytes,
    files: Iterable[str],
    content: Callable[[str], bytes],
    ticker: Ticker,
) -> Path:
    """Write the zip beside ``path`` and rename it in; members in a fixed order and date."""
    return write_zip(path, _members(manifest, portfolio_json, sorted(files), content, ticker))


def _members(
    manifest: dict[str, Any],
    portfolio_json: bytes,
    shas: list[str],
    content: Callable[[str], bytes],
    ticker: Ticker,
) -> Iterator[tuple[str, bytes]]:
    yield MANIFEST, json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
    yield PORTFOLIO, portfolio_json
    for sha in shas:
        yield ATTACHMENT_PREFIX + sha, content(sha)
        ticker.step()
    ticker.check()


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Archive:
    """A read and checked archive: nothing in it contradicts itself or its signatures."""

    manifest: Manifest
    document: PortfolioDocument
    files: dict[str, bytes]
    signoffs: tuple[SignOffRecord, ...]
    """The records of ``document.signoffs``, in the same order, every signature verified."""
    identities: tuple[PublicIdentity, ...]
    curricula: tuple[tuple[Curriculum, bool], ...] = ()
    """The imported curricula of ``document.curricula``, validated, each with its ``removed``."""
    held: dict[str, str] = field(default_factory=dict)
    """Items left out of ``document.evidence`` because the portfolio holds every revision of
    them already (see ``read_archive``): uuid → their title there."""
    order: tuple[str, ...] = ()
    """Every item's uuid, held or not, in the archive's order."""


@dataclass(frozen=True)
class HeldItem:
    """What a portfolio holds of an item: its title, and its revisions as the archive writes
    them: (number, saved_at as ``format_timestamp`` writes it, reason, digest)."""

    title: str
    revisions: frozenset[tuple[int, str, str, str]]


Held = Callable[[list[str]], Mapping[str, HeldItem]]
"""Asked for the items of these uuids that the portfolio holds."""


def read_archive(path: Path, ticker: Ticker, held: Held | None = None) -> Archive:
    """Read ``path`` and check it alone (no database); InvalidInput names the first problem.

    ``held``: an item whose every revision (number, time, reason, digest) the portfolio holds
    already is left out of the checks and of ``document`` (``Archive.held``): importing it
    could write nothing, and an unchanged re-import then costs little beside reading the file.
    """
    name = path.name
    try:
        members = read_zip(
            path,
            "portfolio archive",
            lambda member: member in (MANIFEST, PORTFOLIO) or bool(_ATTACHMENT_NAME.match(member)),
            LIMITS,
            lambda member: (
                limits.MAX_ATTACHMENT_BYTES
                if member.startswith(ATTACHMENT_PREFIX)
                else MAX_PORTFOLIO_JSON_BYTES
            ),
        )
    except (NotImplementedError, RuntimeError) as error:
        # zipfile's word for a member compressed by an unknown method, or encrypted
        raise InvalidInput(f"{name} is not a readable portfolio archive ({error}).") from None
    ticker.check()
    for required in (MANIFEST, PORTFOLIO):
        if required not in members:
            raise InvalidInput(f"{name} is not a GPC Portfolio archive: {required} is missing.")
    manifest = _manifest(name, members[MANIFEST])
    loose = parse_json(members[PORTFOLIO], f"{name}: {PORTFOLIO}")  # keys, depth, numbers
    kept = _held_items(loose, held) if held is not None else {}
    if kept:
        rest = [e for e in loose["evidence"] if not _is_kept(e, kept)]
        document = validated(PortfolioDocument, json_bytes({**loose, "evidence": rest}), name)
    else:
        document = validated(PortfolioDocument, members[PORTFOLIO], name)
    ticker.check()
    ticker.add_total(len(document.evidence))
    _check_counts(name, manifest.counts, document, kept.values())
    files = _checked_files(name, document, members)
    identities = _checked_identities(name, document)
    _check_items(name, document, files, ticker, kept.values())
    records = _checked_signoffs(name, document, {i.public_key for i in identities}, kept)
    curricula = _checked_curricula(name, document)
    order = (
        tuple(e["uuid"] for e in loose["evidence"])  # held or validated: each has its uuid
        if kept
        else tuple(item.uuid for item in document.evidence)
    )
    held_titles = {uuid: entry.title for uuid, entry in kept.items()}
    return Archive(manifest, document, files, records, identities, curricula, held_titles, order)


@dataclass(frozen=True)
class _Kept:
    """An item of the archive the portfolio holds: read loosely, never validated or used but
    for its counts, digests and attachment hashes (which the other checks need)."""

    title: str
    revisions: int
    digests: frozenset[str]
    attachments: frozenset[str]


def _is_kept(entry: object, kept: Mapping[str, _Kept]) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("uuid"), str) and entry["uuid"] in kept


def _held_items(loose: Any, held: Held) -> dict[str, _Kept]:
    """The items of the parsed ``portfolio.json`` whose every revision the portfolio holds."""
    entries = loose.get("evidence") if isinstance(loose, dict) else None
    if not isinstance(entries, list):
        return {}  # malformed: the validator words it
    uuids: list[str | None] = [
        e["uuid"] if isinstance(e, dict) and isinstance(e.get("uuid"), str) else None
        for e in entries
    ]
    once = [u for u, n in Counter(uuids).items() if u is not None and n == 1]
    here = held(once) if once else {}
    kept: dict[str, _Kept] = {}
    for entry, uuid in zip(entries, uuids, strict=True):
        local = here.get(uuid) if uuid is not None else None
        revisions = entry.get("revisions") if local is not None else None
        if uuid is None or local is None or not isinstance(revisions, list) or not revisions:
            continue
        keys = {_loose_revision_key(r) for r in revisions}
        if None in keys or not keys <= local.revisions:
            continue
        kept[uuid] = _Kept(
            local.title,
            len(revisions),
            frozenset(r["digest"] for r in revisions),
            frozenset(_loose_attachments(entry)),
        )
    return kept


def _loose_revision_key(revision: object) -> tuple[int, str, str, str] | None:
    """Exact types (``parse_json`` makes plain dicts, ints and strs), tested once each: this
    runs for every revision of an unchanged re-import."""
    if type(revision) is not dict:
        return None
    get = revision.get
    key = (get("number"), get("saved_at"), get("reason"), get("digest"))
    if type(key[0]) is not int or {type(key[1]), type(key[2]), type(key[3])} != {str}:
        return None
    return key  # type: ignore[return-value]


def _loose_attachments(entry: dict[str, Any]) -> Iterator[str]:
    """The attachment hashes an item (and any of its revisions) names, read loosely."""
    lists = [entry.get("attachments")] + [
        r.get("snapshot", {}).get("attachments") if isinstance(r.get("snapshot"), dict) else None
        for r in entry["revisions"]
    ]
    for values in lists:
        for value in values if isinstance(values, list) else ():
            sha = value.get("sha256") if isinstance(value, dict) else value
            if isinstance(sha, str):
                yield sha


def _manifest(name: str, raw: bytes) -> Manifest:
    loose = parse_json(raw, f"{name}: {MANIFEST}")
    versioned(loose, name, FORMAT, (FORMAT_VERSION,), "portfolio archive", called="archive")
    return validated(Manifest, loose, f"{name}: {MANIFEST}")


def _checked_curricula(
    name: str, document: PortfolioDocument
) -> tuple[tuple[Curriculum, bool], ...]:
    """Each imported curriculum valid as a curriculum file, once; the chosen one present."""
    found: dict[str, tuple[Curriculum, bool]] = {}
    for number, entry in enumerate(document.curricula, start=1):
        try:
            curriculum = curriculum_from_data(entry.curriculum, f"curricula[{number}]")
        except InvalidInput as error:
            raise InvalidInput(f"{name}: {error}") from None
        if curriculum.id in found:
            raise InvalidInput(f"{name} holds the curriculum '{curriculum.id}' twice.")
        found[curriculum.id] = (curriculum, entry.removed)
    chosen = document.profile.curriculum_id if document.profile is not None else ""
    offered = {c.id for c in builtin_curricula()} | {
        i for i, (_, gone) in found.items() if not gone
    }
    if chosen and chosen not in offered:
        raise InvalidInput(
            f"{name}: the profile chooses the curriculum '{chosen}', which is neither built in "
            "nor imported in the archive."
        )
    return tuple(found.values())


def _check_counts(
    name: str, counts: Counts, document: PortfolioDocument, kept: Collection[_Kept]
) -> None:
    actual = Counts(
        items=len(document.evidence) + len(kept),
        revisions=sum(len(item.revisions) for item in document.evidence)
        + sum(k.revisions for k in kept),
        signoffs=len(document.signoffs),
        attachments=len(document.files),
        placements=len(document.placements),
        identities=len(document.identities),
    )
    for key, stated in counts.model_dump().items():
        if getattr(actual, key) != stated:
            raise InvalidInput(
                f"{name}: the manifest counts {stated} {key} but the archive "
                f"holds {getattr(actual, key)}."
            )


def _checked_files(
    name: str, document: PortfolioDocument, members: dict[str, bytes]
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for entry in document.files:
        if entry.sha256 in files:
            raise InvalidInput(f"{name} lists attachment {entry.sha256} twice.")
        data = members.get(ATTACHMENT_PREFIX + entry.sha256)
        if data is None:
            raise InvalidInput(f"{name}: attachment {entry.sha256} is missing.")
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise InvalidInput(
                f"{name}: attachment {entry.sha256} does not match its SHA-256; "
                "the file was altered or damaged."
            )
        files[entry.sha256] = data
    extra = sorted(
        m
        for m in members
        if m.startswith(ATTACHMENT_PREFIX) and m[len(ATTACHMENT_PREFIX) :] not in files
    )
    if extra:
        raise InvalidInput(f"{name} holds an attachment it does not list: {extra[0]}.")
    return files


def _checked_identities(name: str, document: PortfolioDocument) -> tuple[PublicIdentity, ...]:
    found: dict[str, PublicIdentity] = {}
    for number, entry in enumerate(document.identities, start=1):
        try:
            identity = PublicIdentity(entry.name, entry.gmc_number, entry.role, entry.public_key)
        except InvalidInput as error:
            raise InvalidInput(f"{name}, identity {number}: {error}") from None
        if identity.fingerprint != entry.fingerprint:
            raise InvalidInput(
                f"{name}, identity {number}: the fingerprint does not match its key."
            )
        if identity.public_key in found:
            raise InvalidInput(f"{name} lists the identity {entry.fingerprint} twice.")
        found[identity.public_key] = identity
    return tuple(found.values())


def _check_items(
    name: str,
    document: PortfolioDocument,
    files: dict[str, bytes],
    ticker: Ticker,
    kept: Collection[_Kept],
) -> None:
    refs = [p.ref for p in document.placements]
    if len(set(refs)) != len(refs):
        raise InvalidInput(f"{name} numbers two placements alike.")
    for placement in document.placements:
        if placement.ends_on is not None and placement.ends_on < placement.starts_on:
            raise InvalidInput(f"{name}: placement {placement.ref} ends before it starts.")
    known_refs = set(refs)
    seen: set[str] = set()
    referenced: set[str] = set().union(*(k.attachments for k in kept))
    for item in document.evidence:
        where = f"{name}, item {item.uuid}"
        if item.uuid in seen:
            raise InvalidInput(f"{name} holds item {item.uuid} twice.")
        seen.add(item.uuid)
        if item.placement is not None and item.placement not in known_refs:
            raise InvalidInput(
                f"{where}: refers to placement {item.placement}, which the archive does not hold."
            )
        if item.occurred_until is not None and item.occurred_until < item.occurred_on:
            raise InvalidInput(f"{where}: ends before it starts.")
        codes = [link.code for link in item.links]
        if len(set(codes)) != len(codes):
            raise InvalidInput(f"{where}: links to the same code twice.")
        shas = [a.sha256 for a in item.attachments]
        if len(set(shas)) != len(shas):
            raise InvalidInput(f"{where}: holds the same attachment twice.")
        missing = [s for s in shas if s not in files]
        if missing:
            raise InvalidInput(f"{where}: attachment {missing[0]} is missing from the archive.")
        if len({t.casefold() for t in item.tags}) != len(item.tags):
            raise InvalidInput(f"{where}: has the same tag twice.")
        numbers = [r.number for r in item.revisions]
        if len(set(numbers)) != len(numbers) or numbers != sorted(numbers):
            raise InvalidInput(f"{where}: its revisions are not numbered in order.")
        for revision in item.revisions:
            check_revision(where, item.uuid, revision, known_refs)
            referenced.update(revision.snapshot.attachments)
        if item.content_digest() != item.revisions[-1].digest:
            raise InvalidInput(
                f"{where}: its content does not match its latest revision; the archive was altered."
            )
        referenced.update(shas)
        ticker.step()
    unused = sorted(set(files) - referenced)
    if unused:
        raise InvalidInput(f"{name}: attachment {unused[0]} belongs to no item.")


def check_revision(
    where: str, item_uuid: str, revision: RevisionEntry, known_refs: set[int]
) -> None:
    snapshot = revision.snapshot
    if snapshot.uuid != item_uuid:
        raise InvalidInput(f"{where}: revision {revision.number} is of another item.")
    if snapshot.placement_id is not None and snapshot.placement_id not in known_refs:
        raise InvalidInput(
            f"{where}: revision {revision.number} refers to a placement the archive does not hold."
        )
    content = {key: getattr(snapshot, key) for key in CONTENT_KEYS}
    if content["links"] != sorted(content["links"]) or (
        content["attachments"] != sorted(content["attachments"])
    ):
        raise InvalidInput(f"{where}: revision {revision.number} is malformed.")
    if digest(content) != revision.digest:
        raise InvalidInput(
            f"{where}: revision {revision.number} does not match its digest; "
            "the archive was altered."
        )


def _checked_signoffs(
    name: str, document: PortfolioDocument, keys: set[str], kept: Mapping[str, _Kept]
) -> tuple[SignOffRecord, ...]:
    digests: dict[str, Collection[str]] = {u: k.digests for u, k in kept.items()}
    digests.update((item.uuid, {r.digest for r in item.revisions}) for item in document.evidence)
    records: list[SignOffRecord] = []
    signatures: set[str] = set()
    for number, entry in enumerate(document.signoffs, start=1):
        where = f"{name}, sign-off {number}"
        try:
            record = SignOffRecord.from_dict(entry.record)
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error}") from None
        if record.signature in signatures:
            raise InvalidInput(f"{where}: the same sign-off appears twice.")
        signatures.add(record.signature)
        if not record.signature_valid():
            raise InvalidInput(
                f"{where}: the signature does not match its content; the "
                "archive was altered or the sign-off forged. Nothing was "
                "imported."
            )
        if record.signer.public_key not in keys:
            raise InvalidInput(f"{where}: signed by a key the archive does not identify.")
        if record.evidence_uuid not in digests:
            raise InvalidInput(
                f"{where}: is about item {record.evidence_uuid}, which the archive does not hold."
            )
        if record.evidence_digest not in digests[record.evidence_uuid]:
            raise InvalidInput(f"{where}: the item never had the content that was signed.")
        records.append(record)
    return tuple(records)
