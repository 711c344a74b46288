"""The privacy guard on our labelled corpus (tests/data/privacy_gold/): recall per class,
precision and the false-alarm rate, for the development and held-out parts; then its speed.

Speed, each beside a baseline from the same run: 5,000 words of reflection (target under
20 ms; CPU time and wall time) against splitting the same text into words with one regular expression (the least a
word-by-word scan can cost); and the portfolio-wide check of 2,000 items against reading the
same items from the database.

    .venv/bin/python benchmarks/bench_privacy.py [--items N] [--repeat R]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable

import keyring
from _common import ROOT, row, sample_portfolio

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.privacy import KINDS, find_identifiers
from portfolio.services.evidence import EvidenceQuery
from tests import privacy_gold as gold
from tests.conftest import MemoryKeyring

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


def _best_and_median(
    run: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = clock()
        run()
        times.append(clock() - started)
    return min(times) * 1000, statistics.median(times) * 1000


def _five_thousand_words(sentences: list[str]) -> str:
    words: list[str] = []
    i = 0
    while len(words) < 5000:
        words += sentences[i % len(sentences)].split()
        i += 1
    return " ".join(words[:5000])


def _speed(items: int, repeat: int) -> None:
    dev = gold.load("dev")
    texts = {
        "ordinary 5,000 words": _five_thousand_words(list(dev.ordinary)),
        "dense 5,000 words": _five_thousand_words([r.text for r in dev.records]),
    }
    print()
    for label, text in texts.items():
        find_identifiers(text)
        # CPU time: on a shared machine, wall time also counts the time spent waiting for a core.
        for clock, name in ((time.process_time, "CPU"), (time.perf_counter, "wall")):
            best, median = _best_and_median(lambda t=text: find_identifiers(t), repeat, clock)
            base, base_median = _best_and_median(lambda t=text: _WORDS_RE.findall(t), repeat, clock)
            print(row(f"{label} (best {name})", best, base, target="target < 20 ms"))
            print(row(f"{label} (median {name})", median, base_median))

    keyring.set_keyring(MemoryKeyring())
    folder = sample_portfolio(items)
    with open_portfolio(resolve_location(folder), write=False) as portfolio:
        portfolio.privacy.check()
        check = statistics.median(_best_and_median(portfolio.privacy.check, max(1, repeat // 5)))
        read = statistics.median(
            _best_and_median(
                lambda: portfolio.evidence.details(EvidenceQuery()), max(1, repeat // 5)
            )
        )
    print(row(f"check of {items:,} items", check, read, target="(baseline: reading them)"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    _quality()
    _speed(args.items, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
