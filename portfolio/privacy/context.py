"""Details that point to one patient only together: a bed with its ward ("bed 12 on Kingfisher
ward"), and a rare condition with a small place ("a man from Watchet with Fabry disease"). A
ward alone, a bed alone, a rare condition alone or a city are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from portfolio.privacy.finding import Finding, make_finding
from portfolio.privacy.lexicon import LARGE_PLACES, NOT_NAMES, RARE_CONDITIONS
from portfolio.privacy.passes import Anchored, distinct_words

_CAP = r"[A-Z][a-z'’]+"
# A place in a ward: "bed 12", "bay B", "side room 3", "cubicle 9" (first letter as a plain
# class for fast scanning, then the word boundary).
_SPOT = (
    r"[BbSsCcTt](?<!\w[BbSsCcTt])(?i:(?<=b)ed|(?<=b)ay|(?<=s)ide[ \t]+room|(?<=c)ubicle|"
    r"(?<=t)rolley)[ \t]+(?:[0-9]{1,3}[A-Za-z]?|[A-H])\b"
)
_JOIN = r"(?:[ \t]*,[ \t]*|[ \t]+)(?:(?:on|in|of|at)[ \t]+)?(?:the[ \t]+)?"
_SPOTS_RE = Anchored(
    rf"{_SPOT}(?:{_JOIN}{_SPOT})*",
    starts=("bed", "bay", "side", "cubicle", "trolley"),
    caseless=True,
)
# The ward after the spots ("… on Kingfisher ward", "… of Ward 22", "… on Fern", "… in Resus").
_WARD_AFTER_RE = re.compile(
    rf"""{_JOIN}(?P<ward>(?i:ward)[ \t]+[0-9]{{1,2}}[A-Za-z]?\b|(?:{_CAP}[ \t]+){{1,2}}(?i:ward|unit)\b
    |(?i:resus|majors|minors)\b|{_CAP}\b(?![ \t]+(?:ward|unit)))""",
    re.VERBOSE,
)
# Or before them ("Ward 10 bed 5", "Robin ward, bed 17", "Kingfisher bed 12").
_WARD_BEFORE_RE = re.compile(
    rf"(?P<ward>(?i:ward)[ \t]+[0-9]{{1,2}}[A-Za-z]?|(?:{_CAP}[ \t]+){{1,2}}(?i:ward)|{_CAP})"
    r"[ \t]*,?[ \t]*\Z"
)
# Capitalised words next to "bed 4" that are not a ward ("bed 4 on Monday", "Side room 4").
_NOT_WARDS = (NOT_NAMES | {"Side", "Single", "Double", "Isolation", "Each", "Every"}) - {
    "AMU",
    "MAU",
    "SAU",
    "CCU",
    "HDU",
    "ITU",
    "ICU",
    "Resus",
    "Majors",
}


def _is_ward(ward: str) -> bool:
    return ward.lower().startswith("ward") or ward.split()[0] not in _NOT_WARDS


def scan_beds_and_wards(text: str) -> Iterator[Finding]:
    for m in _SPOTS_RE.finditer(text):
        after = _WARD_AFTER_RE.match(text, m.end())
        if after is not None and _is_ward(after.group("ward")):
            yield make_finding("bed_and_ward", text, m.start(), after.end())
            continue
        before = _WARD_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
        if before is not None and _is_ward(before.group("ward")):
            yield make_finding("bed_and_ward", text, before.start(), m.end())


def _top_level_alternatives(pattern: str) -> tuple[str, ...]:
    parts, depth, current = [], 0, ""
    for ch in pattern:
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        current += ch
    return (*parts, current)


def _first_word(alternative: str) -> str:
    """The letters every match of ``alternative`` starts with, lower-cased: its first word,
    less a last letter the pattern makes optional ("Stills? disease" starts with "still")."""
    word = re.match(r"[^\W\d_]+", alternative).group(0)  # type: ignore[union-attr]
    if alternative[len(word) : len(word) + 1] == "?":
        word = word[:-1]
    return word.lower()


# Each condition with the word it starts with: a condition is looked for only in texts that
# hold that word (a fast substring test), so one long alternation is not tried everywhere.
_CONDITIONS = tuple(
    (_first_word(alternative), alternative)
    for alternative in _top_level_alternatives(RARE_CONDITIONS)
)


@lru_cache(maxsize=256)  # keyed by the conditions a text names: bounded, as texts vary without end
def _condition_re(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    r"""``(?<![\w-])(?:alternatives)\b``, its match captured as ``condition`` in a look-ahead
    behind the alternatives' first letters (a plain class the engine skips to)."""
    firsts = "".join(sorted({re.escape(a[0]) for a in alternatives}))
    return re.compile(
        rf"[{firsts}](?<=(?<![\w-])(?=(?P<condition>(?:{'|'.join(alternatives)})\b))[{firsts}])"
    )


def _conditions(text: str, alternatives: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    r"""Where ``(?<![\w-])(?:alternatives)\b`` matches in ``text``: its ``finditer``'s spans."""
    end = 0
    for m in _condition_re(alternatives).finditer(text):
        start, condition_end = m.span("condition")
        if start >= end:
            yield start, condition_end
            end = condition_end


_PLACE_RE = re.compile(
    r"\b(?:from|in|of|near|at)[ \t]+(?P<place>[A-Z][a-z'’]+(?:[ \t-]+(?:St|[A-Z][a-z'’]+)){0,2})"
)
_SENTENCE_RE = re.compile(r"[.!?\n]")
_WINDOW = 80


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _WINDOW)
    before = [m.end() for m in _SENTENCE_RE.finditer(text, lo, start)]
    after = _SENTENCE_RE.search(text, end, min(len(text), end + _WINDOW))
    return (before[-1] if before else lo), (
        after.start() if after else min(len(text), end + _WINDOW)
    )


def scan_rare_combinations(text: str) -> Iterator[Finding]:
    words = distinct_words(text)  # the words of _CONDITIONS hold no white space
    present = tuple(alternative for word, alternative in _CONDITIONS if word in words)
    if not present:
        return
    for condition_start, condition_end in _conditions(text, present):
        lo, hi = _sentence_bounds(text, condition_start, condition_end)
        for place in _PLACE_RE.finditer(text, lo, hi):
            name = place.group("place")
            if name.split()[0] in LARGE_PLACES or name.split()[0] in NOT_NAMES:
                continue
            start = min(place.start("place"), condition_start)
            end = max(place.end("place"), condition_end)
            span = text[start:end]
            offset = place.start("place") - start
            suggestion = span[:offset] + "[place removed]" + span[offset + len(name) :]
            yield make_finding("rare_combination", text, start, end, suggestion)
            break
