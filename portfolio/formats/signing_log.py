"""The signer's log: every record a supervisor's own copy signed, and its file (.gpclog).

A trainee's portfolio can lose a sign-off it holds only when its append-only triggers are
dropped; the supervisor's copy is where that shows. Each entry is signed with the record's key
and names the digest of the entry before it, so an entry taken out of a log breaks the chain.
``verify --against LOG`` lists the logged records a portfolio no longer has. Format:
docs/formats.md, "Signing log".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from portfolio import __version__
from portfolio.errors import InvalidInput
from portfolio.formats.reader import read_file, versioned_json
from portfolio.security.canonical import digest
from portfolio.security.signing import PublicIdentity, SignOffRecord, utc_timestamp, verify
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


def entry_payload(
    sequence: int, previous: str | None, trainee_gmc: str, record: dict[str, Any]
) -> dict[str, Any]:
    return {
        "format": ENTRY_FORMAT,
        "sequence": sequence,
        "previous": previous,
        "trainee_gmc": trainee_gmc,
        "record": record,
    }


def entry_digest(payload: dict[str, Any], signature: str) -> str:
    return digest({**payload, "signature": signature})


class LogEntry(Protocol):
    """One logged record as the supervisor's portfolio stores it."""

    @property
    def sequence(self) -> int: ...
    @property
    def previous(self) -> str | None: ...
    @property
    def trainee_gmc(self) -> str: ...
    @property
    def record(self) -> dict[str, Any]: ...
    @property
    def signature(self) -> str: ...


def entry_digest_of(entry: LogEntry) -> str:
    """What the entry after ``entry`` names as ``previous``."""
    return entry_digest(entry_payload(*_fields(entry)), entry.signature)


def _fields(entry: LogEntry) -> tuple[int, str | None, str, dict[str, Any]]:
    return entry.sequence, entry.previous, entry.trainee_gmc, entry.record


def write_log_file(out: Path, signer: PublicIdentity, entries: Sequence[LogEntry]) -> Path:
    """Write the log of ``signer`` (its ``entries`` in sequence) to ``out``, atomically."""
    document = {
        "format": LOG_FORMAT,
        "format_version": LOG_FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": utc_timestamp(),
        "signer": signer.to_card(),
        "entries": [
            {key: value for key, value in entry_payload(*_fields(entry)).items() if key != "format"}
            | {"signature": entry.signature}
            for entry in entries
        ],
    }
    return write_atomically(out, json.dumps(document, indent=2, ensure_ascii=False).encode())


def read_log(path: Path) -> SigningLog:
    """Read and check a signing log wholly: every entry, its signature and the chain."""
    raw = read_file(path, "signing log", MAX_LOG_BYTES)
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
        payload = entry_payload(number, previous, entry["trainee_gmc"], entry["record"])
        if not verify(signer.public_key, payload, entry["signature"]):
            raise InvalidInput(f"{where}: its signature does not match; the log was altered.")
        try:
            record = SignOffRecord.from_dict(entry["record"])
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error}") from None
        if record.signer != signer or not record.signature_valid():
            raise InvalidInput(f"{where}: the sign-off in it is not a valid record by the signer.")
        logged.append(LoggedSignOff(number, str(entry["trainee_gmc"]), record))
        previous = entry_digest(payload, entry["signature"])
    return SigningLog(signer, tuple(logged))
