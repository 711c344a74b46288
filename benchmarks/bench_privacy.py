"""The privacy guard on our labelled corpus (tests/data/privacy_gold/): recall per class,
precision and the false-alarm rate, for the development and held-out parts; then its speed.

Speed, each beside a baseline from the same run, in turn: 5,000 words of reflection (target
under 20 ms; wall and CPU time) against splitting the same text into words with one regular
expression (the least a word-by-word scan can cost); and the portfolio-wide check of 2,000
items against reading the same items from the database.

    .venv/bin/python benchmarks/bench_privacy.py [--items N] [--repeat R]
"""

from __future__ import annotations

import re

import keyring
from _common import (
    ROOT,
    Target,
    alternate,
    arguments,
    report_timed,
    sample_portfolio,
    wall_and_cpu,
)

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.privacy import KINDS, find_identifiers
from portfolio.services.evidence import EvidenceQuery
from tests.conftest import MemoryKeyring
from tests.privacy import privacy_gold as gold

_WORDS_RE = re.compile(r"\w+")


def _quality() -> None:
    parts = {part: gold.score(gold.load(part), find_identifiers) for part in gold.PARTS}
    print(f"Privacy corpus ({gold.GOLD_DIR.relative_to(ROOT)}): recall per class")
    print(f"{'class':<18}" + "".join(f"{part:>16}" for part in parts))
    for kind in KINDS:
        cells = "".join(
            f"{s.found.get(kind, 0):>5}/{s.labelled[kind]:<3} {s.recall(kind):>6.1%}"
            if kind in s.labelled
            else f"{'–':>16}"
            for s in parts.values()
        )
        print(f"{kind:<18}{cells}")
    for label, value in (
        (
            "all classes",
            lambda s: (
                f"{sum(s.found.values()):>5}/{sum(s.labelled.values()):<3} {s.overall_recall:>6.1%}"
            ),
        ),
        ("precision", lambda s: f"{s.precision:>16.1%}"),
        (
            "false alarms",
            lambda s: f"{len(s.flagged):>5}/{s.ordinary:<3} {s.false_alarm_rate:>6.1%}",
        ),
    ):
        print(f"{label:<18}" + "".join(value(s) for s in parts.values()))


def _speed(items: int, repeat: int, warmup: int) -> None:
    print()
    for label, text in gold.benchmark_texts().items():
        ours, base = alternate(
            lambda t=text: wall_and_cpu(find_identifiers, t),
            lambda t=text: wall_and_cpu(_WORDS_RE.findall, t),
            repeat,
            warmup,
        )
        report_timed(
            f"privacy check of {label}",
            ours,
            base,
            baseline="one regular expression splitting the same text into words",
            target=Target("< 20 ms", at_most=0.020),
            unit="ms",
        )

    keyring.set_keyring(MemoryKeyring())
    folder = sample_portfolio(items)
    with open_portfolio(resolve_location(folder), write=False) as portfolio:
        ours, base = alternate(
            lambda: wall_and_cpu(portfolio.privacy.check),
            lambda: wall_and_cpu(portfolio.evidence.details, EvidenceQuery()),
            max(1, repeat // 5),
            warmup,
        )
    report_timed(
        f"privacy check of {items:,} items",
        ours,
        base,
        baseline="reading the same items in full through the evidence service",
        target=Target("none (the check costs little beside reading)"),
        unit="ms",
    )


def main() -> int:
    args = arguments(__doc__, repeat=25, items=(2000, 30))
    _quality()
    _speed(args.items, args.repeat, args.warmup)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
