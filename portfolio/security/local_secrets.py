"""The parts of keeping secrets that need no cryptography: the keyring's service name and its
probe, reading and normalising a passphrase, and writing a private (0600) file atomically.

The key store (``keystore``) and the database key (``database_key``) share them. Kept apart so
that opening an unencrypted portfolio loads neither ``cryptography`` nor ``keyring``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from portfolio.errors import InvalidInput, Remedy
from portfolio.formats.reader import read_text

if TYPE_CHECKING:  # keyring is imported where used: it costs ~0.15 s at start-up
    import keyring.backend

__all__ = [
    "KEYRING_SERVICE",
    "MAX_PASSPHRASE_FILE_BYTES",
    "PASSPHRASE_ENV",
    "backend_usable",
    "keyring_problem",
    "passphrase_bytes",
    "read_passphrase",
    "usable_scrypt_parameters",
    "write_private_file",
]

KEYRING_SERVICE: Final = "gpc-portfolio"
PASSPHRASE_ENV: Final = "GPC_PORTFOLIO_PASSPHRASE"
MAX_PASSPHRASE_FILE_BYTES: Final = 64 * 2**10
_PROBE_USERNAME: Final = "gpc-portfolio-keyring-probe"
# Bounds on scrypt parameters read back from a file, so a damaged or hostile file cannot make
# the app allocate gigabytes (scrypt needs 128 * n * r bytes).
_MAX_N: Final = 2**20
_MAX_R: Final = 32
_MAX_P: Final = 16


def usable_scrypt_parameters(n: object, r: object, p: object) -> tuple[int, int, int] | None:
    """``(n, r, p)`` when n is a power of two in [2, 2**20], 1 <= r <= 32 and 1 <= p <= 16,
    each an int (not a bool); otherwise None."""
    if (
        type(n) is int
        and type(r) is int
        and type(p) is int
        and 2 <= n <= _MAX_N
        and n & (n - 1) == 0
        and 1 <= r <= _MAX_R
        and 1 <= p <= _MAX_P
    ):
        return n, r, p
    return None


def backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    """False for the null and fail backends, and for a chain of nothing else."""
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        try:
            chained = list(backend.backends)
        except Exception:
            return False
        return any(backend_usable(inner) for inner in chained)
    return True


def keyring_problem(backend: keyring.backend.KeyringBackend | None = None) -> str | None:
    """None when the keyring (default: the selected one) can be used, else the reason why not.

    The probe reads a harmless entry that does not exist; backends that are not set up raise.
    """
    import keyring

    try:
        chosen = backend if backend is not None else keyring.get_keyring()
    except Exception as exc:
        return f"the keyring could not be set up ({exc})"
    if not backend_usable(chosen):
        return "no system keyring is available"
    try:
        chosen.get_password(KEYRING_SERVICE, _PROBE_USERNAME)
    except Exception as exc:
        reason = str(exc).strip() or type(exc).__name__
        return f"the system keyring does not work ({reason})"
    return None


def passphrase_bytes(passphrase: str | None) -> bytes:
    """The passphrase as UTF-8 in NFC; InvalidInput when it is empty."""
    if passphrase is None or passphrase == "":
        raise InvalidInput("The passphrase must not be empty.")
    # The same passphrase typed on different systems may arrive in different Unicode forms.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a 0600 temporary file in the same folder and os.replace."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def read_passphrase(
    passphrase_file: Path | None,
    env: Mapping[str, str] = os.environ,
    prompt: Callable[[str], str] | None = None,
    *,
    prompt_text: str = "Passphrase for your signing key: ",
) -> str:
    """The passphrase from, in order: `passphrase_file` (one trailing newline removed), the
    environment variable GPC_PORTFOLIO_PASSPHRASE, or `prompt` (e.g. getpass.getpass)."""
    if passphrase_file is not None:
        text = read_text(Path(passphrase_file), "passphrase", MAX_PASSPHRASE_FILE_BYTES)
        if text.endswith("\n"):
            text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
        if not text:
            raise InvalidInput(f"The passphrase file {passphrase_file} is empty.")
        return text
    from_env = env.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if prompt is not None:
        try:
            typed = prompt(prompt_text)
        except EOFError:
            typed = ""
        if typed:
            return typed
    raise InvalidInput("A passphrase is needed.", remedy=Remedy.GIVE_PASSPHRASE)
