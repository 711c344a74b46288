"""Words the layers share, defined once and Qt-free: statuses, and what an operation changed."""

from __future__ import annotations

from enum import StrEnum

STATUSES = ("draft", "ready", "changes_requested", "signed_off")
"""The statuses an item can be given (its stored column)."""

SHOWN_STATUSES = (
    "draft",
    "ready",
    "changes_requested",
    "signed_off",
    "unvouched",
    "edited",
    "revoked",
    "invalid",
)
"""Every status an item is shown with: the last five depend on verifying its latest sign-off."""

UNSUBMITTABLE_STATUSES = ("ready", "signed_off", "unvouched")
"""Shown statuses Submit is not offered for, until the item changes: already waiting for review,
or signed off (vouched for or not)."""


class ChangeKind(StrEnum):
    """What a finished operation changed; screens redraw on the kinds they show."""

    EVIDENCE = "evidence"
    """Items: their content, status, attachments, sign-offs, trash."""
    PRIVACY = "privacy"
    """A "not patient data" dismissal."""
    PROFILE = "profile"
    PLACEMENT = "placement"
    IDENTITIES = "identities"
    """Supervisor cards pinned, signing identities made or unlocked."""
    OPPORTUNITIES = "opportunities"
    """Catalogues and learning opportunities."""


EVERYTHING = tuple(ChangeKind)
"""What a restore or an import may have changed."""
