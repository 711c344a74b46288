"""Tests for the patient-identifiable data detector (portfolio.privacy)."""

from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.privacy import (
    KINDS,
    Finding,
    anonymise,
    find_identifiers,
    is_valid_chi_number,
    is_valid_nhs_number,
    nhs_check_digit,
)

CORPUS_PATH = Path(__file__).parents[1] / "data" / "privacy_corpus.json"
CORPUS: dict[str, Any] = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
POSITIVES: list[dict[str, str]] = CORPUS["positives"]
NEGATIVES: list[str] = CORPUS["negatives"]

VALID_NHS = "9434765919"


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def test_corpus_is_big_enough_and_covers_every_kind() -> None:
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 80
    assert {p["kind"] for p in POSITIVES} <= set(KINDS)
    for p in POSITIVES:
        assert p["match"] in p["text"], p


@pytest.mark.parametrize("case", POSITIVES, ids=lambda c: f"{c['kind']}:{c['match']}")
def test_positive_snippet_is_found_with_kind_and_exact_span(case: dict[str, str]) -> None:
    text, match = case["text"], case["match"]
    start = text.index(match)
    findings = find_identifiers(text)
    assert [(f.kind, f.start, f.end, f.text) for f in findings] == [
        (case["kind"], start, start + len(match), match)
    ]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_ordinary_clinical_sentence_has_no_findings(sentence: str) -> None:
    assert find_identifiers(sentence) == []


def test_whole_negative_corpus_as_one_reflection_is_quiet() -> None:
    assert find_identifiers(" ".join(NEGATIVES)) == []


# ---------------------------------------------------------------------------------------------
# NHS / CHI check digits
# ---------------------------------------------------------------------------------------------


def test_known_nhs_number_is_valid_in_all_written_forms() -> None:
    assert nhs_check_digit("943476591") == 9
    for form in ("9434765919", "943 476 5919", "943-476-5919"):
        assert is_valid_nhs_number(form)


@pytest.mark.parametrize("position", range(10))
def test_changing_any_one_digit_invalidates_the_nhs_number(position: int) -> None:
    for replacement in "0123456789":
        if replacement == VALID_NHS[position]:
            continue
        changed = VALID_NHS[:position] + replacement + VALID_NHS[position + 1 :]
        assert not is_valid_nhs_number(changed), changed
        assert find_identifiers(f"NHS number {changed}") == []


def test_check_digit_of_ten_means_invalid() -> None:
    # Only the ninth digit is non-zero: 6 * 2 = 12; 12 mod 11 = 1; 11 - 1 = 10 -> invalid.
    assert nhs_check_digit("000000006") is None
    for last in "0123456789":
        assert not is_valid_nhs_number("000000006" + last)
    assert find_identifiers("NHS number 000 000 0060") == []


def test_check_digit_eleven_becomes_zero() -> None:
    # 100000006 -> 10 + 12 = 22 -> remainder 0 -> 11 -> 0.
    assert nhs_check_digit("100000006") == 0
    assert is_valid_nhs_number("1000000060")


def test_repeated_digit_numbers_are_not_nhs_numbers() -> None:
    assert not is_valid_nhs_number("0000000000")
    assert not is_valid_nhs_number("1111111111")


@pytest.mark.parametrize("bad", ["12345678", "94347659190", "943476591a", "", "٩٤٣٤٧٦٥٩١٩"])
def test_malformed_values_are_not_nhs_numbers(bad: str) -> None:
    assert not is_valid_nhs_number(bad)


def test_nhs_check_digit_rejects_wrong_length() -> None:
    with pytest.raises(ValueError):
        nhs_check_digit("12345")


def test_random_ten_digit_number_failing_check_is_not_reported() -> None:
    assert not is_valid_nhs_number("1234567890")
    assert find_identifiers("Reference 1234567890 and 123 456 7890") == []


def test_ten_digit_number_failing_check_can_still_be_a_phone_number() -> None:
    assert not is_valid_nhs_number("0139212346")
    assert [(f.kind, f.text) for f in find_identifiers("ring 0139212346")] == [
        ("phone", "0139212346")
    ]


def test_chi_number_needs_a_real_date() -> None:
    assert is_valid_chi_number("1203571232")
    # Each passes the mod-11 check but its first six digits are not a date.
    for number in ("3203571234", "1213571235", "3002571237", "2902571232"):
        assert is_valid_nhs_number(number)
        assert not is_valid_chi_number(number)
        assert find_identifiers(f"CHI {number}")[0].kind == "nhs_number"
    assert is_valid_chi_number("2902561237")  # 29 February 1956 (a leap year)


def test_chi_or_nhs_is_chosen_by_context() -> None:
    number = "1203571232"
    assert is_valid_nhs_number(number) and is_valid_chi_number(number)
    assert find_identifiers(f"CHI {number}")[0].kind == "chi_number"
    assert find_identifiers(f"NHS {number}")[0].kind == "nhs_number"
    assert find_identifiers(f"The number {number} again")[0].kind == "nhs_number"
    assert find_identifiers(f"NHS no. then CHI {number}")[0].kind == "chi_number"


def test_valid_number_after_phone_word_is_still_removed() -> None:
    text = "tel 0123456789"
    assert is_valid_nhs_number("0123456789")
    findings = find_identifiers(text)
    assert [(f.kind, f.text) for f in findings] == [("phone", "0123456789")]
    assert "0123456789" not in anonymise(text, findings)


# ---------------------------------------------------------------------------------------------
# Suggestions, messages and anonymise
# ---------------------------------------------------------------------------------------------


def test_finding_is_frozen_and_has_message() -> None:
    finding = find_identifiers("NHS number 943 476 5919")[0]
    assert finding.message == "Looks like an NHS number (valid check digit)."
    assert finding.suggestion == "[NHS number removed]"
    with pytest.raises(FrozenInstanceError):
        finding.kind = "name"  # type: ignore[misc]


def test_every_kind_has_a_one_sentence_message() -> None:
    for case in POSITIVES:
        for finding in find_identifiers(case["text"]):
            assert finding.message.endswith(".")
            assert finding.message.count(". ") == 0
            assert finding.suggestion
            assert finding.kind in KINDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 67-year-old was admitted.", "The patient in their 60s was admitted."),
        ("I saw a 67 year old man.", "I saw a patient in their 60s."),
        ("An 84-year-old lady fell.", "A patient in their 80s fell."),
        ("She was aged 67 at the time.", "She was in their 60s at the time."),
        ("A 4-year-old boy had croup.", "A patient under 10 had croup."),
        ("The 15 yo was scared.", "The patient in their teens was scared."),
        ("aged 93", "aged 90 or over"),
        ("We saw a 3-month-old in ED.", "We saw an infant in ED."),
        ("an 18-month-old toddler", "a young child"),
        ("Mrs Jones was seen.", "Mrs X was seen."),
        ("Mr. John Smith", "Mr. X"),
        ("Dr Patel agreed.", "Dr X agreed."),
        ("DOB 12/03/1957.", "DOB [date of birth removed]."),
        ("Lives at EX2 5DW.", "Lives at [postcode removed]."),
        ("MRN: A1234567", "MRN: [hospital number removed]"),
        ("Tel 07700 900123.", "Tel [phone number removed]."),
        ("Email j.bloggs@nhs.net now", "Email [e-mail address removed] now"),
        ("At 12 High Street.", "At [address removed]."),
        ("CHI 1203571232", "CHI [CHI number removed]"),
    ],
)
def test_anonymise_uses_suggestions(text: str, expected: str) -> None:
    assert anonymise(text, find_identifiers(text)) == expected


def test_anonymise_full_reflection() -> None:
    text = (
        "Mrs Jones, a 67-year-old woman (NHS 943 476 5919, DOB 12/03/1957), lives at "
        "12 High Street, Exeter EX2 5DW. Her daughter (07700 900123, jo@example.com) "
        "was worried. Hospital number K1234567. I gave amoxicillin 500 mg and bleeped 1234."
    )
    findings = find_identifiers(text)
    assert [f.kind for f in findings] == [
        "name",
        "age",
        "nhs_number",
        "date_of_birth",
        "address",
        "postcode",
        "phone",
        "email",
        "hospital_number",
    ]
    assert anonymise(text, findings) == (
        "Mrs X, a patient in their 60s (NHS [NHS number removed], DOB [date of birth removed]), "
        "lives at [address removed], Exeter [postcode removed]. Her daughter "
        "([phone number removed], [e-mail address removed]) was worried. Hospital number "
        "[hospital number removed]. I gave amoxicillin 500 mg and bleeped 1234."
    )


def test_anonymise_applies_findings_in_any_order() -> None:
    text = "Mrs Jones, NHS 943 476 5919, EX2 5DW"
    findings = find_identifiers(text)
    assert anonymise(text, list(reversed(findings))) == anonymise(text, findings)


def test_anonymise_with_no_findings_returns_text() -> None:
    assert anonymise("Nothing here.", []) == "Nothing here."


def test_anonymise_rejects_stale_or_overlapping_findings() -> None:
    text = "NHS number 943 476 5919"
    finding = find_identifiers(text)[0]
    with pytest.raises(ValueError):
        anonymise("NHS number 943 476 5918", [finding])
    other = Finding("name", finding.start, finding.start + 3, "943", "X", "m")
    with pytest.raises(ValueError):
        anonymise(text, [finding, other])


# ---------------------------------------------------------------------------------------------
# Overlaps and specificity
# ---------------------------------------------------------------------------------------------


def _assert_sorted_non_overlapping(text: str, findings: list[Finding]) -> None:
    previous_end = 0
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end
        previous_end = f.end


def test_nhs_number_beats_hospital_number_context() -> None:
    findings = find_identifiers("Hospital number 9434765919")
    assert [(f.kind, f.text) for f in findings] == [("nhs_number", "9434765919")]


def test_hospital_context_beats_phone_pattern() -> None:
    findings = find_identifiers("MRN 01392123466")
    assert [(f.kind, f.text) for f in findings] == [("hospital_number", "01392123466")]


def test_email_beats_the_digits_inside_it() -> None:
    text = "j.smith07700900123@example.com"
    findings = find_identifiers(text)
    assert [(f.kind, f.text) for f in findings] == [("email", text)]


def test_dense_text_findings_are_sorted_and_non_overlapping() -> None:
    text = " ".join(p["text"] for p in POSITIVES)
    findings = find_identifiers(text)
    _assert_sorted_non_overlapping(text, findings)
    assert len(findings) == len(POSITIVES)


@pytest.mark.parametrize(
    "text",
    [
        "Mr A was reviewed.",  # already anonymised
        "Dr X agreed with the plan.",
        "FY1 1st week",
        "aged 65 and over",
        "over-65-year-olds",
        "B12 2ug",
        "MR 50 mg",
    ],
)
def test_quiet_edge_cases(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize("label", ["D.O.B", "D. O.B", "D.O. B", "D. O. B.", "d. o.b"])
def test_date_of_birth_is_found_however_its_label_is_spaced(label: str) -> None:
    text = f"Seen today, {label} 12/03/1941, with chest pain."
    found = [f for f in find_identifiers(text) if f.kind == "date_of_birth"]
    assert [f.text for f in found] == ["12/03/1941"]


def test_second_capitalised_word_of_next_clause_is_not_part_of_the_name() -> None:
    findings = find_identifiers("I saw Mr Smith Then we talked.")
    assert [f.text for f in findings] == ["Mr Smith"]


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_FRAGMENTS = [
    VALID_NHS,
    "943 476 5919",
    "943-476-5919",
    "1203571232",
    "120357 1232",
    "1000000060",
    " ",
    "-",
    "0",
    "9",
    "NHS ",
    "CHI ",
    "tel ",
    "Mr ",
    "Mrs Jones ",
    "aged 67 ",
    "67-year-old ",
    "DOB 12/03/1957",
    "EX2 5DW",
    "12 High Street",
    "07700 900123",
    "a@b.co",
    "MRN ",
    "K1234567",
    "bleep 1234",
]
_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=4)), max_size=25).map("".join),
)
# Independent of the detector's own regular expressions: every 3-3-4 or 10-digit run.
_ANY_NHS_SHAPE = re.compile(r"(?<![0-9])(?=([0-9]{3}([ -]?)[0-9]{3}\2[0-9]{4})(?![0-9]))")


def _contains_valid_nhs_number(text: str) -> bool:
    return any(is_valid_nhs_number(m.group(1)) for m in _ANY_NHS_SHAPE.finditer(text))


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(_TEXTS)
def test_find_identifiers_spans_are_valid_for_any_text(text: str) -> None:
    findings = find_identifiers(text)
    _assert_sorted_non_overlapping(text, findings)
    assert all(f.kind in KINDS for f in findings)


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(_TEXTS)
def test_anonymised_text_contains_no_valid_nhs_number(text: str) -> None:
    assert not _contains_valid_nhs_number(anonymise(text, find_identifiers(text)))


def test_property_helper_sees_what_it_should() -> None:
    assert _contains_valid_nhs_number("x 943 476 5919 y")
    assert not _contains_valid_nhs_number("x 943 476 5918 y")


@pytest.mark.parametrize("condition", ["Still disease", "Stills disease", "Still's disease"])
def test_a_rare_condition_is_found_whether_or_not_its_optional_letter_is_written(
    condition: str,
) -> None:
    """A condition is looked for only where its first word is: "Stills? disease" starts with
    "still", so "Still disease" alone in a text is found (it was missed unless "stills" was
    also somewhere in the text)."""
    text = f"A patient from Harrogate with {condition} was seen."
    assert [(f.kind, f.text) for f in find_identifiers(text)] == [
        ("rare_combination", f"Harrogate with {condition}")
    ]
