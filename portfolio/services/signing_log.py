"""Keeping the signer's log in the supervisor's own portfolio, and exporting it as a file.

Each record signed is appended, signed with the record's key and chained to the entry before
it; the file and its checked reader are ``portfolio.formats.signing_log``.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.formats.signing_log import (
    entry_digest,
    entry_digest_of,
    entry_payload,
    write_log_file,
)
from portfolio.models import SigningLogEntry
from portfolio.security.signing import PublicIdentity, SignOffRecord, sign


def append(
    session: Session,
    private_key: Ed25519PrivateKey,
    signer: PublicIdentity,
    trainee_gmc: str,
    records: list[SignOffRecord],
) -> None:
    """Log ``records`` (signed by ``signer`` for the trainee ``trainee_gmc``), in order."""
    last = session.scalar(
        select(SigningLogEntry)
        .where(SigningLogEntry.fingerprint == signer.fingerprint)
        .order_by(SigningLogEntry.sequence.desc())
        .limit(1)
    )
    sequence = last.sequence if last else 0
    previous = entry_digest_of(last) if last else None
    for record in records:
        sequence += 1
        payload = entry_payload(sequence, previous, trainee_gmc, record.to_dict())
        signature = sign(private_key, payload)
        session.add(
            SigningLogEntry(
                fingerprint=signer.fingerprint,
                sequence=sequence,
                trainee_gmc=trainee_gmc,
                previous=previous,
                record=payload["record"],
                signature=signature,
            )
        )
        previous = entry_digest(payload, signature)
    session.flush()


def write_log(session: Session, signer: PublicIdentity, out: Path) -> int:
    """Write the log of ``signer`` to ``out``; returns how many entries it holds."""
    rows = session.scalars(
        select(SigningLogEntry)
        .where(SigningLogEntry.fingerprint == signer.fingerprint)
        .order_by(SigningLogEntry.sequence)
    ).all()
    write_log_file(out, signer, rows)
    return len(rows)
