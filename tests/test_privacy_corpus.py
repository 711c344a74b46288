"""The privacy guard on our own labelled corpus (tests/data/privacy_gold/, see
tests/privacy_gold.py): at least 95% of the identifiers of every class found, at most 2% of
ordinary sentences flagged. The held-out part was written with the rest but never used to tune
the detector; its classes are small (5–13 spans), so it is held to the overall figures and to a
floor per class, not to 95% per class."""

from __future__ import annotations

import pytest

from portfolio.privacy import KINDS, SOFT_KINDS, anonymise, find_identifiers
from tests import privacy_gold as gold

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


def test_anonymised_text_has_nothing_left_to_find() -> None:
    for record in WHOLE.records:
        findings = find_identifiers(record.text)
        assert all(f.suggestion and f.message for f in findings)
        clean = anonymise(record.text, findings)
        left = [f for f in find_identifiers(clean) if f.kind not in SOFT_KINDS]
        assert left == [], (clean, left)
