"""Generated cohort summaries, varied as a region's would be, written as ``.gpccohort`` files:
for the deanery tests and benchmarks/bench_deanery.py. Fictional and seeded: the same on every
run."""

from __future__ import annotations

import random
import uuid
from datetime import date
from pathlib import Path

from portfolio.formats.cohort_summary import (
    DOMAINS,
    ROLE_TYPES,
    SUMMARY_SUFFIX,
    CohortSummary,
    Uptake,
)
from portfolio.kinds import KINDS

TRUSTS = ("North Trust", "South Trust", "", "Ærø Trust", "east trust")
"""Blank and lower-case names too: the file-based view sorts and labels them its own way."""
CATALOGUE = "0f6d1c1e-2a57-4d1c-9d55-3a1f7b0d2c01"
OPPORTUNITIES = tuple(
    (str(uuid.uuid5(uuid.NAMESPACE_URL, f"deanery-test:{n}")), kind)
    for n, kind in enumerate(("role", "project", "teaching", "event", "project"))
)


def summaries(count: int, seed: int = 1, trusts: tuple[str, ...] = TRUSTS) -> list[CohortSummary]:
    """``count`` varied summaries: zeros, small and large counts, named or not, uptake."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        domains = {code: rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 9, 14)) for code in DOMAINS}
        kinds = {kind: rng.choice((0, 0, 0, 1, 2, 7)) for kind in KINDS}
        roles = {role: rng.choice((0, 0, 0, 1, 2)) for role in ROLE_TYPES}
        uptake = tuple(
            Uptake(
                CATALOGUE,
                opportunity,
                kind,
                rng.choice(("interested", "applied", "participating", "completed")),
            )
            for opportunity, kind in OPPORTUNITIES
            if rng.random() < 0.4
        )
        named = rng.random() < 0.2
        made.append(
            CohortSummary(
                summary_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                created_on=date(2026, 7, 1),
                trust=rng.choice(trusts),
                grade=rng.choice(("FY1", "FY2", "", "ST3")),
                period_from=date(2025, 8, rng.randint(1, 28)) if rng.random() < 0.9 else None,
                period_to=date(2026, 7, rng.randint(1, 28)) if rng.random() < 0.9 else None,
                trainee_name="Dr Named Trainee" if named else None,
                trainee_gmc="7000123" if named else None,
                evidence_items=sum(kinds.values()) + rng.randint(0, 30),
                domains=domains,
                kinds=kinds,
                qi_activity=rng.random() < 0.5,
                leadership_roles=sum(roles.values()),
                role_types=roles,
                opportunities=uptake,
                app_version="test",
            )
        )
    return made


def write_summaries(folder: Path, made: list[CohortSummary]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, summary in enumerate(made):
        (folder / f"trainee-{number:05}{SUMMARY_SUFFIX}").write_bytes(summary.to_bytes())
    return folder
