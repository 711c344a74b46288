"""Helping trainees keep patient-identifiable data out of their reflections."""

from portfolio.privacy.detector import (
    KINDS,
    NAME_FIELDS,
    SOFT_KINDS,
    Finding,
    anonymise,
    find_identifiers,
    is_valid_chi_number,
    is_valid_nhs_number,
    nhs_check_digit,
)

__all__ = [
    "KINDS",
    "NAME_FIELDS",
    "SOFT_KINDS",
    "Finding",
    "anonymise",
    "find_identifiers",
    "is_valid_chi_number",
    "is_valid_nhs_number",
    "nhs_check_digit",
]
