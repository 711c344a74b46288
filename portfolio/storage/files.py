"""Writing files atomically; reading files, JSON and zip archives that may be crafted to harm.

Every file the app reads goes through ``read_bounded`` (no more than a limit, never a device
that does not end) and every JSON document through ``parse_json`` (depth, integer size and
duplicate keys checked), with the limits of ``portfolio.limits``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio import limits
from portfolio.errors import BadPath, InvalidInput, NotFound
from portfolio.storage.failures import under_a_file


def writable_target(path: Path) -> Path:
    """``path`` when a regular file may be put there (BadPath for a folder, a device, a path
    under a file); its missing parent folders are made."""
    path = Path(path)
    if path.is_dir():
        raise BadPath(f"{path} is a folder; give the name of a file. Nothing was changed.")
    if path.exists() and not path.is_file():
        raise BadPath(
            f"{path} is not a regular file (a device or a pipe); it was not replaced. "
            "Choose another file name."
        )
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise under_a_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_atomically(path: Path, data: bytes | Callable[[Path], None]) -> Path:
    """Write ``data`` (or let a writer fill a temporary path) beside ``path``, then rename it in.

    A reader never sees a half-written file, and a failure leaves any old file untouched. Only
    a regular file is ever replaced.
    """
    path = writable_target(path)
    try:
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as error:  # named after the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
        if not isinstance(data, bytes):
            data(Path(temporary))
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from None
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


def read_bounded(path: Path, what: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, refused (InvalidInput) beyond ``limit``."""
    path = Path(path)
    try:
        # Non-blocking: opening a named pipe must not wait for a writer (it is refused below).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InvalidInput(f"{path} is not a regular file; give a {what} file.")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise NotFound(f"There is no {what} file at {path}.") from None
    except IsADirectoryError:
        raise BadPath(f"{path} is a folder; give a {what} file.") from None
    except OSError as error:
        raise InvalidInput(f"The {what} file {path} cannot be read ({error.strerror}).") from None
    if len(data) > limit:
        raise InvalidInput(
            f"The {what} file {path} is larger than {limits.describe_bytes(limit)}; "
            "it was not read."
        )
    return data


def read_text(path: Path, what: str, limit: int) -> str:
    """A UTF-8 text file, read with ``read_bounded``."""
    try:
        return read_bounded(path, what, limit).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"The {what} file {path} is not UTF-8 text.") from None


class _JsonProblem(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonProblem(f"repeats the key {key[:40]!r} in one object")
        result[key] = value
    return result


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > limits.MAX_INTEGER_DIGITS:
        raise _JsonProblem(f"holds a number longer than {limits.MAX_INTEGER_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    if len(text) > limits.MAX_INTEGER_DIGITS + 10:
        raise _JsonProblem(f"holds a number longer than {limits.MAX_INTEGER_DIGITS} digits")
    return float(text)


def _constant(name: str) -> float:
    raise _JsonProblem(f"holds {name}, which is not a JSON number")


def _depth(value: object) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > limits.MAX_JSON_DEPTH:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(raw: bytes | str, name: str) -> Any:
    """The JSON value in ``raw`` (InvalidInput naming ``name`` when it is not sound JSON, nests
    deeper than ``MAX_JSON_DEPTH``, repeats a key or holds an over-long number)."""
    try:
        value = json.loads(
            raw,
            object_pairs_hook=_pairs,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{name} is not complete JSON; it may be truncated or damaged ({error.msg} at "
            f"line {error.lineno}, column {error.colno})."
        ) from None
    except _JsonProblem as problem:
        raise InvalidInput(f"{name} {problem}; it was not used.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text.") from None
    except RecursionError:
        value = None
        deep = True
    else:
        deep = _depth(value) > limits.MAX_JSON_DEPTH
    if deep:
        raise InvalidInput(
            f"{name} nests more than {limits.MAX_JSON_DEPTH} levels deep; it was not used."
        )
    return value


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 20_000
    max_member_bytes: int = 30 * 2**20
    max_total_bytes: int = 2 * 2**30
    max_ratio: int = 1_100
    """A member may inflate at most this many times its compressed size (zip bombs). Deflate
    itself cannot pass about 1,032: only another method could, and anything we wrote stays
    readable however repetitive (a lower ratio refused long repeated texts we had exported)."""


_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def read_zip(
    path: Path,
    what: str,
    allowed: Callable[[str], bool],
    limits: ZipLimits = ZipLimits(),
    largest: Callable[[str], int] | None = None,
) -> dict[str, bytes]:
    """All members of a zip, checked before any is trusted; InvalidInput names the problem.

    ``largest`` gives a member's own size limit (``limits.max_member_bytes`` by default).
    """
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
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InvalidInput(
                    f"{path.name} holds {name} compressed in a way GPC Portfolio never writes."
                )
            if info.flag_bits & 0x1:
                raise InvalidInput(
                    f"{path.name} holds {name} encrypted (with a zip password); GPC Portfolio "
                    "never writes such files, so it was not read."
                )
            if name in seen:
                raise InvalidInput(f"{path.name} holds {name} twice.")
            seen.add(name)
            if not allowed(name):
                raise InvalidInput(f"{path.name} holds an unexpected file: {name}.")
            if info.file_size > (largest(name) if largest else limits.max_member_bytes):
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
