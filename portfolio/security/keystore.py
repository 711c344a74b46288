"""Where a supervisor's Ed25519 private key lives (DESIGN: "never plaintext, never silently").

- `KeyringKeyStore`: the operating system's keyring (Secret Service, macOS Keychain, Windows
  Credential Locker) through `keyring`; service "gpc-portfolio", username = key fingerprint.
- `PassphraseKeyStore`: when no keyring works, an encrypted file per key under
  `<data dir>/keys/`, scrypt + AES-256-GCM, written atomically with permissions 0600.

`open_keystore` picks one and `keystore_warning` tells the user when the file store is used
because no keyring works.
"""

from __future__ import annotations

import abc
import base64
import binascii
import contextlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from portfolio.errors import InvalidInput, NotFound, PortfolioError, WrongPassphrase
from portfolio.formats.reader import parse_json
from portfolio.security.local_secrets import (
    KEYRING_SERVICE,
    PASSPHRASE_ENV,
    backend_usable,
    keyring_problem,
    passphrase_bytes,
    read_passphrase,
    usable_scrypt_parameters,
    write_private_file,
)
from portfolio.security.signing import (
    fingerprint_of,
    normalize_fingerprint,
    private_key_from_raw,
    private_key_raw,
    public_key_b64,
)

if TYPE_CHECKING:  # keyring is imported where used: it costs ~0.15 s at start-up
    import keyring.backend

__all__ = [
    "KEYRING_SERVICE",
    "PASSPHRASE_ENV",
    "KeyStore",
    "KeyringKeyStore",
    "PassphraseKeyStore",
    "keyring_problem",
    "keystore_warning",
    "open_keystore",
    "read_passphrase",
]

KEY_FILE_FORMAT: Final = "gpc-portfolio-private-key"
KEY_FILE_FORMAT_VERSION: Final = 1

SCRYPT_N: Final = 2**15
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
_SALT_BYTES: Final = 16
_NONCE_BYTES: Final = 12
_KEY_BYTES: Final = 32


def _fingerprint_for(private_key: Ed25519PrivateKey) -> str:
    return fingerprint_of(public_key_b64(private_key))


def _check_matches(fingerprint: str, private_key: Ed25519PrivateKey) -> str:
    wanted = normalize_fingerprint(fingerprint)
    if _fingerprint_for(private_key) != wanted:
        raise InvalidInput(f"The private key does not have the fingerprint {wanted}.")
    return wanted


class KeyStore(abc.ABC):
    """A place that keeps private keys, addressed by fingerprint."""

    #: True when save/load need the user's passphrase.
    needs_passphrase: bool = False

    @abc.abstractmethod
    def location(self) -> str:
        """Where keys are kept, as words for the user ("in the system keyring (…)")."""

    @abc.abstractmethod
    def save(
        self, fingerprint: str, private_key: Ed25519PrivateKey, passphrase: str | None
    ) -> None:
        """Keep `private_key` (whose fingerprint must be `fingerprint`), replacing any old one."""

    @abc.abstractmethod
    def load(self, fingerprint: str, passphrase: str | None) -> Ed25519PrivateKey:
        """Return the key; NotFound when there is none, InvalidInput on a wrong passphrase."""

    @abc.abstractmethod
    def delete(self, fingerprint: str) -> None:
        """Remove the key; NotFound when there is none."""

    @abc.abstractmethod
    def contains(self, fingerprint: str) -> bool:
        """True when a key with this fingerprint is kept here (no passphrase needed)."""


# ------------------------------------------------------------------------------------- keyring


class KeyringKeyStore(KeyStore):
    """Keys in the OS keyring, as base64 of the raw 32-byte private key.

    `backend` pins a particular keyring backend; by default the one `keyring` selected.
    Every backend failure becomes a PortfolioError (the original is chained as the cause).
    """

    needs_passphrase = False

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> keyring.backend.KeyringBackend:
        import keyring

        return self._backend if self._backend is not None else keyring.get_keyring()

    def location(self) -> str:
        return f"in the system keyring ({_friendly_backend_name(self._keyring())})"

    def _fail(self, action: str, exc: BaseException) -> PortfolioError:
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        return PortfolioError(f"The system keyring could not {action}: {reason}.")

    def _get(self, username: str) -> str | None:
        try:
            value = self._keyring().get_password(KEYRING_SERVICE, username)
        except Exception as exc:  # any backend failure (D-Bus, locked, no backend) is reported
            raise self._fail("be read", exc) from exc
        if value is not None and not isinstance(value, str):
            raise PortfolioError("The system keyring returned something that is not text.")
        return value

    def contains(self, fingerprint: str) -> bool:
        return self._get(normalize_fingerprint(fingerprint)) is not None

    def save(
        self, fingerprint: str, private_key: Ed25519PrivateKey, passphrase: str | None
    ) -> None:
        username = _check_matches(fingerprint, private_key)
        secret = base64.b64encode(private_key_raw(private_key)).decode("ascii")
        try:
            self._keyring().set_password(KEYRING_SERVICE, username, secret)
        except Exception as exc:
            raise self._fail("store the key", exc) from exc
        # Some backends (the chainer over backends that cannot write) return without storing.
        if self._get(username) != secret:
            raise PortfolioError("The system keyring did not keep the key, so it was not saved.")

    def load(self, fingerprint: str, passphrase: str | None) -> Ed25519PrivateKey:
        username = normalize_fingerprint(fingerprint)
        secret = self._get(username)
        if secret is None:
            raise NotFound(f"No private key with fingerprint {username} is in the system keyring.")
        try:
            raw = base64.b64decode(secret.encode("ascii"), validate=True)
            key = private_key_from_raw(raw)
        except (UnicodeEncodeError, binascii.Error, ValueError, InvalidInput) as exc:
            raise PortfolioError(
                f"The key {username} in the system keyring is damaged and cannot be used."
            ) from exc
        if _fingerprint_for(key) != username:
            raise PortfolioError(
                f"The key stored under {username} in the system keyring has another fingerprint."
            )
        return key

    def delete(self, fingerprint: str) -> None:
        username = normalize_fingerprint(fingerprint)
        if self._get(username) is None:
            raise NotFound(f"No private key with fingerprint {username} is in the system keyring.")
        try:
            self._keyring().delete_password(KEYRING_SERVICE, username)
        except Exception as exc:
            raise self._fail("delete the key", exc) from exc


def _friendly_backend_name(backend: keyring.backend.KeyringBackend) -> str:
    import keyring.backends.chainer

    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        with contextlib.suppress(Exception):
            usable = [inner for inner in backend.backends if backend_usable(inner)]
            if usable:
                return _friendly_backend_name(usable[0])
    module = type(backend).__module__
    if module.endswith("SecretService") or module.endswith("libsecret"):
        return "SecretService"
    if module.endswith("macOS") or ".macOS" in module:
        return "macOS Keychain"
    if module.endswith("Windows"):
        return "Windows Credential Locker"
    if module.endswith("kwallet"):
        return "KWallet"
    name = getattr(type(backend), "name", None)
    return name if isinstance(name, str) else type(backend).__name__


# ---------------------------------------------------------------------------------- passphrase


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, field: str, path: Path, length: int | None = None) -> bytes:
    try:
        if not isinstance(value, str):
            raise ValueError(field)
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError) as exc:
        raise InvalidInput(f"The key file {path} is damaged (field {field!r}).") from exc
    if length is not None and len(raw) != length:
        raise InvalidInput(f"The key file {path} is damaged (field {field!r}).")
    return raw


def _derive(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=_KEY_BYTES, n=n, r=r, p=p).derive(passphrase)


class PassphraseKeyStore(KeyStore):
    """Keys encrypted with a passphrase in `<folder>/keys/<fingerprint>.key`.

    The file is JSON: {format, format_version, kdf: "scrypt", n, r, p, salt, nonce,
    ciphertext}; the AES-256-GCM key is scrypt(passphrase), the associated data is the
    fingerprint, and the plaintext is the raw 32-byte private key. `n` can be lowered for tests.
    """

    needs_passphrase = True

    def __init__(
        self,
        folder: Path,
        *,
        n: int = SCRYPT_N,
        r: int = SCRYPT_R,
        p: int = SCRYPT_P,
        fallback_reason: str | None = None,
    ) -> None:
        if usable_scrypt_parameters(n, r, p) is None:
            raise ValueError("scrypt needs n a power of two in [2, 2**20], 1<=r<=32, 1<=p<=16")
        self.folder = Path(folder)
        self.keys_dir = self.folder / "keys"
        self._n, self._r, self._p = n, r, p
        #: Why this store is used instead of the keyring (None when chosen deliberately).
        self.fallback_reason = fallback_reason

    def location(self) -> str:
        return f"in an encrypted file protected by your passphrase: {_shown(self.keys_dir)}"

    def path_for(self, fingerprint: str) -> Path:
        compact = normalize_fingerprint(fingerprint).replace(" ", "")
        return self.keys_dir / f"{compact}.key"

    def contains(self, fingerprint: str) -> bool:
        return self.path_for(fingerprint).is_file()

    def save(
        self, fingerprint: str, private_key: Ed25519PrivateKey, passphrase: str | None
    ) -> None:
        fp = _check_matches(fingerprint, private_key)
        secret = passphrase_bytes(passphrase)
        salt = secrets.token_bytes(_SALT_BYTES)
        nonce = secrets.token_bytes(_NONCE_BYTES)
        key = _derive(secret, salt, self._n, self._r, self._p)
        ciphertext = AESGCM(key).encrypt(nonce, private_key_raw(private_key), fp.encode("ascii"))
        document = {
            "format": KEY_FILE_FORMAT,
            "format_version": KEY_FILE_FORMAT_VERSION,
            "kdf": "scrypt",
            "n": self._n,
            "r": self._r,
            "p": self._p,
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "ciphertext": _b64(ciphertext),
        }
        try:
            self.keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.name == "posix":
                os.chmod(self.keys_dir, 0o700)
            write_private_file(self.path_for(fp), json.dumps(document, indent=2).encode("utf-8"))
        except OSError as exc:
            raise PortfolioError(f"Cannot write the key file in {self.keys_dir}: {exc}") from exc

    def _read(self, fp: str) -> tuple[Path, Mapping[str, Any]]:
        path = self.path_for(fp)
        try:
            text = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(
                f"No private key with fingerprint {fp} is stored in {self.keys_dir}."
            ) from exc
        except OSError as exc:
            raise PortfolioError(f"Cannot read the key file {path}: {exc}") from exc
        document = parse_json(text, f"The key file {path}")
        if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
            raise InvalidInput(f"The file {path} is not a GPC Portfolio key file.")
        if document.get("format_version") != KEY_FILE_FORMAT_VERSION:
            raise InvalidInput(f"The key file {path} has a version this app cannot read.")
        if document.get("kdf") != "scrypt":
            raise InvalidInput(f"The key file {path} uses an unknown key derivation.")
        return path, document

    def load(self, fingerprint: str, passphrase: str | None) -> Ed25519PrivateKey:
        fp = normalize_fingerprint(fingerprint)
        secret = passphrase_bytes(passphrase)
        path, document = self._read(fp)
        parameters = usable_scrypt_parameters(
            document.get("n"), document.get("r"), document.get("p")
        )
        if parameters is None:
            raise InvalidInput(f"The key file {path} is damaged (scrypt parameters).")
        salt = _unb64(document.get("salt"), "salt", path)
        nonce = _unb64(document.get("nonce"), "nonce", path, _NONCE_BYTES)
        ciphertext = _unb64(document.get("ciphertext"), "ciphertext", path)
        if not salt:
            raise InvalidInput(f"The key file {path} is damaged (field 'salt').")
        key = _derive(secret, salt, *parameters)
        try:
            raw = AESGCM(key).decrypt(nonce, ciphertext, fp.encode("ascii"))
        except InvalidTag as exc:
            raise WrongPassphrase(f"Wrong passphrase for the key {fp}.") from exc
        try:
            private_key = private_key_from_raw(raw)
        except (InvalidInput, ValueError) as exc:
            raise InvalidInput(f"The key file {path} is damaged (bad key length).") from exc
        if _fingerprint_for(private_key) != fp:
            raise InvalidInput(f"The key file {path} holds a key with another fingerprint.")
        return private_key

    def delete(self, fingerprint: str) -> None:
        fp = normalize_fingerprint(fingerprint)
        try:
            self.path_for(fp).unlink()
        except FileNotFoundError as exc:
            raise NotFound(
                f"No private key with fingerprint {fp} is stored in {self.keys_dir}."
            ) from exc
        except OSError as exc:
            raise PortfolioError(f"Cannot delete the key file for {fp}: {exc}") from exc


# ------------------------------------------------------------------------------------ choosing


def open_keystore(
    data_dir: Path, prefer_keyring: bool = True, *, fingerprint: str | None = None
) -> KeyStore:
    """The key store to use: the system keyring when one works, else the passphrase store.

    With `fingerprint`, a key already kept in the passphrase store is found there even when a
    keyring works now (it may have been created before the keyring was available).
    """
    file_store = PassphraseKeyStore(Path(data_dir))
    if fingerprint is not None and file_store.contains(fingerprint):
        return file_store
    if not prefer_keyring:
        return file_store
    problem = keyring_problem()
    if problem is None:
        return KeyringKeyStore()
    return PassphraseKeyStore(Path(data_dir), fallback_reason=problem)


def keystore_warning(store: KeyStore) -> str | None:
    """A sentence for the user when keys go to the passphrase file because no keyring works."""
    if isinstance(store, PassphraseKeyStore) and store.fallback_reason is not None:
        return (
            f"No working system keyring was found ({store.fallback_reason}), so your private key "
            f"is kept {store.location()}; keep that passphrase safe, it cannot be recovered."
        )
    return None


# ---------------------------------------------------------------------------------- passphrase


def _shown(path: Path) -> str:
    """A folder as the user knows it: under their home folder as ``~/…``."""
    try:
        return str(Path("~") / Path(path).resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)
