"""Supervisor directories: a publisher issues versions of one; a trainee trusts it explicitly.

Publishing works on the file itself (each version is made from the last one), so an education
office needs no database of its directories. Trusting is a local act that names the
publisher's fingerprint; afterwards newer versions by the same key replace older ones.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.errors import InvalidInput, Remedy
from portfolio.formats.directory import (
    DirectoryEntry,
    DirectoryFile,
    read_directory,
    revoked,
    write_directory,
)
from portfolio.models import TrustedDirectory
from portfolio.models.base import utcnow
from portfolio.security.signing import PublicIdentity, normalize_fingerprint, utc_timestamp
from portfolio.services import validation
from portfolio.services.signoffs import Unlocked
from portfolio.services.trust_roots import trusted_directories, verified_directory

DEFAULT_VALID_DAYS = 365


@dataclass(frozen=True)
class DirectoryInfo:
    """A trusted directory as listed (``altered``: its stored text no longer verifies)."""

    directory_id: str
    name: str
    version: int
    publisher_name: str
    publisher_fingerprint: str
    issued_at: str
    expires_at: str
    entries: int
    expired: bool
    altered: bool = False


@dataclass(frozen=True)
class DirectoryImport:
    info: DirectoryInfo
    previous_version: int | None
    unchanged: bool


def _info(directory: DirectoryFile, now: datetime) -> DirectoryInfo:
    return DirectoryInfo(
        directory.directory_id,
        directory.name,
        directory.version,
        directory.publisher.name,
        directory.publisher.fingerprint,
        directory.issued_at,
        directory.expires_at,
        len(directory.entries),
        directory.expired(now),
    )


class DirectoryService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    # -- the publisher -----------------------------------------------------------------------

    def create(
        self,
        name: str,
        out: Path,
        cards: Sequence[PublicIdentity],
        unlocked: Unlocked,
        *,
        valid_days: int = DEFAULT_VALID_DAYS,
        valid_from: date | None = None,
        valid_until: date | None = None,
        directory_id: str | None = None,
    ) -> DirectoryFile:
        """Version 1 of a new directory listing ``cards`` (under a new random id by default)."""
        now = self._clock()
        entries = self._entries(cards, now, valid_from, valid_until)
        return write_directory(
            out,
            directory_id or str(uuid_module.uuid4()),
            1,
            validation.required_text(name, "name", 200),
            entries,
            unlocked,
            valid_days=valid_days,
            now=now,
        )

    def add(
        self,
        source: Path,
        out: Path,
        cards: Sequence[PublicIdentity],
        unlocked: Unlocked,
        *,
        valid_days: int = DEFAULT_VALID_DAYS,
        valid_from: date | None = None,
        valid_until: date | None = None,
    ) -> DirectoryFile:
        """The next version of ``source`` with these cards listed too."""
        current = self._own(source, unlocked)
        now = self._clock()
        listed = {e.identity.public_key for e in current.entries}
        again = [c for c in cards if c.public_key in listed]
        if again:
            raise InvalidInput(f"{again[0].name} ({again[0].fingerprint}) is already listed.")
        added = self._entries(cards, now, valid_from, valid_until)
        return self._next(current, out, current.entries + added, unlocked, valid_days, now)

    def revoke(
        self,
        source: Path,
        out: Path,
        fingerprints: Sequence[str],
        unlocked: Unlocked,
        *,
        valid_days: int = DEFAULT_VALID_DAYS,
    ) -> DirectoryFile:
        """The next version of ``source`` with these keys revoked."""
        current = self._own(source, unlocked)
        entries = current.entries
        for fingerprint in fingerprints:
            entries = revoked(entries, normalize_fingerprint(fingerprint))
        return self._next(current, out, entries, unlocked, valid_days, self._clock())

    @staticmethod
    def _entries(
        cards: Sequence[PublicIdentity],
        now: datetime,
        valid_from: date | None,
        valid_until: date | None,
    ) -> tuple[DirectoryEntry, ...]:
        if not cards:
            raise InvalidInput(
                "Name at least one supervisor's identity card.", remedy=Remedy.NAME_CARDS
            )
        start = valid_from or now.date()
        if valid_until is not None and valid_until < start:
            raise InvalidInput(
                "The directory's last valid day is before its first.", remedy=Remedy.VALIDITY
            )
        return tuple(DirectoryEntry(card, start, valid_until) for card in cards)

    @staticmethod
    def _own(source: Path, unlocked: Unlocked) -> DirectoryFile:
        current = read_directory(source)
        if current.publisher.public_key != unlocked.identity.public_key:
            raise InvalidInput(
                f"{source.name} is published by {current.publisher.name} "
                f"({current.publisher.fingerprint}); only that key can issue a new version."
            )
        return current

    @staticmethod
    def _next(
        current: DirectoryFile,
        out: Path,
        entries: tuple[DirectoryEntry, ...],
        unlocked: Unlocked,
        valid_days: int,
        now: datetime,
    ) -> DirectoryFile:
        return write_directory(
            out,
            current.directory_id,
            current.version + 1,
            current.name,
            entries,
            unlocked,
            valid_days=valid_days,
            now=now,
        )

    # -- the trainee -------------------------------------------------------------------------

    def read(self, path: Path) -> DirectoryFile:
        """Read and verify a directory, refusing one that has expired (nothing is stored)."""
        directory = read_directory(path)
        if directory.expired(self._clock()):
            raise InvalidInput(
                f"{path.name} expired on {directory.expires_at[:10]}; ask "
                f"{directory.publisher.name} for the current version. Nothing was imported."
            )
        return directory

    def import_directory(self, path: Path, trust: str | None = None) -> DirectoryImport:
        """Store a newer version of a trusted directory, or trust a new one when ``trust`` is
        its publisher's fingerprint (the trainee checked it with the publisher)."""
        directory = self.read(path)
        name, now = path.name, self._clock()
        with self._sessions.begin() as session:
            row = session.get(TrustedDirectory, directory.directory_id)
            if row is None:
                self._check_trusted(directory, trust, name)
                session.add(self._row(directory))
                return DirectoryImport(_info(directory, now), None, False)
            if normalize_fingerprint(row.publisher_fingerprint) != directory.publisher.fingerprint:
                raise InvalidInput(
                    f"{name} claims to be a version of “{row.name}” but is signed by "
                    f"{directory.publisher.fingerprint}, not by its publisher "
                    f"{row.publisher_fingerprint}. Nothing was imported."
                )
            previous = row.version
            if directory.version < previous:
                raise InvalidInput(
                    f"{name} is version {directory.version} of “{row.name}”; you already "
                    f"trust the newer version {previous}. Nothing was imported."
                )
            if directory.version == previous:
                stored = verified_directory(row.document)
                if stored is not None and stored.signature != directory.signature:
                    raise InvalidInput(
                        f"{name} is version {previous} of “{row.name}” but differs from the "
                        f"version {previous} you trust. Nothing was imported."
                    )
                unchanged = stored is not None
            else:
                unchanged = False
            row.name, row.version = directory.name, directory.version
            row.expires_at, row.document = directory.expires_at, directory.document
            row.updated_at = utcnow()
            return DirectoryImport(_info(directory, now), previous, unchanged)

    def trusted(self) -> list[DirectoryFile]:
        """Every trusted directory whose stored text still verifies."""
        with self._sessions() as session:
            return trusted_directories(session)

    def directories(self) -> list[DirectoryInfo]:
        now = self._clock()
        with self._sessions() as session:
            rows = list(session.scalars(select(TrustedDirectory).order_by(TrustedDirectory.name)))
            out = []
            for row in rows:
                directory = verified_directory(row.document)
                if directory is None:
                    out.append(
                        DirectoryInfo(
                            row.directory_id,
                            row.name,
                            row.version,
                            "",
                            row.publisher_fingerprint,
                            "",
                            row.expires_at,
                            0,
                            row.expires_at <= utc_timestamp(now),
                            altered=True,
                        )
                    )
                else:
                    out.append(_info(directory, now))
            return out

    @staticmethod
    def _check_trusted(directory: DirectoryFile, trust: str | None, name: str) -> None:
        publisher = directory.publisher
        if trust is None:
            raise InvalidInput(
                f"{name} is published by {publisher.name} with the key "
                f"{publisher.fingerprint}. Check that fingerprint with the publisher, then "
                "trust it explicitly. Nothing was imported.",
                remedy=Remedy.TRUST_PUBLISHER,
            )
        if normalize_fingerprint(trust) != publisher.fingerprint:
            raise InvalidInput(
                f"{name} is signed by {publisher.fingerprint}, not by the fingerprint you "
                f"gave ({normalize_fingerprint(trust)}). Nothing was imported."
            )

    @staticmethod
    def _row(directory: DirectoryFile) -> TrustedDirectory:
        return TrustedDirectory(
            directory_id=directory.directory_id,
            name=directory.name,
            version=directory.version,
            publisher_fingerprint=directory.publisher.fingerprint,
            expires_at=directory.expires_at,
            document=directory.document,
        )
