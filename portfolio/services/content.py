"""What an evidence item's content is: the part a supervisor signs, and its digest.

The digest is SHA-256 over the canonical JSON of ``security.content.content_of``: uuid, kind, title, dates,
fields, text, linked codes and attachment hashes. Status, tags, privacy and timestamps are not
part of it, so filing an item differently never invalidates a sign-off.

An item's current digest takes each attachment's hash from its stored bytes, not from the
``sha256`` column, so bytes replaced in the database show the item as edited
(``item_digest.bytes_digest``, cached until ``forget_blob_digests``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import selectinload

from portfolio.errors import InvalidInput, Remedy
from portfolio.models import Attachment, Evidence
from portfolio.security.canonical import digest
from portfolio.security.content import content_of
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.services.item_digest import bytes_digest
from portfolio.services.item_digest import forget_blob_digests as forget_blob_digests

LOAD_CONTENT = (
    selectinload(Evidence.links),
    selectinload(Evidence.tags),
    selectinload(Evidence.attachments).selectinload(Attachment.blob),
)
"""Loader options for everything ``draft_of`` and the digest need."""


def snapshot_of(
    item_uuid: str,
    draft: EvidenceDraft,
    status: str,
    attachments: dict[str, str],
    deleted: bool,
    content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything about an item at one save, for its history (attachments: sha256 → name);
    ``content``: its ``content_of``, when the caller has made it already."""
    return {
        **(content if content is not None else content_of(item_uuid, draft, attachments)),
        "status": status,
        "private": draft.private,
        "placement_id": draft.placement_id,
        "justifications": {link.code: link.justification for link in draft.links},
        "tags": sorted(draft.tags),
        "attachment_names": attachments,
        "deleted": deleted,
    }


def draft_of(item: Evidence) -> EvidenceDraft:
    return EvidenceDraft(
        kind=item.kind,
        title=item.title,
        occurred_on=item.occurred_on,
        occurred_until=item.occurred_until,
        fields=dict(item.fields),
        text=item.text,
        links=tuple(Link(link.code, link.justification) for link in item.links),
        tags=tuple(t.name for t in item.tags),
        private=item.private,
        placement_id=item.placement_id,
    )


def snapshot_of_item(item: Evidence) -> dict[str, Any]:
    return snapshot_of(
        item.uuid,
        draft_of(item),
        item.status,
        {a.sha256: a.filename for a in item.attachments},
        item.deleted_at is not None,
    )


def check_bytes(title: str, filename: str, sha256: str, data: bytes) -> bytes:
    """The bytes of an attachment about to leave the portfolio, refused if they were altered."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise InvalidInput(
            f"The attachment {filename} of '{title}' no longer matches its hash: its bytes were "
            "changed outside the app. Nothing was written; restore a backup.",
            remedy=Remedy.FIND_BACKUP,
        )
    return data


def digest_of_item(item: Evidence) -> str:
    return digest(
        content_of(
            item.uuid,
            draft_of(item),
            (bytes_digest(a.blob.sha256, a.blob.data) for a in item.attachments),
        )
    )
