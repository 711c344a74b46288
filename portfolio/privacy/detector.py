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

from portfolio.privacy.ages import scan_ages
from portfolio.privacy.context import scan_beds_and_wards, scan_rare_combinations
from portfolio.privacy.finding import KINDS, NAME_FIELDS, SOFT_KINDS, Finding, make_finding
from portfolio.privacy.lexicon import NOT_NAMES, words
from portfolio.privacy.names import scan_names
from portfolio.privacy.passes import NUMBERS, Anchored, forget
from portfolio.privacy.passes import lowered as lowered_text

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

# Higher wins when two candidate spans overlap ("prefer the more specific finding").
_PRIORITY: dict[str, int] = {
    "nhs_number": 100,
    "chi_number": 100,
    "ni_number": 95,
    "email": 90,
    "date_of_birth": 85,
    "event_date": 84,
    "hospital_number": 80,
    "phone": 70,
    "postcode": 60,
    "address": 50,
    "bed_and_ward": 45,
    "name": 40,
    "age": 30,
    "rare_combination": 20,
}


_finding = make_finding


# --------------------------------------------------------------------------------------------
# NHS / CHI numbers
# --------------------------------------------------------------------------------------------

# Patterns start with a character class or literal, not a look-behind, so that the regex engine
# can skip quickly to candidate positions; the boundary check follows the first character.
_NHS_RE = NUMBERS.compile(
    r"([0-9](?<![0-9]{2})[0-9]{2})(?P<sep>[ -]?)([0-9]{3})(?P=sep)([0-9]{4})(?![0-9])"
)
# CHI numbers are often written as the date of birth then four digits: "120357 1232".
_CHI_SPLIT_RE = NUMBERS.compile(r"([0-9](?<![0-9]{2})[0-9]{5})[ -]([0-9]{4})(?![0-9])")
_NHS_CHI_CONTEXT_RE = re.compile(
    r"\b(CHI|NHS|tel|telephone|phone|mobile|mob|landline|ring|rang|call|called)\b", re.IGNORECASE
)
_CONTEXT_WINDOW = 40
# Split 4-3-3 ("4010 232 137"): only reported when "NHS" is the nearest context word.
_NHS_433_RE = NUMBERS.compile(
    r"[0-9](?<![0-9]{2})[0-9]{3}(?P<sep>[ -])[0-9]{3}(?P=sep)[0-9]{3}(?![0-9])"
)


def _nearest_context(text: str, start: int) -> str | None:
    contexts = _NHS_CHI_CONTEXT_RE.findall(text[max(0, start - _CONTEXT_WINDOW) : start])
    return contexts[-1].upper() if contexts else None


def _scan_nhs_chi(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_NHS_RE, text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if not is_valid_nhs_number(digits):
            continue
        kind = "nhs_number"
        nearest = _nearest_context(text, m.start()) or "NHS"
        if nearest == "CHI" and is_valid_chi_number(digits):
            kind = "chi_number"
        elif nearest not in ("CHI", "NHS") and digits.startswith("0"):
            kind = "phone"  # "tel 0123456789" happens to pass the check: still remove it
        yield _finding(kind, text, m.start(), m.end())
    for m in NUMBERS.finditer(_NHS_433_RE, text):
        digits = m.group(0).replace(" ", "").replace("-", "")
        if is_valid_nhs_number(digits) and _nearest_context(text, m.start()) == "NHS":
            yield _finding("nhs_number", text, m.start(), m.end())
    for m in NUMBERS.finditer(_CHI_SPLIT_RE, text):
        if is_valid_chi_number(m.group(1) + m.group(2)):
            yield _finding("chi_number", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Hospital / record numbers
# --------------------------------------------------------------------------------------------

_HOSPITAL_RE = Anchored(
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
          | (?<=r)(?:TH|BA)
        )
        [ \t-]*(?:number|num\.?|no\.?|\#|id|identifier)
      | (?<=m)RN | (?<=p)ID
      | (?<=r)TH
    )
    # "number, RBA1234567," "(K123456)", "MRN: 123-456-789", "number was H4567812"
    (?:[ \t]*(?:[:\#=(,]|-(?![0-9])|\bis\b|\bwas\b|\bPID\b))*[ \t]*
    (?P<id>(?:[A-Z]{1,3}[0-9]?[ \t-]?)?[0-9]{2,}(?:[ -][0-9]{2,}){0,3}[A-Z]?)
    (?![\w/.]\w|\w)
    """,
    re.IGNORECASE | re.VERBOSE,
    starts=(
        "hosp",
        "medical",
        "record",
        "case",
        "unit",
        "pas",
        "patient",
        "k",
        "rth",
        "rba",
        "mrn",
        "pid",
    ),
    caseless=True,
)
# Numbers with a Trust's code in front identify themselves without a context word
# ("RTH1234567", "RBA 7654321", "RH5 123456"): NHS Trust codes start with R.
_PREFIXED_HOSPITAL_RE = re.compile(r"R(?<![\w/]R)[A-Z][A-Z0-9][ \t]?[0-9]{6,8}(?!\w)")


def _scan_hospital(text: str) -> Iterator[Finding]:
    for m in _HOSPITAL_RE.finditer(text):
        digits = sum(ch in _ASCII_DIGITS for ch in m.group("id"))
        if 5 <= digits <= 12:
            yield _finding("hospital_number", text, m.start("id"), m.end("id"))
    for m in _PREFIXED_HOSPITAL_RE.finditer(text):
        yield _finding("hospital_number", text, m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Dates of birth, admission, discharge and death
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
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

# A calendar date; the named groups are checked by _date_is_plausible.
_DATE = rf"""
    (?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}})
  | (?P<nd>[0-9]{{1,2}})(?P<sep>[/.-])(?P<nm>[0-9]{{1,2}})(?P=sep)(?P<ny>[0-9]{{4}}|[0-9]{{2}})
  | (?:{_WEEKDAY},?[ \t]+(?:the[ \t]+)?)?
    (?P<td>[0-9]{{1,2}})(?:st|nd|rd|th)?[ \t-]+(?:of[ \t]+)?(?P<tm>{_MONTH_ALT})\.?
    (?:,?[ \t-]+(?P<ty>[0-9]{{4}}|'[0-9]{{2}}|’[0-9]{{2}}|[0-9]{{2}}(?![0-9:.])))?
  | (?:{_WEEKDAY},?[ \t]+)?(?P<um>{_MONTH_ALT})\.?[ \t]+(?P<ud>[0-9]{{1,2}})(?:st|nd|rd|th)?
    (?:,?[ \t]+(?P<uy>[0-9]{{4}}))?
"""
# Born in a month, a season or a year ("born in March 1941", "the spring of 1947", "1938").
_BIRTH_PERIOD = rf"""
    (?P<my>(?:{_MONTH_ALT})\.?,?[ \t]+(?:of[ \t]+)?(?:19|20)[0-9]{{2}})
  | (?P<season>(?:spring|summer|autumn|fall|winter)[ \t]+of[ \t]+(?:19|20)[0-9]{{2}})
  | (?P<yy>(?:18|19|20)[0-9]{{2}})
"""
_DATE_END = r"(?![\w/.-][0-9]|\w)"

_DOB_RE = Anchored(
    rf"""
    # First letter as a plain class (fast scanning), then the word boundary, then the rest.
    [DdBb](?<!\w[DdBb])
    (?:
        (?<=d)(?:\.[ \t]?O\.[ \t]?B\.?|OB\b|ate[ \t]+of[ \t]+birth\b)
      | (?<=b)(?:orn(?:[ \t]+(?:on|in))?\b|\.(?=[ \t]*[0-9])|irthday(?:[ \t]+(?:is|was))?\b)
    )
    [ \t]*(?:[:=(,-]|\bis\b|\bwas\b|\bof\b|\bas\b)?[ \t]*(?:[:(][ \t]*)?(?:the[ \t]+)?
    (?P<date>{_DATE}|{_BIRTH_PERIOD})
    {_DATE_END}
    """,
    re.IGNORECASE | re.VERBOSE,
    starts=("d.", "dob", "date", "born", "b.", "birthday"),
    caseless=True,
)
_DOTTED_DOB = ("d.o.b", "d. o.b", "d.o. b", "d. o. b")
""""D.O.B" as _DOB_RE spells it: a space or none after each dot (its scanner's triggers)."""
_HOLIDAY = (
    r"(?:Christmas[ \t]+(?:Day|Eve)|Boxing[ \t]+Day|New[ \t]+Year(?:'s|’s)[ \t]+(?:Day|Eve)"
    r"|Easter[ \t]+(?:Sunday|Monday|Saturday|Day)|Good[ \t]+Friday)(?:[ \t]+[0-9]{4})?"
)
_EVENT_RE = Anchored(
    rf"""
    # First letter as a plain class (fast scanning), then the word boundary, then the rest.
    [DdPpAaRrCcBb](?<!\w[DdPpAaRrCcBb])
    (?i:
        (?<=d)(?:ied|ies|eath|eceased|OD|\.O\.D\.?|OA|\.O\.A\.?|ischarged?|/C)
      | (?<=p)(?:assed[ \t]+away|ronounced[ \t]+dead)
      | (?<=a)dmi(?:tted|ssion)
      | (?<=r)e-?admitted
      | (?<=c)ame[ \t]+in
      | (?<=b)rought[ \t]+in
    )
    \b(?P<gap>[^.!?\n]{{0,30}}?)
    (?P<date>(?i:{_DATE})|{_HOLIDAY})
    {_DATE_END}
    """,
    re.VERBOSE,
    starts=(
        "died",
        "dies",
        "death",
        "deceased",
        "dod",
        "d.o.d",
        "doa",
        "d.o.a",
        "discharge",
        "d/c",
        "passed",
        "pronounced",
        "admi",
        "readmitted",
        "re-admitted",
        "came",
        "brought",
    ),
    caseless=True,
)


def _date_is_plausible(m: re.Match[str]) -> bool:
    if m.group("iy"):
        return _valid_day_month(int(m.group("id")), int(m.group("im")), int(m.group("iy")))
    if m.group("nd"):
        day, month, year = int(m.group("nd")), int(m.group("nm")), int(m.group("ny"))
        # UK order first, but accept a US-style date rather than miss one.
        return _valid_day_month(day, month, year) or _valid_day_month(month, day, year)
    if m.group("td"):
        month = _MONTHS[m.group("tm").lower()]
        written = m.group("ty")
        return _valid_day_month(
            int(m.group("td")), month, int(written.lstrip("'’")) if written else None
        )
    if m.group("um"):
        month = _MONTHS[m.group("um").lower()]
        written = m.group("uy")
        return _valid_day_month(int(m.group("ud")), month, int(written) if written else None)
    return True  # a holiday, a month or a year of birth


def _scan_dob(text: str) -> Iterator[Finding]:
    for m in _DOB_RE.finditer(text):
        if _date_is_plausible(m):
            yield _finding("date_of_birth", text, m.start("date"), m.end("date"))


def _scan_event_dates(text: str) -> Iterator[Finding]:
    for m in _EVENT_RE.finditer(text):
        if _date_is_plausible(m):
            yield _finding("event_date", text, m.start("date"), m.end("date"))


# --------------------------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------------------------

# Digits first (fast scanning); the two letters before them are checked against HMRC's rules:
# neither is D, F, I, Q, U or V, the second is not O, and BG, GB, KN, NK, NT, TN, ZZ are unused.
_NI_RE = NUMBERS.compile(
    r"[0-9](?<![0-9]{2})[0-9][ \t]?[0-9]{2}[ \t]?[0-9]{2}[ \t]?(?P<suffix>[A-Da-d])(?!\w)"
)
_NI_PREFIX_RE = re.compile(r"(?<![\w])(?P<prefix>[A-Za-z]{2})[ \t]?\Z")
_NI_FIRST = frozenset("ABCEGHJKLMNOPRSTWXYZ")
_NI_SECOND = frozenset("ABCEGHJKLMNPRSTWXYZ")
_NI_UNUSED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def _scan_ni_numbers(text: str) -> Iterator[Finding]:
    for m in NUMBERS.finditer(_NI_RE, text):
        before = _NI_PREFIX_RE.search(text, max(0, m.start() - 3), m.start())
        if before is None:
            continue
        prefix, suffix = before.group("prefix"), m.group("suffix")
        letters = prefix + suffix
        if not (letters.isupper() or letters.islower()):
            continue
        prefix = prefix.upper()
        if prefix[0] in _NI_FIRST and prefix[1] in _NI_SECOND and prefix not in _NI_UNUSED:
            yield _finding("ni_number", text, before.start(), m.end())


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
_ORDINAL_TAIL_RE = re.compile(r"(?:1st|2nd|3rd|[0-9]th)$")


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
    "Gate|Meadow|Meadows|Fields|Wharf|Quay|Yard|Cottages|Paddock|Paddocks|Orchard|Villas"
)
# Street words that are not also everyday lower-case words ("14 elm grove", "36 blackbrook way").
_LOWER_STREET_WORDS = (
    "road|street|lane|avenue|close|drive|way|crescent|terrace|gardens|grove|mews|cottages|rise|"
    "walk|place"
)
_HOUSE_WORDS = (
    "Cottage|House|Farm|Farmhouse|Barn|Lodge|Manor|Rectory|Vicarage|Granary|Mill|Grange|View|"
    "Bungalow|Croft|Oast|Hall|Chapel"
)
_CAP_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?"
# What follows the first digit of a house number.
_NUMBERED = rf"""
    [0-9]{{0,3}}[A-Za-z]?(?:-[0-9]{{1,4}})?,?[ \t]+
    (?:
        (?:(?:{_CAP_WORD}|The)[ \t]+){{1,3}}(?:{_STREET_WORDS})
      | The[ \t]+{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?
      | (?:the[ \t]+)?(?P<lower>(?:[a-z'’]+[ \t]+){{0,2}})(?:{_LOWER_STREET_WORDS})
    )
    (?![\w-])
"""
# A house number first (a digit: fast scanning), or "Flat 2, …" (its first letter).
_ADDRESS_RE = NUMBERS.compile(rf"[0-9](?<![\w/.,:-][0-9]){_NUMBERED}", re.VERBOSE)
_FLAT_ADDRESS_RE = Anchored(
    rf"""
    [FAU](?<!\w[FAU])(?:(?<=F)lat|(?<=A)partment|(?<=A)pt|(?<=U)nit)[ \t]+[0-9]{{1,4}}[A-Za-z]?,?[ \t]+
    (?:[0-9]{_NUMBERED}|(?:{_CAP_WORD}[ \t]+){{1,3}}(?:{_STREET_WORDS}|{_HOUSE_WORDS})(?![\w-]))
    """,
    re.VERBOSE,
    starts=("Flat", "Apartment", "Apt", "Unit"),
    caseless=False,
)
# A house name with its village or postcode ("Rose Cottage, Bishops Lydeard", "Oak House, TA1
# …"): found by its house word, then the words before it and the place after it.
_HOUSE_RE = re.compile(rf"(?:{_HOUSE_WORDS})(?![\w-])")
_HOUSE_NAME_BEFORE_RE = re.compile(
    rf"(?:(?<![\w])[Tt]he[ \t]+(?:{_CAP_WORD}[ \t]+){{0,2}}|(?<![\w'’-])(?:{_CAP_WORD}[ \t]+){{1,2}})\Z"
)
_HOUSE_PLACE_AFTER_RE = re.compile(
    rf"[ \t]*,[ \t]*(?:(?P<postcode>[A-Z][A-Z]?[0-9])|{_CAP_WORD}(?:[ \t]+(?:St\.?|{_CAP_WORD})){{0,2}}(?![\w-]))"
)
# Lower-case words between a number and "road" that show it is not an address ("2 units").
_NOT_STREET_NAMES = words(
    "the a an of on in at to and or for with by from patients people days weeks times units "
    "beds cases staff nurses doctors minutes hours more less other new same one"
)


_NOT_ADDRESS_AFTER_RE = re.compile(
    r"[ \t]+(?:hearings?|cases?|proceedings|orders?|sessions?|inquests?|meetings?|visits?|"
    r"appearances?|rotations?|placements?|shifts?)\b"
)


def _scan_addresses(text: str) -> Iterator[Finding]:
    for m in (*NUMBERS.finditer(_ADDRESS_RE, text), *_FLAT_ADDRESS_RE.finditer(text)):
        lower = m.group("lower")
        if lower is not None and (not lower or _NOT_STREET_NAMES.intersection(lower.split())):
            continue
        if _NOT_ADDRESS_AFTER_RE.match(text, m.end()):
            continue  # "2 Coroners Court hearings"
        yield _finding("address", text, m.start(), m.end())
    for m in _HOUSE_RE.finditer(text):
        name = _HOUSE_NAME_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
        place = _HOUSE_PLACE_AFTER_RE.match(text, m.end())
        if name is None or place is None or place.group(0).split(",")[-1].split()[0] in NOT_NAMES:
            continue
        end = m.end() if place.group("postcode") else place.end()
        yield _finding("address", text, name.start(), end)


# --------------------------------------------------------------------------------------------
# Phone numbers and e-mail addresses
# --------------------------------------------------------------------------------------------

_PHONE_RE = NUMBERS.compile(
    r"""
    (?<![\w+/.-])
    (?:
        (?:\+|00[ \t]?)44[ \t]?(?:\(0\)[ \t]?)?[0-9]{2,4}
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
    for m in NUMBERS.finditer(_PHONE_RE, text):
        raw = m.group(0)
        digits = "".join(ch for ch in raw.replace("(0)", "") if ch in _ASCII_DIGITS)
        if raw.startswith(("+", "00")):
            national = digits[2:] if raw.startswith("+") else digits[4:]
            ok = len(national) in (9, 10) and national[0] in "1235789"
        else:
            ok = len(digits) in (10, 11) and digits[1] in "1235789"
        if ok:
            yield _finding("phone", text, m.start(), m.end())


# The domain from the "@" (a literal first: fast scanning), then the local part before it.
_EMAIL_DOMAIN_RE = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_EMAIL_LOCAL_RE = re.compile(r"(?<![\w.+%-])[A-Za-z0-9._%+-]+\Z")


def _scan_emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL_DOMAIN_RE.finditer(text):
        local = _EMAIL_LOCAL_RE.search(text, max(0, m.start() - 64), m.start())
        if local is not None:
            yield _finding("email", text, local.start(), m.end())


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

_Scanner = Callable[[str], Iterable[Finding]]

_EVENT_TRIGGERS = (
    "died",
    "dies",
    "passed",
    "death",
    "deceased",
    "dod",
    "d.o.d",
    "admi",
    "doa",
    "d.o.a",
    "discharg",
    "d/c",
    "pronounced",
    "came in",
    "brought in",
)

# Each scanner runs only if one of its trigger strings occurs in the text (a cheap C-speed
# substring test that skips most regular expressions on most reflections). Triggers are
# matched against the lower-cased text unless the flag says case matters. ``None``: always run.
_SCANNERS: tuple[tuple[_Scanner, tuple[str, ...] | None, bool], ...] = (
    (_scan_nhs_chi, None, False),
    (_scan_emails, ("@",), False),
    (_scan_dob, ("dob", *_DOTTED_DOB, "birth", "born", "b."), False),
    (_scan_event_dates, _EVENT_TRIGGERS, False),
    (
        _scan_hospital,
        ("hosp", "mrn", "record", "note", "unit", "pas", "patient", "k", "rth", "rba", "pid"),
        False,
    ),
    (_scan_ni_numbers, None, False),
    (_scan_phones, None, False),
    (_scan_postcodes, None, False),
    (_scan_addresses, None, False),
    (scan_names, None, False),
    (scan_ages, None, False),
    (scan_beds_and_wards, ("bed", "bay", "room", "cubicle", "trolley"), False),
    (scan_rare_combinations, None, False),
)


def _candidates(text: str) -> list[Finding]:
    lowered = lowered_text(text)
    candidates: list[Finding] = []
    for scan, triggers, case_sensitive in _SCANNERS:
        haystack = text if case_sensitive else lowered
        if triggers is not None and not any(t in haystack for t in triggers):
            continue
        candidates.extend(f for f in scan(text) if f.end > f.start)
    return candidates


def find_identifiers(text: str) -> list[Finding]:
    """Return probable patient identifiers in ``text``, sorted by start and non-overlapping.

    When candidate spans overlap, the more specific kind wins (checksum-validated numbers,
    then e-mail addresses, dates of birth, hospital numbers, phone numbers, postcodes,
    addresses, names, ages); ties go to the longer span, then the earlier one.
    """
    try:
        candidates = _candidates(text)
    finally:
        forget()
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
