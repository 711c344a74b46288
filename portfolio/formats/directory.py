"""The supervisor directory file (``.gpcdirectory``, format ``gpc-portfolio-directory`` version
1; docs/formats.md): the supervisors a postgraduate education office vouches for, with their
keys, signed with the office's Ed25519 key.

The signature covers the RFC 8785 canonical JSON of every top-level field except
``signature``. The reader checks everything (shape, publisher card, signature, entries) before
anything is used; a bad file gets one sentence naming the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from portfolio import __version__
from portfolio.errors import InvalidInput, Remedy
from portfolio.formats.publisher import Signer, signed_by_publisher
from portfolio.formats.reader import read_file, validated, versioned_json
from portfolio.security.signing import PublicIdentity, sign, utc_timestamp
from portfolio.storage.files import write_atomically

DIRECTORY_FORMAT = "gpc-portfolio-directory"
DIRECTORY_FORMAT_VERSION = 1
DIRECTORY_SUFFIX = ".gpcdirectory"
MAX_DIRECTORY_BYTES = 10 * 2**20
MAX_ENTRIES = 20_000
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
_DAY = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class DirectoryEntry:
    """One supervisor the directory vouches for, and when."""

    identity: PublicIdentity
    valid_from: date
    valid_until: date | None
    revoked: bool = False

    def covers(self, signed_at: str) -> bool:
        """Whether a signature made at ``signed_at`` (UTC) falls within the key's validity."""
        day = date.fromisoformat(signed_at[:10])
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.identity.name,
            "gmc_number": self.identity.gmc_number,
            "role": self.identity.role,
            "public_key": self.identity.public_key,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "revoked": self.revoked,
        }


@dataclass(frozen=True)
class DirectoryFile:
    """A directory whose signature has been verified."""

    directory_id: str
    version: int
    name: str
    issued_at: str
    expires_at: str
    publisher: PublicIdentity
    entries: tuple[DirectoryEntry, ...]
    signature: str
    document: str
    """The file's JSON exactly as signed: what a portfolio keeps, and checks again when read."""

    def expired(self, now: datetime) -> bool:
        return utc_timestamp(now) >= self.expires_at


def _day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{what} '{value}' is not a date in the form YYYY-MM-DD.") from None


def parse_directory(raw: bytes, name: str) -> DirectoryFile:
    """Read and verify a directory's bytes; InvalidInput names the first problem."""
    data = versioned_json(
        raw, name, DIRECTORY_FORMAT, DIRECTORY_FORMAT_VERSION, "supervisor directory"
    )
    from portfolio.formats._directory_schema import _Directory  # pydantic, when one is read

    document = validated(_Directory, data, name)
    publisher = signed_by_publisher(data, document.publisher, document.signature, name, "directory")
    entries: list[DirectoryEntry] = []
    keys: set[str] = set()
    for number, item in enumerate(document.entries, start=1):
        where = f"{name}, entry {number}"
        try:
            identity = PublicIdentity(item.name, item.gmc_number, item.role, item.public_key)  # type: ignore[arg-type]
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error}") from None
        if identity.public_key in keys:
            raise InvalidInput(f"{where}: the key {identity.fingerprint} is listed twice.")
        keys.add(identity.public_key)
        valid_from = _day(item.valid_from, f"{where}: valid_from")
        valid_until = None if item.valid_until is None else _day(item.valid_until, where)
        if valid_until is not None and valid_until < valid_from:
            raise InvalidInput(f"{where}: valid_until is before valid_from.")
        entries.append(DirectoryEntry(identity, valid_from, valid_until, item.revoked))
    if document.expires_at <= document.issued_at:
        raise InvalidInput(f"{name}: it expires before it was issued.")
    return DirectoryFile(
        document.directory_id,
        document.version,
        document.name,
        document.issued_at,
        document.expires_at,
        publisher,
        tuple(entries),
        document.signature,
        raw.decode("utf-8"),
    )


def read_directory(path: Path) -> DirectoryFile:
    """Read and verify a ``.gpcdirectory`` file."""
    return parse_directory(read_file(path, "supervisor directory", MAX_DIRECTORY_BYTES), path.name)


def write_directory(
    path: Path,
    directory_id: str,
    version: int,
    name: str,
    entries: tuple[DirectoryEntry, ...],
    unlocked: Signer,
    *,
    valid_days: int,
    now: datetime,
) -> DirectoryFile:
    """Sign this version of a directory with the publisher's key and write it atomically."""
    if valid_days < 1:
        raise InvalidInput(
            "A directory must be valid for at least one day.", remedy=Remedy.VALIDITY
        )
    by_key = [e.identity.public_key for e in entries]
    if len(set(by_key)) != len(by_key):
        raise InvalidInput("The same key is listed twice; each card may appear once.")
    payload = {
        "format": DIRECTORY_FORMAT,
        "format_version": DIRECTORY_FORMAT_VERSION,
        "app_version": __version__,
        "directory_id": directory_id,
        "version": version,
        "name": name,
        "issued_at": utc_timestamp(now),
        "expires_at": utc_timestamp(now + timedelta(days=valid_days)),
        "publisher": unlocked.identity.to_card(),
        "entries": [entry.to_dict() for entry in entries],
    }
    document = {**payload, "signature": sign(unlocked.private_key, payload)}
    raw = json.dumps(document, indent=2, ensure_ascii=False).encode()
    written = parse_directory(raw, path.name)  # what every reader will see, checked once here
    write_atomically(path, raw)
    return written


def revoked(entries: tuple[DirectoryEntry, ...], fingerprint: str) -> tuple[DirectoryEntry, ...]:
    """The entries with the key of ``fingerprint`` marked revoked."""
    found = [e for e in entries if e.identity.fingerprint == fingerprint]
    if not found:
        raise InvalidInput(f"The directory lists no key with fingerprint {fingerprint}.")
    return tuple(replace(e, revoked=True) if e in found else e for e in entries)
