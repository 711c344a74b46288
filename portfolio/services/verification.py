"""Sign-off status, computed every time from the signature and the item's content.

A status column is never trusted: an item shows as signed off only when the latest sign-off's
signature verifies, its key is one this portfolio knows, the item's digest now equals the
digest that was signed, and a trust root (a trusted directory or the trainee's pin) vouches for
the key (``trust_roots``).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.models import Evidence, SignOff, SupervisorIdentity
from portfolio.services.content import LOAD_CONTENT, digest_of_item
from portfolio.services.dto import SignOffState, SignOffStatus
from portfolio.services.trust_roots import TrustRoots, load_trust_roots

if TYPE_CHECKING:
    from portfolio.security.signing import SignOffRecord

SIGNED_STATUSES = ("signed_off", "changes_requested")


def record_of(row: SignOff) -> SignOffRecord:
    """The signed record behind a row; a row that cannot even be read is reported invalid."""
    from portfolio.security.signing import PublicIdentity, SignOffRecord  # imports cryptography

    return SignOffRecord(
        evidence_uuid=row.evidence_uuid,
        evidence_digest=row.evidence_digest,
        decision=row.decision,  # type: ignore[arg-type]
        comment=row.comment,
        signer=PublicIdentity(row.signer_name, row.signer_gmc, row.signer_role, row.public_key),  # type: ignore[arg-type]
        signed_at=row.signed_at,
        signature=row.signature,
    )


@lru_cache(maxsize=65_536)
def _signature_valid(record: SignOffRecord) -> bool:
    """Records are immutable, so the costly signature check is made once per record."""
    return record.signature_valid()


def _state(record: SignOffRecord, current_digest: str, key_known: bool) -> SignOffState:
    """As ``signing.signoff_state``, with the signature check cached."""
    if not (key_known and _signature_valid(record)):
        return "invalid"
    return "valid" if record.evidence_digest == current_digest else "edited"


def status_of(
    row: SignOff,
    current_digest: str,
    identities: dict[str, SupervisorIdentity],
    roots: TrustRoots,
) -> SignOffStatus:
    """The row's state against the item now, and who (if anyone) vouches for its signer."""
    try:
        record = record_of(row)
    except (ValueError, TypeError):
        state: SignOffState = "invalid"
        fingerprint = ""
    else:
        state = _state(record, current_digest, row.public_key in identities)
        fingerprint = record.fingerprint
    vouched_by, reason = None, ""
    if state != "invalid":
        judged = roots.judge(row.public_key, row.signer_gmc, row.signed_at)
        vouched_by, reason = judged.vouched_by, judged.reason
        if judged.revoked:
            state = "revoked"
    return SignOffStatus(
        state,
        row.decision,
        row.comment,
        row.signer_name,
        row.signer_role,
        fingerprint,
        row.signed_at,
        vouched_by,
        reason,
    )


def known_identities(session: Session) -> dict[str, SupervisorIdentity]:
    """Every identity this portfolio knows, by public key."""
    return {i.public_key: i for i in session.scalars(select(SupervisorIdentity))}


def latest_statuses(session: Session, evidence_ids: Collection[int]) -> dict[int, SignOffStatus]:
    """The verified latest sign-off of each of these items that has one."""
    if not evidence_ids:
        return {}
    ids = list(evidence_ids)
    latest: dict[str, SignOff] = {}
    items: dict[str, Evidence] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for item in session.scalars(
            select(Evidence).where(Evidence.id.in_(chunk)).options(*LOAD_CONTENT)
        ):
            items[item.uuid] = item
        for row in session.scalars(
            select(SignOff)
            .join(Evidence, Evidence.uuid == SignOff.evidence_uuid)
            .where(Evidence.id.in_(chunk))
            .order_by(SignOff.signed_at, SignOff.id)
        ):
            latest[row.evidence_uuid] = row
    identities = known_identities(session)
    roots = load_trust_roots(session)
    return {
        items[uuid].id: status_of(row, digest_of_item(items[uuid]), identities, roots)
        for uuid, row in latest.items()
    }


def shown_status(column: str, signoff: SignOffStatus | None) -> str:
    """The status to show: draft, ready, changes_requested, signed_off, unvouched (a valid
    signature by a key nobody vouches for), edited, revoked or invalid."""
    if column not in SIGNED_STATUSES:
        return column
    if signoff is None:
        return "invalid"
    if signoff.state == "valid":
        return signoff.decision if signoff.vouched_by is not None else "unvouched"
    return signoff.state
