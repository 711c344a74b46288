"""Writing files atomically, and reading zip archives that may have been crafted to do harm."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from portfolio.errors import InvalidInput


def write_atomically(path: Path, data: bytes | Callable[[Path], None]) -> Path:
    """Write ``data`` (or let a writer fill a temporary path) beside ``path``, then rename it in.

    A reader never sees a half-written file, and a failure leaves any old file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
        if not isinstance(data, bytes):
            data(Path(temporary))
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_folder_atomically(path: Path, fill: Callable[[Path], None]) -> Path:
    """Let ``fill`` write a new folder beside ``path``, then rename it in as ``path``.

    ``path`` must not exist yet (or be an empty folder): a folder of the trainee's is never
    merged into or overwritten. A failure leaves nothing behind.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise InvalidInput(f"{path} already exists and is not an empty folder; choose a new one.")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial"))
    try:
        fill(temporary)
        if path.is_dir():
            path.rmdir()  # empty (checked above); a folder cannot be renamed onto one everywhere
        os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return path


def write_zip(path: Path, members: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> Path:
    """A zip with members in the given order and a fixed date; ``members`` may be produced
    lazily (name, content) so that large attachments are not all held at once."""
    pairs = members.items() if isinstance(members, Mapping) else members

    def fill(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in pairs:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, content)

    return write_atomically(path, fill)


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 20_000
    max_member_bytes: int = 30 * 2**20
    max_total_bytes: int = 2 * 2**30
    max_ratio: int = 200
    """A member may inflate at most this many times its compressed size (zip bombs)."""


_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def read_zip(
    path: Path, what: str, allowed: Callable[[str], bool], limits: ZipLimits = ZipLimits()
) -> dict[str, bytes]:
    """All members of a zip, checked before any is trusted; InvalidInput names the problem."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInput(f"{path.name} is not a readable {what} ({error}).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise InvalidInput(
                f"{path.name} has {len(infos)} files; a {what} may have at most "
                f"{limits.max_members}."
            )
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if not _SAFE_NAME.match(name) or ".." in name.split("/"):
                raise InvalidInput(f"{path.name} holds a file with an unsafe name: {name!r}.")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise InvalidInput(f"{path.name} holds a link ({name}); links are not allowed.")
            if name in seen:
                raise InvalidInput(f"{path.name} holds {name} twice.")
            seen.add(name)
            if not allowed(name):
                raise InvalidInput(f"{path.name} holds an unexpected file: {name}.")
            if info.file_size > limits.max_member_bytes:
                raise InvalidInput(
                    f"{name} in {path.name} is too large ({info.file_size / 2**20:.1f} MiB)."
                )
            if info.file_size > limits.max_ratio * max(info.compress_size, 1) + 1024:
                raise InvalidInput(f"{name} in {path.name} inflates suspiciously (a zip bomb?).")
            total += info.file_size
            if total > limits.max_total_bytes:
                raise InvalidInput(
                    f"{path.name} unpacks to more than {limits.max_total_bytes // 2**30} GiB."
                )
        members = {}
        for info in infos:
            try:
                with archive.open(info) as member:
                    data = member.read(info.file_size + 1)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                ValueError,
                NotImplementedError,
                RuntimeError,
            ) as error:  # damaged, unknown compression, encrypted
                raise InvalidInput(
                    f"{info.filename} in {path.name} is damaged ({error})."
                ) from None
            if len(data) != info.file_size:
                raise InvalidInput(f"{info.filename} in {path.name} is not the size it claims.")
            members[info.filename] = data
        return members
