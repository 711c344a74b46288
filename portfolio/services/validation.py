"""Checks of user input shared by the services; each failure is one clear sentence.

``field`` (optional everywhere) is passed on to :class:`InvalidInput` so a form can focus the
input the failure concerns.
"""

from __future__ import annotations

from datetime import date

from portfolio import limits
from portfolio.errors import InvalidInput
from portfolio.vocabulary import is_gmc_number


def gmc_number(value: str) -> str:
    cleaned = value.strip()
    if not is_gmc_number(cleaned):
        raise InvalidInput(f"GMC number '{value}' must be exactly 7 digits (0-9).")
    return cleaned


def storable(value: str, what: str, field: str | None = None) -> str:
    """``value`` when SQLite and every file format can hold it (no NUL, no lone surrogate)."""
    if "\x00" in value:
        raise InvalidInput(
            f"The {what} contains a NUL character; nothing was changed.", field=field
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {what} is not valid UTF-8 text (perhaps a file name or terminal in another "
            "encoding); nothing was changed.",
            field=field,
        ) from None
    return value


def required_text(value: str, what: str, limit: int, field: str | None = None) -> str:
    cleaned = storable(value, what, field).strip()
    if not cleaned:
        raise InvalidInput(f"The {what} must not be empty.", field=field)
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.", field=field)
    return cleaned


def optional_text(value: str, what: str, limit: int, field: str | None = None) -> str:
    storable(value, what, field)
    if len(value) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.", field=field)
    return value.strip()


def date_range(start: date, end: date | None, what: str, field: str | None = None) -> None:
    if end is not None and end < start:
        raise InvalidInput(f"The {what} ends ({end}) before it starts ({start}).", field=field)


def tags(values: tuple[str, ...], field: str | None = None) -> tuple[str, ...]:
    cleaned: dict[str, str] = {}
    for value in values:
        tag = optional_text(value, "tag", limits.MAX_TAG, field)
        if tag:
            cleaned.setdefault(tag.casefold(), tag)
    if len(cleaned) > limits.MAX_TAGS:
        raise InvalidInput(
            f"An item may have at most {limits.MAX_TAGS} tags; this one has {len(cleaned)}.",
            field=field,
        )
    return tuple(cleaned.values())
