"""Who vouches for a signer's key: the trusted directories and the trainee's pins, read fresh.

A valid signature proves only that *a* key signed. The key is vouched for when a supervisor
directory this portfolio trusts lists it under the signer's GMC number (and the directory has
not expired), or when the trainee pinned its card here. A directory that revoked the key, or
whose validity dates for it exclude the signing day, makes the sign-off *revoked*. See
docs/security.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from portfolio.errors import InvalidInput
from portfolio.services.read_models import Vouch
from portfolio.vocabulary import PinMethod

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from portfolio.formats.directory import DirectoryEntry, DirectoryFile
    from portfolio.security.signing import PublicIdentity

# SQLAlchemy is imported where a session is read: the read commands build the roots from rows
# (``trust_roots_from``) on a bare connection.


@dataclass(frozen=True)
class Pin:
    name: str
    gmc_number: str
    fingerprint: str
    how: PinMethod


@dataclass(frozen=True)
class Judgement:
    """What the trust roots say about one signature."""

    vouched_by: Vouch | None
    revoked: bool
    reason: str
    """Why it is revoked, or why nobody vouches (empty when vouched for)."""


@lru_cache(maxsize=64)
def _verified(document: str) -> DirectoryFile:
    """Stored directories are checked again on every read; the check is made once per text."""
    from portfolio.formats.directory import parse_directory

    return parse_directory(document.encode("utf-8"), "A trusted directory")


class TrustRoots:
    """The trusted directories and pins of one portfolio at one moment."""

    def __init__(
        self,
        directories: Iterable[DirectoryFile],
        pins: dict[str, Pin],
        now: datetime,
        trainee_gmc: str | None = None,
    ) -> None:
        self.directories = tuple(directories)
        self.pins = pins
        self.now = now
        self.trainee_gmc = trainee_gmc
        """This portfolio's trainee (from the profile); None on a copy without a profile."""
        self._by_key: dict[str, list[tuple[DirectoryFile, DirectoryEntry]]] = {}
        self._by_gmc: dict[str, list[tuple[str, str, str, bool]]] = {}
        """GMC number → (public key, fingerprint, where, listed in a directory) of every key
        pinned or listed for it."""
        for pin_key, pin in pins.items():
            self._by_gmc.setdefault(pin.gmc_number, []).append(
                (pin_key, pin.fingerprint, f"pinned for {pin.name}", False)
            )
        for directory in self.directories:
            for entry in directory.entries:
                key = entry.identity.public_key
                self._by_key.setdefault(key, []).append((directory, entry))
                self._by_gmc.setdefault(entry.identity.gmc_number, []).append(
                    (key, entry.identity.fingerprint, f"listed in “{directory.name}”", True)
                )

    def signed_for_another(self, format_version: int, trainee_gmc: str | None) -> str | None:
        """The GMC number a version 2 record names when it is not this portfolio's trainee: such
        a record was copied from another trainee's portfolio and is never trusted here.
        Version 1 records name no trainee and cannot be judged (docs/security.md)."""
        return None if format_version < 2 or trainee_gmc == self.trainee_gmc else trainee_gmc

    def _listings(self, public_key: str) -> list[tuple[DirectoryFile, DirectoryEntry]]:
        return self._by_key.get(public_key, [])

    def judge(self, public_key: str, gmc_number: str, signed_at: str) -> Judgement:
        listings = self._listings(public_key)
        for directory, entry in listings:
            if entry.revoked:
                return Judgement(None, True, f"the directory “{directory.name}” revoked this key")
            if not entry.covers(signed_at):
                until = entry.valid_until.isoformat() if entry.valid_until else "open"
                return Judgement(
                    None,
                    True,
                    f"signed on {signed_at[:10]}, outside the key's validity "
                    f"({entry.valid_from.isoformat()} to {until}) in “{directory.name}”",
                )
        for directory, entry in listings:
            if entry.identity.gmc_number == gmc_number and not directory.expired(self.now):
                return Judgement(
                    Vouch("directory", directory.name, directory.publisher.fingerprint), False, ""
                )
        pin = self.pins.get(public_key)
        listed_other = self._other_key(public_key, gmc_number, listed_only=True)
        if pin is not None and pin.gmc_number == gmc_number and listed_other is None:
            return Judgement(Vouch("pinned", how=pin.how), False, "")
        return Judgement(None, False, self._why_not(listings, public_key, gmc_number))

    def _why_not(
        self,
        listings: list[tuple[DirectoryFile, DirectoryEntry]],
        public_key: str,
        gmc_number: str,
    ) -> str:
        for directory, entry in listings:
            if entry.identity.gmc_number != gmc_number:
                return (
                    f"“{directory.name}” lists this key under GMC {entry.identity.gmc_number}, "
                    f"not {gmc_number}"
                )
        pin = self.pins.get(public_key)
        if pin is not None and pin.gmc_number != gmc_number:
            return f"this key is pinned for {pin.name} under GMC {pin.gmc_number}, not {gmc_number}"
        listed = self._other_key(public_key, gmc_number, listed_only=True)
        if pin is not None and listed is not None:
            return (
                f"this key is pinned here, but the key {listed[1]} for GMC {gmc_number} is "
                f"{listed[0]}, and the directory does not list this one"
            )
        if listings:
            directory = listings[0][0]
            return (
                f"the directory “{directory.name}” that lists this key expired on "
                f"{directory.expires_at[:10]}; import its newer version"
            )
        other = self._other_key(public_key, gmc_number)
        if other is not None:
            return f"signed with a different key from the one {other[1]} for GMC {gmc_number} ({other[0]})"
        return "no trusted directory lists this key and its card is not pinned here"

    def _other_key(
        self, public_key: str, gmc_number: str, *, listed_only: bool = False
    ) -> tuple[str, str] | None:
        """A different key pinned (unless ``listed_only``) or listed in a trusted directory
        under this GMC number: (fingerprint, where). A directory outranks a pin: a pinned key
        is not vouched for when a directory lists another key for its GMC number and not it."""
        others = (
            (fingerprint, where)
            for key, fingerprint, where, listed in self._by_gmc.get(gmc_number, [])
            if key != public_key and (listed or not listed_only)
        )
        return next(others, None)

    def check_no_conflict(self, identity: PublicIdentity, source: str) -> None:
        """Refuse a key under a GMC number that has a different key pinned or listed, unless a
        trusted directory lists this key under that number too."""
        listed = any(
            e.identity.gmc_number == identity.gmc_number
            for d, e in self._listings(identity.public_key)
        )
        other = None if listed else self._other_key(identity.public_key, identity.gmc_number)
        if other is not None:
            raise InvalidInput(
                f"{source} brings a key for GMC {identity.gmc_number} ({identity.fingerprint}) "
                f"that is not the key {other[1]} ({other[0]}); nothing was imported."
            )


def load_trust_roots(session: Session, now: datetime | None = None) -> TrustRoots:
    """The roots as the session sees them: its changes flushed first, as the ORM's queries
    would flush them, then read by Core (``signoff_reads``)."""
    from portfolio.services import signoff_reads

    session.flush()
    return signoff_reads.trust_roots_on(session.connection(), now)


def trust_roots_from(
    identities: Iterable[Sequence[Any]],
    trainee: Iterable[Sequence[Any]],
    documents: Iterable[Sequence[Any]],
    now: datetime | None = None,
) -> TrustRoots:
    """The trust roots of a portfolio's rows: its identities (``signoff_reads.IDENTITY_COLUMNS``),
    the trainee's GMC number (none without a profile) and the stored directories' texts."""
    pins = {
        public_key: Pin(name, gmc_number, fingerprint, pinned_how)
        for public_key, name, gmc_number, fingerprint, pinned_how in identities
        if pinned_how is not None
    }
    return TrustRoots(
        _still_verified(document for (document,) in documents),
        pins,
        now or datetime.now(UTC),
        next((gmc_number for (gmc_number,) in trainee), None),
    )


def verified_directory(document: str) -> DirectoryFile | None:
    """The stored directory, or None when its text no longer verifies (edited in the table)."""
    try:
        return _verified(document)
    except InvalidInput:
        return None


def trusted_directories(session: Session) -> list[DirectoryFile]:
    """Every stored directory that still verifies; an altered one vouches for nobody."""
    from portfolio.services.signoff_reads import directories_statement

    session.flush()  # as the ORM's query would
    return _still_verified(session.scalars(directories_statement()))


def _still_verified(documents: Iterable[str]) -> list[DirectoryFile]:
    found = (verified_directory(document) for document in documents)
    return [d for d in found if d is not None]
