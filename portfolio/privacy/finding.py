"""What the detector reports: a :class:`Finding`, its message and its default suggestion."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "nhs_number",
    "chi_number",
    "hospital_number",
    "ni_number",
    "date_of_birth",
    "event_date",
    "postcode",
    "address",
    "phone",
    "email",
    "name",
    "age",
    "bed_and_ward",
    "rare_combination",
)

NAME_FIELDS: frozenset[str] = frozenset({"assessor", "supervisor"})
"""Fields of an item (assessment, supervisor meeting) that hold the assessor's or supervisor's
name, which the ARCP needs: never scanned."""

SOFT_KINDS: frozenset[str] = frozenset({"rare_combination"})
"""Kinds that are not identifiers on their own but may point to someone: warned about, never
a reason to stop an export."""


@dataclass(frozen=True)
class Finding:
    """One probable identifier in a piece of text.

    ``start``/``end`` are indices into the scanned text (``text[start:end] == self.text``);
    ``suggestion`` is the replacement :func:`anonymise` puts in its place and ``message`` is a
    short sentence to show the trainee.
    """

    kind: str
    start: int
    end: int
    text: str
    suggestion: str
    message: str


MESSAGES: dict[str, str] = {
    "nhs_number": "Looks like an NHS number (valid check digit).",
    "chi_number": "Looks like a CHI number (valid date and check digit).",
    "hospital_number": "Looks like a hospital or medical record number.",
    "ni_number": "Looks like a National Insurance number.",
    "date_of_birth": "Looks like a date of birth.",
    "event_date": "An exact date of admission, discharge or death can identify a patient.",
    "postcode": "Looks like a UK postcode.",
    "address": "Looks like an address.",
    "phone": "Looks like a UK phone number.",
    "email": "Looks like an e-mail address.",
    "name": "Looks like a name; even a colleague's name can identify whose care this was.",
    "age": "An exact age can help identify a patient; an age range is safer.",
    "bed_and_ward": "A bed and ward together point to one patient on one day.",
    "rare_combination": "A rare condition and a small place together could identify someone.",
}

_FIXED_SUGGESTIONS: dict[str, str] = {
    "nhs_number": "[NHS number removed]",
    "chi_number": "[CHI number removed]",
    "hospital_number": "[hospital number removed]",
    "ni_number": "[NI number removed]",
    "date_of_birth": "[date of birth removed]",
    "event_date": "[date removed]",
    "postcode": "[postcode removed]",
    "address": "[address removed]",
    "phone": "[phone number removed]",
    "email": "[e-mail address removed]",
    "bed_and_ward": "[bed and ward removed]",
}


def make_finding(
    kind: str, text: str, start: int, end: int, suggestion: str | None = None
) -> Finding:
    return Finding(
        kind=kind,
        start=start,
        end=end,
        text=text[start:end],
        suggestion=suggestion if suggestion is not None else _FIXED_SUGGESTIONS[kind],
        message=MESSAGES[kind],
    )
