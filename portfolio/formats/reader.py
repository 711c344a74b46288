"""The one reader of files that may be crafted to harm: sizes, zips, strict JSON, versions.

Every file the app reads goes through ``read_bounded`` (no more than a limit, never a device
that does not end), every zip through ``read_zip``, every JSON document through
``parse_json`` (depth, integer size and duplicate keys checked), with the limits of
``portfolio.limits``; ``versioned`` checks a document is ours and of a version we read, and
``validated`` puts pydantic's complaint in one sentence. Each failure names the file.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from portfolio import limits
from portfolio.errors import BadPath, InvalidInput, NotFound

if TYPE_CHECKING:  # pydantic is imported by the formats that use it, not by every JSON reader
    from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound="BaseModel")


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


def read_file(path: Path, what: str, limit: int) -> bytes:
    """``read_bounded`` for files refused in their own words: "There is no file at …", "… is
    too large to be a ``what``." (a supervisor directory, a signing log)."""
    path = Path(path)
    try:
        if path.stat().st_size > limit:
            raise InvalidInput(f"{path.name} is too large to be a {what}.")
        return read_bounded(path, what, limit)
    except (FileNotFoundError, NotFound):
        raise InvalidInput(f"There is no file at {path}.") from None
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.") from None


def read_text(path: Path, what: str, limit: int) -> str:
    """A UTF-8 text file, read with ``read_bounded``."""
    try:
        return read_bounded(path, what, limit).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"The {what} file {path} is not UTF-8 text.") from None


class _JsonProblem(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # at C speed; a repeated key leaves fewer entries than pairs
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonProblem(f"repeats the key {key[:40]!r} in one object")
            seen.add(key)
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


_BUT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_ONE_BRACKET = bytes.maketrans(b"{}", b"[]")
_STRING = re.compile(rb'"[^"]*"')


def _deeper_than(raw: bytes | str, limit: int) -> bool:
    """Whether sound JSON nests more than ``limit`` arrays and objects deep.

    On the UTF-8 bytes, at C speed rather than walking every parsed value: escaped backslashes
    and quotes go, then everything but quotes and brackets, then the strings left (so the
    brackets inside them go too); of the brackets that remain, innermost pairs are removed
    ``limit`` times. (No byte of a multi-byte UTF-8 character is a quote or a bracket.) The
    JSON parsed, so its brackets pair up: objects' become arrays' and an innermost pair is
    "[]", each pass one bytes.replace.
    """
    if isinstance(raw, str):
        data = raw.encode("utf-8", "surrogatepass")
    elif (encoding := json.detect_encoding(raw)) not in ("utf-8", "utf-8-sig"):
        data = raw.decode(encoding).encode("utf-8", "surrogatepass")
    else:
        data = raw
    if b"\\" in data:  # one quick scan; most documents escape nothing
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    data = data.translate(_ONE_BRACKET, _BUT_STRUCTURE)
    brackets = _STRING.sub(b"", data.replace(b'""', b""))  # adjacent quotes: joined strings
    for _ in range(limit):
        if not brackets:
            return False
        brackets = brackets.replace(b"[]", b"")
    return bool(brackets)


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
        deep = isinstance(value, dict | list) and _deeper_than(raw, limits.MAX_JSON_DEPTH)
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


def versioned(
    data: Any,
    name: str,
    file_format: str,
    versions: tuple[int, ...],
    what: str,
    *,
    called: str | None = None,
) -> dict[str, Any]:
    """``data`` when it is a JSON object of ``file_format`` at one of ``versions``; ``called``
    is how "not a GPC Portfolio …" names the file when that differs from ``what``."""
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise InvalidInput(f"{name} is not a GPC Portfolio {called or what}.")
    version = data.get("format_version")
    if type(version) is not int or version not in versions:
        shown = version if type(version) is int or version is None else repr(version)
        readable = " and ".join(str(v) for v in versions)
        plural = "s" if len(versions) > 1 else ""
        raise InvalidInput(
            f"{name} is a version {shown} {what}; this app reads version{plural} {readable}."
        )
    return data


def versioned_json(
    raw: bytes, name: str, file_format: str, version: int, what: str
) -> dict[str, Any]:
    """The JSON object in ``raw`` when it is ours, of ``file_format`` at ``version``."""
    return versioned(parse_json(raw, name), name, file_format, (version,), what)


def validation_problem(error: ValidationError) -> str:
    """pydantic's first complaint, as "where: what"."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the file"
    return f"{where}: {first['msg']}"


def validated(model: type[Model], data: Any, name: str) -> Model:
    """``data`` (parsed JSON, or JSON bytes already checked by ``parse_json``) as ``model``;
    InvalidInput "``name`` is malformed (where: what)" otherwise."""
    from pydantic import ValidationError

    try:
        if isinstance(data, bytes):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as error:
        if error.errors()[0]["type"] == "json_invalid":
            raise InvalidInput(
                f"{name} is not complete JSON; it may be truncated or damaged."
            ) from None
        raise InvalidInput(f"{name} is malformed ({validation_problem(error)}).") from None
