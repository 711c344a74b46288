"""Words the layers share, defined once and Qt-free: what an operation can have changed."""

from __future__ import annotations

from enum import StrEnum


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
