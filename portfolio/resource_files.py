"""Access to the files in ``resources/``, whether installed from a wheel or run from a checkout."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


@cache  # the window reads some twenty icons at start: looking it up each time cost more
def resource_root() -> Traversable:
    """``portfolio/resources`` in a wheel; ``resources/`` beside the package in a checkout."""
    packaged = files("portfolio") / "resources"
    if packaged.is_dir():
        return packaged
    return Path(str(files("portfolio"))).parent / "resources"


def resource(*parts: str) -> Traversable:
    """One file or folder below the resources root."""
    node = resource_root()
    for part in parts:
        node = node / part
    return node
