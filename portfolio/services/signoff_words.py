"""The words every screen, report and command uses for a sign-off and who vouches for it.

One place, without Qt, so the window, the PDF and the command line never disagree.
"""

from __future__ import annotations

from typing import Any

from portfolio.services.read_models import SignOffStatus, Vouch
from portfolio.vocabulary import (
    DECISION_LABELS,
    PIN_LABELS,
    SHORT_PIN_LABELS,
    SIGNOFF_STATE_LABELS,
)


def vouch_words(vouch: Vouch | None) -> str:
    """ "vouched for by …", or that nobody vouches."""
    if vouch is None:
        return "not vouched for"
    if vouch.kind == "directory":
        return (
            f"vouched for by the directory “{vouch.directory}” "
            f"(publisher key {vouch.publisher_fingerprint})"
        )
    return f"vouched for: {PIN_LABELS.get(vouch.how or '', 'pinned by the trainee')}"


def vouch_short(vouch: Vouch | None) -> str:
    """Who vouches, in a few words for a narrow table cell."""
    if vouch is None:
        return "nobody vouches for the signer"
    if vouch.kind == "directory":
        return f"vouched for by “{vouch.directory}” (publisher {vouch.publisher_fingerprint})"
    return SHORT_PIN_LABELS.get(vouch.how or "", "pinned by the trainee")


def verdict_words(status: SignOffStatus) -> str:
    """The short verdict: "Valid and vouched for", "Valid signature, signer not vouched for"…"""
    if status.other_trainee and status.state in ("valid", "edited"):
        return "Signed for another trainee"
    if status.state == "valid":
        return (
            "Valid and vouched for"
            if status.vouched_by is not None
            else "Valid signature, signer not vouched for"
        )
    return SIGNOFF_STATE_LABELS[status.state].capitalize()


def trust_words(status: SignOffStatus) -> str:
    """The verdict with who vouches or why not, e.g. "Valid and vouched for by the directory
    “NW supervisors” (publisher key 3F2A …)"."""
    if status.state == "invalid":
        return "Invalid signature: altered, forged, or by a key this portfolio does not know"
    if status.state == "revoked":
        return f"Revoked: {status.reason}"
    if status.other_trainee:
        return (
            f"Not trusted: signed for another trainee (GMC {status.other_trainee}), not the "
            "trainee of this portfolio; it was copied from their portfolio"
        )
    who = (
        vouch_words(status.vouched_by)
        if status.vouched_by is not None
        else f"signer not vouched for: {status.reason}"
    )
    if status.state == "edited":
        return f"Edited since sign-off (the signature covers an older version); {who}"
    return f"Valid, {who}" if status.vouched_by is not None else f"Valid signature, {who}"


def signoff_words(status: SignOffStatus) -> str:
    """One line: the decision, by whom, when, and what it is worth."""
    decision = DECISION_LABELS.get(status.decision, status.decision)
    return (
        f"{decision} by {status.signer_name} ({status.fingerprint}) at {status.signed_at} — "
        f"{trust_words(status)}."
    )


def vouch_json(vouch: Vouch | None) -> dict[str, Any] | None:
    """``vouched_by`` as the command line's --json gives it (docs/cli.md)."""
    if vouch is None:
        return None
    if vouch.kind == "directory":
        return {
            "kind": "directory",
            "directory": vouch.directory,
            "fingerprint": vouch.publisher_fingerprint,
        }
    return {"kind": "pinned", "how": vouch.how}
