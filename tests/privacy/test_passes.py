"""How the detector passes over a text (portfolio/privacy/passes.py): each member of the one
pass over numbers, and each pattern anchored on its first words, finds what its own
``finditer`` finds, match for match and group for group, on every corpus text and on random
text made of what those patterns look for."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.privacy import ages, context, detector, names
from portfolio.privacy.lexicon import words
from portfolio.privacy.passes import NUMBERS, Anchored, OnePass
from tests.privacy.test_privacy_findings import TEXTS


def _matches(found: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in found]  # type: ignore[attr-defined]


MEMBERS = NUMBERS.members


def test_the_pass_holds_the_numbers_of_every_scanner() -> None:
    assert len(MEMBERS) == 11


@pytest.mark.parametrize("pattern", MEMBERS, ids=lambda p: p.pattern[:40])
def test_each_member_finds_what_its_own_finditer_finds_in_every_corpus_text(
    pattern: re.Pattern[str],
) -> None:
    for text in TEXTS.values():
        assert _matches(NUMBERS.finditer(pattern, text)) == _matches(pattern.finditer(text))


_NUMBERISH = st.lists(
    st.sampled_from(
        [
            *"0123456789012345678901234567890123456789 +-()/.,:'’\tMFmfyoaAB",
            *("44", " years old", " yr", "yo", "st", "nd", "th", " birthday", " Road"),
            *(" Elm ", " The", "/12 old", " week-old", "ABC", "\n", "é", "_"),
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_NUMBERISH)
def test_each_member_finds_what_its_own_finditer_finds_in_any_text(text: str) -> None:
    for pattern in MEMBERS:
        assert _matches(NUMBERS.finditer(pattern, text)) == _matches(pattern.finditer(text))


def test_a_pass_takes_no_member_once_in_use_nor_one_it_cannot_loosen() -> None:
    numbers = OnePass(first="[0-9]", guard="(?<![0-9])")
    with pytest.raises(ValueError, match="numbered back reference"):
        numbers.compile(r"([0-9])-\1")
    with pytest.raises(ValueError, match="no parentheses"):
        numbers.compile(r"(?P<pair>([0-9])[0-9])-(?P=pair)")
    pair = numbers.compile(r"(?P<d>[0-9])(?P<sep>[-/])[0-9](?P=sep)[0-9]")
    assert [m.group("d") for m in numbers.finditer(pair, "1-2-3 4-5/6 7/8/9")] == ["1", "7"]
    with pytest.raises(RuntimeError, match="already in use"):
        numbers.compile("[0-9]+")


ANCHORED = [
    value
    for module in (ages, context, detector, names)
    for value in vars(module).values()
    if isinstance(value, Anchored)
]


def test_the_anchored_patterns_are_those_of_the_scanners() -> None:
    assert len(ANCHORED) == 9


@pytest.mark.parametrize("anchored", ANCHORED, ids=lambda a: a.pattern.pattern[:40])
def test_each_anchored_pattern_finds_what_its_finditer_finds_in_every_corpus_text(
    anchored: Anchored,
) -> None:
    for text in TEXTS.values():
        assert _matches(anchored.finditer(text)) == _matches(anchored.pattern.finditer(text))


# What the anchored patterns start with, read from the patterns themselves (not from their
# words, so that a word missing from those is caught), and each pattern's own words.
_STARTS = sorted(
    {word for anchored in ANCHORED for word in anchored.words}
    | words(
        """died dies death deceased dod d.o.d doa d.o.a discharge discharged d/c passed
        pronounced admitted admission readmitted re-admitted came brought dob d.o.b d. date born
        b. birthday hospital hosp. medical record case unit pas patient k rth rba mrn pid flat
        apartment apt aged age of was is bed bay side cubicle trolley"""
    )
)
_BEFORE = ["", " ", "(", ",", "x", "é", "_", "\n", "\u0130", "\u017f", "\u212a"]
_VARIANTS = [*_STARTS, *(w.upper() for w in _STARTS), *(w.title() for w in _STARTS)]
_BETWEEN = ["", " ", ": ", " no ", " number ", " on ", " room ", " away on ", " in "]
_AFTER = ["12", "12.", "94 and", "3rd March 1941", "12/03/1941", "1234567", "4", "B", "", "x"]
_AFTER += ["2, 14 Elm Road", "3 Rose Cottage Lane"]
_PHRASE = st.tuples(
    st.sampled_from(_BEFORE),
    st.sampled_from(_VARIANTS),
    st.sampled_from(_BETWEEN),
    st.sampled_from(_AFTER),
    st.sampled_from(["", " ", ".", ",", " and ", "s", "\u0131"]),
).map("".join)


def test_each_anchored_pattern_finds_what_its_finditer_finds_after_every_start() -> None:
    """Every start word, in three cases, with what may follow it: a word missing from a
    pattern's own is caught here."""
    for word in _VARIANTS:
        texts = [f" {word}{between}{after}" for between in _BETWEEN for after in _AFTER]
        texts += [f"{before}{word} on 3rd March 1941" for before in _BEFORE]
        for text in texts:
            for anchored in ANCHORED:
                found = _matches(anchored.finditer(text))
                assert found == _matches(anchored.pattern.finditer(text)), text


_WORDY = st.lists(_PHRASE, max_size=6).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDY)
def test_each_anchored_pattern_finds_what_its_finditer_finds_in_any_text(text: str) -> None:
    for anchored in ANCHORED:
        assert _matches(anchored.finditer(text)) == _matches(anchored.pattern.finditer(text))
