"""Words the layers share, defined once and Qt-free: the codes (StrEnums and constants) and the
English labels people read for them.

Labels are marked with ``N_`` (gettext's "no-op" marker, Qt's ``QT_TRANSLATE_NOOP``): it returns
the English text unchanged, so the PDF report, the HTML export and the command line use it as
it is, while the window translates it at the point it shows it, through
``QCoreApplication.translate(TRANSLATION_CONTEXT, label)`` (``portfolio.ui.widgets.word``). The
marker keeps this module free of Qt, and one translation context keeps one label one entry in a
translation file, whichever page shows it.

A StrEnum member is its code: ``Status.DRAFT == "draft"``, it is stored, compared and written to
JSON as the plain string.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

TRANSLATION_CONTEXT: Final = "vocabulary"


def N_(text: str) -> str:
    """Marks ``text`` as a label to translate (in ``TRANSLATION_CONTEXT``); returns it as it is."""
    return text


# ------------------------------------------------------------------------- item statuses


class Status(StrEnum):
    """Every status an item is shown with. The first four are stored (``STATUSES``); the others
    come from verifying its latest sign-off."""

    DRAFT = "draft"
    READY = "ready"
    CHANGES_REQUESTED = "changes_requested"
    SIGNED_OFF = "signed_off"
    UNVOUCHED = "unvouched"
    EDITED = "edited"
    REVOKED = "revoked"
    INVALID = "invalid"


STATUSES: Final = (Status.DRAFT, Status.READY, Status.CHANGES_REQUESTED, Status.SIGNED_OFF)
"""The statuses an item can be given (its stored column)."""

SHOWN_STATUSES: Final = tuple(Status)
"""Every status an item is shown with: the last four depend on verifying its latest sign-off."""

SIGNED_STATUSES: Final = ("signed_off", "changes_requested")
"""The stored statuses of a reviewed item: what it shows depends on verifying its sign-off."""

UNCOUNTED_SIGNOFF: Final = tuple(s for s in Status if s not in STATUSES)
"""Signed off, but the sign-off does not count (now): unvouched, edited, revoked, invalid."""

STATUS_LABELS: Final[dict[str, str]] = {
    Status.DRAFT: N_("Draft"),
    Status.READY: N_("Ready for review"),
    Status.CHANGES_REQUESTED: N_("Changes requested"),
    Status.SIGNED_OFF: N_("Signed off"),
    Status.UNVOUCHED: N_("Signer not vouched for"),
    Status.EDITED: N_("Edited since sign-off"),
    Status.REVOKED: N_("Sign-off revoked"),
    Status.INVALID: N_("Sign-off invalid"),
}

STATUS_DESCRIPTIONS: Final[dict[str, str]] = {
    Status.DRAFT: N_("Still being written; not yet submitted for review."),
    Status.READY: N_("Submitted: waiting for a supervisor to review it."),
    Status.CHANGES_REQUESTED: N_("A supervisor asked for changes; edit it and submit it again."),
    Status.SIGNED_OFF: N_("Signed off by a supervisor; the signature checks out."),
    Status.UNVOUCHED: N_(
        "The signature checks out, but no trusted supervisor directory lists the key and you "
        "have not pinned the supervisor's card: it does not count yet."
    ),
    Status.EDITED: N_(
        "Signed off, then changed: the signature covers the old version, so it needs a new "
        "sign-off."
    ),
    Status.REVOKED: N_(
        "The supervisor directory revoked the key, or it was used outside its validity dates: "
        "it does not count."
    ),
    Status.INVALID: N_(
        "The sign-off fails verification (altered, or signed by an unknown key): it does not count."
    ),
}
"""One sentence for tooltips and screen readers: what the status means for the trainee."""


def status_label(status: str) -> str:
    """The English label of a status (the code itself when unknown)."""
    return STATUS_LABELS.get(status, status)


# ----------------------------------------------------------------------------- sign-offs


class SignOffState(StrEnum):
    """What verifying a sign-off found."""

    VALID = "valid"
    EDITED = "edited"
    """Valid, but the item changed after it was signed."""
    INVALID = "invalid"
    REVOKED = "revoked"
    """Valid, but by a key its directory revoked (or used outside its dates)."""


SIGNOFF_STATE_LABELS: Final[dict[str, str]] = {
    SignOffState.VALID: N_("valid signature"),
    SignOffState.EDITED: N_("edited since sign-off"),
    SignOffState.INVALID: N_("invalid signature"),
    SignOffState.REVOKED: N_("revoked"),
}
"""As words within a sentence ("… — valid signature")."""


class Decision(StrEnum):
    """What a signed record says about an item."""

    SIGNED_OFF = "signed_off"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"
    """A signed withdrawal of the decision a record supersedes; it never stands as a decision."""


DECISIONS: Final = (Decision.SIGNED_OFF, Decision.CHANGES_REQUESTED)
"""The decisions a supervisor chooses about an item."""

DECISION_LABELS: Final[dict[str, str]] = {
    Decision.SIGNED_OFF: N_("Signed off"),
    Decision.CHANGES_REQUESTED: N_("Changes requested"),
    Decision.WITHDRAWN: N_("Withdrawn"),
}


class Role(StrEnum):
    """The signer's role, as their card and every sign-off record states it."""

    EDUCATIONAL_SUPERVISOR = "educational_supervisor"
    CLINICAL_SUPERVISOR = "clinical_supervisor"
    OTHER = "other"


ROLE_LABELS: Final[dict[str, str]] = {
    Role.EDUCATIONAL_SUPERVISOR: N_("Educational supervisor"),
    Role.CLINICAL_SUPERVISOR: N_("Clinical supervisor"),
    Role.OTHER: N_("Other"),
}


class PinMethod(StrEnum):
    """How a trainee pinned a card: checked in a meeting against the supervisor's own device,
    read from a card file, or the key was created on this computer."""

    MEETING = "meeting"
    FILE = "file"
    CREATED_HERE = "created_here"


PIN_LABELS: Final[dict[str, str]] = {
    PinMethod.MEETING: N_(
        "pinned by the trainee in a meeting, checked against the supervisor's own device"
    ),
    PinMethod.FILE: N_("pinned by the trainee from a card file"),
    PinMethod.CREATED_HERE: N_("key created on the trainee's computer and pinned there"),
}
SHORT_PIN_LABELS: Final[dict[str, str]] = {
    PinMethod.MEETING: N_("pinned by the trainee in a meeting"),
    PinMethod.FILE: N_("pinned by the trainee from a file"),
    PinMethod.CREATED_HERE: N_("key made on the trainee's computer"),
}
"""In a few words, for a narrow table cell."""


# ------------------------------------------------------------------ learning opportunities


class OpportunityKind(StrEnum):
    ROLE = "role"
    PROJECT = "project"
    TEACHING = "teaching"
    EVENT = "event"


OPPORTUNITY_KINDS: Final = tuple(OpportunityKind)
OPPORTUNITY_KIND_LABELS: Final[dict[str, str]] = {
    OpportunityKind.ROLE: N_("Role"),
    OpportunityKind.PROJECT: N_("Project"),
    OpportunityKind.TEACHING: N_("Teaching"),
    OpportunityKind.EVENT: N_("Event"),
}


class Progress(StrEnum):
    """The trainee's progress with an opportunity, in order."""

    INTERESTED = "interested"
    APPLIED = "applied"
    PARTICIPATING = "participating"
    COMPLETED = "completed"


PROGRESS_STATUSES: Final = tuple(Progress)
PROGRESS_LABELS: Final[dict[str, str]] = {
    Progress.INTERESTED: N_("Interested"),
    Progress.APPLIED: N_("Applied"),
    Progress.PARTICIPATING: N_("Participating"),
    Progress.COMPLETED: N_("Completed"),
}


# --------------------------------------------------------------------------- GMC numbers

GMC_NUMBER_PATTERN: Final = r"^[0-9]{7}$"
"""A GMC reference number: exactly seven ASCII digits (also the pattern of every file format)."""
_GMC_NUMBER: Final = re.compile(GMC_NUMBER_PATTERN)


def is_gmc_number(text: str) -> bool:
    """True when ``text`` is a GMC number as it stands (nothing stripped)."""
    return _GMC_NUMBER.fullmatch(text) is not None


# ------------------------------------------------------------------------ change kinds

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
