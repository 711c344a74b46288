"""Reproducible files: with ``SOURCE_DATE_EPOCH`` set (reproducible-builds.org), every report,
archive and summary takes its time from it, so the same portfolio gives the same bytes."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from portfolio.errors import InvalidInput


def reproducible() -> bool:
    """Whether ``SOURCE_DATE_EPOCH`` is set: then outputs leave out anything that varies."""
    return bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


def source_date() -> datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names (UTC), or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'."
        ) from None
