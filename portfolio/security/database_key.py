"""Where the key of an encrypted portfolio database lives, and how to get it back.

A portfolio database is encrypted with a random-looking 256-bit key, handed to SQLCipher as a
raw key (no second key derivation inside SQLCipher). The key comes from one of two places:

- ``keyring``: a random key kept in the operating system's keyring (service "gpc-portfolio",
  username "database-key:<absolute database path at encryption time>").
- ``passphrase``: derived from the trainee's passphrase with scrypt; the salt and parameters
  are kept in the settings file.

The settings file (``<database stem>.encryption.json`` next to the database, e.g.
``portfolio.encryption.json``) is not secret: it says whether the database is encrypted, where
the key lives, the scrypt salt, and a short key check (a hash of the key, so a wrong passphrase
is named as such instead of "damaged database"). The key itself is never written to disk.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

from portfolio.errors import InvalidInput, PortfolioError, StorageError, WrongPassphrase
from portfolio.formats.reader import parse_json
from portfolio.security.local_secrets import (
    KEYRING_SERVICE,
    keyring_problem,
    passphrase_bytes,
    usable_scrypt_parameters,
    write_private_file,
)

__all__ = [
    "KEY_BYTES",
    "DatabaseKey",
    "KeySettings",
    "KeySource",
    "PassphraseRequired",
    "ScryptParams",
    "key_check",
    "pending_path",
    "read_settings",
    "remove_settings",
    "settings_path",
    "write_settings",
]

KeySource = Literal["keyring", "passphrase"]

SETTINGS_FORMAT: Final = "gpc-portfolio-encryption"
SETTINGS_VERSION: Final = 1
CIPHER: Final = "sqlcipher4-raw-key"
KEY_BYTES: Final = 32
KEYRING_PREFIX: Final = "database-key:"

# scrypt for passphrase-derived database keys (n can be lowered by tests through the module).
SCRYPT_N: int = 2**15
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
_SALT_BYTES: Final = 16
_CHECK_LABEL: Final = b"gpc-portfolio database key check v1"


class PassphraseRequired(InvalidInput):
    """The database is encrypted with a passphrase and none was given: ask for it and retry."""


@dataclass(frozen=True)
class ScryptParams:
    n: int
    r: int
    p: int
    salt: bytes

    @classmethod
    def new(cls) -> ScryptParams:
        return cls(SCRYPT_N, SCRYPT_R, SCRYPT_P, secrets.token_bytes(_SALT_BYTES))

    def derive(self, passphrase: str | None) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        secret = passphrase_bytes(passphrase)
        return Scrypt(salt=self.salt, length=KEY_BYTES, n=self.n, r=self.r, p=self.p).derive(secret)


@dataclass(frozen=True)
class KeySettings:
    """The contents of the settings file (nothing in it is secret)."""

    enabled: bool
    source: KeySource
    keyring_username: str | None = None
    kdf: ScryptParams | None = None
    check: str | None = None
    """hex of the first 16 bytes of HMAC-SHA256(key, label): tells a wrong key from damage."""

    def where(self) -> str:
        """Where the key lives, in words for the user."""
        if self.source == "keyring":
            return f"in the system keyring (service {KEYRING_SERVICE!r}, {self.keyring_username})"
        return "nowhere on disk: it is derived from your passphrase each time"

    def disabled(self) -> KeySettings:
        """Kept after decrypting, so encrypting again finds the same key (and old backups)."""
        return replace(self, enabled=False)


def key_check(key: bytes) -> str:
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def settings_path(database: Path) -> Path:
    """``portfolio.sqlite3`` → ``portfolio.encryption.json`` (in the same folder)."""
    return database.with_name(database.stem + ".encryption.json")


def pending_path(database: Path) -> Path:
    """Settings written before a conversion starts; promoted when the new file is in place."""
    return database.with_name(database.stem + ".encryption.pending.json")


def _to_json(settings: KeySettings) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": SETTINGS_FORMAT,
        "format_version": SETTINGS_VERSION,
        "enabled": settings.enabled,
        "cipher": CIPHER,
        "key_source": settings.source,
    }
    if settings.keyring_username is not None:
        document["keyring_service"] = KEYRING_SERVICE
        document["keyring_username"] = settings.keyring_username
    if settings.kdf is not None:
        document["kdf"] = {
            "name": "scrypt",
            "n": settings.kdf.n,
            "r": settings.kdf.r,
            "p": settings.kdf.p,
            "salt": base64.b64encode(settings.kdf.salt).decode("ascii"),
        }
    if settings.check is not None:
        document["key_check"] = settings.check
    return document


def _from_json(document: object, path: Path) -> KeySettings:
    def damaged(what: str) -> InvalidInput:
        return InvalidInput(f"The encryption settings {path} are damaged ({what}).")

    if not isinstance(document, dict) or document.get("format") != SETTINGS_FORMAT:
        raise damaged("not a GPC Portfolio encryption settings file")
    if document.get("format_version") != SETTINGS_VERSION or document.get("cipher") != CIPHER:
        raise InvalidInput(f"The encryption settings {path} come from a newer version of the app.")
    enabled, source = document.get("enabled"), document.get("key_source")
    if not isinstance(enabled, bool) or source not in ("keyring", "passphrase"):
        raise damaged("enabled / key_source")
    username = document.get("keyring_username")
    if source == "keyring" and not (isinstance(username, str) and username):
        raise damaged("keyring_username")
    kdf = None
    raw_kdf = document.get("kdf")
    if raw_kdf is not None:
        if not isinstance(raw_kdf, dict) or raw_kdf.get("name") != "scrypt":
            raise damaged("kdf")
        parameters = usable_scrypt_parameters(raw_kdf.get("n"), raw_kdf.get("r"), raw_kdf.get("p"))
        if parameters is None:
            raise damaged("scrypt parameters")
        try:
            salt = base64.b64decode(str(raw_kdf.get("salt")).encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error) as exc:
            raise damaged("salt") from exc
        if len(salt) < 8:
            raise damaged("salt")
        kdf = ScryptParams(*parameters, salt)
    if source == "passphrase" and kdf is None:
        raise damaged("kdf")
    check = document.get("key_check")
    if check is not None and not isinstance(check, str):
        raise damaged("key_check")
    return KeySettings(enabled, source, username if source == "keyring" else None, kdf, check)


def read_settings(path: Path) -> KeySettings | None:
    """The settings in ``path`` (a settings or pending file), or None when there is none."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"Cannot read the encryption settings {path}: {exc}") from exc
    return _from_json(parse_json(text, f"The encryption settings {path}"), path)


def write_settings(path: Path, settings: KeySettings) -> None:
    """Atomically (temporary file, fsync, rename, fsync of the folder)."""
    data = json.dumps(_to_json(settings), indent=2).encode("utf-8") + b"\n"
    try:
        write_private_file(path, data)
    except OSError as exc:
        raise StorageError(f"Cannot write the encryption settings {path}: {exc}") from exc


def remove_settings(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class DatabaseKey:
    """Gets the key for one database file: from the keyring or from the trainee's passphrase."""

    def __init__(self, database: Path) -> None:
        self.database = database

    @property
    def default_username(self) -> str:
        return KEYRING_PREFIX + str(self.database.resolve())

    @staticmethod
    def keyring_problem() -> str | None:
        """None when a new key can go into the keyring, else why not (then ask a passphrase)."""
        return keyring_problem()

    def create(
        self, passphrase: str | None, previous: KeySettings | None = None
    ) -> tuple[KeySettings, bytes]:
        """Settings and key for encrypting: keyring without a passphrase, scrypt with one.

        ``previous`` (settings kept from an earlier encryption) is reused when it fits, so the
        same keyring entry or the same passphrase opens backups taken back then.
        """
        if passphrase is None:
            problem = keyring_problem()
            if problem is not None:
                raise InvalidInput(
                    f"The key cannot go into the system keyring ({problem}); choose a "
                    "passphrase to encrypt the portfolio with instead."
                )
            if previous is not None and previous.source == "keyring":
                try:
                    key = self._keyring_key(previous)
                    return KeySettings(
                        True, "keyring", previous.keyring_username, None, key_check(key)
                    ), key
                except PortfolioError:
                    pass  # gone or damaged: make a new one below
            username = self.default_username
            try:  # an entry left by an earlier encryption of this file: never overwrite it
                key = self._keyring_key(KeySettings(True, "keyring", username))
            except PortfolioError:
                key = secrets.token_bytes(KEY_BYTES)
                self._store(username, key)
            return KeySettings(True, "keyring", username, None, key_check(key)), key
        kdf = (
            previous.kdf
            if previous is not None and previous.source == "passphrase" and previous.kdf is not None
            else ScryptParams.new()
        )
        key = kdf.derive(passphrase)
        return KeySettings(True, "passphrase", None, kdf, key_check(key)), key

    def get(self, settings: KeySettings, passphrase: str | None) -> bytes:
        """The key the settings describe; InvalidInput for a missing or wrong passphrase."""
        if settings.source == "keyring":
            key = self._keyring_key(settings)
            if settings.check is not None and not hmac.compare_digest(
                key_check(key), settings.check
            ):
                raise StorageError(
                    f"The key in the system keyring ({settings.keyring_username}) is not the "
                    f"key of {self.database}; nothing was changed."
                )
            return key
        assert settings.kdf is not None
        if not passphrase:
            raise PassphraseRequired(
                f"The portfolio at {self.database} is encrypted with a passphrase: give it to "
                "open the portfolio."
            )
        key = settings.kdf.derive(passphrase)
        if settings.check is not None and not hmac.compare_digest(key_check(key), settings.check):
            raise WrongPassphrase(
                f"Wrong passphrase for the encrypted portfolio at {self.database}; "
                "nothing was changed."
            )
        return key

    def _keyring_key(self, settings: KeySettings) -> bytes:
        username = settings.keyring_username
        assert username is not None
        import keyring

        try:
            value = keyring.get_keyring().get_password(KEYRING_SERVICE, username)
        except Exception as exc:  # any backend failure is reported, never hidden
            raise StorageError(
                f"The system keyring could not be read ({exc}), so the encrypted portfolio at "
                f"{self.database} cannot be opened. Nothing was changed."
            ) from exc
        if value is None:
            raise StorageError(
                f"The key of the encrypted portfolio at {self.database} is not in the system "
                f"keyring (service {KEYRING_SERVICE!r}, user {username!r}). Nothing was "
                "changed; see docs/encryption.md, 'Recovery'."
            )
        try:
            key = base64.b64decode(value.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error) as exc:
            raise StorageError(f"The key {username} in the system keyring is damaged.") from exc
        if len(key) != KEY_BYTES:
            raise StorageError(f"The key {username} in the system keyring is damaged.")
        return key

    def _store(self, username: str, key: bytes) -> None:
        import keyring

        secret = base64.b64encode(key).decode("ascii")
        backend = keyring.get_keyring()
        try:
            backend.set_password(KEYRING_SERVICE, username, secret)
            kept = backend.get_password(KEYRING_SERVICE, username)
        except Exception as exc:
            raise StorageError(f"The system keyring could not store the key ({exc}).") from exc
        if kept != secret:
            raise StorageError("The system keyring did not keep the key, so nothing was changed.")
