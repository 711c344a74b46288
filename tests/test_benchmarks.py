"""The benchmarks measure what they say: pairs alternate, ratios are taken pair by pair, a child
that fails or hangs stops the run loudly, and every script runs to its end (``--quick``: tiny
sizes, one pair) printing each figure beside its baseline and target.

No figure is asserted: timings belong in benchmarks/README.md, not in tests.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

FIGURES = {
    "bench_archive.py": [
        "export 60 items",
        "import 60 items",
        "import the same 60 items again (all unchanged)",
        "import the same 60 items again in a re-written archive",
    ],
    "bench_cli.py": ["`list --json`, 40 items", "`coverage --json`, 40 items"],
    "bench_core.py": ["bulk load 200 items"],
    "bench_deanery.py": ["deanery load, 30 summaries", "deanery report, 30 summaries"],
    "bench_evidence_list.py": [
        "first paint, 50-item list",
        *(f"search as you type '{text}'" for text in ("q", "qu", "qua", "qual", "quality")),
        "search as you type 'sepsis'",
        "search as you type 'handover team'",
        "repaint of the page of the search 'handover team' in sight",
        *(f"sort all 50 rows by {key}" for key in ("date", "kind", "title", "domains", "status")),
    ],
    "bench_privacy.py": [
        "privacy check of ordinary 5,000 words",
        "privacy check of dense 5,000 words",
        "privacy check of 30 items",
    ],
    "bench_report.py": ["ARCP summary, 40 items", "`report`, a year of 20 items"],
    "bench_ui_startup.py": [
        "window usable, 30 items",
        "window answers input, 30 items",
        "resident memory, full window, 60 items",
    ],
}


@functools.cache
def _common() -> ModuleType:
    """benchmarks/_common.py (the benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_common", BENCHMARKS / "_common.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_script_is_covered() -> None:
    assert sorted(p.name for p in BENCHMARKS.glob("bench_*.py")) == sorted(FIGURES)


def test_pairs_alternate_after_an_uncounted_warm_up() -> None:
    calls: list[str] = []

    def run(name: str, figure: float) -> float:
        calls.append(name)
        return figure

    ours, base = _common().alternate(lambda: run("A", 2.0), lambda: run("B", 1.0), 3, warmup=1)
    assert calls == ["A", "B"] * 4
    assert (ours, base) == ([2.0] * 3, [1.0] * 3)


def test_report_prints_medians_minimums_pairwise_ratio_and_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = _common()
    # Pair by pair 3.0, 1.0, 2.0: the median ratio is 2.0, not 6/2 of the medians.
    met = common.report(
        "a figure",
        [0.3, 0.2, 0.6],
        [0.1, 0.2, 0.3],
        baseline="does the least",
        target=common.Target("≤ 1.5x", ratio=1.5),
    )
    out = capsys.readouterr().out
    assert not met
    assert "median       0.30 s   min       0.20 s" in out
    assert "does the least" in out
    assert "ratio     2.00x (pair by pair 1.00x to 3.00x)   target ≤ 1.5x: MISSES" in out
    assert common.report(
        "fast", [0.1], [0.1], baseline="b", target=common.Target("≤ 0.2 s", at_most=0.2)
    )
    other_pages = common.Target("≤ 2x, same page count", ratio=2, also=False)
    assert not common.report("pages", [0.1], [0.1], baseline="b", target=other_pages)


def test_a_bound_set_on_the_issues_machine_is_judged_as_its_ratio_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = _common()
    # 30 ms when the issue's baseline took 25 ms: 1.2x. This machine is twice as slow.
    bound = common.Target("≤ 30 ms", at_most=0.030, issue_baseline=0.025)
    assert common.report("slow day", [0.060], [0.055], baseline="b", target=bound, unit="ms")
    out = capsys.readouterr().out
    assert (
        "target ≤ 30 ms: MISSES; as the issue's ratio, ≤ 1.20x (the bound over the issue's "
        "baseline, 25.0 ms): meets"
    ) in out
    assert not common.report("slower", [0.070], [0.055], baseline="b", target=bound, unit="ms")
    assert capsys.readouterr().out.rstrip().endswith("25.0 ms): MISSES")


def test_a_failing_child_stops_the_benchmark_with_what_it_said() -> None:
    program = "import sys; print('boom', file=sys.stderr); sys.exit(3)"
    with pytest.raises(SystemExit, match=r"exited with 3:\nboom"):
        _common().run_child([sys.executable, "-c", program])


def test_a_hanging_child_stops_the_benchmark() -> None:
    program = "import signal; signal.pause()"  # never ends by itself
    with pytest.raises(SystemExit, match="did not finish within 0 s"):
        _common().run_child([sys.executable, "-c", program], timeout=0.3)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(FIGURES))
def test_each_benchmark_runs_and_prints_figure_baseline_ratio_and_target(
    script: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        env={**os.environ, "GPC_BENCH_CACHE": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for title in FIGURES[script]:
        at = next(n for n, line in enumerate(lines) if line.startswith(title))
        ours, baseline, ratio = lines[at + 1 : at + 4]
        assert ours.startswith("  ours      median")
        assert re.match(r"  baseline  median +[\d.]+ \w+ +min +[\d.]+ \w+ +\S", baseline)
        assert ratio.startswith("  ratio ") and " target " in ratio
        assert ratio.endswith((": meets", ": MISSES"))
    assert sum(line.startswith("  ratio ") for line in lines) == len(FIGURES[script])
