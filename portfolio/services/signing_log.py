"""The signer's log: every record a supervisor's own copy signed, and its file (.gpclog).

A trainee's portfolio can lose a sign-off it holds only when its append-only triggers are
dropped; the supervisor's copy is where that shows. Each entry is signed with the record's key
and names the digest of the entry before it, so an entry taken out of a log breaks the chain.
``verify --against LOG`` lists the logged records a portfolio no longer has. Format:
docs/formats.md, "Signing log".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import __version__
from portfolio.errors import InvalidInput
from portfolio.formats.reader import versioned_json
from portfolio.models import SigningLogEntry
from portfolio.security.canonical import digest
from portfolio.security.signing import PublicIdentity, SignOffRecord, sign, utc_timestamp, verify
from portfolio.storage.files import write_atomically

LOG_FORMAT = "gpc-portfolio-signing-log"
LOG_FORMAT_VERSION = 1
ENTRY_FORMAT = "gpc-portfolio-signing-log-entry"
MAX_LOG_BYTES = 64 * 2**20
_ENTRY_FIELDS = ("sequence", "previous", "trainee_gmc", "record", "signature")


@dataclass(frozen=True)
class LoggedSignOff:
    sequence: int
    trainee_gmc: str
    record: SignOffRecord


@dataclass(frozen=True)
class SigningLog:
    signer: PublicIdentity
    entries: tuple[LoggedSignOff, ...]


def _payload(
    sequence: int, previous: str | None, trainee_gmc: str, record: dict[str, Any]
) -> dict[str, Any]:
    return {
        "format": ENTRY_FORMAT,
        "sequence": sequence,
        "previous": previous,
        "trainee_gmc": trainee_gmc,
        "record": record,
    }


def _entry_digest(payload: dict[str, Any], signature: str) -> str:
    return digest({**payload, "signature": signature})


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
    previous = _entry_digest(_row_payload(last), last.signature) if last else None
    for record in records:
        sequence += 1
        payload = _payload(sequence, previous, trainee_gmc, record.to_dict())
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
        previous = _entry_digest(payload, signature)
    session.flush()


def _row_payload(row: SigningLogEntry) -> dict[str, Any]:
    return _payload(row.sequence, row.previous, row.trainee_gmc, row.record)


def write_log(session: Session, signer: PublicIdentity, out: Path) -> int:
    """Write the log of ``signer`` to ``out``; returns how many entries it holds."""
    rows = session.scalars(
        select(SigningLogEntry)
        .where(SigningLogEntry.fingerprint == signer.fingerprint)
        .order_by(SigningLogEntry.sequence)
    ).all()
    document = {
        "format": LOG_FORMAT,
        "format_version": LOG_FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": utc_timestamp(),
        "signer": signer.to_card(),
        "entries": [
            {key: value for key, value in _row_payload(row).items() if key != "format"}
            | {"signature": row.signature}
            for row in rows
        ],
    }
    write_atomically(out, json.dumps(document, indent=2, ensure_ascii=False).encode())
    return len(rows)


def read_log(path: Path) -> SigningLog:
    """Read and check a signing log wholly: every entry, its signature and the chain."""
    try:
        if path.stat().st_size > MAX_LOG_BYTES:
            raise InvalidInput(f"{path.name} is too large to be a signing log.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}.") from None
    document = versioned_json(raw, path.name, LOG_FORMAT, LOG_FORMAT_VERSION, "signing log")
    signer = PublicIdentity.from_card(document.get("signer"))
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise InvalidInput(f"{path.name} is malformed (entries must be a list).")
    logged: list[LoggedSignOff] = []
    previous: str | None = None
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        if not isinstance(entry, dict) or sorted(entry) != sorted(_ENTRY_FIELDS):
            raise InvalidInput(f"{where} is malformed (it needs {', '.join(_ENTRY_FIELDS)}).")
        if type(entry["sequence"]) is not int or entry["sequence"] != number:
            raise InvalidInput(f"{where} is out of sequence: an entry was taken out or moved.")
        if entry["previous"] != previous:
            raise InvalidInput(
                f"{where} does not follow entry {number - 1}: an entry was taken out of the "
                "log or put into it."
            )
        payload = _payload(number, previous, entry["trainee_gmc"], entry["record"])
        if not verify(signer.public_key, payload, entry["signature"]):
            raise InvalidInput(f"{where}: its signature does not match; the log was altered.")
        try:
            record = SignOffRecord.from_dict(entry["record"])
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error}") from None
        if record.signer != signer or not record.signature_valid():
            raise InvalidInput(f"{where}: the sign-off in it is not a valid record by the signer.")
        logged.append(LoggedSignOff(number, str(entry["trainee_gmc"]), record))
        previous = _entry_digest(payload, entry["signature"])
    return SigningLog(signer, tuple(logged))
