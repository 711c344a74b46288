"""Checks of user input shared by the services; each failure is one clear sentence."""

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


def storable(value: str, what: str) -> str:
    """``value`` when SQLite and every file format can hold it (no NUL, no lone surrogate)."""
    if "\x00" in value:
        raise InvalidInput(f"The {what} contains a NUL character; nothing was changed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {what} is not valid UTF-8 text (perhaps a file name or terminal in another "
            "encoding); nothing was changed."
        ) from None
    return value


def required_text(value: str, what: str, limit: int) -> str:
    cleaned = storable(value, what).strip()
    if not cleaned:
        raise InvalidInput(f"The {what} must not be empty.")
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return cleaned


def optional_text(value: str, what: str, limit: int) -> str:
    storable(value, what)
    if len(value) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return value.strip()


def date_range(start: date, end: date | None, what: str) -> None:
    if end is not None and end < start:
        raise InvalidInput(f"The {what} ends ({end}) before it starts ({start}).")


def tags(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned: dict[str, str] = {}
    for value in values:
        tag = optional_text(value, "tag", limits.MAX_TAG)
        if tag:
            cleaned.setdefault(tag.casefold(), tag)
    if len(cleaned) > limits.MAX_TAGS:
        raise InvalidInput(
            f"An item may have at most {limits.MAX_TAGS} tags; this one has {len(cleaned)}."
        )
    return tuple(cleaned.values())
