"""Moving a whole portfolio between machines: export to a .gpcportfolio archive, import and merge.

Export writes everything (profile with its curriculum choice, imported curricula, placements,
evidence with every revision, links, tags, attachments, public supervisor identities, sign-offs;
never private keys) deterministically:
export, import into an empty portfolio and export again give the same ``portfolio.json`` and
attachments.

Import checks the whole file first (``formats.archive.read_archive``), then the parts that need
the database (kinds, fields, curriculum codes, the trainee), takes a backup, and writes in one
transaction, so a bad file, a cancel or a crash leaves the portfolio as it was. Items already
here (same uuid) are merged, never overwritten:

- revisions are unioned; nothing is dropped. A revision is the same when its number, time,
  reason, digest and snapshot agree.
- the archive only adds revisions after the last one here: it fast-forwards ("updated").
- both sides changed the item since they parted ("merged"): the archive's other revisions are
  appended after ours with reason "merged from archive: <their reason>"; the content whose last
  revision is newer (by saved_at) becomes current. When ours is kept, one more revision records
  it ("merge kept the newer local copy"), so the latest revision is always what is shown.
- sign-offs are unioned by signature; identities by fingerprint (pins are kept and added).
- placements are matched by Trust, department and start date; tags by name, ignoring case.
- imported curricula are added when this portfolio lacks them (checked as on a CASE import);
  one it has already is kept as it is here.
- the profile here is kept; differences are reported, and an archive of another trainee
  (another GMC number) is refused, as is one holding a sign-off signed for another trainee.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio import __version__
from portfolio.curriculum import Curriculum
from portfolio.errors import InvalidInput
from portfolio.formats.archive import (
    FORMAT,
    FORMAT_VERSION,
    Archive,
    Cancelled,
    HeldItem,
    ItemEntry,
    OperationCancelled,
    Progress,
    RevisionEntry,
    Ticker,
    archive_created_at,
    format_timestamp,
    json_bytes,
    read_archive,
    write_archive,
)
from portfolio.formats.reader import parse_json
from portfolio.kinds import template, validate_fields
from portfolio.models import (
    Attachment,
    Blob,
    CurriculumNode,
    Evidence,
    EvidenceLink,
    ImportedArchive,
    ImportedCurriculum,
    Placement,
    Profile,
    Revision,
    SignOff,
    SignOffCredential,
    SupervisorIdentity,
    Tag,
    TrustedDirectory,
    evidence_tag,
)
from portfolio.security.canonical import digest
from portfolio.services import credentials
from portfolio.services.attachments import sniff_mime_type
from portfolio.services.backups import BackupService
from portfolio.services.content import (
    LOAD_CONTENT,
    check_bytes,
    digest_of_item,
    snapshot_of_item,
)
from portfolio.services.curricula import check_importable, store_imported
from portfolio.services.new_items import (
    NewItem,
    collection_paused,
    indexes_after_load,
    insert_items,
    search_body,
)
from portfolio.services.trust_roots import load_trust_roots
from portfolio.services.verification import (
    in_chain_order,
    record_of,
    signoff_row,
    status_after,
)
from portfolio.storage import search_index
from portfolio.storage.database import Database

__all__ = [
    "ArchiveService",
    "ExportSummary",
    "ImportReport",
    "ItemOutcome",
    "OperationCancelled",
]

Outcome = Literal["added", "updated", "unchanged", "merged"]
MERGED_REASON = "merged from archive"
KEPT_LOCAL_REASON = "merge kept the newer local copy"
_CHUNK = 900
_PROFILE_FIELDS = (
    "name",
    "gmc_number",
    "grade",
    "specialty",
    "programme",
    "region",
    "trust",
    "training_start",
    "training_end",
    "educational_supervisor",
)


@dataclass(frozen=True)
class ItemOutcome:
    """What importing did to one item."""

    uuid: str
    title: str
    outcome: Outcome
    """added (new here), updated (the archive was ahead, or brought sign-offs), unchanged,
    merged (both sides had changed it: both histories kept, the newer content shown)."""
    revisions_added: int = 0
    signoffs_added: int = 0


@dataclass(frozen=True)
class ImportReport:
    items: tuple[ItemOutcome, ...]
    placements_added: int
    identities_added: int
    attachments_added: int
    signoffs_added: int
    profile: Literal["added", "same", "kept_local", "none"]
    """kept_local: the archive's profile differs (see ``profile_differences``); ours is kept."""
    profile_differences: tuple[str, ...] = ()
    backup: Path | None = None
    """The backup taken just before the import wrote anything; None when it had nothing to
    write (an archive recognised as imported before) or backups are off."""
    curricula_added: int = 0
    """Imported curricula this portfolio did not have."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    items: int
    revisions: int
    signoffs: int
    attachments: int


class ArchiveService:
    def __init__(self, database: Database, *, backup_before_import: bool = True) -> None:
        self._database = database
        self._sessions = database.sessions
        self._backup_before_import = backup_before_import

    # -- export ----------------------------------------------------------------------------

    def export(
        self,
        out: Path,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        screen: Callable[[list[dict[str, Any]]], object] | None = None,
    ) -> ExportSummary:
        """Write the whole portfolio to ``out`` (atomically: a cancel leaves no file).

        ``screen`` is given the entries of the items not in the trash, in the list's order,
        before anything is written (raising stops the export): the privacy check reads what
        the export has read, instead of reading every item again.
        """
        ticker = Ticker(progress, cancelled, "export")
        with self._sessions() as session, collection_paused():  # one read transaction
            ticker.add_total(session.scalar(select(func.count()).select_from(Evidence)) or 0)
            document, counts, live = _document(session, ticker)
            if screen is not None:
                screen(live)
            ticker.add_total(counts["attachments"])
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": __version__,
                "created_at": archive_created_at(),
                "counts": counts,
            }

            owners = _attachment_owners(document)

            def content(sha: str) -> bytes:
                data = session.scalar(select(Blob.data).where(Blob.sha256 == sha))
                assert data is not None
                return check_bytes(*owners.get(sha, ("an earlier version", sha)), sha, data)

            write_archive(
                out,
                manifest,
                json_bytes(document),
                [f["sha256"] for f in document["files"]],
                content,
                ticker,
            )
        return ExportSummary(
            out, counts["items"], counts["revisions"], counts["signoffs"], counts["attachments"]
        )

    # -- import ----------------------------------------------------------------------------

    def import_(
        self, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> ImportReport:
        """Check ``path`` wholly, back up, then merge it in one transaction (or change nothing).
        Bytes imported before are recognised first, and neither read nor backed up."""
        with collection_paused():
            return self._import(Path(path), Ticker(progress, cancelled, "import"))

    def _import(self, path: Path, ticker: Ticker) -> ImportReport:
        before = _file_digest(path)
        with self._sessions() as session:
            known = None if before is None else _recognised(session, before)
        if known is not None:  # these very bytes were imported: nothing they hold is missing
            ticker.check()
            return known  # nothing is written, so nothing is backed up
        archive = read_archive(path, ticker, self._held)
        # The record is kept only for the bytes that were read (the file may change meanwhile).
        recorded = before if before is not None and _file_digest(path) == before else None
        ticker.add_total(2 * len(archive.document.evidence))
        with self._sessions() as session:  # all checks pass before the backup and any write
            _Merge(session, archive, ticker, Path(path).name).check(fields=True)
        backup = self._backup()
        try:
            with self._sessions.begin() as session:
                # The search index is written in the same transaction (new items as they are
                # inserted, changed ones after), so a crash cannot leave it out of step.
                merge = _Merge(session, archive, ticker, Path(path).name)
                report = merge.run()
                if recorded is not None:
                    merge.remember(recorded)
                ticker.check()  # the last moment a cancel is honoured: before the commit
        except IntegrityError as error:
            raise InvalidInput(
                f"{Path(path).name} conflicts with this portfolio "
                f"({error.orig}); nothing was imported."
            ) from None
        return ImportReport(**{**report.__dict__, "backup": backup})

    def _held(self, uuids: list[str]) -> dict[str, HeldItem]:
        """The items of ``uuids`` held here, with every revision: one query (by uuid when
        few are asked for, else over every revision)."""
        found: dict[str, tuple[str, set[tuple[int, str, str, str]]]] = {}
        statement = select(
            Evidence.uuid, Evidence.title, Revision.number, Revision.saved_at, Revision.reason,
            Revision.digest,
        ).join(Revision, Revision.evidence_id == Evidence.id)  # fmt: skip
        if len(uuids) <= _CHUNK:
            statement = statement.where(Evidence.uuid.in_(uuids))
        with self._sessions() as session:
            for uuid, title, number, saved_at, reason, revision_digest in (
                session.connection().execute(statement).all()
            ):
                entry = found.get(uuid) or found.setdefault(uuid, (title, set()))
                entry[1].add((number, format_timestamp(saved_at), reason, revision_digest))
        return {
            uuid: HeldItem(title, frozenset(revisions))
            for uuid, (title, revisions) in found.items()
        }

    def _backup(self) -> Path | None:
        if not self._backup_before_import:
            return None
        return BackupService(self._database).backup(reason="before-import")


# -- export ------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _ts(value: datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None


def _placement_key(row: Placement) -> tuple[Any, ...]:
    return (
        row.starts_on,
        row.trust,
        row.department,
        row.ends_on or date.max,
        row.clinical_supervisor,
        row.id,
    )


def _attachment_owners(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Attachment hash → (item title, file name), to name what an altered blob belongs to."""
    return {
        a["sha256"]: (item["title"], a["filename"])
        for item in document["evidence"]
        for a in item["attachments"]
    }


def _document(
    session: Session, ticker: Ticker
) -> tuple[dict[str, Any], dict[str, int], list[dict[str, Any]]]:
    """The archive's document, its counts, and the entries of the items not in the trash in
    the list's order (newest first)."""
    profile = session.get(Profile, 1)
    placements = sorted(session.scalars(select(Placement)), key=_placement_key)
    ref_of = {row.id: number for number, row in enumerate(placements, start=1)}
    identities = session.scalars(
        select(SupervisorIdentity).order_by(SupervisorIdentity.fingerprint)
    ).all()
    numbered = _items(session, ref_of, ticker)
    items = [entry for _, entry in numbered]
    live = [
        entry
        for _, entry in sorted(numbered, key=lambda p: (p[1]["occurred_on"], p[0]), reverse=True)
        if entry["deleted_at"] is None
    ]
    revisions_total = sum(len(item["revisions"]) for item in items)
    referenced = {a["sha256"] for item in items for a in item["attachments"]}
    referenced.update(
        sha for item in items for r in item["revisions"] for sha in r["snapshot"]["attachments"]
    )
    files = [
        {"sha256": sha, "size": size}
        for sha, size in session.execute(
            select(Blob.sha256, func.length(Blob.data)).order_by(Blob.sha256)
        )
        if sha in referenced
    ]
    issued: defaultdict[int, list[Any]] = defaultdict(list)
    for signoff_id, text in session.execute(
        select(SignOffCredential.signoff_id, SignOffCredential.document).order_by(
            SignOffCredential.suite
        )
    ):
        issued[signoff_id].append(parse_json(text, "A stored credential"))
    signoffs = [
        {
            "record": record_of(row).to_dict(),
            "received_at": _ts(row.received_at),
            "source": row.source,
            "credentials": issued[row.id],
        }
        for row in session.scalars(
            select(SignOff).order_by(SignOff.evidence_uuid, SignOff.signed_at, SignOff.signature)
        )
    ]
    document: dict[str, Any] = {
        "profile": None
        if profile is None
        else {
            key: (
                _iso(getattr(profile, key))
                if key.startswith("training_")
                else getattr(profile, key)
            )
            for key in _PROFILE_FIELDS
        },
        "placements": [
            {
                "ref": ref_of[p.id],
                "trust": p.trust,
                "department": p.department,
                "starts_on": p.starts_on.isoformat(),
                "ends_on": _iso(p.ends_on),
                "clinical_supervisor": p.clinical_supervisor,
            }
            for p in placements
        ],
        "identities": [
            {
                "name": i.name,
                "gmc_number": i.gmc_number,
                "role": i.role,
                "public_key": i.public_key,
                "fingerprint": i.fingerprint,
                "pinned": i.pinned,
                "added_at": _ts(i.added_at),
            }
            for i in identities
        ],
        "evidence": items,
        "signoffs": signoffs,
        "files": files,
    }
    if profile is not None and profile.curriculum_id:  # optional keys: older apps read the rest
        document["profile"]["curriculum_id"] = profile.curriculum_id
    imported = session.scalars(select(ImportedCurriculum).order_by(ImportedCurriculum.id)).all()
    if imported:
        document["curricula"] = [
            {
                "curriculum": parse_json(row.document, "A stored curriculum"),
                "removed": row.removed_at is not None,
            }
            for row in imported
        ]
    counts = {
        "items": len(items),
        "revisions": revisions_total,
        "signoffs": len(signoffs),
        "attachments": len(files),
        "placements": len(placements),
        "identities": len(identities),
    }
    return document, counts, live


def _items(
    session: Session, ref_of: dict[int, int], ticker: Ticker
) -> list[tuple[int, dict[str, Any]]]:
    """Every item's id and archive entry, ordered by uuid: one query per table, columns not
    objects (building ORM objects cost twice what the export does with them)."""
    links: defaultdict[int, list[dict[str, str]]] = defaultdict(list)
    for evidence_id, code, why in session.execute(
        select(EvidenceLink.evidence_id, EvidenceLink.code, EvidenceLink.justification).order_by(
            EvidenceLink.code
        )
    ):
        links[evidence_id].append({"code": code, "justification": why})
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for evidence_id, name in session.execute(
        select(evidence_tag.c.evidence_id, Tag.name).join(Tag, Tag.id == evidence_tag.c.tag_id)
    ):
        tags[evidence_id].append(name)
    attachments: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for evidence_id, sha, filename, added_at in session.execute(
        select(
            Attachment.evidence_id, Attachment.sha256, Attachment.filename, Attachment.added_at
        ).order_by(Attachment.id)
    ):
        attachments[evidence_id].append(
            {"sha256": sha, "filename": filename, "added_at": _ts(added_at)}
        )
    history: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for evidence_id, number, saved_at, reason, revision_digest, snapshot in session.execute(
        select(
            Revision.evidence_id,
            Revision.number,
            Revision.saved_at,
            Revision.reason,
            Revision.digest,
            Revision.snapshot,
        ).order_by(Revision.evidence_id, Revision.number)
    ):
        snapshot = dict(snapshot)
        snapshot["placement_id"] = ref_of.get(snapshot.get("placement_id") or 0)
        history[evidence_id].append(
            {
                "number": number,
                "saved_at": _ts(saved_at),
                "reason": reason,
                "digest": revision_digest,
                "snapshot": snapshot,
            }
        )
    items: list[tuple[int, dict[str, Any]]] = []
    for row in session.execute(
        select(
            Evidence.id,
            Evidence.uuid,
            Evidence.kind,
            Evidence.title,
            Evidence.occurred_on,
            Evidence.occurred_until,
            Evidence.fields,
            Evidence.text,
            Evidence.status,
            Evidence.private,
            Evidence.placement_id,
            Evidence.created_at,
            Evidence.updated_at,
            Evidence.deleted_at,
        ).order_by(Evidence.uuid)
    ):
        entry = {
            "uuid": row.uuid,
            "kind": row.kind,
            "title": row.title,
            "occurred_on": row.occurred_on.isoformat(),
            "occurred_until": _iso(row.occurred_until),
            "fields": row.fields,
            "text": row.text,
            "status": row.status,
            "private": row.private,
            "placement": ref_of.get(row.placement_id or 0),
            "created_at": _ts(row.created_at),
            "updated_at": _ts(row.updated_at),
            "deleted_at": _ts(row.deleted_at),
            "links": links[row.id],
            "tags": sorted(tags[row.id], key=lambda name: (name.casefold(), name)),
            "attachments": attachments[row.id],
            "revisions": history[row.id],
        }
        items.append((row.id, entry))
        ticker.step()
    return items


# -- import ------------------------------------------------------------------------------------


def _file_digest(path: Path) -> str | None:
    """The SHA-256 of the file's bytes; None when it cannot be read (``read_archive`` says why)."""
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            while block := file.read(1 << 20):
                sha.update(block)
    except OSError:
        return None
    return sha.hexdigest()


def _context(session: Session) -> str:
    """The digest of what an import's report depends on besides the items: the profile, the
    placements (one removed since is added back by importing the archive again) and the trust
    roots (a key pinned or a directory trusted since may conflict with the archive's).

    A directory's expiry is left out, as it cannot change what an import does: the only trust
    an import consults is ``check_no_conflict``, which weighs every stored directory's listings,
    expired or not (a directory's content is fixed by its id and version). Whether a sign-off
    is vouched for (a directory's expiry, revocations, validity dates) is judged when it is
    read, never stored by the import: the rows it writes and the status an item takes from its
    latest sign-off depend on the records alone (``_status_after_signoffs``)."""
    profile = session.get(Profile, 1)
    return digest(
        {
            "profile": None
            if profile is None
            else [str(getattr(profile, key)) for key in (*_PROFILE_FIELDS, "curriculum_id")],
            "placements": sorted(
                [p.trust, p.department, p.starts_on.isoformat()]
                for p in session.scalars(select(Placement))
            ),
            "pins": sorted(
                [fingerprint, how]
                for fingerprint, how in session.execute(
                    select(SupervisorIdentity.fingerprint, SupervisorIdentity.pinned_how).where(
                        SupervisorIdentity.pinned_how.is_not(None)
                    )
                )
            ),
            "directories": sorted(
                [directory_id, version]
                for directory_id, version in session.execute(
                    select(TrustedDirectory.directory_id, TrustedDirectory.version)
                )
            ),
        }
    )


def _recognised(session: Session, sha256: str) -> ImportReport | None:
    """What importing the archive of these bytes again reports, when it was imported here
    and nothing it brought is missing (items are never deleted, revisions and sign-offs are
    append-only; the profile and placements are compared): else None, and it is parsed."""
    row = session.get(ImportedArchive, sha256)
    if row is None or row.context != _context(session):
        return None
    titles = _titles_here(session, row.items)
    if len(titles) != len(set(row.items)):
        return None
    return ImportReport(
        tuple(ItemOutcome(uuid, titles[uuid], "unchanged") for uuid in row.items),
        0,
        0,
        0,
        0,
        row.profile,  # type: ignore[arg-type]
        tuple(row.profile_differences),
    )


def _merged_reason(reason: str) -> str:
    """The reason a merge keeps one of the archive's revisions under (once, however often it
    travels back and forth)."""
    if reason.startswith(f"{MERGED_REASON}: "):
        return reason
    return f"{MERGED_REASON}: {reason}"[:40]


def _titles_here(session: Session, uuids: list[str]) -> dict[str, str]:
    """The titles of the items of ``uuids`` held here: looked up by uuid in chunks, unless
    they are half the portfolio's items or more, which one scan reads faster (on SQLite a
    uuid looked up costs about twice a row scanned: 20 ms against 11 ms for 10,000)."""
    statement = select(Evidence.uuid, Evidence.title)
    if 2 * len(uuids) >= (session.scalar(select(func.count()).select_from(Evidence)) or 0):
        wanted = set(uuids)
        return {uuid: title for uuid, title in session.execute(statement) if uuid in wanted}
    titles: dict[str, str] = {}
    for start in range(0, len(uuids), _CHUNK):
        chunk = statement.where(Evidence.uuid.in_(uuids[start : start + _CHUNK]))
        titles.update((uuid, title) for uuid, title in session.execute(chunk))
    return titles


def _revision_key(
    saved_at: datetime, reason: str, revision_digest: str, snapshot: dict[str, Any]
) -> tuple[Any, ...]:
    """What makes two revisions the same one: time, content and reason, the reason a merge
    gives it counting as its own and the number left out (a merge renumbers what it appends),
    so that a merged revision is held when its archive is imported again. Placement ids are
    local, so left out too."""
    rest = {k: v for k, v in snapshot.items() if k != "placement_id"}
    return (saved_at, _merged_reason(reason), revision_digest, digest(rest))


class _Merge:
    def __init__(self, session: Session, archive: Archive, ticker: Ticker, name: str) -> None:
        self.session = session
        self.archive = archive
        self.document = archive.document
        self.ticker = ticker
        self.name = name
        self.placement_ids: dict[int, int] = {}
        self.tags: dict[str, Tag] = {}
        self.outcomes: dict[str, ItemOutcome] = {}
        self.changed: list[Evidence] = []
        """Items here whose content the import changed: their search entries are rewritten."""

    def run(self) -> ImportReport:
        self.check(fields=False)
        curricula_added = self._curricula()
        profile, differences = self._profile()
        placements_added = self._placements()
        identities_added = self._identities()
        attachments_added = self._blobs()
        self._load_tags()
        for uuid, title in self.archive.held.items():
            self.outcomes[uuid] = ItemOutcome(uuid, title, "unchanged")
        local_ids = self._local_ids([i.uuid for i in self.document.evidence])
        new = [item for item in self.document.evidence if item.uuid not in local_ids]
        self._insert_new(new)
        existing = [item for item in self.document.evidence if item.uuid in local_ids]
        for start in range(0, len(existing), _CHUNK):
            chunk = existing[start : start + _CHUNK]
            history: dict[int, list[Revision]] = defaultdict(list)
            for revision in self.session.scalars(
                select(Revision)
                .where(Revision.evidence_id.in_([local_ids[item.uuid] for item in chunk]))
                .order_by(Revision.evidence_id, Revision.number)
            ):
                history[revision.evidence_id].append(revision)
            for item in chunk:
                self._merge_existing(local_ids[item.uuid], item, history[local_ids[item.uuid]])
                self.ticker.step()
        self._reindex()
        signoffs_added = self._signoffs(local_ids)
        return ImportReport(
            tuple(self.outcomes[u] for u in self.archive.order),
            placements_added,
            identities_added,
            attachments_added,
            signoffs_added,
            profile,
            differences,
            curricula_added=curricula_added,
        )

    def remember(self, sha256: str) -> None:
        """Record the archive's bytes as imported: importing them again is a no-op (a merged
        revision is held under the reason the merge gave it, ``_revision_key``)."""
        self.session.execute(delete(ImportedArchive).where(ImportedArchive.sha256 == sha256))
        self.session.flush()
        profile, differences = self._profile()
        self.session.add(
            ImportedArchive(
                sha256=sha256,
                items=list(self.archive.order),
                profile=profile,
                profile_differences=list(differences),
                context=_context(self.session),
            )
        )
        self.session.flush()

    # -- checks that need the portfolio ---------------------------------------------------

    def check(self, *, fields: bool) -> None:
        """What only this portfolio can tell: kinds, fields, curriculum codes, the trainee."""
        incoming = self.document.profile
        local = self.session.get(Profile, 1)
        if incoming is not None and local is not None and (local.gmc_number != incoming.gmc_number):
            raise InvalidInput(
                f"{self.name} is the portfolio of another trainee (GMC "
                f"{incoming.gmc_number}, here {local.gmc_number}); nothing "
                "was imported."
            )
        trainee = local.gmc_number if local else incoming.gmc_number if incoming else None
        for number, record in enumerate(self.archive.signoffs, start=1):
            if trainee is not None and record.trainee_gmc not in (None, trainee):
                raise InvalidInput(
                    f"{self.name}, sign-off {number} (item {record.evidence_uuid}): signed for "
                    f"another trainee (GMC {record.trainee_gmc}); nothing was imported."
                )
        roots = load_trust_roots(self.session)
        for identity in self.archive.identities:
            roots.check_no_conflict(identity, self.name)
        known = set(self.session.scalars(select(CurriculumNode.code)))
        for curriculum in self._new_curricula():
            try:
                check_importable(self.session, curriculum)
            except InvalidInput as error:
                raise InvalidInput(f"{self.name}: {error}") from None
            known.update(curriculum.codes())
        for item in self.document.evidence:
            where = f"{self.name}, item {item.uuid}"
            if fields:
                try:
                    template(item.kind)
                    validate_fields(item.kind, item.fields)
                except InvalidInput as error:
                    raise InvalidInput(f"{where}: {error}") from None
            unknown = [link.code for link in item.links if link.code not in known]
            if unknown:
                raise InvalidInput(
                    f"{where}: links to '{unknown[0]}', a code this app's curricula do not have."
                )
            blank = [t for t in item.tags if not t.strip() or t != t.strip()]
            if blank:
                raise InvalidInput(f"{where}: has a tag with surrounding spaces or none.")
            if not item.title.strip():
                raise InvalidInput(f"{where}: has no title.")
            if fields:
                self.ticker.step()

    def _new_curricula(self) -> list[Curriculum]:
        return [
            curriculum
            for curriculum, _ in self.archive.curricula
            if self.session.get(ImportedCurriculum, curriculum.id) is None
        ]

    def _curricula(self) -> int:
        added = self._new_curricula()
        removed = {curriculum.id for curriculum, gone in self.archive.curricula if gone}
        for curriculum in added:
            store_imported(self.session, curriculum)
            if curriculum.id in removed:
                row = self.session.get(ImportedCurriculum, curriculum.id)
                assert row is not None
                row.removed_at = row.imported_at
        self.session.flush()
        return len(added)

    def _profile(self) -> tuple[Literal["added", "same", "kept_local", "none"], tuple[str, ...]]:
        incoming = self.document.profile
        local = self.session.get(Profile, 1)
        if incoming is None:
            return "none", ()
        if local is None:
            self.session.add(Profile(id=1, **incoming.model_dump()))
            self.session.flush()
            return "added", ()
        differences = tuple(
            key
            for key in (*_PROFILE_FIELDS, "curriculum_id")
            if getattr(local, key) != getattr(incoming, key)
        )
        return ("kept_local" if differences else "same"), differences

    def _placements(self) -> int:
        def key(trust: str, department: str, starts_on: date) -> tuple[str, str, date]:
            return trust.strip().casefold(), department.strip().casefold(), starts_on

        local = {
            key(p.trust, p.department, p.starts_on): p.id
            for p in self.session.scalars(select(Placement).order_by(Placement.id))
        }
        added = 0
        for entry in self.document.placements:
            found = local.get(key(entry.trust, entry.department, entry.starts_on))
            if found is None:
                row = Placement(
                    trust=entry.trust,
                    department=entry.department,
                    starts_on=entry.starts_on,
                    ends_on=entry.ends_on,
                    clinical_supervisor=entry.clinical_supervisor,
                )
                self.session.add(row)
                self.session.flush()
                found = row.id
                local[key(entry.trust, entry.department, entry.starts_on)] = found
                added += 1
            self.placement_ids[entry.ref] = found
        return added

    def _identities(self) -> int:
        added = 0
        for entry in self.document.identities:
            row = self.session.get(SupervisorIdentity, entry.fingerprint)
            if row is None:
                self.session.add(
                    SupervisorIdentity(
                        fingerprint=entry.fingerprint,
                        public_key=entry.public_key,
                        name=entry.name,
                        gmc_number=entry.gmc_number,
                        role=entry.role,
                        has_private_key=False,
                        added_at=entry.added_at,
                    )
                )
                added += 1
        # entry.pinned is never taken: trust is this portfolio's own decision (docs/security.md)
        self.session.flush()
        return added

    def _blobs(self) -> int:
        shas = sorted(self.archive.files)
        present: set[str] = set()
        for start in range(0, len(shas), _CHUNK):
            present.update(
                self.session.scalars(
                    select(Blob.sha256).where(Blob.sha256.in_(shas[start : start + _CHUNK]))
                )
            )
        rows = [
            {
                "sha256": sha,
                "size": len(self.archive.files[sha]),
                "mime_type": sniff_mime_type(self.archive.files[sha]),
                "data": self.archive.files[sha],
            }
            for sha in shas
            if sha not in present
        ]
        if rows:
            self.session.execute(insert(Blob), rows)
        return len(rows)

    def _load_tags(self) -> None:
        for tag in self.session.scalars(select(Tag).order_by(Tag.id)):
            self.tags.setdefault(tag.name.casefold(), tag)
        for item in self.document.evidence:
            for name in item.tags:
                if name.casefold() not in self.tags:
                    tag = Tag(name=name)
                    self.session.add(tag)
                    self.tags[name.casefold()] = tag
        self.session.flush()

    def _local_ids(self, uuids: Sequence[str]) -> dict[str, int]:
        """The ids here of the items of ``uuids`` held here: one query (by uuid when few are
        asked for, else over every item)."""
        if not uuids:
            return {}
        statement = select(Evidence.uuid, Evidence.id)
        if len(uuids) <= _CHUNK:
            statement = statement.where(Evidence.uuid.in_(uuids))
        wanted = set(uuids)
        return {
            uuid: evidence_id
            for uuid, evidence_id in self.session.execute(statement)
            if uuid in wanted
        }

    def _snapshot(self, revision: RevisionEntry) -> dict[str, Any]:
        snapshot = revision.snapshot.model_dump()
        ref = snapshot["placement_id"]
        snapshot["placement_id"] = None if ref is None else self.placement_ids[ref]
        return snapshot

    # -- new items: in bulk ---------------------------------------------------------------

    def _insert_new(self, items: list[ItemEntry]) -> None:
        """Into an empty portfolio the secondary indexes are built once, after the items."""
        with indexes_after_load(self.session):
            for start in range(0, len(items), 2_000):
                batch = items[start : start + 2_000]
                insert_items(self.session, [self._new_item(item) for item in batch])
                for item in batch:
                    self.outcomes[item.uuid] = ItemOutcome(
                        item.uuid, item.title, "added", len(item.revisions)
                    )
                    self.ticker.step()

    def _new_item(self, item: ItemEntry) -> NewItem:
        return NewItem(
            evidence={
                "uuid": item.uuid,
                "kind": item.kind,
                "title": item.title,
                "occurred_on": item.occurred_on,
                "occurred_until": item.occurred_until,
                "fields": item.fields,
                "text": item.text,
                "status": item.status,
                "private": item.private,
                "placement_id": (
                    None if item.placement is None else self.placement_ids[item.placement]
                ),
                "revision": item.revisions[-1].number,
                "created_at": item.created_at,
                "updated_at": item.updated_at,
                "deleted_at": item.deleted_at,
            },
            links=[(link.code, link.justification) for link in item.links],
            tags=item.tags,
            attachments=[
                {"sha256": a.sha256, "filename": a.filename, "added_at": a.added_at}
                for a in item.attachments
            ],
            revisions=[
                {
                    "number": r.number,
                    "saved_at": r.saved_at,
                    "reason": r.reason,
                    "digest": r.digest,
                    "snapshot": self._snapshot(r),
                }
                for r in item.revisions
            ],
        )

    def _reindex(self) -> None:
        self.session.flush()
        search_index.index_rows(
            self.session.connection(),
            [
                (
                    item.id,
                    item.title,
                    search_body(item.kind, item.fields, item.text, (t.name for t in item.tags)),
                )
                for item in self.changed
            ],
        )

    # -- items already here: merged -------------------------------------------------------

    def _merge_existing(self, evidence_id: int, entry: ItemEntry, local: list[Revision]) -> None:
        session = self.session
        local_keys = {_revision_key(r.saved_at, r.reason, r.digest, r.snapshot) for r in local}
        incoming = [(r, self._snapshot(r)) for r in entry.revisions]
        new = [
            (r, snapshot)
            for r, snapshot in incoming
            if _revision_key(r.saved_at, r.reason, r.digest, snapshot) not in local_keys
        ]
        local_last = local[-1] if local else None
        last_number = local_last.number if local_last else 0
        if not new:
            title = local_last.snapshot.get("title", entry.title) if local_last else entry.title
            self.outcomes[entry.uuid] = ItemOutcome(entry.uuid, str(title), "unchanged")
            return
        item = session.scalar(
            select(Evidence).where(Evidence.id == evidence_id).options(*LOAD_CONTENT)
        )
        assert item is not None
        self.changed.append(item)
        if min(r.number for r, _ in new) > last_number:  # the archive is simply ahead
            for r, snapshot in new:
                session.add(
                    Revision(
                        evidence_id=evidence_id,
                        number=r.number,
                        saved_at=r.saved_at,
                        reason=r.reason,
                        digest=r.digest,
                        snapshot=snapshot,
                    )
                )
            self._take(item, entry)
            item.revision = new[-1][0].number
            self.outcomes[entry.uuid] = ItemOutcome(entry.uuid, item.title, "updated", len(new))
            session.flush()
            return
        number = last_number
        for r, snapshot in new:  # both sides moved on: keep both histories
            number += 1
            session.add(
                Revision(
                    evidence_id=evidence_id,
                    number=number,
                    saved_at=r.saved_at,
                    reason=_merged_reason(r.reason),
                    digest=r.digest,
                    snapshot=snapshot,
                )
            )
        added = len(new)
        theirs_newer = local_last is None or entry.revisions[-1].saved_at > local_last.saved_at
        if theirs_newer and new[-1][0].number == entry.revisions[-1].number:
            self._take(item, entry)
        else:
            session.flush()
            number += 1
            added += 1
            session.add(
                Revision(
                    evidence_id=evidence_id,
                    number=number,
                    saved_at=local_last.saved_at if local_last else item.updated_at,
                    reason=KEPT_LOCAL_REASON,
                    digest=digest_of_item(item),
                    snapshot=snapshot_of_item(item),
                )
            )
        item.revision = number
        self.outcomes[entry.uuid] = ItemOutcome(entry.uuid, item.title, "merged", added)
        session.flush()

    def _take(self, item: Evidence, entry: ItemEntry) -> None:
        """Make the archive's current state of the item the current state here."""
        item.kind = entry.kind
        item.title = entry.title
        item.occurred_on = entry.occurred_on
        item.occurred_until = entry.occurred_until
        item.fields = dict(entry.fields)
        item.text = entry.text
        item.status = entry.status
        item.private = entry.private
        item.placement_id = None if entry.placement is None else self.placement_ids[entry.placement]
        item.created_at = min(item.created_at, entry.created_at)
        item.updated_at = entry.updated_at
        item.deleted_at = entry.deleted_at
        wanted = {link.code: link.justification for link in entry.links}
        for link in list(item.links):
            if link.code not in wanted:
                item.links.remove(link)
        for link in item.links:
            link.justification = wanted.pop(link.code)
        item.links.extend(EvidenceLink(code=c, justification=j) for c, j in wanted.items())
        item.tags = [self.tags[name.casefold()] for name in entry.tags]
        files = {a.sha256: a for a in entry.attachments}
        for attachment in list(item.attachments):
            if attachment.sha256 not in files:
                item.attachments.remove(attachment)
        kept = {a.sha256 for a in item.attachments}
        for attachment in item.attachments:
            attachment.filename = files[attachment.sha256].filename
        item.attachments.extend(
            Attachment(sha256=a.sha256, filename=a.filename, added_at=a.added_at)
            for a in entry.attachments
            if a.sha256 not in kept
        )

    # -- sign-offs ------------------------------------------------------------------------

    def _signoffs(self, local_ids: dict[str, int]) -> int:
        session = self.session
        signatures = [record.signature for record in self.archive.signoffs]
        present: set[str] = set()
        for start in range(0, len(signatures), _CHUNK):
            present.update(
                session.scalars(
                    select(SignOff.signature).where(
                        SignOff.signature.in_(signatures[start : start + _CHUNK])
                    )
                )
            )
        rows: list[dict[str, Any]] = []
        per_item: dict[str, int] = defaultdict(int)
        for record, entry in zip(self.archive.signoffs, self.document.signoffs, strict=True):
            if record.signature in present:
                continue
            present.add(record.signature)
            rows.append(signoff_row(record, entry.source, entry.received_at))
            per_item[record.evidence_uuid] += 1
        if rows:
            session.execute(insert(SignOff), rows)
        received = [c for entry in self.document.signoffs for c in entry.credentials]
        credentials.receive(session, received, self.name)
        for uuid, count in per_item.items():
            outcome = self.outcomes[uuid]
            if uuid in local_ids or uuid in self.archive.held:
                self._status_after_signoffs(uuid)
                if outcome.outcome == "unchanged":
                    outcome = ItemOutcome(uuid, outcome.title, "updated")
            self.outcomes[uuid] = ItemOutcome(
                outcome.uuid, outcome.title, outcome.outcome, outcome.revisions_added, count
            )
        return len(rows)

    def _status_after_signoffs(self, uuid: str) -> None:
        """As a sign-off file import does: the latest decision counts if it is still current."""
        rows = in_chain_order(
            self.session.scalars(select(SignOff).where(SignOff.evidence_uuid == uuid))
        )
        latest = rows[-1] if rows else None
        item = self.session.scalar(
            select(Evidence).where(Evidence.uuid == uuid).options(*LOAD_CONTENT)
        )
        if (
            latest is not None
            and item is not None
            and (digest_of_item(item) == latest.evidence_digest)
        ):
            item.status = status_after(latest.decision)
        self.session.flush()
