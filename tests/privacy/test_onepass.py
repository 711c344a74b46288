"""The detector's one pass over numbers (portfolio/privacy/onepass.py): each member finds what
its own ``finditer`` finds, match for match and group for group, on every corpus text and on
random text made of what numbers are written with."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import portfolio.privacy  # noqa: F401  (imports every scanner, so every member is compiled)
from portfolio.privacy.onepass import NUMBERS, OnePass
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
