"""Checks of user input shared by the services; each failure is one clear sentence."""

from __future__ import annotations

import re
from datetime import date

from portfolio.errors import InvalidInput

_GMC = re.compile(r"^\d{7}$")
MAX_TITLE = 300
MAX_TEXT = 100_000
MAX_TAG = 100


def gmc_number(value: str) -> str:
    cleaned = value.strip()
    if not _GMC.match(cleaned):
        raise InvalidInput(f"GMC number '{value}' must be exactly 7 digits.")
    return cleaned


def parse_date(value: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"The {what} '{value}' is not a date in the form YYYY-MM-DD.") from None


def required_text(value: str, what: str, limit: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(f"The {what} must not be empty.")
    if len(cleaned) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return cleaned


def optional_text(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return value.strip()


def date_range(start: date, end: date | None, what: str) -> None:
    if end is not None and end < start:
        raise InvalidInput(f"The {what} ends ({end}) before it starts ({start}).")


def tags(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned: list[str] = []
    for value in values:
        tag = optional_text(value, "tag", MAX_TAG)
        if tag and tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    return tuple(cleaned)
