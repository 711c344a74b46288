"""Shared by the benchmark scripts: sample portfolios, timing, memory. Not a test."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
    """A data folder with ``count`` items and a profile, built once and kept in the temp dir."""
    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.services.dto import ProfileData

    folder = Path(tempfile.gettempdir()) / f"gpc-bench-{count}-v1"
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


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(run: Callable[[], float], repeat: int) -> float:
    return statistics.median(run() for _ in range(repeat)) * 1000


def row(label: str, value: float, baseline: float, unit: str = "ms", target: str = "") -> str:
    ratio = value / baseline if baseline else float("nan")
    return (
        f"{label:<34} {value:9.1f} {unit:<3} baseline {baseline:9.1f} {unit:<3} "
        f"ratio {ratio:5.2f}x   {target}"
    )
