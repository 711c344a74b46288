"""Every finding of the detector, pinned: kind, span, text, suggestion and message of each, on
every text of both corpora (tests/data/privacy_gold/ and privacy_corpus.json) and on the two
texts of benchmarks/bench_privacy.py, as the detector found them before it was made faster
(issue 17). A change to what the detector finds must be deliberate: after one, rewrite the
expected findings with

    .venv/bin/python -m tests.privacy.test_privacy_findings

and review the difference of tests/data/privacy_findings.json.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from portfolio.privacy import find_identifiers
from tests.privacy import privacy_gold as gold

EXPECTED_PATH = Path(__file__).parents[1] / "data" / "privacy_findings.json"
CORPUS_PATH = Path(__file__).parents[1] / "data" / "privacy_corpus.json"


def corpus_texts() -> dict[str, str]:
    """Every text the detector is pinned on, by a label saying where it comes from."""
    texts: dict[str, str] = {}
    for part in gold.PARTS:
        corpus = gold.load(part)
        texts.update({f"{part} record {i}": r.text for i, r in enumerate(corpus.records)})
        texts.update({f"{part} ordinary {i}": s for i, s in enumerate(corpus.ordinary)})
    snippets = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
    texts.update({f"positive {i}": p["text"] for i, p in enumerate(snippets["positives"])})
    texts.update({f"negative {i}": s for i, s in enumerate(snippets["negatives"])})
    texts["negatives as one text"] = " ".join(snippets["negatives"])
    texts.update(gold.benchmark_texts())
    return texts


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def findings_of(text: str) -> list[list[str | int]]:
    return [
        [f.kind, f.start, f.end, f.text, f.suggestion, f.message] for f in find_identifiers(text)
    ]


TEXTS = corpus_texts()


@cache
def expected() -> dict[str, dict[str, Any]]:
    return json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_expected_findings_cover_every_text_of_the_corpora() -> None:
    assert set(expected()) == set(TEXTS)
    assert all(expected()[label]["sha256"] == _digest(text) for label, text in TEXTS.items())
    assert sum(len(e["findings"]) for e in expected().values()) > 1200


@pytest.mark.parametrize("label", list(TEXTS))
def test_every_finding_is_the_expected_one(label: str) -> None:
    assert findings_of(TEXTS[label]) == expected()[label]["findings"]


def _dumps(label: str, text: str) -> str:
    """One text's entry: its digest, then one finding a line (a reviewable difference)."""
    findings = ",\n".join(json.dumps(f, ensure_ascii=False) for f in findings_of(text))
    return (
        f'{json.dumps(label)}: {{"sha256": "{_digest(text)}", "findings": ['
        + (f"\n{findings}\n" if findings else "")
        + "]}"
    )


if __name__ == "__main__":
    entries = ",\n".join(_dumps(label, text) for label, text in TEXTS.items())
    EXPECTED_PATH.write_text(f"{{\n{entries}\n}}\n", encoding="utf-8")
