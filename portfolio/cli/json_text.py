"""Indented JSON, written as ``json.dumps(value, indent=2, ensure_ascii=False, default=str)``
writes it, byte for byte, in half the time.

With ``indent`` the standard library leaves its C encoder for a pure-Python one that yields
every bracket, comma and indent as a piece of its own (430,000 pieces for ``list --json`` of
10,000 items, 57 ms of a 0.35 s command). This writer appends one piece per member, keeps the
encoded keys it has seen, and encodes strings with the same C function. Unlike ``json.dumps``
it does not look for circular references: the commands print trees they have just built.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring

INFINITY = float("inf")


def _float(value: float) -> str:
    """As ``json`` writes a float (``allow_nan``: NaN and Infinity unquoted)."""
    if value != value:
        return "NaN"
    if value == INFINITY:
        return "Infinity"
    if value == -INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _null(_value: None) -> str:
    return "null"


def _bool(value: bool) -> str:
    return "true" if value else "false"


SCALARS: dict[type, Callable[[object], str]] = {
    str: encode_basestring,  # type: ignore[dict-item]
    type(None): _null,  # type: ignore[dict-item]
    bool: _bool,  # type: ignore[dict-item]
    int: int.__repr__,
    float: _float,  # type: ignore[dict-item]
}
"""How each scalar type is written (exact types: subclasses go the way ``json`` takes them)."""


def _scalar(value: object) -> str | None:
    """A scalar of a subclass (an enum of str or int), in ``json``'s order of checks."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return None


def _key(key: object) -> str:
    """A member's name and separator: ``json`` writes non-string keys as strings."""
    if isinstance(key, str):
        text = key
    elif isinstance(key, float):
        text = _float(key)
    elif key is True or key is False:
        text = _bool(key)
    elif key is None:
        text = "null"
    elif isinstance(key, int):
        text = int.__repr__(key)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return encode_basestring(text) + ": "


def indented_json(value: object) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=str)``."""
    pieces: list[str] = []
    add = pieces.append
    keys: dict[str, str] = {}
    scalar_of = SCALARS.get

    def write(item: object, pad: str) -> None:
        """``item`` at the indent ``pad`` (a newline and spaces): its first line is written
        where the last piece ends."""
        if isinstance(item, (list, tuple)):
            if not item:
                add("[]")
                return
            inner = pad + "  "
            add("[")
            for member in item:
                encode = scalar_of(type(member))
                if encode is not None:
                    add(f"{inner}{encode(member)},")
                else:
                    add(inner)
                    write(member, inner)
                    add(",")
            pieces[-1] = pieces[-1][:-1] + pad + "]"
        elif isinstance(item, dict):
            if not item:
                add("{}")
                return
            inner = pad + "  "
            add("{")
            for key, member in item.items():
                name = keys.get(key) if type(key) is str else None
                if name is None:
                    name = _key(key)
                    if type(key) is str:
                        keys[key] = name
                encode = scalar_of(type(member))
                if encode is not None:
                    add(f"{inner}{name}{encode(member)},")
                else:
                    add(inner + name)
                    write(member, inner)
                    add(",")
            pieces[-1] = pieces[-1][:-1] + pad + "}"
        else:
            encode = scalar_of(type(item))
            text = encode(item) if encode is not None else _scalar(item)
            if text is None:
                write(str(item), pad)
            else:
                add(text)

    write(value, "\n")
    return "".join(pieces)
