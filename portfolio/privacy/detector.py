"""Detect patient-identifiable data in free text (reflections, notes, QI write-ups).

The detector is deliberately conservative: it looks for *direct* identifiers (NHS and CHI
numbers, hospital numbers, dates of birth, postcodes, addresses, phone numbers, e-mail
addresses, names after titles and exact ages) and stays quiet on ordinary clinical text such as
drug doses, scores, lab values, bleep numbers and course dates.

It is guidance for the trainee, not a guarantee of anonymity: see ``docs/privacy.md``.

Everything here is pure Python with precompiled regular expressions; no I/O, no Qt.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "Finding",
    "anonymise",
    "find_identifiers",
    "is_valid_chi_number",
    "is_valid_nhs_number",
    "nhs_check_digit",
]

KINDS: tuple[str, ...] = (
    "nhs_number",
    "chi_number",
    "hospital_number",
    "date_of_birth",
    "postcode",
    "address",
    "phone",
    "email",
    "name",
    "age",
)


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


# --------------------------------------------------------------------------------------------
# Check digits
# --------------------------------------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus-11 check digit for nine digits, or ``None`` if no valid one exists.

    Weights 10, 9, …, 2; check = 11 − (sum mod 11); 11 becomes 0; 10 means the number is
    invalid (``None``).
    """
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("expected exactly nine ASCII digits")
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    """True when ``value`` (spaces and dashes allowed) is a 10-digit number with a valid check.

    Numbers made of one repeated digit (``0000000000``, ``1111111111``…) pass the arithmetic
    but are never issued, so they are treated as invalid.
    """
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    if len(set(digits)) == 1:
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_day_month(day: int, month: int, year: int | None = None) -> bool:
    if not 1 <= month <= 12 or day < 1 or day > _DAYS_IN_MONTH[month - 1]:
        return False
    if month == 2 and day == 29 and year is not None:
        # Two-digit years: 00 is 2000 (a leap year), so "divisible by 4" is right either way.
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0 or year < 100)
    return True


def is_valid_chi_number(value: str) -> bool:
    """True for a CHI number: DDMMYY (a real date), two digits, sex digit, mod-11 check digit."""
    digits = value.replace(" ", "").replace("-", "")
    if not is_valid_nhs_number(digits):
        return False
    return _valid_day_month(int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))


# --------------------------------------------------------------------------------------------
# Messages, suggestions and priorities
# --------------------------------------------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "nhs_number": "Looks like an NHS number (valid check digit).",
    "chi_number": "Looks like a CHI number (valid date and check digit).",
    "hospital_number": "Looks like a hospital or medical record number.",
    "date_of_birth": "Looks like a date of birth.",
    "postcode": "Looks like a UK postcode.",
    "address": "Looks like a street address.",
    "phone": "Looks like a UK phone number.",
    "email": "Looks like an e-mail address.",
    "name": "Looks like a name; even a colleague's name can identify whose care this was.",
    "age": "An exact age can help identify a patient; an age range is safer.",
}

_FIXED_SUGGESTIONS: dict[str, str] = {
    "nhs_number": "[NHS number removed]",
    "chi_number": "[CHI number removed]",
    "hospital_number": "[hospital number removed]",
    "date_of_birth": "[date of birth removed]",
    "postcode": "[postcode removed]",
    "address": "[address removed]",
    "phone": "[phone number removed]",
    "email": "[e-mail address removed]",
}

# Higher wins when two candidate spans overlap ("prefer the more specific finding").
_PRIORITY: dict[str, int] = {
    "nhs_number": 100,
    "chi_number": 100,
    "email": 90,
    "date_of_birth": 85,
    "hospital_number": 80,
    "phone": 70,
    "postcode": 60,
    "address": 50,
    "name": 40,
    "age": 30,
}


def _finding(kind: str, text: str, start: int, end: int, suggestion: str | None = None) -> Finding:
    return Finding(
        kind=kind,
        start=start,
        end=end,
        text=text[start:end],
        suggestion=suggestion if suggestion is not None else _FIXED_SUGGESTIONS[kind],
        message=_MESSAGES[kind],
    )


# --------------------------------------------------------------------------------------------
# NHS / CHI numbers
# --------------------------------------------------------------------------------------------

# Patterns start with a character class or literal, not a look-behind, so that the regex engine
# can skip quickly to candidate positions; the boundary check follows the first character.
_NHS_RE = re.compile(r"([0-9](?<![0-9]{2})[0-9]{2})([ -]?)([0-9]{3})\2([0-9]{4})(?![0-9])")
# CHI numbers are often written as the date of birth then four digits: "120357 1232".
_CHI_SPLIT_RE = re.compile(r"([0-9](?<![0-9]{2})[0-9]{5})[ -]([0-9]{4})(?![0-9])")
_NHS_CHI_CONTEXT_RE = re.compile(
    r"\b(CHI|NHS|tel|telephone|phone|mobile|mob|landline|ring|rang|call|called)\b", re.IGNORECASE
)
_CONTEXT_WINDOW = 40


def _scan_nhs_chi(text: str) -> Iterator[Finding]:
    for m in _NHS_RE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if not is_valid_nhs_number(digits):
            continue
        kind = "nhs_number"
        window = text[max(0, m.start() - _CONTEXT_WINDOW) : m.start()]
        contexts = _NHS_CHI_CONTEXT_RE.findall(window)
        nearest = contexts[-1].upper() if contexts else "NHS"
        if nearest == "CHI" and is_valid_chi_number(digits):
            kind = "chi_number"
        elif nearest not in ("CHI", "NHS") and digits.startswith("0"):
            kind = "phone"  # "tel 0123456789" happens to pass the check: still remove it
        yield _finding(kind, text, m.start(), m.end())
    for m in _CHI_SPLIT_RE.finditer(text):
        if is_valid_chi_number(m.group(1) + m.group(2)):
            yield _finding("chi_number", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Hospital / record numbers
# --------------------------------------------------------------------------------------------

_HOSPITAL_RE = re.compile(
    r"""
    # First letter as a plain class (fast scanning), then the word boundary, then the rest.
    [HhMmRrCcUuPpKk](?<!\w[HhMmRrCcUuPpKk])
    (?:
        (?:
            (?<=h)(?:ospital|osp\.?)
          | (?<=m)edical[ \t]+record
          | (?<=r)ecord
          | (?<=c)ase[ \t-]?notes?
          | (?<=u)nit
          | (?<=p)(?:AS|atient)
          | (?<=k)
        )
        [ \t-]*(?:number|num\.?|no\.?|\#|id|identifier)
      | (?<=m)RN
      | (?<=r)TH(?:[ \t]*(?:number|no\.?))?
    )
    [ \t]*(?:[:\#=]|-(?![0-9])|\bis\b|\bwas\b)?[ \t]*
    (?P<id>(?:[A-Z]{1,3}[ \t-]?)?[0-9]{5,12}[A-Z]?)
    (?![\w/.]\w|\w)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Trust-prefixed numbers that identify themselves without a context word, e.g. "RTH1234567".
_PREFIXED_HOSPITAL_RE = re.compile(r"RTH(?<![\w/]RTH)[ \t]?[0-9]{6,8}(?!\w)")


def _scan_hospital(text: str) -> Iterator[Finding]:
    for m in _HOSPITAL_RE.finditer(text):
        yield _finding("hospital_number", text, m.start("id"), m.end("id"))
    for m in _PREFIXED_HOSPITAL_RE.finditer(text):
        yield _finding("hospital_number", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DOB_RE = re.compile(
    rf"""
    # First letter as a plain class (fast scanning), then the word boundary, then the rest.
    [DdBb](?<!\w[DdBb])
    (?:
        (?<=d)(?:\.[ \t]?O\.[ \t]?B\.?|OB\b|ate[ \t]+of[ \t]+birth\b)
      | (?<=b)orn(?:[ \t]+on)?\b
    )
    [ \t]*(?:[:=-]|\bis\b|\bwas\b|\bof\b)?[ \t]*(?:the[ \t]+)?
    (?P<date>
        (?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}})
      | (?P<nd>[0-9]{{1,2}})(?P<sep>[/.-])(?P<nm>[0-9]{{1,2}})(?P=sep)(?P<ny>[0-9]{{4}}|[0-9]{{2}})
      | (?P<td>[0-9]{{1,2}})(?:st|nd|rd|th)?[ \t-]+(?:of[ \t]+)?(?P<tm>{_MONTH_ALT})\.?,?[ \t-]+
        (?P<ty>[0-9]{{4}}|[0-9]{{2}})
      | (?P<um>{_MONTH_ALT})\.?[ \t]+(?P<ud>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?P<uy>[0-9]{{4}})
    )
    (?![\w/.-][0-9]|\w)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _dob_is_plausible(m: re.Match[str]) -> bool:
    if m.group("iy"):
        return _valid_day_month(int(m.group("id")), int(m.group("im")), int(m.group("iy")))
    if m.group("nd"):
        day, month, year = int(m.group("nd")), int(m.group("nm")), int(m.group("ny"))
        # UK order first, but accept a US-style date rather than miss a date of birth.
        return _valid_day_month(day, month, year) or _valid_day_month(month, day, year)
    if m.group("td"):
        month = _MONTHS[m.group("tm").lower()]
        return _valid_day_month(int(m.group("td")), month, int(m.group("ty")))
    month = _MONTHS[m.group("um").lower()]
    return _valid_day_month(int(m.group("ud")), month, int(m.group("uy")))


def _scan_dob(text: str) -> Iterator[Finding]:
    for m in _DOB_RE.finditer(text):
        if _dob_is_plausible(m):
            yield _finding("date_of_birth", text, m.start("date"), m.end("date"))


# --------------------------------------------------------------------------------------------
# Postcodes and addresses
# --------------------------------------------------------------------------------------------

_POSTCODE_RE = re.compile(
    r"""
    (?<![A-Za-z0-9])
    (?:
        GIR[ ]?0AA
      | (?:[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?))
        [ ]{0,2}
        [0-9][ABD-HJLNP-UW-Z]{2}
    )
    (?![A-Za-z0-9])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ORDINAL_TAIL_RE = re.compile(r"(?:1st|2nd|3rd|[0-9]th)$", re.IGNORECASE)


# Inward codes that are really units after a number: "B12 2ug", "T4 9pg".
_UNIT_TAILS = frozenset({"ug", "ng", "pg", "dl", "hr"})


def _postcode_case_ok(candidate: str) -> bool:
    """Postcodes are written in one case; "FY2 2nd" or "B12 2Ug" mix them."""
    letters = "".join(ch for ch in candidate if ch.isalpha())
    return letters.isupper() or letters.islower()


def _scan_postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE_RE.finditer(text):
        candidate = m.group(0)
        # "FY1 1st", "ST3 2nd": a grade followed by an ordinal, not a postcode.
        if _ORDINAL_TAIL_RE.search(candidate) or not _postcode_case_ok(candidate):
            continue
        if candidate[-2:].lower() in _UNIT_TAILS:
            continue
        yield _finding("postcode", text, m.start(), m.end())


_STREET_WORDS = (
    "Road|Rd|Street|St|Lane|Avenue|Ave|Close|Drive|Way|Crescent|Terrace|Gardens|Place|"
    "Court|Hill|Grove|Park|Row|Square|Mews|Walk|Rise|Parade|Green|View|Vale|Boulevard|"
    "Gate|Meadow|Meadows|Fields|Wharf|Quay|Yard"
)
_ADDRESS_RE = re.compile(
    rf"""
    (?<![\w/.,:-])
    [0-9]{{1,4}}[A-Za-z]?,?
    [ \t]+
    (?:(?:[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?|The)[ \t]+){{1,3}}
    (?:{_STREET_WORDS})
    (?![\w-])
    """,
    re.VERBOSE,
)


def _scan_addresses(text: str) -> Iterator[Finding]:
    for m in _ADDRESS_RE.finditer(text):
        yield _finding("address", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Phone numbers and e-mail addresses
# --------------------------------------------------------------------------------------------

_PHONE_RE = re.compile(
    r"""
    (?<![\w+/.-])
    (?:
        \+44[ \t]?(?:\(0\)[ \t]?)?[0-9]{2,4}
      | \(0[0-9]{2,4}\)
      | 0[0-9]{2,4}
    )
    [ \t-]?[0-9]{3,4}[ \t-]?[0-9]{3,4}
    (?![\w/]|[.,-][0-9])
    """,
    re.VERBOSE,
)


_ASCII_DIGITS = frozenset("0123456789")


def _scan_phones(text: str) -> Iterator[Finding]:
    for m in _PHONE_RE.finditer(text):
        raw = m.group(0)
        digits = "".join(ch for ch in raw.replace("(0)", "") if ch in _ASCII_DIGITS)
        if raw.startswith("+"):
            national = digits[2:]
            ok = len(national) in (9, 10) and national[0] in "1235789"
        else:
            ok = len(digits) in (10, 11) and digits[1] in "1235789"
        if ok:
            yield _finding("phone", text, m.start(), m.end())


_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)


def _scan_emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL_RE.finditer(text):
        yield _finding("email", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Names after titles
# --------------------------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:['’-][A-Z][a-z]+)*"
_NAME_RE = re.compile(
    rf"""
    (?<![\w])
    (?P<title>Mrs|Mr|Ms|Miss|Mx|Dr|Prof)(?P<dot>\.)?
    [ \t]+
    (?P<initial>[A-Z]\.?[ \t]+)?
    (?P<first>{_NAME_WORD})
    (?:[ \t]+(?P<second>{_NAME_WORD}))?
    (?![\w])
    """,
    re.VERBOSE,
)
# Capitalised words that follow a name at the start of the next clause, not part of it.
_NOT_NAMES_WORDS = """
    A An And As At But By For From He Her His I If In Is It On Or She So The Then They This
    To Was We Were When Who With After Before During Today Yesterday Tomorrow Later Also
    Afterwards Overall Unfortunately However Although Because While Whilst Despite My Our Their
    Your Its Of Not No Yes Please Thanks Thank
"""
_NOT_NAMES = frozenset(_NOT_NAMES_WORDS.split())


def _scan_names(text: str) -> Iterator[Finding]:
    for m in _NAME_RE.finditer(text):
        first, second = m.group("first"), m.group("second")
        if first in _NOT_NAMES:
            continue
        end = m.end()
        if second is not None and second in _NOT_NAMES:
            end = m.end("first")
            second = None
        if len(first) < 2 and second is None:
            continue  # "Mr A" is already anonymised
        title = m.group("title") + (m.group("dot") or "")
        yield _finding("name", text, m.start(), end, f"{title} X")


# --------------------------------------------------------------------------------------------
# Exact ages
# --------------------------------------------------------------------------------------------

_PERSON_NOUNS = (
    "man|woman|male|female|gentleman|gent|lady|patient|boy|girl|child|person|teenager|"
    "adolescent|baby|infant|toddler"
)
_AGE_YEARS_RE = re.compile(
    rf"""
    (?P<n>[0-9](?<![\w.,/-][0-9])[0-9]{{0,2}})
    (?i:
        (?:
            [ \t-]?(?:years?|yrs?)[ \t-]old(?!\w)
          | [ \t]?(?:yo|y/o|y\.o\.?)(?![\w/])
        )
        (?:[ \t]+(?P<noun>{_PERSON_NOUNS})(?!\w))?
    )
    """,
    re.VERBOSE,
)
_AGE_YOUNG_RE = re.compile(
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
_AGED_RE = re.compile(
    r"\baged[ \t]+(?P<n>[0-9]{1,3})(?:[ \t]*(?:years?|yrs?|y)(?:[ \t]+old)?)?(?![\w.,/][0-9]|\w)",
    re.IGNORECASE,
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
    for m in _AGE_YEARS_RE.finditer(text):
        age = int(m.group("n"))
        if age > 120:
            continue
        article, start = _article_before(text, m.start())
        suggestion = _with_article(article, f"patient {_age_band(age)}")
        yield _finding("age", text, start, m.end(), suggestion)


def _scan_young_ages(text: str) -> Iterator[Finding]:
    for m in _AGE_YOUNG_RE.finditer(text):
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


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

_Scanner = Callable[[str], Iterable[Finding]]

# Each scanner runs only if one of its trigger strings occurs in the text (a cheap C-speed
# substring test that skips most regular expressions on most reflections). Triggers are
# matched against the lower-cased text unless the flag says case matters. ``None``: always run.
_SCANNERS: tuple[tuple[_Scanner, tuple[str, ...] | None, bool], ...] = (
    (_scan_nhs_chi, None, False),
    (_scan_emails, ("@",), False),
    (_scan_dob, ("dob", "d.o.b", "d. o. b", "birth", "born"), False),
    (
        _scan_hospital,
        ("hosp", "mrn", "record", "note", "unit", "pas", "patient", "k", "rth"),
        False,
    ),
    (_scan_phones, None, False),
    (_scan_postcodes, None, False),
    (_scan_addresses, tuple(_STREET_WORDS.split("|")), True),
    (_scan_names, ("Mr", "Ms", "Mx", "Dr", "Miss", "Prof"), True),
    (_scan_ages_in_years, None, False),
    (_scan_young_ages, ("old",), False),
    (_scan_aged, ("aged",), False),
)


def find_identifiers(text: str) -> list[Finding]:
    """Return probable patient identifiers in ``text``, sorted by start and non-overlapping.

    When candidate spans overlap, the more specific kind wins (checksum-validated numbers,
    then e-mail addresses, dates of birth, hospital numbers, phone numbers, postcodes,
    addresses, names, ages); ties go to the longer span, then the earlier one.
    """
    lowered = text.lower()
    candidates: list[Finding] = []
    for scan, triggers, case_sensitive in _SCANNERS:
        haystack = text if case_sensitive else lowered
        if triggers is not None and not any(t in haystack for t in triggers):
            continue
        candidates.extend(f for f in scan(text) if f.end > f.start)
    candidates.sort(key=lambda f: (-_PRIORITY[f.kind], -(f.end - f.start), f.start))
    starts: list[int] = []
    chosen: list[Finding] = []  # kept sorted by start
    for cand in candidates:
        i = bisect.bisect_left(starts, cand.start)
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen


def anonymise(text: str, findings: Sequence[Finding]) -> str:
    """Replace each finding in ``text`` by its suggestion.

    Findings must come from this very text (``text[f.start:f.end] == f.text``) and must not
    overlap; otherwise ``ValueError`` is raised rather than corrupting edited text.
    Replacements are applied from the end so earlier offsets stay valid.
    """
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    previous_end = 0
    for f in ordered:
        if not 0 <= f.start <= f.end <= len(text) or text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.text!r} at {f.start}-{f.end} does not match the text")
        if f.start < previous_end:
            raise ValueError("findings overlap")
        previous_end = f.end
    result = text
    for f in reversed(ordered):
        result = result[: f.start] + f.suggestion + result[f.end :]
    return result
