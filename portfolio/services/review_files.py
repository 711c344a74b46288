"""A review pack as the supervisor's app shows it: its items as evidence details, read through
``portfolio.formats.review_pack``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.formats.review_pack import EarlierSignOff, read_pack
from portfolio.services.dto import AttachmentData, EvidenceDetail, Link

if TYPE_CHECKING:
    from portfolio.formats.review_pack import PackItem

_EPOCH = datetime(1970, 1, 1)  # review items have no local timestamps


@dataclass(frozen=True)
class ReviewItem:
    """An item as the supervisor reads it; ``digest`` is recomputed from what is shown."""

    detail: EvidenceDetail
    attachment_data: dict[str, bytes]
    supersedes: str | None = None
    """What the supervisor's sign-off will name as the record it replaces."""


@dataclass(frozen=True)
class ReviewPack:
    pack_id: str
    created_at: str
    trainee_name: str
    trainee_gmc: str
    trainee_grade: str
    trainee_programme: str
    trainee_trust: str
    items: tuple[ReviewItem, ...]
    earlier: tuple[EarlierSignOff, ...] = ()


def read_review_pack(path: Path) -> ReviewPack:
    """The review pack at ``path``, checked whole (InvalidInput names the first problem)."""
    pack = read_pack(path)
    return ReviewPack(
        pack.pack_id,
        pack.created_at,
        pack.trainee.name,
        pack.trainee.gmc_number,
        pack.trainee.grade,
        pack.trainee.programme,
        pack.trainee.trust,
        tuple(_review_item(item, pack.attachments) for item in pack.items),
        pack.earlier,
    )


def _review_item(item: PackItem, attachments: dict[str, bytes]) -> ReviewItem:
    detail = EvidenceDetail(
        id=0,
        uuid=item.uuid,
        kind=item.kind,
        title=item.title,
        occurred_on=item.occurred_on,
        occurred_until=item.occurred_until,
        fields=item.fields,
        text=item.text,
        status="ready",
        private=False,
        placement_id=None,
        links=tuple(Link(ln.code, ln.justification) for ln in item.links),
        tags=(),
        attachments=tuple(
            AttachmentData(a.sha256, a.filename, a.size, a.mime_type) for a in item.attachments
        ),
        revision=0,
        digest=item.digest,
        created_at=_EPOCH,
        updated_at=_EPOCH,
        deleted_at=None,
    )
    data = {a.sha256: attachments[a.sha256] for a in item.attachments}
    return ReviewItem(detail, data, item.supersedes)
