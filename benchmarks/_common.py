"""Shared by the benchmark scripts: sample portfolios, paired timing, child processes, printing.

Every benchmark runs its figure (A) and its baseline (B) in turn, A B A B …, after a warm-up
round, and prints the median and minimum of each, the ratio pair by pair, what the baseline does
and the target from the performance issue. Not a test: `tests/test_benchmarks.py` runs each
script once with ``--quick``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

if str(Path(__file__).parent) not in sys.path:  # loaded by its path (the tests): its sibling
    sys.path.insert(0, str(Path(__file__).parent))

from _child import LAUNCHED, ROOT

CACHE = Path(os.environ.get("GPC_BENCH_CACHE") or tempfile.gettempdir())
"""Where sample portfolios are built once and kept (the tests point it at a temp folder)."""
SAMPLE_VERSION = "v2"
"""Part of the sample portfolios' folder names: bumped with each schema revision a branch adds
(v2: 0017), since a checkout that opens a sample upgrades it and an older checkout then refuses
it as newer than itself; each keeps its own."""
T = TypeVar("T")

_KINDS = (
    "reflection",
    "qi_project",
    "significant_event",
    "leadership_role",
    "teamwork",
    "teaching",
    "course",
    "supervisor_meeting",
    "pdp_item",
    "assessment",
)
_TOPICS = (
    "handover",
    "sepsis",
    "discharge",
    "prescribing",
    "rota",
    "audit",
    "teaching",
    "consent",
    "falls",
    "delirium",
    "escalation",
    "medicines",
    "safeguarding",
    "feedback",
    "simulation",
    "ward round",
    "leadership",
    "communication",
    "research",
    "quality",
)
_WORDS = (
    "team",
    "patient",
    "learned",
    "changed",
    "nurse",
    "registrar",
    "clinic",
    "ward",
    "night",
    "improve",
    "measure",
    "plan",
    "study",
    "act",
    "reflect",
    "skills",
    "risk",
)
_CODES = (
    "GPC1",
    "GPC2.1",
    "GPC2.2",
    "GPC2.3",
    "GPC2.4",
    "GPC3.1",
    "GPC4",
    "GPC5",
    "GPC6.1",
    "GPC6.2",
    "GPC7",
    "GPC8",
    "GPC9",
)


def drafts(count: int, seed: int = 7) -> Iterator[object]:
    """Realistic-looking items; "quality" appears in about one in nine of them."""
    from portfolio.services.dto import EvidenceDraft, Link

    rng = random.Random(seed)
    start = date(2019, 8, 1)
    for n in range(count):
        kind = _KINDS[n % len(_KINDS)]
        topic = rng.choice(_TOPICS)
        fields: dict[str, object] = {}
        if kind == "assessment":
            fields["form"] = rng.choice(("mini-CEX", "CBD", "DOPS", "ACAT"))
        if kind == "reflection":
            fields["model"] = "what_so_what_now_what"
        text = " ".join(rng.choice(_WORDS) for _ in range(40))
        if n % 9 == 0:
            text += " quality improvement"
        yield EvidenceDraft(
            kind=kind,
            title=f"{topic.capitalize()} {rng.choice(_WORDS)} {n}",
            occurred_on=start + timedelta(days=rng.randrange(2000)),
            fields=fields,
            text=text,
            links=tuple(Link(c) for c in rng.sample(_CODES, rng.randint(1, 3))),
            tags=(topic,) if n % 3 == 0 else (),
        )


def sample_portfolio(count: int) -> Path:
    """A data folder with ``count`` items and a profile, built once and kept in the temp dir
    (under ``SAMPLE_VERSION``)."""
    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.services.dto import ProfileData

    folder = CACHE / f"gpc-bench-{count}-{SAMPLE_VERSION}"
    if (folder / "ready").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    with open_portfolio(resolve_location(folder)) as portfolio:
        portfolio.profile.save(ProfileData(name="Dr Bench Mark", gmc_number="1234567"))
        portfolio.evidence.bulk_create(drafts(count))
    (folder / "ready").write_text("ok")
    print(
        f"(built a portfolio of {count:,} items in {time.perf_counter() - started:.1f} s "
        f"at {folder})",
        flush=True,
    )
    return folder


def without_todays_backup(folder: Path) -> None:
    """Remove the sample portfolio's daily backups of today (UTC, as ``backup_name`` stamps
    them), so the next start of the program is the day's first and takes one."""
    today = time.strftime("%Y%m%d", time.gmtime())
    for backup in (folder / "backups").glob(f"portfolio-{today}-*-daily.sqlite3"):
        backup.unlink()


def texts_in(value: object) -> list[str]:
    """Every string inside a JSON-like value (an item's fields), in order: what the baselines
    index and screen, as our code does."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    return []


def shown_rows(folder: Path) -> list[tuple[str, ...]]:
    """The five texts the evidence list shows for every live item of the sample portfolio at
    ``folder``, in its first order (newest first), read with sqlite3: the baselines' tables hold
    and paint what the list holds and paints, so their rows are the same size and cost the same
    to lay out and elide. The kinds' titles and the statuses' labels are the list's words."""
    from portfolio.kinds import kind_templates
    from portfolio.vocabulary import status_label

    kinds = {kind: template.title for kind, template in kind_templates().items()}
    with closing(sqlite3.connect(f"file:{folder / 'portfolio.sqlite3'}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT occurred_on, kind, title, status, "
            "(SELECT group_concat(code, ', ') FROM evidence_link l WHERE l.evidence_id = e.id) "
            "FROM evidence e WHERE deleted_at IS NULL ORDER BY occurred_on DESC, id DESC"
        ).fetchall()
    return [
        (
            occurred_on,
            kinds.get(kind, kind),
            title,
            ", ".join(sorted(codes.split(", "))) if codes else "",
            status_label(status),
        )
        for occurred_on, kind, title, status, codes in rows
    ]


# -- options ---------------------------------------------------------------------------------


def arguments(
    doc: str, repeat: int, warmup: int = 1, **sizes: tuple[int, int]
) -> argparse.Namespace:
    """Parse ``--repeat``, ``--quick`` and one ``--NAME N`` per size (full, quick).

    ``--quick`` (tiny sizes, one round, no warm-up) only shows that a script runs.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, (full, _) in sizes.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, help=f"default {full:,}")
    parser.add_argument("--repeat", type=int, help=f"pairs timed (default {repeat})")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one pair: a smoke run")
    args = parser.parse_args()
    for name, (full, quick) in sizes.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    if args.repeat is None:
        args.repeat = 1 if args.quick else repeat
    args.warmup = 0 if args.quick else warmup
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"{Path(sys.argv[0]).name}: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        f"{os.cpu_count()} cores, load average {load}",
        flush=True,
    )
    return args


# -- measuring -------------------------------------------------------------------------------


def seconds(work: Callable[..., object], *args: object) -> float:
    """How long ``work(*args)`` takes, in seconds."""
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


def wall_and_cpu(work: Callable[..., object], *args: object) -> tuple[float, float]:
    """Seconds of wall time and of this process's CPU time that ``work(*args)`` takes."""
    wall, cpu = time.perf_counter(), time.process_time()
    work(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def report_timed(
    title: str, ours: list[tuple[float, float]], base: list[tuple[float, float]], **how: Any
) -> bool:
    """``report`` of in-process ``wall_and_cpu`` figures: wall time, and CPU time beside it."""
    return report(
        title,
        [wall for wall, _ in ours],
        [wall for wall, _ in base],
        cpu=([cpu for _, cpu in ours], [cpu for _, cpu in base]),
        **how,
    )


def alternate(
    ours: Callable[[], T], baseline: Callable[[], T], repeat: int, warmup: int = 1
) -> tuple[list[T], list[T]]:
    """Run A, B, A, B … (``warmup`` uncounted pairs first); each call returns its own figure."""
    for _ in range(warmup):
        ours()
        baseline()
    mine: list[T] = []
    theirs: list[T] = []
    for _ in range(repeat):
        mine.append(ours())
        theirs.append(baseline())
    return mine, theirs


def child_env() -> dict[str, str]:
    """A child's environment: offscreen Qt, this checkout first, settings in a folder of its own."""
    home = CACHE / "gpc-bench-home"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    return env


class Finished(NamedTuple):
    wall: float
    """Seconds from launch to exit."""
    cpu: float
    """Its user + system seconds (on a loaded machine, wall time also counts waiting)."""
    marks: dict[str, float]
    """The ``word number`` lines it printed."""
    stdout: str


def run_child(argv: list[str], timeout: float = 120.0) -> Finished:
    """Run ``argv`` to its end, with its output read through a pipe.

    A child that fails or outlives ``timeout`` stops the benchmark with what it said.
    """
    env = child_env()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    env[LAUNCHED] = repr(started)
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"{' '.join(argv)} did not finish within {timeout:.0f} s") from None
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    marks: dict[str, float] = {}
    for line in done.stdout.splitlines():
        word, _, number = line.partition(" ")
        try:
            marks[word] = float(number)
        except ValueError:
            continue
    return Finished(wall, cpu, marks, done.stdout)


def report_processes(title: str, ours: list[Finished], base: list[Finished], **how: Any) -> bool:
    """``report`` of whole processes: their wall time, and their CPU time beside it."""
    return report(
        title,
        [run.wall for run in ours],
        [run.wall for run in base],
        cpu=([run.cpu for run in ours], [run.cpu for run in base]),
        **how,
    )


def table_counts(database: Path, tables: tuple[str, ...]) -> tuple[int, ...]:
    """Rows in each table: what shows that a baseline wrote the same as we did."""
    with sqlite3.connect(database) as con:
        return tuple(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in tables)


def byte_compile() -> None:
    """Byte-compile the package, as installing a wheel does: where ``PYTHONDONTWRITEBYTECODE`` is
    set (as on the shared development machine), every child would otherwise compile our modules
    again, a cost no installed copy pays and a baseline of installed libraries does not have."""
    import compileall

    compileall.compile_dir(ROOT / "portfolio", quiet=1)


def program() -> str:
    """The installed ``gpc-portfolio`` command beside this Python."""
    return str(Path(sys.executable).with_name("gpc-portfolio"))


# -- printing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The issue's target: a ratio to the baseline, or a bound on the figure itself."""

    text: str
    ratio: float | None = None
    at_most: float | None = None
    """In the figure's own unit before scaling: seconds or MB."""
    also: bool = True
    """Any other condition of the target, checked by the script (the same page count)."""
    issue_baseline: float | None = None
    """For a bound: the baseline's figure in the issue's table, the slowest of its range. The
    bound was set on the issue's machine, and the issue asks for each target as a ratio to its
    baseline from the same run, so the bound is judged as that ratio too (``at_most`` over
    this), on a machine faster or slower than the issue's."""

    def met(self, figure: float, ratio: float) -> bool:
        return (
            self.also
            and (self.ratio is None or ratio <= self.ratio)
            and (self.at_most is None or figure <= self.at_most)
        )


_UNITS = {"s": (1.0, "s", 2), "ms": (1000.0, "ms", 1), "MB": (1.0, "MB", 0)}
_VERDICT = {True: "meets", False: "MISSES"}


def report(
    title: str,
    ours: list[float],
    base: list[float],
    *,
    baseline: str,
    target: Target,
    unit: str = "s",
    cpu: tuple[list[float], list[float]] | None = None,
) -> bool:
    """Print a figure beside its baseline (medians, minimums, ratio pair by pair, target);
    with ``cpu``, the processes' CPU seconds too."""
    scale, shown, places = _UNITS[unit]

    def spread(values: list[float]) -> str:
        median, least = statistics.median(values) * scale, min(values) * scale
        return f"median {median:10.{places}f} {shown:<2}  min {least:10.{places}f} {shown:<2}"

    ratios = [a / b for a, b in zip(ours, base, strict=True)]
    ratio = statistics.median(ratios)
    met = target.met(statistics.median(ours), ratio)
    judged = f"target {target.text}: {_VERDICT[met]}"
    if target.at_most is not None and target.issue_baseline is not None:
        issue_ratio = target.at_most / target.issue_baseline
        met = target.also and ratio <= issue_ratio  # the verdict: the bound as the issue's ratio
        judged += (
            f"; as the issue's ratio, ≤ {issue_ratio:.2f}x (the bound over the issue's "
            f"baseline, {target.issue_baseline * scale:.{places}f} {shown}): {_VERDICT[met]}"
        )
    print(title)
    print(f"  ours      {spread(ours)}  ({len(ours)} runs, alternating with the baseline)")
    print(f"  baseline  {spread(base)}  {baseline}")
    print(
        f"  ratio     {ratio:.2f}x (pair by pair {min(ratios):.2f}x to {max(ratios):.2f}x)"
        f"   {judged}"
    )
    if cpu is not None:
        mine, theirs = (statistics.median(values) for values in cpu)
        cpu_ratio = f"{mine / theirs:.2f}x" if theirs else "-"
        print(
            f"  cpu       ours {mine * scale:.{places}f} {shown}, baseline "
            f"{theirs * scale:.{places}f} {shown} (medians): {cpu_ratio}"
        )
    sys.stdout.flush()
    return met
