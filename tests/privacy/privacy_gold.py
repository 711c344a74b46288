"""The labelled privacy corpus (tests/data/privacy_gold/) and how the detector is scored on it.

Each file has "## spans" sections (one record per line; a line starting with ">" continues the
record above as a new paragraph; ``[[code|text]]`` marks an identifier) and "## ordinary"
sections (one sentence per line, holding no identifier). Lines starting with "#" are comments.

Scoring: a labelled span is *found* when findings of its kind together cover every letter and
digit of it (so that replacing them removes it). A finding is a *false alarm* when it overlaps
no labelled span; an ordinary sentence is *flagged* when it has any finding at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from portfolio.privacy import Finding

GOLD_DIR = Path(__file__).parents[1] / "data" / "privacy_gold"
PARTS = ("dev", "heldout", "late")

CODES: dict[str, str] = {
    "nhs": "nhs_number",
    "chi": "chi_number",
    "hosp": "hospital_number",
    "dob": "date_of_birth",
    "pc": "postcode",
    "addr": "address",
    "tel": "phone",
    "email": "email",
    "name": "name",
    "age": "age",
    "ni": "ni_number",
    "date": "event_date",
    "bed": "bed_and_ward",
    "combo": "rare_combination",
}

_MARK_RE = re.compile(r"\[\[([a-z]+)\|([^\]]+)\]\]")


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Record:
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Corpus:
    records: tuple[Record, ...]
    ordinary: tuple[str, ...]


def _parse_record(marked: str) -> Record:
    text: list[str] = []
    spans: list[Span] = []
    position = 0
    length = 0
    for m in _MARK_RE.finditer(marked):
        before = marked[position : m.start()]
        text.append(before)
        length += len(before)
        code, inner = m.group(1), m.group(2)
        spans.append(Span(CODES[code], length, length + len(inner), inner))
        text.append(inner)
        length += len(inner)
        position = m.end()
    text.append(marked[position:])
    plain = "".join(text)
    if "[[" in plain or "]]" in plain:
        raise ValueError(f"unbalanced mark-up in {marked!r}")
    return Record(plain, tuple(spans))


def parse(source: str) -> Corpus:
    records: list[str] = []
    ordinary: list[str] = []
    section = ""
    for line in source.splitlines():
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            section = line[3:]
        elif section == "spans":
            if line.startswith(">"):
                for paragraph in line[1:].split(" > "):
                    records[-1] += "\n\n" + paragraph.strip()
            else:
                paragraphs = [p.strip() for p in line.split(" > ")]
                records.append("\n\n".join(paragraphs))
        elif section == "ordinary":
            if "[[" in line:
                raise ValueError(f"mark-up in an ordinary sentence: {line!r}")
            ordinary.append(line)
        else:
            raise ValueError(f"line outside a section: {line!r}")
    return Corpus(tuple(_parse_record(r) for r in records), tuple(ordinary))


def load(part: str) -> Corpus:
    return parse((GOLD_DIR / f"{part}.txt").read_text(encoding="utf-8"))


def five_thousand_words(sentences: Sequence[str]) -> str:
    """The first 5,000 words of ``sentences`` repeated: the benchmark's texts."""
    words: list[str] = []
    i = 0
    while len(words) < 5000:
        words += sentences[i % len(sentences)].split()
        i += 1
    return " ".join(words[:5000])


def benchmark_texts() -> dict[str, str]:
    """The two texts of benchmarks/bench_privacy.py: ordinary sentences and dense records."""
    dev = load("dev")
    return {
        "ordinary 5,000 words": five_thousand_words(dev.ordinary),
        "dense 5,000 words": five_thousand_words([r.text for r in dev.records]),
    }


@dataclass
class Score:
    labelled: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, span text, record text) of each labelled span not found."""
    findings: int = 0
    false_alarms: list[tuple[Finding, str]] = field(default_factory=list)
    ordinary: int = 0
    flagged: list[tuple[str, list[Finding]]] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found.get(kind, 0) / self.labelled[kind]

    @property
    def overall_recall(self) -> float:
        return sum(self.found.values()) / sum(self.labelled.values())

    @property
    def precision(self) -> float:
        """Of the findings in labelled records, the share that touch a labelled span."""
        return 1 - len(self.false_alarms) / self.findings if self.findings else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """The share of ordinary sentences with any finding."""
        return len(self.flagged) / self.ordinary


def _covered(span: Span, findings: Sequence[Finding], text: str) -> bool:
    covered = [False] * (span.end - span.start)
    for f in findings:
        if f.kind != span.kind:
            continue
        for i in range(max(f.start, span.start), min(f.end, span.end)):
            covered[i - span.start] = True
    return all(c or not text[span.start + i].isalnum() for i, c in enumerate(covered))


def score(corpus: Corpus, detect: Callable[[str], list[Finding]]) -> Score:
    result = Score()
    for record in corpus.records:
        findings = detect(record.text)
        for span in record.spans:
            result.labelled[span.kind] = result.labelled.get(span.kind, 0) + 1
            if _covered(span, findings, record.text):
                result.found[span.kind] = result.found.get(span.kind, 0) + 1
            else:
                result.missed.append((span.kind, span.text, record.text))
        result.findings += len(findings)
        for f in findings:
            if not any(f.start < s.end and s.start < f.end for s in record.spans):
                result.false_alarms.append((f, record.text))
    for sentence in corpus.ordinary:
        result.ordinary += 1
        findings = detect(sentence)
        if findings:
            result.flagged.append((sentence, findings))
    return result
