"""The privacy guard on our own labelled corpus (tests/data/privacy_gold/, see
tests/privacy/privacy_gold.py): at least 95% of the identifiers of every class found, at most 2% of
ordinary sentences flagged. The held-out part was written with the rest but never used to tune
the detector; its classes are small (5–13 spans), so it is held to the overall figures and to a
floor per class, not to 95% per class."""

from __future__ import annotations

import pytest

from portfolio.privacy import KINDS, SOFT_KINDS, anonymise, find_identifiers
from tests.privacy import privacy_gold as gold

DEV = gold.load("dev")
HELDOUT = gold.load("heldout")
WHOLE = gold.Corpus(DEV.records + HELDOUT.records, DEV.ordinary + HELDOUT.ordinary)


def _misses(score: gold.Score, kind: str) -> list[tuple[str, str]]:
    return [(text, record[:80]) for k, text, record in score.missed if k == kind]


def test_the_corpus_is_big_varied_and_covers_every_class() -> None:
    spans = [s for r in WHOLE.records for s in r.spans]
    assert len(spans) >= 600
    assert len(WHOLE.ordinary) >= 400
    assert {s.kind for s in spans} == set(KINDS)
    for part in (DEV, HELDOUT):
        assert {s.kind for r in part.records for s in r.spans} == set(KINDS)
    reflections = [r for r in WHOLE.records if r.text.count("\n\n") >= 2]
    assert len(reflections) >= 8
    assert all(r.text[s.start : s.end] == s.text for r in WHOLE.records for s in r.spans)


@pytest.mark.parametrize("part", [DEV, WHOLE], ids=["dev", "whole"])
@pytest.mark.parametrize("kind", KINDS)
def test_recall_of_every_class_is_at_least_95_percent(part: gold.Corpus, kind: str) -> None:
    score = gold.score(part, find_identifiers)
    assert score.recall(kind) >= 0.95, _misses(score, kind)


@pytest.mark.parametrize("part", [DEV, HELDOUT, WHOLE], ids=["dev", "heldout", "whole"])
def test_at_most_2_percent_of_ordinary_sentences_are_flagged(part: gold.Corpus) -> None:
    score = gold.score(part, find_identifiers)
    assert score.false_alarm_rate <= 0.02, score.flagged


def test_the_held_out_part_keeps_its_first_figures() -> None:
    """Measured once, before any change prompted by it: 98.8% of 172 spans, no false alarm;
    the two misses (a lower-case "3 the crescent", "came to ED on 9 January") were left."""
    score = gold.score(HELDOUT, find_identifiers)
    assert score.overall_recall >= 0.95, score.missed
    assert all(score.recall(kind) >= 0.85 for kind in KINDS), score.missed
    assert score.precision >= 0.95, score.false_alarms


def test_the_late_part_keeps_its_first_figures() -> None:
    """Four long reflections written after the detector, measured once (two labelling slips
    corrected, the detector unchanged): 24 of 27 spans found, no false alarm."""
    score = gold.score(gold.load("late"), find_identifiers)
    assert score.overall_recall >= 0.85, score.missed
    assert score.false_alarm_rate <= 0.02 and score.precision >= 0.95, score.false_alarms


def test_anonymised_text_has_nothing_left_to_find() -> None:
    for record in WHOLE.records:
        findings = find_identifiers(record.text)
        assert all(f.suggestion and f.message for f in findings)
        clean = anonymise(record.text, findings)
        left = [f for f in find_identifiers(clean) if f.kind not in SOFT_KINDS]
        assert left == [], (clean, left)


# Each pattern issue 15 listed as missed, with the kind and text that must be found.
ISSUE_EXAMPLES = [
    ("I saw Mrs Siobhán Ní Bhriain.", "name", "Mrs Siobhán Ní Bhriain"),
    ("Mr Björn Larsson was admitted.", "name", "Mr Björn Larsson"),
    ("Mrs Zoë Smith went home.", "name", "Mrs Zoë Smith"),
    ("Mrs van der Berg was seen.", "name", "Mrs van der Berg"),
    ("Mr de la Cruz was seen.", "name", "Mr de la Cruz"),
    ("I asked mrs jones about it.", "name", "mrs jones"),
    ("MRS EVANS, for palliation.", "name", "MRS EVANS"),
    ("Sister Bernadette Walsh helped.", "name", "Sister Bernadette Walsh"),
    ("Staff Nurse Kelly escalated.", "name", "Staff Nurse Kelly"),
    ("Baby Olivia was brought in.", "name", "Baby Olivia"),
    ("Nana Joyce was there.", "name", "Nana Joyce"),
    ("Ayesha told me she was scared.", "name", "Ayesha"),
    ("Her son Darren was upset.", "name", "Darren"),
    ("His daughter Susan arrived.", "name", "Susan"),
    ("Her partner, Liam Fletcher, asked.", "name", "Liam Fletcher"),
    ("His hospital number, RBA1234567, was wrong.", "hospital_number", "RBA1234567"),
    ("I found the K number (K123456).", "hospital_number", "K123456"),
    ("MRN: 123-456-789 on the chart.", "hospital_number", "123-456-789"),
    ("93M bed 4, fallen.", "age", "93M"),
    ("Post-take: 87F with sepsis.", "age", "87F"),
    ("A woman age 56 was seen.", "age", "age 56"),
    ("Age: 74. Breathless.", "age", "Age: 74"),
    ("I saw a ninety-three-year-old.", "age", "a ninety-three-year-old"),
    ("I saw a 9/12 old with a cough.", "age", "a 9/12 old"),
    ("He was a man of 82.", "age", "a man of 82"),
    ("She had just turned 100.", "age", "just turned 100"),
    ("They planned her 90th birthday.", "age", "her 90th birthday"),
    ("Mr Dennis Yeo, 67, in bed 15.", "age", "67"),
    ("Her DOB b. 14/02/1999 was wrong.", "date_of_birth", "14/02/1999"),
    ("He was born in March 1941.", "date_of_birth", "March 1941"),
    ("DOB: 3rd Mar '41.", "date_of_birth", "3rd Mar '41"),
    ("She was born in 1938.", "date_of_birth", "1938"),
    ("NHS number 4010 232 137 was wrong.", "nhs_number", "4010 232 137"),
    ("Call 0044 7734 912222 please.", "phone", "0044 7734 912222"),
    ("She lives at 14 elm grove.", "address", "14 elm grove"),
    ("The crew went to 23 The Paddocks.", "address", "23 The Paddocks"),
    ("Rose Cottage, Bishops Lydeard was the address.", "address", "Rose Cottage, Bishops Lydeard"),
    ("His NI number is AB 12 34 56 C.", "ni_number", "AB 12 34 56 C"),
    ("He died on 2 April 2026.", "event_date", "2 April 2026"),
    ("DOD 08/02/2026 on the form.", "event_date", "08/02/2026"),
    ("He was in bed 12 on Kingfisher ward.", "bed_and_ward", "bed 12 on Kingfisher ward"),
    ("A man from Watchet with Fabry disease.", "rare_combination", "Watchet with Fabry disease"),
]


@pytest.mark.parametrize(("text", "kind", "found"), ISSUE_EXAMPLES, ids=lambda v: str(v)[:30])
def test_every_pattern_the_issue_listed_is_found_with_a_suggestion(
    text: str, kind: str, found: str
) -> None:
    findings = [f for f in find_identifiers(text) if f.text == found]
    assert [f.kind for f in findings] == [kind], find_identifiers(text)
    assert findings[0].suggestion and found not in anonymise(text, find_identifiers(text))


@pytest.mark.parametrize(
    "sentence",
    [
        "A Mx plan was agreed with the consultant.",
        "Dr Gray's Hospital is in Elgin.",
        "I have been to 2 Coroners Court hearings.",
        *(
            f"I used {name} in my reflection."
            for name in [
                "Gibbs",
                "Kolb",
                "Schön",
                "Pendleton",
                "Caldicott",
                "Gillick",
                "Fraser",
                "Montgomery",
                "Bolam",
            ]
        ),
        "Parkinson's disease and Addison's disease were discussed.",
        "Gibbs' reflective cycle and Kolb's learning cycle helped me.",
        "The Caldicott principles, Gillick competence and the Fraser guidelines apply.",
        "Since Montgomery, consent is different; the Bolam test still matters.",
        "Schön wrote about reflection-in-action and Pendleton about feedback.",
    ],
)
def test_the_false_alarms_the_issue_listed_stay_quiet(sentence: str) -> None:
    assert find_identifiers(sentence) == []
