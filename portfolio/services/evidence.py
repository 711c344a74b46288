"""Evidence use cases: write with a revision every time, read as frozen dataclasses."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portfolio import limits
from portfolio.errors import InvalidInput, NotFound
from portfolio.formats.reader import read_bounded
from portfolio.kinds import template, validate_fields
from portfolio.models import (
    Attachment,
    Blob,
    CurriculumNode,
    Evidence,
    EvidenceLink,
    Placement,
    Revision,
    Tag,
    evidence_tag,
)
from portfolio.models.base import utcnow
from portfolio.security.canonical import digest
from portfolio.security.content import content_of
from portfolio.services import validation
from portfolio.services.attachments import checked_content
from portfolio.services.content import (
    LOAD_CONTENT,
    digest_of_item,
    snapshot_of,
    snapshot_of_item,
)
from portfolio.services.dto import (
    AttachmentData,
    EvidenceDetail,
    EvidenceDraft,
    EvidenceSummary,
    Link,
    RevisionData,
    SearchHit,
)
from portfolio.services.evidence_query import (
    EvidenceQuery,
    FirstRows,
    ListRow,
    first_rows,
    ids_in,
    list_rows_of,
    list_summaries,
    search_hits,
    summaries_of,
)
from portfolio.services.new_items import (
    NewItem,
    collection_paused,
    indexes_after_load,
    insert_items,
    search_body,
)
from portfolio.services.verification import SIGNED_STATUSES, latest_statuses, shown_status
from portfolio.storage import search_index
from portfolio.storage.concurrency import insert_missing, refuse_stale

CANCEL_CHECK_STEPS = 5_000
"""SQLite virtual-machine steps between two looks at whether a query was cancelled."""
_T = TypeVar("_T")


def _known_codes(session: Session) -> dict[str, str]:
    """Curriculum codes by their case-folded form, to accept 'gpc6.2' for 'GPC6.2'."""
    return {code.casefold(): code for code in session.scalars(select(CurriculumNode.code))}


class EvidenceService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- writing ---------------------------------------------------------------------------

    def create(self, draft: EvidenceDraft, *, item_uuid: str | None = None) -> EvidenceDetail:
        with self._sessions.begin() as session:
            draft = self._validated(session, draft)
            item = Evidence(
                uuid=item_uuid or str(uuid_module.uuid4()),
                status="draft",
                revision=0,
                links=[],
                tags=[],
                attachments=[],
            )
            session.add(item)
            self._apply(session, item, draft)
            self._saved(session, item, "created")
            return self._detail(session, item)

    def update(
        self, item_uuid: str, draft: EvidenceDraft, *, from_revision: int | None = None
    ) -> EvidenceDetail:
        """Replace an item's content with ``draft``; the previous version stays in its history.

        ``from_revision``: the revision the draft was made from; if another writer has saved
        the item since, ChangedElsewhere and nothing is written."""
        with self._sessions.begin() as session:
            item = self._load(session, item_uuid, for_update=True)
            refuse_stale(f"Item {item.uuid}", item.revision, from_revision)
            if item.kind != draft.kind:
                raise InvalidInput("An item's kind cannot change; create a new item instead.")
            draft = self._validated(session, draft)
            before = snapshot_of_item(item)
            self._apply(session, item, draft)
            if snapshot_of_item(item) != before:
                self._saved(session, item, "edited")
            return self._detail(session, item)

    def submit(self, item_uuids: Sequence[str]) -> list[EvidenceDetail]:
        """Mark items ready for review (all or none)."""
        with self._sessions.begin() as session:
            for item_uuid in sorted({u.strip().lower() for u in item_uuids}):
                self._load(session, item_uuid, for_update=True)  # in one order: no deadlock
            items = [self._load(session, u) for u in item_uuids]
            for item in items:
                if item.deleted_at is not None:
                    raise InvalidInput(f"Item {item.uuid} is in the trash; restore it first.")
                if item.status != "ready":
                    item.status = "ready"
                    self._saved(session, item, "submitted")
            return [self._detail(session, item) for item in items]

    def delete(self, item_uuid: str) -> EvidenceDetail:
        """Move to the trash: hidden from lists, kept with its history, restorable."""
        return self._set_deleted(item_uuid, deleted=True)

    def undelete(self, item_uuid: str) -> EvidenceDetail:
        return self._set_deleted(item_uuid, deleted=False)

    def attach(self, item_uuid: str, path: Path) -> AttachmentData:
        data = read_bounded(path, "attachment", limits.MAX_ATTACHMENT_BYTES)
        return self.attach_bytes(item_uuid, path.name, data)

    def attach_bytes(self, item_uuid: str, filename: str, data: bytes) -> AttachmentData:
        sha, mime = checked_content(data, filename)
        with self._sessions.begin() as session:
            item = self._load(session, item_uuid, for_update=True)
            existing = next((a for a in item.attachments if a.sha256 == sha), None)
            if existing is not None:
                return AttachmentData(sha, existing.filename, len(data), mime)
            if len(item.attachments) >= limits.MAX_ATTACHMENTS:
                raise InvalidInput(
                    f"An item may have at most {limits.MAX_ATTACHMENTS} attachments; detach "
                    "one first, or start another item."
                )
            filename = validation.storable(filename, "file name")[: limits.MAX_FILENAME]
            if session.get(Blob, sha) is None:
                values = {"sha256": sha, "size": len(data), "mime_type": mime, "data": data}
                insert_missing(session, Blob, values)
            blob = session.get_one(Blob, sha)
            item.attachments.append(Attachment(sha256=sha, filename=filename, blob=blob))
            self._saved(session, item, "attachment added")
            return AttachmentData(sha, filename, len(data), mime)

    def detach(self, item_uuid: str, sha256: str) -> None:
        with self._sessions.begin() as session:
            item = self._load(session, item_uuid, for_update=True)
            found = [a for a in item.attachments if a.sha256 == sha256.lower()]
            if not found:
                raise NotFound(f"Item {item_uuid} has no attachment {sha256}.")
            item.attachments.remove(found[0])
            self._saved(session, item, "attachment removed")

    def attachment_content(self, sha256: str) -> bytes:
        """Blobs stay after detaching, so every revision's attachments remain readable."""
        with self._sessions() as session:
            blob = session.get(Blob, sha256)
            if blob is None:
                raise NotFound(f"No attachment with SHA-256 {sha256}.")
            return blob.data

    def bulk_create(self, drafts: Iterable[EvidenceDraft], batch: int = 5_000) -> int:
        """Insert many items in one transaction, ``batch`` at a time (each batch one statement
        per table, the search index's included)."""
        count = 0
        with (
            self._sessions.begin() as session,
            collection_paused(),
            indexes_after_load(session),
        ):
            known_codes = _known_codes(session)
            pending: list[EvidenceDraft] = []
            for draft in drafts:
                pending.append(self._validated(session, draft, known_codes))
                if len(pending) >= batch:
                    count += self._insert_batch(session, pending)
                    pending = []
            count += self._insert_batch(session, pending)
            if count:
                search_index.optimise_index(session.connection())
        return count

    def rebuild_search_index(self) -> None:
        with self._sessions.begin() as session:
            self.rebuild_index_in(session)

    # -- reading ---------------------------------------------------------------------------

    def get(self, item_uuid: str) -> EvidenceDetail:
        with self._sessions() as session:
            return self._detail(session, self._load(session, item_uuid))

    def revisions(self, item_uuid: str) -> list[RevisionData]:
        with self._sessions() as session:
            item = self._load(session, item_uuid)
            rows = session.scalars(
                select(Revision).where(Revision.evidence_id == item.id).order_by(Revision.number)
            )
            return [
                RevisionData(r.number, r.saved_at, r.reason, r.digest, r.snapshot) for r in rows
            ]

    def query_ids(self, query: EvidenceQuery, limit: int | None = None) -> list[int]:
        """Ids in list order: filtered, searched and sorted in the database.

        ``limit`` gives the first rows quickly (a list paints them before fetching the rest).
        Ids go through Core rather than the ORM, which costs three times as much per row.
        """
        with self._sessions() as session:
            return self._ids_in(session, query, limit)

    def query_ids_unless(
        self, query: EvidenceQuery, cancelled: Callable[[], bool], limit: int | None = None
    ) -> list[int] | None:
        """As ``query_ids``, but None as soon as ``cancelled()`` (asked from another thread)
        says so: a search typed on stops the one before it mid-query. SQLite checks it every
        few thousand steps of the query; another database runs the query to its end."""
        return self._unless(cancelled, lambda session: self._ids_in(session, query, limit))

    def first_rows_unless(
        self, query: EvidenceQuery, cancelled: Callable[[], bool], limit: int
    ) -> FirstRows | None:
        """The list's first ``limit`` rows, ids and shown columns in one statement (see
        ``first_rows``), every id with them in an order no index walks. Cancelled as
        ``query_ids_unless`` is."""
        return self._unless(
            cancelled, lambda session: first_rows(session.connection(), query, limit)
        )

    def _unless(self, cancelled: Callable[[], bool], work: Callable[[Session], _T]) -> _T | None:
        with self._sessions() as session:
            driver = session.connection().connection.driver_connection
            watch = getattr(driver, "set_progress_handler", None)
            if watch is not None:
                watch(lambda: 1 if cancelled() else 0, CANCEL_CHECK_STEPS)
            try:
                return None if cancelled() else work(session)
            except OperationalError:
                if cancelled():  # SQLite's "interrupted"
                    return None
                raise
            finally:
                if watch is not None:
                    watch(None, 0)

    def _ids_in(self, session: Session, query: EvidenceQuery, limit: int | None) -> list[int]:
        return ids_in(session.connection(), query, limit)

    def summaries(self, ids: Sequence[int]) -> list[EvidenceSummary]:
        """Rows for ``ids``, in the order given (the list fetches only what it shows)."""
        with self._sessions() as session:
            return summaries_of(session.connection(), ids)

    def list_rows(self, ids: Sequence[int]) -> list[ListRow]:
        """The list's rows for ``ids`` (a page of them), in the order given: only the columns it
        shows, through Core rather than the ORM. Missing ids are refused as ``summaries``
        refuses them."""
        with self._sessions() as session:
            return list_rows_of(session.connection(), ids)

    def details(self, query: EvidenceQuery = EvidenceQuery()) -> list[EvidenceDetail]:
        ids = self.query_ids(query)
        with self._sessions() as session:
            items: dict[int, Evidence] = {}
            for start in range(0, len(ids), 900):
                items.update(
                    (e.id, e)
                    for e in session.scalars(
                        select(Evidence)
                        .where(Evidence.id.in_(ids[start : start + 900]))
                        .options(*LOAD_CONTENT)
                    )
                )
            return self._details(session, [items[i] for i in ids])

    def search(self, query_text: str, limit: int = 50) -> list[SearchHit]:
        """See :func:`portfolio.services.evidence_query.search_hits`."""
        with self._sessions() as session:
            return search_hits(session.connection(), query_text, limit)

    def tags(self) -> list[str]:
        with self._sessions() as session:
            return list(session.scalars(select(Tag.name).order_by(func.lower(Tag.name))))

    def count(self) -> int:
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count()).select_from(Evidence).where(Evidence.deleted_at.is_(None))
                )
                or 0
            )

    # -- internals -------------------------------------------------------------------------

    def _validated(
        self, session: Session, draft: EvidenceDraft, known_codes: dict[str, str] | None = None
    ) -> EvidenceDraft:
        template(draft.kind)
        validation.date_range(draft.occurred_on, draft.occurred_until, "item", "occurred_until")
        links = self._checked_links(session, draft.links, known_codes)
        if draft.placement_id is not None and session.get(Placement, draft.placement_id) is None:
            raise NotFound(f"There is no placement {draft.placement_id}.")
        return EvidenceDraft(  # not dataclasses.replace: a bulk load pays for it per item
            kind=draft.kind,
            title=validation.required_text(draft.title, "title", limits.MAX_TITLE, "title"),
            occurred_on=draft.occurred_on,
            occurred_until=draft.occurred_until,
            fields=validate_fields(draft.kind, draft.fields),
            text=validation.optional_text(draft.text, "text", limits.MAX_TEXT, "text"),
            links=links,
            tags=validation.tags(draft.tags, "tags"),
            private=draft.private,
            placement_id=draft.placement_id,
        )

    @staticmethod
    def _checked_links(
        session: Session, links: tuple[Link, ...], known_codes: dict[str, str] | None
    ) -> tuple[Link, ...]:
        if known_codes is None:
            known_codes = _known_codes(session)
        checked: dict[str, Link] = {}
        for link in links:
            code = known_codes.get(link.code.strip().casefold())
            if code is None:
                raise InvalidInput(
                    f"Unknown domain code '{link.code}'; use GPC1 … GPC9 or a sub-heading "
                    "such as GPC6.2.",
                    field="links",
                )
            why = link.justification
            if why:
                why = validation.optional_text(
                    why, "justification", limits.MAX_JUSTIFICATION, f"links.{code}"
                )
            # the link as given when nothing changed: a bulk load checks thousands
            checked[code] = (
                link if (code, why) == (link.code, link.justification) else Link(code, why)
            )
        if len(checked) > limits.MAX_LINKS:
            raise InvalidInput(
                f"An item may be linked to at most {limits.MAX_LINKS} domains and capabilities; "
                f"this one has {len(checked)}.",
                field="links",
            )
        return tuple(checked[c] for c in sorted(checked))

    def _apply(self, session: Session, item: Evidence, draft: EvidenceDraft) -> None:
        item.kind = draft.kind
        item.title = draft.title
        item.occurred_on = draft.occurred_on
        item.occurred_until = draft.occurred_until
        item.fields = draft.fields
        item.text = draft.text
        item.private = draft.private
        item.placement_id = draft.placement_id
        wanted = {link.code: link.justification for link in draft.links}
        for link in list(item.links):
            if link.code not in wanted:
                item.links.remove(link)
        for link in item.links:
            link.justification = wanted.pop(link.code)
        item.links.extend(EvidenceLink(code=c, justification=j) for c, j in wanted.items())
        item.tags = [self._tag(session, name) for name in draft.tags]

    @staticmethod
    def _tag(session: Session, name: str) -> Tag:
        tag = session.scalar(select(Tag).where(func.lower(Tag.name) == name.lower()))
        if tag is None:
            insert_missing(session, Tag, {"name": name})
            tag = session.scalars(select(Tag).where(Tag.name == name)).one()
        return tag

    def _saved(self, session: Session, item: Evidence, reason: str) -> None:
        """Record a revision of the item as it now stands and refresh its search entry."""
        item.updated_at = utcnow()
        item.revision += 1
        session.flush()
        session.add(
            Revision(
                evidence_id=item.id,
                number=item.revision,
                reason=reason,
                digest=digest_of_item(item),
                snapshot=snapshot_of_item(item),
            )
        )
        search_index.index_rows(
            session.connection(),
            [
                (
                    item.id,
                    item.title,
                    search_body(item.kind, item.fields, item.text, (t.name for t in item.tags)),
                )
            ],
        )

    def _set_deleted(self, item_uuid: str, *, deleted: bool) -> EvidenceDetail:
        with self._sessions.begin() as session:
            item = self._load(session, item_uuid, for_update=True)
            if (item.deleted_at is not None) != deleted:
                item.deleted_at = utcnow() if deleted else None
                self._saved(session, item, "moved to trash" if deleted else "restored")
            return self._detail(session, item)

    @staticmethod
    def _load(session: Session, item_uuid: str, *, for_update: bool = False) -> Evidence:
        """``for_update``: lock the item's row until the transaction ends (a shared database's
        other writers of it wait), so its revisions follow one another."""
        query = select(Evidence).where(Evidence.uuid == item_uuid.strip().lower())
        if for_update:
            query = query.with_for_update(of=Evidence)
        item = session.scalar(query.options(*LOAD_CONTENT))
        if item is None:
            raise NotFound(f"No evidence item with uuid {item_uuid}.")
        return item

    def _detail(self, session: Session, item: Evidence) -> EvidenceDetail:
        return self._details(session, [item])[0]

    @staticmethod
    def _details(session: Session, items: list[Evidence]) -> list[EvidenceDetail]:
        session.flush()
        digests = {item.id: digest_of_item(item) for item in items}  # each computed once
        signed = [i.id for i in items if i.status in SIGNED_STATUSES]
        signoffs = latest_statuses(session, signed, digests)
        return [
            EvidenceDetail(
                id=item.id,
                uuid=item.uuid,
                kind=item.kind,
                title=item.title,
                occurred_on=item.occurred_on,
                occurred_until=item.occurred_until,
                fields=dict(item.fields),
                text=item.text,
                status=shown_status(item.status, signoffs.get(item.id)),
                private=item.private,
                placement_id=item.placement_id,
                links=tuple(Link(link.code, link.justification) for link in item.links),
                tags=tuple(t.name for t in item.tags),
                attachments=tuple(
                    AttachmentData(a.sha256, a.filename, a.blob.size, a.blob.mime_type)
                    for a in item.attachments
                ),
                revision=item.revision,
                digest=digests[item.id],
                created_at=item.created_at,
                updated_at=item.updated_at,
                deleted_at=item.deleted_at,
                signoff=signoffs.get(item.id),
            )
            for item in items
        ]

    @staticmethod
    def _insert_batch(session: Session, drafts: list[EvidenceDraft]) -> int:
        now = utcnow()
        items = []
        for draft in drafts:
            item_uuid = str(uuid_module.uuid4())
            content = content_of(item_uuid, draft, ())
            items.append(
                NewItem(
                    evidence={
                        "uuid": item_uuid,
                        "kind": draft.kind,
                        "title": draft.title,
                        "occurred_on": draft.occurred_on,
                        "occurred_until": draft.occurred_until,
                        "fields": draft.fields,
                        "text": draft.text,
                        "status": "draft",
                        "private": draft.private,
                        "placement_id": draft.placement_id,
                        "revision": 1,
                        "created_at": now,
                        "updated_at": now,
                        "deleted_at": None,
                    },
                    links=[(link.code, link.justification) for link in draft.links],
                    tags=draft.tags,
                    revisions=[
                        {
                            "number": 1,
                            "saved_at": now,
                            "reason": "created",
                            "digest": digest(content),
                            "snapshot": snapshot_of(
                                item_uuid, draft, "draft", {}, deleted=False, content=content
                            ),
                        }
                    ],
                )
            )
        insert_items(session, items)
        return len(items)

    def rebuild_index_in(self, session: Session) -> None:
        """Rebuild the whole search index inside the caller's transaction (after bulk writes)."""
        connection = session.connection()
        if not search_index.uses_fts(connection):
            return
        search_index.clear_index(connection)
        tags: dict[int, list[str]] = {}
        for evidence_id, name in session.execute(
            select(evidence_tag.c.evidence_id, Tag.name).join(Tag)
        ):
            tags.setdefault(evidence_id, []).append(name)
        rows = session.execute(
            select(Evidence.id, Evidence.kind, Evidence.title, Evidence.fields, Evidence.text)
        )
        search_index.index_rows(
            connection,
            replace=False,
            rows=(
                (r.id, r.title, search_body(r.kind, r.fields, r.text, tags.get(r.id, ())))
                for r in rows
            ),
        )
        search_index.optimise_index(connection)

    # Last in the class: a method named "list" shadows the builtin in later annotations.
    def list(self, query: EvidenceQuery = EvidenceQuery()) -> list[EvidenceSummary]:
        """The whole list in one query (``summaries(query_ids(query))`` fetches it twice)."""
        with self._sessions() as session:
            return list_summaries(session.connection(), query)
