"""The Core statements that verifying the latest sign-offs reads, and Core's run of them
(``latest_statuses_on``, ``trust_roots_on``). The rows become statuses through
``verification.verified_latest``, the one definition of the rules; ``quick_reads`` runs the
same statements, precompiled (``compile_reads``), on a bare connection.

Each statement of an item's rows takes which items (``selected``): Core's path names them by
id, the precompiled reads take every reviewed item.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, Select, select

from portfolio import tables
from portfolio.models import Attachment, Blob, SignOff, SupervisorIdentity, TrustedDirectory
from portfolio.services.item_digest import digests_of_rows
from portfolio.services.trust_roots import trust_roots_from
from portfolio.services.verification import SignOffRow, verified_latest
from portfolio.vocabulary import SIGNED_STATUSES

if TYPE_CHECKING:
    from portfolio.services.dto import SignOffStatus
    from portfolio.services.trust_roots import TrustRoots

Evidence = tables.evidence.c
EvidenceLink = tables.evidence_link.c
IDENTITY_COLUMNS = ("public_key", "name", "gmc_number", "fingerprint", "pinned_how")


def signoffs_statement(selected: ColumnElement[bool]) -> Select[Any]:
    """The selected items' sign-offs: the item's id, then a ``SignOffRow``, oldest first (the
    order ``chain_warning`` names a missing one in)."""
    columns = SignOff.__table__.c
    return (
        select(Evidence.id, *(columns[name] for name in SignOffRow._fields))
        .join(tables.evidence, Evidence.uuid == columns.evidence_uuid)
        .where(selected)
        .order_by(columns.signed_at, columns.id)
    )


def content_statement(selected: ColumnElement[bool]) -> Select[Any]:
    """The signed columns of the selected items (``item_digest.digests_of_rows``)."""
    return select(
        Evidence.id,
        Evidence.uuid,
        Evidence.kind,
        Evidence.title,
        Evidence.occurred_on,
        Evidence.occurred_until,
        Evidence.fields,
        Evidence.text,
    ).where(selected)


def links_statement(selected: ColumnElement[bool]) -> Select[Any]:
    return (
        select(EvidenceLink.evidence_id, EvidenceLink.code)
        .join(tables.evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(selected)
    )


def attachments_statement(selected: ColumnElement[bool]) -> Select[Any]:
    """Each attachment's blob key and stored bytes (no bytes when the blob is missing)."""
    attachment, blob = Attachment.__table__.c, Blob.__table__.c
    return (
        select(attachment.evidence_id, blob.sha256, blob.data)
        .join(tables.evidence, Evidence.id == attachment.evidence_id)
        .outerjoin(Blob.__table__, blob.sha256 == attachment.sha256)
        .where(selected)
    )


def identities_statement() -> Select[Any]:
    """Every identity this portfolio knows (``trust_roots.trust_roots_from``)."""
    columns = SupervisorIdentity.__table__.c
    return select(*(columns[name] for name in IDENTITY_COLUMNS))


def trainee_statement() -> Select[Any]:
    return select(tables.profile.c.gmc_number).where(tables.profile.c.id == 1)


def directories_statement() -> Select[Any]:
    return select(TrustedDirectory.__table__.c.document)


REVIEWED = Evidence.status.in_(SIGNED_STATUSES)
REVIEWED_READS = {
    "signoffs": signoffs_statement(REVIEWED),
    "contents": content_statement(REVIEWED),
    "links": links_statement(REVIEWED),
    "attachments": attachments_statement(REVIEWED),
    "identities": identities_statement(),
    "trainee": trainee_statement(),
    "directories": directories_statement(),
}
"""What the precompiled reads verify (``quick_reads``): every reviewed item's sign-offs, the
trash's too, in ``verification.verified_latest``'s arguments' order after the digests'."""


def trust_roots_on(connection: Connection, now: datetime | None = None) -> TrustRoots:
    return trust_roots_from(*_roots_rows(connection), now)


def _roots_rows(connection: Connection) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
    return (
        connection.execute(identities_statement()).all(),
        connection.execute(trainee_statement()).all(),
        connection.execute(directories_statement()).all(),
    )


def latest_statuses_on(
    connection: Connection, evidence_ids: Collection[int], digests: Mapping[int, str] | None = None
) -> dict[int, SignOffStatus]:
    """``verification.latest_statuses`` on a connection."""
    if not evidence_ids:
        return {}
    ids = list(evidence_ids)
    known = dict(digests or {})
    signoffs: list[Any] = []
    for start in range(0, len(ids), 900):
        rows = connection.execute(signoffs_statement(Evidence.id.in_(ids[start : start + 900])))
        found = rows.all()
        signoffs.extend(found)
        if missing := [i for i in dict.fromkeys(row[0] for row in found) if i not in known]:
            which = Evidence.id.in_(missing)
            known.update(
                digests_of_rows(
                    connection.execute(content_statement(which)),
                    connection.execute(links_statement(which)),
                    connection.execute(attachments_statement(which)),
                    as_stored=False,
                )
            )
    return verified_latest(signoffs, known, *_roots_rows(connection))
