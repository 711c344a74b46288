"""How the scanners pass over a text cheaply: the lower-cased text and its distinct words,
made once per check; the regular expressions that start on a number, found in one pass; and
those that start with one of a few words, found where those words are.

A pass over 5,000 words costs the regex engine about as much as the matching itself, so the
scanners' patterns that start on a number share one: a combined expression stops at each
candidate start and tries every member there in a look-ahead (inside a one-character
look-behind, so that its leading character class lets the engine skip quickly). What a member
finds is then exactly what its own ``finditer`` would: the same leftmost, non-overlapping
matches, each the member's own :class:`re.Match` with its groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_BACKREFERENCE_RE = re.compile(r"\(\?P=(\w+)\)")
_NUMBERED_BACKREFERENCE_RE = re.compile(r"\\[1-9]")


def _uncaptured(source: str) -> str:
    """``source`` with every capturing group made non-capturing (character classes and
    escapes left as they are)."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # "[]…]" and "[^]…]": a "]" first is a member, not the end of the class.
            lead = 2 if source.startswith("^", i + 1) else 1
            if source.startswith("]", i + lead):
                lead += 1
            out.append(source[i : i + lead])
            i += lead
            continue
        elif source.startswith("(?P<", i):
            out.append("(?:")
            i = source.index(">", i) + 1
            continue
        elif ch == "(" and not source.startswith("(?", i):
            out.append("(?:")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _loosened(pattern: re.Pattern[str]) -> str:
    """The source of ``pattern`` without captures, as a scoped group with its flags; a back
    reference becomes its group's own expression, so it matches wherever the pattern does
    (and perhaps elsewhere: each start is checked with the pattern itself)."""
    source = pattern.pattern
    if _NUMBERED_BACKREFERENCE_RE.search(source):
        raise ValueError(f"name the group a numbered back reference refers to: {source!r}")
    for name in _BACKREFERENCE_RE.findall(source):
        group = re.search(rf"\(\?P<{name}>([^()]*)\)", source)
        if group is None:
            raise ValueError(f"group {name!r} must hold no parentheses: {source!r}")
        source = source.replace(f"(?P={name})", f"(?:{group.group(1)})")
    flags = "".join(
        f for f, flag in (("i", re.IGNORECASE), ("x", re.VERBOSE)) if pattern.flags & flag
    )
    # A verbose pattern may end in a comment: the new line closes it.
    return f"(?{flags}:{_uncaptured(source)}{chr(10) if 'x' in flags else ''})"


class OnePass:
    """Patterns whose matches all start on a character of ``first`` where ``guard`` (a
    zero-width assertion) holds, found together in one pass over a text."""

    def __init__(self, first: str, guard: str) -> None:
        self._first, self._guard = first, guard
        self._patterns: dict[re.Pattern[str], int] = {}
        self._loose: list[str] = []
        self._combined: re.Pattern[str] | None = None
        self._starts = lru_cache(maxsize=8)(self._find_starts)

    def compile(self, source: str, flags: int = 0) -> re.Pattern[str]:
        """``re.compile(source, flags)``, made a member: every match of it must start on
        ``first`` where ``guard`` holds (tests/privacy/test_passes.py checks each)."""
        if self._combined is not None:
            raise RuntimeError("the pass is already in use: compile its members at import")
        pattern = re.compile(source, flags)
        self._loose.append(_loosened(pattern))
        self._patterns[pattern] = len(self._patterns)
        return pattern

    @property
    def members(self) -> tuple[re.Pattern[str], ...]:
        return tuple(self._patterns)

    def _compiled(self) -> re.Pattern[str]:
        if self._combined is None:
            tries = "".join(f"(?:(?=(?P<_{i}>{loose}))|)" for i, loose in enumerate(self._loose))
            found = "(?!)"  # at least one member matched here, or no match at all
            for i in reversed(range(len(self._patterns))):
                found = f"(?(_{i})|{found})"
            first = self._first
            self._combined = re.compile(f"{first}(?<={self._guard}{tries}{first}){found}")
        return self._combined

    def _find_starts(self, text: str) -> tuple[tuple[int, ...], ...]:
        starts: list[list[int]] = [[] for _ in self._patterns]
        for m in self._compiled().finditer(text):
            for i, member_starts in enumerate(starts, 1):
                if m.start(i) >= 0:
                    member_starts.append(m.start())
        return tuple(map(tuple, starts))

    def forget(self) -> None:
        self._starts.cache_clear()

    def finditer(self, pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
        """What ``pattern.finditer(text)`` yields, ``pattern`` being a member."""
        end = 0
        for start in self._starts(text)[self._patterns[pattern]]:
            if start >= end:
                m = pattern.match(text, start)
                if m is not None:
                    yield m
                    end = m.end()


class Anchored:
    """A pattern whose every match starts with one of a few words (``starts``, lower-case and
    looked for in the lower-cased text when ``caseless``), tried only where they occur: the
    regex engine's own search would stop at every letter its pattern may start with."""

    def __init__(
        self, source: str, flags: int = 0, *, starts: tuple[str, ...], caseless: bool
    ) -> None:
        self.pattern = re.compile(source, flags)
        self.words, self._caseless = starts, caseless

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``self.pattern.finditer(text)`` yields."""
        if self._caseless and any(ch in text for ch in _FOLDED_TO_ASCII):
            yield from self.pattern.finditer(text)  # the lower-cased text would not line up
            return
        haystack = lowered(text) if self._caseless else text
        starts: set[int] = set()
        for word in self.words:
            at = haystack.find(word)
            while at >= 0:
                starts.add(at)
                at = haystack.find(word, at + 1)
        end = 0
        for start in sorted(starts):
            if start >= end:
                m = self.pattern.match(text, start)
                if m is not None:
                    yield m
                    end = m.end()


# What IGNORECASE matches to an ASCII letter besides ASCII letters (İ also lower-cases to two
# characters): in a text without them, the lower-cased text lines up with it letter for letter.
_FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    return text.lower()


@lru_cache(maxsize=8)
def distinct_words(text: str) -> str:
    """The distinct words of the lower-cased text (split at white space), one a line: a word
    without white space is in the text exactly when it is in these, which are shorter."""
    return "\n".join(set(lowered(text).split()))


NUMBERS = OnePass(first="[0-9+(]", guard="(?<![0-9])")
"""Numbers: NHS, CHI and NI numbers, phone numbers, house numbers and ages."""


def forget() -> None:
    """Drop what was kept of the texts scanned: each check of a text does all its work (a
    text checked again, as a benchmark does, is not found in a cache)."""
    lowered.cache_clear()
    distinct_words.cache_clear()
    NUMBERS.forget()
