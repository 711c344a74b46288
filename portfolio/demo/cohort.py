"""The mentor's demo cohort: the demo trainee's own anonymised summary (made by the ordinary
service) and seven fictional peers' from two Trusts, written as ``.gpccohort`` files."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio import __version__
from portfolio.demo.content import TRUST
from portfolio.demo.opportunities import CATALOGUE_ID, OPPORTUNITIES
from portfolio.demo.people import OTHER_TRUST
from portfolio.formats.cohort_summary import (
    DOMAINS,
    ROLE_TYPES,
    SUMMARY_SUFFIX,
    CohortSummary,
    Uptake,
)
from portfolio.kinds import KINDS
from portfolio.storage.files import write_atomically

if TYPE_CHECKING:
    from portfolio.app import Portfolio

COHORT_FOLDER = "cohort"
CREATED_ON = date(2026, 7, 24)
PERIOD = (date(2025, 8, 6), date(2026, 8, 4))

Peer = tuple[str, tuple[int, ...], tuple[int, ...], bool, int, dict[int, str]]
PEERS: tuple[Peer, ...] = (
    # trust, items per GPC1..GPC9, items per kind (in KINDS order), QI, roles, opportunity steps
    (
        TRUST,
        (9, 14, 5, 3, 4, 7, 3, 4, 6),
        (14, 1, 2, 1, 0, 3, 6, 6, 3, 12),
        True,
        1,
        {1: "completed", 3: "applied"},
    ),
    (
        TRUST,
        (6, 10, 2, 0, 1, 2, 1, 2, 3),
        (9, 0, 1, 0, 1, 2, 4, 5, 2, 8),
        False,
        0,
        {3: "interested"},
    ),
    (
        TRUST,
        (11, 16, 6, 5, 7, 9, 4, 6, 8),
        (16, 2, 2, 2, 1, 4, 7, 6, 4, 14),
        True,
        2,
        {0: "completed", 4: "participating"},
    ),
    (
        TRUST,
        (7, 12, 3, 2, 3, 4, 2, 1, 4),
        (11, 1, 1, 1, 0, 1, 5, 6, 3, 10),
        True,
        1,
        {2: "participating"},
    ),
    (OTHER_TRUST, (8, 11, 4, 1, 2, 3, 2, 3, 5), (12, 0, 2, 1, 0, 2, 5, 5, 3, 11), False, 1, {}),
    (OTHER_TRUST, (5, 8, 2, 0, 0, 1, 1, 1, 2), (7, 0, 1, 0, 0, 1, 3, 4, 2, 7), False, 0, {}),
    (OTHER_TRUST, (10, 13, 5, 2, 4, 6, 3, 2, 6), (13, 1, 2, 1, 1, 2, 6, 6, 3, 12), True, 1, {}),
)


def write_cohort(portfolio: Portfolio, folder: Path) -> Path:
    """The cohort folder the mentor opens, with the demo trainee's summary among the peers'."""
    cohort = folder / COHORT_FOLDER
    cohort.mkdir(exist_ok=True)
    own = portfolio.cohort.preview_summary().summary
    summaries = [replace(own, summary_id=_summary_id("trainee"), created_on=CREATED_ON)]
    summaries += [_peer(number, *peer) for number, peer in enumerate(PEERS, start=1)]
    for number, summary in enumerate(summaries, start=1):
        write_atomically(cohort / f"trainee-{number:02}{SUMMARY_SUFFIX}", summary.to_bytes())
    return cohort


def _summary_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gpc-portfolio:demo:cohort:{name}"))


def _peer(
    number: int,
    trust: str,
    domains: tuple[int, ...],
    kinds: tuple[int, ...],
    qi: bool,
    roles: int,
    steps: dict[int, str],
) -> CohortSummary:
    return CohortSummary(
        summary_id=_summary_id(f"peer {number}"),
        created_on=CREATED_ON,
        trust=trust,
        grade="FY2",
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        trainee_name=None,
        trainee_gmc=None,
        evidence_items=sum(kinds),
        domains=dict(zip(DOMAINS, domains, strict=True)),
        kinds=dict(zip(KINDS, kinds, strict=True)),
        qi_activity=qi,
        leadership_roles=roles,
        role_types={t: (roles if t == "junior_doctors_committee" else 0) for t in ROLE_TYPES},
        opportunities=tuple(
            Uptake(CATALOGUE_ID, OPPORTUNITIES[i].id, OPPORTUNITIES[i].kind, status)
            for i, status in sorted(steps.items())
        ),
        app_version=__version__,
    )
