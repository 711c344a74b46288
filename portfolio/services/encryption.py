"""Encryption at rest, turned on and off the one way the window and the command line both use
(docs/encryption.md): where the key lives, whether a passphrase is needed, and the conversion.

The conversions themselves (lock, back up, convert, verify, replace) are
``storage.database.encrypt_portfolio`` and ``decrypt_portfolio``; the portfolio must not be
open while they run.
"""

from __future__ import annotations

from portfolio.paths import Location
from portfolio.security.database_key import DatabaseKey
from portfolio.storage import encryption
from portfolio.storage.database import (
    Conversion,
    decrypt_needs_passphrase,
    decrypt_portfolio,
    encrypt_portfolio,
)


class EncryptionService:
    def __init__(self, location: Location) -> None:
        self._location = location

    @staticmethod
    def keyring_problem() -> str | None:
        """None when the database key can go into the system keyring, else why not (then the
        key must come from a passphrase, which cannot be recovered if forgotten)."""
        return DatabaseKey.keyring_problem()

    def needs_passphrase_to_open(self) -> bool:
        return encryption.needs_passphrase(self._location)

    def needs_passphrase_to_decrypt(self) -> bool:
        return decrypt_needs_passphrase(self._location)

    def encrypt(self, passphrase: str | None) -> Conversion:
        """Encrypt in place, with the backups; the key goes into the keyring unless a
        passphrase is given."""
        return encrypt_portfolio(self._location, passphrase)

    def decrypt(self, passphrase: str | None) -> Conversion:
        return decrypt_portfolio(self._location, passphrase)
