"""Writing files atomically: a reader never sees a half-written file or folder.

Reading files that may be crafted to harm is ``portfolio.formats.reader``'s job.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from portfolio.errors import BadPath, InvalidInput
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
