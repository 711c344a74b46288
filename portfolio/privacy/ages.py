"""Exact ages: "a 67-year-old", "aged 67", "93M", "Age: 74", "a ninety-three-year-old",
"a 9/12 old", "a man of 82", "just turned 100", "her 90th birthday", "Mr Dennis Yeo, 67, …".
Each is replaced by an age band. Ages of populations ("aged 65 and over") are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio.privacy.finding import Finding, make_finding
from portfolio.privacy.lexicon import gazetteer, words
from portfolio.privacy.passes import NUMBERS, Anchored
from portfolio.privacy.passes import lowered as lowered_text

_finding = make_finding


_PERSON_NOUNS = (
    "man|woman|male|female|gentleman|gent|lady|patient|boy|girl|child|person|teenager|"
    "adolescent|baby|infant|toddler"
)
_AGE_YEARS_RE = NUMBERS.compile(
    rf"""
    (?P<n>[0-9](?<![\w.,/-][0-9])[0-9]{{0,2}})
    (?i:
        (?:
            [ \t-]?(?:years?|yrs?)[ \t-]old(?!\w)
          | [ \t]?(?:yo|y/o|y\.o\.?)(?![\w/])
          | yrs?(?![\w/])(?![ \t]+ago)
        )
        (?:[ \t]+(?P<noun>{_PERSON_NOUNS})(?!\w))?
    )
    """,
    re.VERBOSE,
)
_AGE_YOUNG_RE = NUMBERS.compile(
    rf"""
    (?P<n>[0-9](?<![\w.,/-][0-9])[0-9]?)
    (?i:
        [ \t-](?P<unit>day|week|month)s?[ \t-]old(?!\w)
        (?:[ \t]+(?P<noun>{_PERSON_NOUNS}|neonate|newborn)(?!\w))?
    )
    """,
    re.VERBOSE,
)
# The article in front of an age ("a 67-year-old", "An 84-year-old") is part of the finding.
_ARTICLE_BEFORE_RE = re.compile(r"(?<!\w)(an?)[ \t]+\Z", re.IGNORECASE)
_AGED_RE = Anchored(
    r"a(?<!\wa)ged[ \t]+(?P<n>[0-9]{1,3})(?:[ \t]*(?:years?|yrs?|y)(?:[ \t]+old)?)?(?![\w.,/][0-9]|\w)",
    re.IGNORECASE,
    starts=("aged",),
    caseless=True,
)
# "aged 65 and over", "aged 18-25", "aged 16 to 18": a population, not a patient.
_AGE_RANGE_TAIL_RE = re.compile(
    r"[ \t]*(?:\+|[-–][ \t]*[0-9]|to[ \t]+[0-9]"
    r"|(?:and|or)[ \t]+(?:over|above|older|under|below|younger|more|less)\b)",
    re.IGNORECASE,
)


def _age_band(age: int) -> str:
    if age < 10:
        return "under 10"
    if age < 20:
        return "in their teens"
    if age >= 90:
        return "aged 90 or over"
    return f"in their {age // 10 * 10}s"


def _with_article(article: str | None, phrase: str) -> str:
    if article is None:
        return phrase
    word = "an" if phrase[0] in "aeiou" else "a"
    if article[0].isupper():
        word = word.capitalize()
    return f"{word} {phrase}"


def _article_before(text: str, start: int) -> tuple[str | None, int]:
    m = _ARTICLE_BEFORE_RE.search(text, max(0, start - 8), start)
    return (m.group(1), m.start()) if m else (None, start)


def _scan_ages_in_years(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_AGE_YEARS_RE, text):
        age = int(m.group("n"))
        if age > 120:
            continue
        article, start = _article_before(text, m.start())
        suggestion = _with_article(article, f"patient {_age_band(age)}")
        yield _finding("age", text, start, m.end(), suggestion)


def _scan_young_ages(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_AGE_YOUNG_RE, text):
        months = int(m.group("n")) if m.group("unit").lower() == "month" else 0
        phrase = "young child" if months >= 12 else "infant"
        article, start = _article_before(text, m.start())
        yield _finding("age", text, start, m.end(), _with_article(article, phrase))


def _scan_aged(text: str) -> Iterator[Finding]:
    for m in _AGED_RE.finditer(text):
        age = int(m.group("n"))
        if age > 120 or _AGE_RANGE_TAIL_RE.match(text, m.end()):
            continue
        yield _finding("age", text, m.start(), m.end(), _age_band(age))


def _scan_shorthand(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_SHORTHAND_RE, text):
        age = int(m.group("n"))
        if not 1 <= age <= 120 or _SHORTHAND_NOT_AGE_RE.match(text, m.end()):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if not (_SHORTHAND_START_RE.search(before) or _SHORTHAND_FOLLOW_RE.match(text, m.end())):
            continue
        sex = m.group("sex")
        yield _finding("age", text, m.start(), m.end(), f"{_age_band(age)} {sex}")


def _scan_age_label(text: str) -> Iterator[Finding]:
    for m in _AGE_LABEL_RE.finditer(text):
        age = int(m.group("n"))
        before = text[max(0, m.start() - 10) : m.start()].lower()
        if age > 120 or before.rstrip().endswith(("mean", "median", "average", "of")):
            continue
        if _AGE_RANGE_TAIL_RE.match(text, m.end()):
            continue
        yield _finding("age", text, m.start(), m.end(), f"Age: {_age_band(age)}")


def _word_numbers(text: str, lowered: str) -> Iterator[re.Match[str]]:
    """Numbers written as words ("ninety-three"), found by a substring search for each tens
    word (much faster than one alternation tried at every letter)."""
    for tens in _NUMBER_WORDS:
        at = lowered.find(tens)
        while at >= 0:
            m = _WORD_AGE_RE.match(text, at)
            if m is not None:
                yield m
            at = lowered.find(tens, at + len(tens))


def _scan_age_phrases(text: str, lowered: str) -> Iterator[Finding]:
    for m in _word_numbers(text, lowered):
        age = _word_number(m.group("w"))
        if age is None:
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        after = text[m.end() : m.end() + 30]
        year_old = _YEAR_OLD_RE.match(after)
        article = _ARTICLE_BEFORE_RE.search(before)
        if year_old and article:
            start = m.start() - (len(before) - article.start())
            yield _finding("age", text, start, m.end() + year_old.end(), _age_band(age))
        elif _VERB_BEFORE_RE.search(before) and not _NOT_AGE_AFTER_WORD_RE.match(after):
            yield _finding("age", text, m.start(), m.end(), _age_band(age))
    for m in _OF_AGE_RE.finditer(text):
        person = _PERSON_OF_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
        if person is not None:
            _, start = _article_before(text, person.start())
            yield _finding("age", text, start, m.end(), _age_band(int(m.group("n"))))
    if "turned" in lowered:
        for m in _TURNED_RE.finditer(text):
            n = m.group("n")
            age = int(n) if n.isdigit() else _word_number(n)
            if age is not None and age <= 120:
                just = _JUST_BEFORE_RE.search(text, max(0, m.start() - 8), m.start())
                start = just.start() if just else m.start()
                yield _finding("age", text, start, m.end(), _age_band(age))
    if "birthday" in lowered or "celebrat" in lowered or " year" in lowered:
        for m in NUMBERS.finditer(_ORDINAL_AGE_RE, text):
            words = _ORDINAL_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
            if words is None:
                continue
            age, tail = int(m.group("n")), m.group("tail")
            wanted = (
                tail == "birthday"
                or (tail == "year" and words.group("in"))
                or words.group("celebrated")
            )
            if wanted and age <= 120:
                yield _finding("age", text, words.start(), m.end(), _age_band(age))


def _scan_fractions(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_FRACTION_RE, text):
        article, start = _article_before(text, m.start())
        yield _finding("age", text, start, m.end(), _with_article(article, "infant"))


def _scan_bare_ages(text: str) -> Iterator[Finding]:
    names = gazetteer()
    for m in _BARE_AGE_RE.finditer(text):
        group = "n" if m.group("n") is not None else "was_n"
        before = text[max(0, m.start() - 30) : m.start()].split()
        if not before:
            continue
        who = before[-1]
        if group == "n":
            person = who in _PERSON_WORDS or (
                who[0].isupper()
                and not who.isupper()
                and who.isalpha()
                and who not in _NOT_AGE_SUBJECTS
            )
        else:
            apposition = who.endswith(",")
            who = who.rstrip(",")
            person = (
                who.lower() in ("he", "she")
                or who in names.forenames
                or (
                    apposition
                    and who[:1].isupper()
                    and who.isalpha()
                    and who not in _NOT_AGE_SUBJECTS
                )
            )
        age = int(m.group(group))
        if person and 1 <= age <= 120:
            yield _finding("age", text, m.start(group), m.end(group), _age_band(age))


def scan_ages(text: str) -> Iterator[Finding]:
    yield from _scan_ages_in_years(text)
    lowered = lowered_text(text)
    if "old" in lowered:
        yield from _scan_young_ages(text)
        yield from _scan_fractions(text)
    if "aged" in lowered:
        yield from _scan_aged(text)
    if "age" in lowered:
        yield from _scan_age_label(text)
    yield from _scan_shorthand(text)
    yield from _scan_age_phrases(text, lowered)
    yield from _scan_bare_ages(text)


# -- patterns of the newer scanners -----------------------------------------------------------

# Handover shorthand: "93M bed 4", "Post-take: 87F", "76 F confused".
_SHORTHAND_RE = NUMBERS.compile(
    r"(?P<n>[0-9](?<![\w.,/:+-][0-9])[0-9]{0,2})[ ]?(?P<sex>[MF])(?![\w/+'’-])"
)
_SHORTHAND_NOT_AGE_RE = re.compile(
    r"[ \t]*(?i:catheter|foley|ch\b|gauge|cannula|tube|drain|ng\b|fr\b|french)"
)
_SHORTHAND_START_RE = re.compile(r"(?:\A|[.!?:;\n(]|\s[-–—])[ \t]*\Z")
_SHORTHAND_FOLLOW_RE = re.compile(
    r"[ \t]*(?:[,;(?]|[.](?![0-9])|$|(?:with|bed|in|on|who|presenting|admitted|fall|from)\b)"
)
_AGE_LABEL_RE = Anchored(
    r"[Aa](?<!\w[Aa])ge[ \t]*[:=]?[ \t]*(?P<n>[0-9]{1,3})(?![0-9]|[.,/%-][0-9]|[ \t]*%)",
    starts=("age",),
    caseless=True,
)
_NUMBER_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|(?:one|a)[ \t]+hundred)"
)


def _word_number(words: str) -> int | None:
    words = words.lower().replace("-", " ")
    if words.endswith("hundred"):
        return 100
    parts = words.split()
    total = _NUMBER_WORDS.get(parts[0])
    if total is None:
        return None
    return total + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)


_WORD_AGE_RE = re.compile(
    r"(?P<w>[TtFfSsEeNn](?<!\w[TtFfSsEeNn])(?i:(?<=t)(?:wenty|hirty)|(?<=f)(?:orty|ifty)"
    r"|(?<=s)(?:ixty|eventy)|(?<=e)ighty|(?<=n)inety)"
    r"(?:[- ](?i:one|two|three|four|five|six|seven|eight|nine))?)\b"
)
_YEAR_OLD_RE = re.compile(rf"[- ]years?[- ]old(?:[ \t]+(?:{_PERSON_NOUNS}))?\b", re.IGNORECASE)
_VERB_BEFORE_RE = re.compile(r"\b(?:was|is|aged)[ \t]+\Z")
_NOT_AGE_AFTER_WORD_RE = re.compile(
    r"[- ](?:years?[ \t]+ago|minutes|hours|days|weeks|months|times|per|percent|mg|units|"
    r"pounds|patients|people|beds|miles)\b",
    re.IGNORECASE,
)
_PERSON_OF_BEFORE_RE = re.compile(
    r"\b(?i:man|woman|lady|gentleman|gent|boy|girl|chap|fellow|widow|widower)[ \t]+\Z"
)
_OF_AGE_RE = Anchored(
    r"[Oo](?<!\w[Oo])f[ \t]+(?P<n>[0-9]{1,3})"
    r"(?![0-9]|[.,][0-9]|[ \t]*(?i:mg|kg|g\b|ml|%|years?[ \t]+ago))",
    starts=("of",),
    caseless=True,
)
_JUST_BEFORE_RE = re.compile(r"\b[Jj]ust[ \t]+\Z")
_TURNED_RE = re.compile(
    rf"t(?<!\wt)urned[ \t]+(?P<n>[0-9]{{1,3}}|(?i:{_WORD_NUMBER}))"
    r"(?![0-9]|[ \t]*(?:degrees|°|%|minutes|times))"
)
# "her 90th birthday", "celebrated her 80th", "a man in his 82nd year": digits first (fast
# scanning), then the words around them.
_ORDINAL_AGE_RE = NUMBERS.compile(
    r"(?P<n>[0-9](?<![\w.,/-][0-9])[0-9]{0,2})(?:st|nd|rd|th)"
    r"(?:[ \t]+(?P<tail>birthday|year(?![ \t]+of))\b)?"
)
_ORDINAL_BEFORE_RE = re.compile(
    r"(?:(?P<in>(?:\b[Aa]n?[ \t]+(?i:man|woman|lady|gentleman|boy|girl)[ \t]+)?\bin[ \t]+)"
    r"|(?P<celebrated>\b[Cc]elebrated[ \t]+))?\b(?i:his|her|their)[ \t]+\Z"
)
# "a 9/12 old" (months), "6/52 old" (weeks).
_FRACTION_RE = NUMBERS.compile(r"(?P<n>[0-9](?<![\w.,/-][0-9])[0-9]?)/(?:12|52)[ \t]+(?i:old)\b")
# A bare age after a name or a person: "Mr Dennis Yeo, 67, in bed 15", "The girl, 14, had",
# "Ivy, was 94 and dying", "she was 94 and".
_BARE_AGE_RE = Anchored(
    r"""
    ,[ \t]*(?P<n>[0-9]{1,3})
    (?=[ \t]*,|[ \t]*[.](?![0-9])|[ \t]+(?:was|is|had|has|presented|in|on|from|with|who|admitted|attended|came)\b)
  | [wi](?<!\w[wi])(?:(?<=w)as|(?<=i)s)[ \t]+(?P<was_n>[0-9]{1,3})
    (?=[ \t]+(?:and|now|when|but)\b|[ \t]*[,;]|[ \t]*[.](?![0-9]))
    """,
    re.VERBOSE,
    starts=(",", "was", "is"),
    caseless=False,
)
_PERSON_WORDS = words(
    "man woman lady gentleman gent boy girl child patient teenager baby son daughter"
)
_NOT_AGE_SUBJECTS = words(
    "The A An It This That There Ward Bed Bay Room Score Scale Level Day Week Month Year Page "
    "Table Figure Step Stage Grade Type Part Section Item Question Patient Patients"
)
