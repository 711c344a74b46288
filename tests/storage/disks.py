"""Real small disks for tests of a full disk and a read-only folder: tmpfs mounts (as root).

A tmpfs of a few MiB fills in milliseconds and is gone at unmount; a read-only remount refuses
every write even to root (permission bits do not). Without the right to mount (not root, or a
container without CAP_SYS_ADMIN) the tests that need one are skipped, saying why.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}); run as root")


@contextmanager
def tmpfs(path: Path, size: str = "16m") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` at ``path`` for the duration."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30, check=True)


def read_only(path: Path) -> None:
    """Remount the tmpfs at ``path`` read-only."""
    _mount("-o", "remount,ro", str(path))


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until the disk has no byte left; returns it (delete to free)."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:
        for chunk in (2**20, 2**12, 1):
            try:
                while True:
                    handle.write(b"\0" * chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler
