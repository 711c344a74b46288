"""Names: after a title ("Mrs Zoë Smith", "Staff Nurse Kelly", "mrs jones", "MRS EVANS"), and
without one, from the shipped forename gazetteer and context cues: relation words ("her son
Darren"), speech verbs ("Ayesha told me"), possessives ("Bethany's mum"), verbs taking a person
("I sat with Doreen") and apposition ("Reg, a 70-year-old"). Eponyms and model names (Gibbs,
Parkinson's) and capitalised words that name a role, a place or an institution are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio.privacy.finding import Finding, make_finding
from portfolio.privacy.lexicon import (
    EPONYMS,
    INSTITUTION_WORDS,
    NOT_NAMES,
    RELATIONS,
    ROLES,
    SPEECH_VERBS,
    gazetteer,
    words,
)

# A word of a name: letters (any script), apostrophes and hyphens inside ("O'Neill", "Smith-Jones").
_WORD = r"[^\W\d_](?:\w|['’](?=\w)(?!s\b)|-(?=[^\W\d_]))*"
_PARTICLES = (
    "van|von|der|den|de|del|della|di|da|du|dos|das|le|la|ap|ab|Ní|Nic|Mac|Mc|Ó|Ua|St|St\\.|bin|"
    "ibn|al|el|ten|ter|Van|Von|De|Del|Della|Di|Da|Du|Le|La|Al|El"
)
_NAME_RUN = (
    rf"(?:(?:{_PARTICLES})[ \t]+)*{_WORD}(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+)*{_WORD}){{0,2}}"
)

_TITLES = (
    *sorted(
        words(
            """Mrs Mr Ms Miss Mx Master Dr Prof Professor Sir Dame Lady Lord Revd Rev Fr Father
            Sister Sr Nurse Matron Nana Nanna Nanny Nan Granny Gran Grandma Grandmother Grandad
            Granddad Grandpa Grandfather Auntie Aunty Aunt Uncle MRS MR MS MISS DR"""
        )
    ),
    "Staff[ \t]+Nurse",
    "Charge[ \t]+Nurse",
    "Student[ \t]+Nurse",
    "Baby(?:[ \t]+(?:boy|girl))?",
    "Mr[ \t]+(?:and|&)[ \t]+Mrs",
    "Dr[ \t]+(?:and|&)[ \t]+Mrs",
)
_TITLE_WORDS = frozenset(t for t in _TITLES if t.isalpha()) | words("Staff Charge Student Baby")
# Titles that are also written in lower case before a name ("mrs jones", "mr patel's wife").
_CASELESS_TITLES = words("mrs mr ms miss")


def _first_letter_first(alternatives: tuple[str, ...]) -> str:
    """``("Mrs", "Dr")`` as ``[DM](?<!\\w[DM])(?:(?<=M)rs|(?<=D)r)``: a leading character class
    lets the regex engine skip quickly to candidate positions (a look-behind first would not).
    Longer alternatives come first, so that "Mrs" wins over "Mr"."""
    firsts = "".join(sorted({a[0] for a in alternatives}))
    ordered = sorted(alternatives, key=len, reverse=True)
    body = "|".join(f"(?<={a[0]}){a[1:]}" for a in ordered)
    return f"[{firsts}](?<!\\w[{firsts}])(?:{body})"


_TITLE_TAIL = rf"""(?P<dot>\.)?
    [ \t]+
    (?P<initial>[A-Z]\.?[ \t]+)?
    (?P<name>{_NAME_RUN})
"""
_TITLE_RE = re.compile(
    rf"(?P<title>{_first_letter_first(_TITLES)}){_TITLE_TAIL}",
    re.VERBOSE,
)
_LOWER_TITLE_RE = re.compile(rf"(?P<title>m(?<!\wm)(?:rs|r|s|iss)){_TITLE_TAIL}", re.VERBOSE)
_AFTER_NAME_INSTITUTION_RE = re.compile(rf"(?:'s|’s|s'|’)?[ \t]+(?:{INSTITUTION_WORDS})\b")


_WORD_RE = re.compile(rf"(?:(?:{_PARTICLES})[ \t]+)*{_WORD}")


def _name_words(title: str, found: list[str], possessive: bool) -> int:
    """How many of the words after ``title`` belong to the name, going by case."""
    names = gazetteer()
    head = title.split()[0]
    count = 0
    for word in found:
        last = word.split()[-1]
        if head.islower():
            ok = word.islower() and (
                possessive or word.title() in names.surnames or word.title() in names.forenames
            )
        elif head.isupper() and len(head) > 1:
            ok = word.isupper() and word not in ("AND", "THE", "WITH", "IN")
        else:
            ok = last[0].isupper() and last not in NOT_NAMES
        if not ok:
            break
        count += 1
    return count


def _title_names(text: str) -> Iterator[Finding]:
    for m in (*_TITLE_RE.finditer(text), *_LOWER_TITLE_RE.finditer(text)):
        title = m.group("title")
        head = title.split()[0]
        if head.islower() and head not in _CASELESS_TITLES:
            continue
        found = list(_WORD_RE.finditer(text, m.start("name"), m.end("name")))
        # "mr patel's wife": a lower-case title and a possessive; one word is the name.
        possessive = head in ("mr", "mrs") and bool(_AFTER_POSSESSIVE_RE.match(text, m.end()))
        if possessive:
            found = found[:1]
        count = _name_words(title, [w.group(0) for w in found], possessive)
        if not count:
            continue
        end = found[count - 1].end()
        if count == 1 and len(found[0].group(0)) < 2 and not m.group("initial"):
            continue  # "Mr A" is already anonymised
        if _AFTER_NAME_INSTITUTION_RE.match(text, end):
            continue  # "Dr Gray's Hospital"
        suggestion = " ".join((title + (m.group("dot") or "")).split()) + " X"
        yield make_finding("name", text, m.start(), end, suggestion)


# -- names without a title ------------------------------------------------------------------

# A run of capitalised words, particles allowed between them ("Liam Fletcher", "Ní Bhriain").
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ](?:\w|['’](?=\w)(?!s\b)|-(?=[^\W\d_]))*"
_RUN_RE = re.compile(rf"{_CAP}(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+)?{_CAP}){{0,2}}")

# The word or two before a capitalised word, compared as sets (cheaper than a regex search).
_RELATION_WORDS = (
    frozenset(RELATIONS.split("|"))
    | frozenset(ROLES.split("|"))
    | words("ST1 ST2 ST3 ST4 ST5 ST6 ST7 ST8")
)
_STRONG_OBJECT_VERBS = words(
    """asked told reassured thanked comforted consoled examined clerked reviewed held hugged
    called rang phoned visited met saw helped discharged admitted greeted updated informed"""
)
_STRONG_OBJECT_PAIRS = frozenset(
    tuple(pair.split())
    for pair in (
        "sat with",
        "explained to",
        "spoke to",
        "talked to",
        "myself to",
        "apologised to",
        "listened to",
    )
)
_APPOSITION_WORDS = words(
    """patient man woman lady gentleman gent boy girl child baby resident mother father student
    teenager toddler infant client lad chap"""
)
_PLACE_WORDS = words("in at from to near of via towards into")
_PLACE_TITLES = words("St St. Saint Queen King Prince Princess Royal Lady Port Lake Mount Cape")
_SENTENCE_ENDS = frozenset('.!?:;"“”(\n-–—')


_APOSTROPHES = frozenset("'’")
_INSTITUTION_SET = frozenset(INSTITUTION_WORDS.split("|"))
_SPEECH_FIRST_WORDS = frozenset(v.split()[0] for v in SPEECH_VERBS.split("|")) | words(
    "then later also quietly suddenly had has"
)
_APPOSITION_FIRST_WORDS = words("was is and")


def _last_words(before: str) -> tuple[str, str]:
    parts = before.split()
    return (parts[-2] if len(parts) > 1 else ""), (parts[-1] if parts else "")


_AFTER_SPEECH_RE = re.compile(
    rf"(?:[ \t]+(?:then|later|also|quietly|suddenly|had|has))?[ \t]+(?:{SPEECH_VERBS})\b"
)
_AFTER_POSSESSIVE_RE = re.compile(
    rf"(?:'s|’s|')[ \t]+(?:{RELATIONS}|{ROLES}|family|parents|mum|dad|nan|gran|grandma|grandad|"
    r"bed|room|home|house|flat|notes|drug[ \t]+chart|medication|tablets|wife|husband|care|"
    r"mother|father|life|death|funeral|condition|pain|wishes|story|case|birthday|behaviour)\b"
)
_AFTER_APPOSITION_RE = re.compile(
    rf",[ \t]+(?:(?:a|an)[ \t]+(?:[0-9]|[a-z]+-(?:year|month|week)-old|[a-z]+[ \t]+of[ \t]+[0-9])"
    r"|aged\b|[0-9]{1,3},|who\b|whose\b"
    rf"|(?:the|my|our|his|her|a|an)[ \t]+(?:[a-z-]+[ \t]+)?(?:{ROLES}|{RELATIONS})\b)"
    rf"|[ \t]+(?:was|is)[ \t]+(?:the|my|our|his|her)[ \t]+(?:[a-z-]+[ \t]+)?(?:{ROLES}|{RELATIONS})\b"
    r"|[ \t]+and[ \t]+(?:his|her|their)[ \t]+"
    r"|,[ \t]+(?:[0-9]{1,3}|aged[ \t]+[0-9]{1,3})[,.]"
)
_AFTER_INSTITUTION_RE = re.compile(
    rf"(?:'s|’s|s'|’)?[ \t]+(?:{INSTITUTION_WORDS})\b|'s[ \t]+[a-z]+[ \t]+(?:disease|syndrome|sign)"
)
_AFTER_LOWER_RE = re.compile(r"[ \t]+[a-z]")


_SPLIT_RE = re.compile(r"\S+")


_DIGIT_RE = re.compile(r"[0-9]")
_INNER_CAPITAL_RE = re.compile(r"(?<![cC'’-])(?<!^)[A-ZÀ-ÖØ-Þ]")


def _looks_like_name(word: str) -> bool:
    """Not an acronym or a mixed-case term ("IgA", "NEWS2"); "McLeod" and "O'Neill" pass."""
    return (
        not word.isupper()
        and _DIGIT_RE.search(word) is None
        and not (
            _INNER_CAPITAL_RE.search(word, 1)
            and not word.startswith(("Mac", "Mc", "De", "Le", "La"))
        )
    )


def _run_words(text: str, m: re.Match[str]) -> list[tuple[str, int, int]]:
    base = m.start()
    return [(w.group(0), base + w.start(), base + w.end()) for w in _SPLIT_RE.finditer(m.group(0))]


def _context_names(text: str, titled: frozenset[int] = frozenset()) -> Iterator[Finding]:
    """``titled``: where names after a title start; the words there are already found."""
    names = gazetteer()
    previous_end = -10
    for m in _RUN_RE.finditer(text):
        run = m.group(0)
        if run in NOT_NAMES or run in EPONYMS or m.start() in titled:
            continue  # most runs: "The", "I", "She", "Gibbs"; or "Mrs Zoë Smith" again
        words = _run_words(text, m) if " " in run or "\t" in run else [(run, m.start(), m.end())]
        # Leading words that are not names ("When", "Yesterday", "I") go; so does everything
        # from the first later one ("Jack On").
        while words and (
            words[0][0] in NOT_NAMES
            or words[0][0].isupper()
            or words[0][0].rstrip(".") in _TITLE_WORDS
        ):
            words = words[1:]
        if not words or words[0][0] in EPONYMS or not _looks_like_name(words[0][0]):
            continue
        kept = [words[0]]
        for w in words[1:]:
            if w[0] in NOT_NAMES or not _looks_like_name(w[0]):
                break
            kept.append(w)
        first, start, end = kept[0][0], kept[0][1], kept[-1][2]
        # What follows decides which regular expressions can match at all (most cannot).
        following = text[end : end + 1]
        after_word = text[end + 1 : end + 24].split(None, 1)[:1] if following == " " else []
        next_word = after_word[0].rstrip(".,;:") if after_word else ""
        if (following in _APOSTROPHES or next_word in _INSTITUTION_SET) and (
            _AFTER_INSTITUTION_RE.match(text, end)
        ):
            continue
        before = text[max(0, start - 40) : start]
        previous, last = _last_words(before) if before[-1:] in (" ", "\t") else ("", "")
        chained = previous_end >= start - 6 and before.endswith(("and ", "& ", ", "))
        cue = bool(
            chained
            or last.rstrip(",") in _RELATION_WORDS
            or (last == "colleague" and previous in _RELATION_WORDS)
            or (last.endswith(",") and last[:-1] in _APPOSITION_WORDS)
            or (next_word in _SPEECH_FIRST_WORDS and _AFTER_SPEECH_RE.match(text, end))
            or (following in _APOSTROPHES and _AFTER_POSSESSIVE_RE.match(text, end))
            or (
                (following == "," or next_word in _APPOSITION_FIRST_WORDS)
                and _AFTER_APPOSITION_RE.match(text, end)
            )
        )
        in_gazetteer = first in names.forenames and first not in names.words
        if not cue and (last in _STRONG_OBJECT_VERBS or (previous, last) in _STRONG_OBJECT_PAIRS):
            cue = in_gazetteer or first.lower() not in _COMMON_OBJECTS
        if not cue and (
            last in _PLACE_WORDS
            or last in _PLACE_TITLES
            or (last == "the" and previous in _PLACE_WORDS)
        ):
            continue  # "in Taunton", "to Southmead", "St Mary's"
        if not cue and in_gazetteer:
            stripped = before.rstrip(" \t")
            at_start = (len(before) < 40 and not stripped) or stripped[-1:] in _SENTENCE_ENDS
            cue = len(kept) > 1 or not at_start or bool(_AFTER_LOWER_RE.match(text, end))
        if not cue and len(kept) > 1 and first in names.forenames and kept[1][0] in names.surnames:
            cue = True
        if cue:
            previous_end = end
            yield make_finding("name", text, start, end, "X")


# Capitalised words that follow "saw" or "called" without being anyone's name.
_COMMON_OBJECTS = words(
    "radiology pharmacy microbiology haematology switchboard security outreach theatre theatres "
    "resus majors minors triage ambulance police christmas easter"
)


def scan_names(text: str) -> Iterator[Finding]:
    titled = list(_title_names(text))
    yield from titled
    yield from _context_names(text, frozenset(f.start for f in titled))
