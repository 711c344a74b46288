"""Sign-off status, computed every time from the signature and the item's content.

A status column is never trusted: an item shows as signed off only when the latest sign-off's
signature verifies, its key is one this portfolio knows, the item's digest now equals the
digest that was signed, and a trust root (a trusted directory or the trainee's pin) vouches for
the key (``trust_roots``), and the record (from format version 2) names this portfolio's trainee.
A record signed for another trainee, copied into this portfolio, is never trusted; a version 1
record names no trainee, which its status says.

Each record from format version 2 names the record it supersedes; when that record is not in
the portfolio the item's chain has a gap (a row was taken out of the database, which its
append-only triggers refuse), and the status carries a ``chain_warning``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from portfolio.services.read_models import SignOffStatus
from portfolio.vocabulary import SIGNED_STATUSES, SignOffState

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from portfolio.models import SignOff, SupervisorIdentity
    from portfolio.security.signing import SignOffRecord
    from portfolio.services.trust_roots import TrustRoots

# The models (and SQLAlchemy) are imported where rows are read: showing unreviewed items
# needs neither.
V1_WARNING = (
    "This is a version 1 record: it does not name the trainee it was signed for, so it cannot "
    "show that it was signed for this portfolio."
)


class SignOffRow(NamedTuple):
    """A sign-off's columns as a row gives them (``signoff_reads.signoffs_statement``): read
    like a ``SignOff``."""

    id: int
    evidence_uuid: str
    evidence_digest: str
    decision: str
    comment: str
    signer_name: str
    signer_gmc: str
    signer_role: str
    public_key: str
    signed_at: str
    signature: str
    supersedes: str | None
    trainee_gmc: str | None
    format_version: int


Row = TypeVar("Row", "SignOff", SignOffRow)


def record_of(row: SignOff | SignOffRow) -> SignOffRecord:
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
        supersedes=row.supersedes,
        trainee_gmc=row.trainee_gmc,
        format_version=row.format_version,
    )


def signoff_row(
    record: SignOffRecord, source: str, received_at: datetime | None = None
) -> dict[str, Any]:
    """The column values that keep ``record`` (``record_of`` reads them back)."""
    values: dict[str, Any] = {
        "evidence_uuid": record.evidence_uuid,
        "evidence_digest": record.evidence_digest,
        "decision": record.decision,
        "comment": record.comment,
        "signer_name": record.signer.name,
        "signer_gmc": record.signer.gmc_number,
        "signer_role": record.signer.role,
        "public_key": record.signer.public_key,
        "signed_at": record.signed_at,
        "signature": record.signature,
        "supersedes": record.supersedes,
        "trainee_gmc": record.trainee_gmc,
        "format_version": record.format_version,
        "source": source,
    }
    if received_at is not None:
        values["received_at"] = received_at
    return values


def status_after(decision: str) -> str:
    """The item's status column once ``decision`` is its latest, current sign-off."""
    from portfolio.security.signing import WITHDRAWN

    return "ready" if decision == WITHDRAWN else decision


def in_chain_order(rows: Iterable[Row]) -> list[Row]:
    """An item's sign-offs oldest first: by time, and within one second a record after the
    one it supersedes (row ids alone differ between copies of a portfolio)."""
    rows = list(rows)
    by_signature = {row.signature: row for row in rows}
    depth: dict[str, int] = {}
    for row in rows:  # walk up to a known depth, then number the way back down (no recursion)
        path: list[Row] = []
        node: Row | None = row
        while node is not None and node.signature not in depth:
            depth[node.signature] = 0  # for now: a cycle (only a forgery makes one) ends here
            path.append(node)
            node = by_signature.get(node.supersedes or "")
        for node in reversed(path):
            parent = by_signature.get(node.supersedes or "")
            if parent is not None:
                depth[node.signature] = depth[parent.signature] + 1
            else:  # a first record, or one whose predecessor is missing: after a first
                depth[node.signature] = 0 if node.supersedes is None else 1
    return sorted(rows, key=lambda row: (row.signed_at, depth[row.signature], row.id))


def chain_warning(rows: Iterable[SignOff | SignOffRow]) -> str:
    """A warning when some record of an item names a predecessor the portfolio does not have."""
    rows = list(rows)
    present = {row.signature for row in rows}
    missing = [row for row in rows if row.supersedes is not None and row.supersedes not in present]
    if not missing:
        return ""
    return (
        f"A sign-off this item had is missing: the record of {missing[0].signed_at} by "
        f"{missing[0].signer_name} replaces one that is no longer in this portfolio."
    )


@lru_cache(maxsize=65_536)
def _signature_valid(record: SignOffRecord) -> bool:
    """Records are immutable, so the costly signature check is made once per record."""
    return record.signature_valid()


def _state(record: SignOffRecord, current_digest: str, key_known: bool) -> SignOffState:
    """As ``signing.signoff_state``, with the signature check cached."""
    if not (key_known and _signature_valid(record)):
        return SignOffState.INVALID
    if record.evidence_digest == current_digest:
        return SignOffState.VALID
    return SignOffState.EDITED


def status_of(
    row: SignOff | SignOffRow,
    current_digest: str,
    identities: Collection[str],
    roots: TrustRoots,
    chain: str = "",
) -> SignOffStatus:
    """The row's state against the item now, and who (if anyone) vouches for its signer;
    ``identities``: the public keys this portfolio knows."""
    try:
        record = record_of(row)
    except (ValueError, TypeError):
        state = SignOffState.INVALID
        fingerprint = ""
    else:
        state = _state(record, current_digest, row.public_key in identities)
        fingerprint = record.fingerprint
    vouched_by, reason, other = None, "", ""
    if state != "invalid":
        judged = roots.judge(row.public_key, row.signer_gmc, row.signed_at)
        vouched_by, reason = judged.vouched_by, judged.reason
        if judged.revoked:
            state = SignOffState.REVOKED
        elif (foreign := roots.signed_for_another(row.format_version, row.trainee_gmc)) is not None:
            vouched_by, reason, other = None, f"signed for another trainee (GMC {foreign})", foreign
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
        warning=V1_WARNING if row.format_version == 1 else "",
        signature=row.signature,
        supersedes=row.supersedes,
        chain_warning=chain,
        other_trainee=other,
    )


def latest_signatures(session: Session, evidence_uuids: Collection[str]) -> dict[str, str]:
    """The signature of each item's latest sign-off, whatever its status: what a new one names."""
    from sqlalchemy import select

    from portfolio.models import SignOff

    rows_of: dict[str, list[SignOff]] = {}
    uuids = list(evidence_uuids)
    for start in range(0, len(uuids), 900):
        for row in session.scalars(
            select(SignOff).where(SignOff.evidence_uuid.in_(uuids[start : start + 900]))
        ):
            rows_of.setdefault(row.evidence_uuid, []).append(row)
    return {uuid: in_chain_order(rows)[-1].signature for uuid, rows in rows_of.items()}


def known_identities(session: Session) -> dict[str, SupervisorIdentity]:
    """Every identity this portfolio knows, by public key."""
    from sqlalchemy import select

    from portfolio.models import SupervisorIdentity

    return {i.public_key: i for i in session.scalars(select(SupervisorIdentity))}


def latest_statuses(
    session: Session, evidence_ids: Collection[int], digests: Mapping[int, str] | None = None
) -> dict[int, SignOffStatus]:
    """The verified latest sign-off of each of these items that has one; ``digests``: the
    items' content digests by id when the caller has them (not loaded and computed again).
    Read by Core (``signoff_reads``) after the session's changes are flushed, as the ORM's
    queries would flush them."""
    from portfolio.services.signoff_reads import latest_statuses_on

    if not evidence_ids:
        return {}
    session.flush()
    return latest_statuses_on(session.connection(), evidence_ids, digests)


def verified_latest(
    signoffs: Iterable[Sequence[Any]],
    digests: Mapping[int, str],
    identities: Iterable[Sequence[Any]],
    trainee: Iterable[Sequence[Any]],
    directories: Iterable[Sequence[Any]],
) -> dict[int, SignOffStatus]:
    """The latest sign-off of each item among ``signoffs`` (its id, then a ``SignOffRow``,
    oldest first), verified against its current digest, from the rows of ``signoff_reads``'
    statements: the one verification of the ORM's, Core's and the precompiled reads."""
    from portfolio.services.trust_roots import trust_roots_from

    known = list(identities)
    roots = trust_roots_from(known, trainee, directories)
    keys = {row[0] for row in known}
    rows_of: dict[int, list[SignOffRow]] = {}
    for evidence_id, *columns in signoffs:
        rows_of.setdefault(evidence_id, []).append(SignOffRow(*columns))
    return {
        evidence_id: status_of(
            in_chain_order(rows)[-1], digests[evidence_id], keys, roots, chain_warning(rows)
        )
        for evidence_id, rows in rows_of.items()
    }


def shown_status(column: str, signoff: SignOffStatus | None) -> str:
    """The status to show: draft, ready, changes_requested, signed_off, unvouched (a valid
    signature by a key nobody vouches for), edited, revoked or invalid."""
    if column not in SIGNED_STATUSES:
        return column
    if signoff is None:
        return "invalid"
    if signoff.decision != status_after(signoff.decision):
        return status_after(signoff.decision)  # withdrawn: back in the queue
    if signoff.state == "valid":
        return signoff.decision if signoff.vouched_by is not None else "unvouched"
    return signoff.state
