"""The mentor's demo cohort: the demo trainee's own anonymised summary (made by the ordinary
service) and 26 fictional peers' from two Trusts, written as ``.gpccohort`` files.

The peers are generated from the small plans below rather than written out one by one: the
plans say what the mentor's charts show (most figures 5 or more, a few "fewer than 5" so that
the suppression shows too), and fixed arithmetic spreads them over the peers."""

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
from portfolio.services.opportunities import TAKEN_UP
from portfolio.storage.files import write_atomically

if TYPE_CHECKING:
    from portfolio.app import Portfolio

COHORT_FOLDER = "cohort"
CREATED_ON = date(2026, 7, 24)
PERIOD = (date(2025, 8, 6), date(2026, 8, 4))

PEERS_PER_TRUST = 13
"""With the demo trainee's own summary, 14 trainees from their Trust and 13 from the other: big
enough that most figures show, small enough that a few are still "fewer than 5"."""
TRUSTS = (
    # Trust, peers with a QI activity, peers holding a leadership role
    (TRUST, 8, 6),
    (OTHER_TRUST, 6, 3),  # 3 leaders: fewer than 5, so that Trust's share is not shown
)
DOMAIN_BANDS = {
    # how many of the 26 peers hold 0, 1–2, 3–5 and 6 or more items in each GPC domain; with
    # the demo trainee's (6+ in GPC1–3, 5, 6 and 8; 3–5 in GPC4, 7 and 9) every band is 0 or 5+
    "GPC1": (0, 5, 10, 11),
    "GPC2": (0, 0, 6, 20),
    "GPC3": (0, 6, 11, 9),
    "GPC4": (6, 9, 8, 3),  # 3 with 6+: fewer than 5, so the domain's bar is drawn grey
    "GPC5": (0, 7, 10, 9),
    "GPC6": (0, 5, 9, 12),
    "GPC7": (7, 10, 9, 0),
    "GPC8": (0, 8, 11, 7),
    "GPC9": (9, 11, 6, 0),
}
UPTAKE = (
    # what the peers of the demo trainee's Trust recorded about each opportunity, in the
    # catalogue's order; the trainee's own completed, participating, applied and interested
    # (the second to fifth) make those counts 5 or more
    ("completed",) * 2,  # two representatives: fewer than 5, so the bar is drawn grey
    ("completed",) * 5,
    ("participating",) * 4,
    ("applied",) * 4 + ("completed",) * 6,
    ("interested",) * 4,
    ("interested",) * 7,
)
ROLE_TYPES_HELD = ("junior_doctors_committee", "rota_lead")
"""A leader's role and, for some, a second one."""
KIND_WEIGHTS = {
    # how the items other than QI projects and leadership roles divide between the kinds
    "reflection": 14,
    "significant_event": 2,
    "teamwork": 1,
    "teaching": 3,
    "course": 6,
    "supervisor_meeting": 6,
    "pdp_item": 3,
    "assessment": 12,
}


def write_cohort(portfolio: Portfolio, folder: Path) -> Path:
    """The cohort folder the mentor opens, with the demo trainee's summary among the peers'."""
    cohort = folder / COHORT_FOLDER
    cohort.mkdir(exist_ok=True)
    own = portfolio.cohort.preview_summary().summary
    summaries = [replace(own, summary_id=_summary_id("trainee"), created_on=CREATED_ON), *peers()]
    for number, summary in enumerate(summaries, start=1):
        write_atomically(cohort / f"trainee-{number:02}{SUMMARY_SUFFIX}", summary.to_bytes())
    return cohort


def peers() -> list[CohortSummary]:
    """The fictional peers, alternately from each Trust, every count following from the plans
    above by fixed arithmetic: the same on every run."""
    count = PEERS_PER_TRUST * len(TRUSTS)
    domains = {
        code: _domain_counts(d, bands, count)
        for d, (code, bands) in enumerate(DOMAIN_BANDS.items())
    }
    uptake = _uptake(TRUSTS[0][1])
    made = []
    for index in range(count):
        trust, with_qi, leaders = TRUSTS[index % len(TRUSTS)]
        number = index // len(TRUSTS)
        qi = number < with_qi
        leader = (number + 7) % PEERS_PER_TRUST < leaders  # some of them QI-active too
        roles = 1 + (number % 3 == 0) if leader else 0
        counts = {code: domains[code][index] for code in DOMAINS}
        steps = uptake.get(number, {}) if trust == TRUST else {}  # the catalogue is TRUST's
        made.append(_peer(index + 1, trust, counts, qi, roles, steps))
    return made


def _domain_counts(position: int, bands: tuple[int, ...], count: int) -> list[int]:
    """Items in one domain for each peer: peers take the bands in a fixed shuffled order (a
    different one for each domain), and spread within their band."""
    assert sum(bands) == count, "a domain's bands must hold every peer"
    starts = [sum(bands[:band]) for band in range(len(bands))]
    counts = []
    for index in range(count):
        rank = (7 * index + 5 * position) % count  # 7 and 26 share no factor: a permutation
        band = max(b for b, start in enumerate(starts) if start <= rank and bands[b])
        within = rank - starts[band]
        counts.append((0, 1 + within % 2, 3 + within % 3, 6 + within * 5 % 11)[band])
    return counts


def _uptake(with_qi: int) -> dict[int, dict[int, str]]:
    """Which of the first Trust's peers recorded what about each opportunity; a project taken
    up goes only to a peer with a QI activity, as the trainee's own summary would say."""
    steps: dict[int, dict[int, str]] = {}
    for opportunity, statuses in enumerate(UPTAKE):
        for step, status in enumerate(statuses):
            project = OPPORTUNITIES[opportunity].kind == "project" and status in TAKEN_UP
            among = with_qi if project else PEERS_PER_TRUST
            peer = (3 * opportunity + step) % among  # each opportunity from its own start
            steps.setdefault(peer, {})[opportunity] = status
    return steps


def _split(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` divided in proportion to ``weights``; what rounding leaves to the largest
    remainders."""
    whole = sum(weights.values())
    counts = {kind: total * weight // whole for kind, weight in weights.items()}
    left = total - sum(counts.values())
    for kind in sorted(weights, key=lambda k: -(total * weights[k] % whole))[:left]:
        counts[kind] += 1
    return counts


def _summary_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gpc-portfolio:demo:cohort:{name}"))


def _peer(
    number: int,
    trust: str,
    domains: dict[str, int],
    qi: bool,
    roles: int,
    steps: dict[int, str],
) -> CohortSummary:
    items = max(max(domains.values()), round(sum(domains.values()) * 0.6))
    qi_projects = 1 + number % 2 if qi else 0
    kinds = _split(items - qi_projects - roles, KIND_WEIGHTS)
    kinds.update(qi_project=qi_projects, leadership_role=roles)
    return CohortSummary(
        summary_id=_summary_id(f"peer {number}"),
        created_on=CREATED_ON,
        trust=trust,
        grade="FY2",
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        trainee_name=None,
        trainee_gmc=None,
        evidence_items=items,
        domains=domains,
        kinds={kind: kinds[kind] for kind in KINDS},
        qi_activity=qi,
        leadership_roles=roles,
        role_types={t: sum(1 for held in ROLE_TYPES_HELD[:roles] if held == t) for t in ROLE_TYPES},
        opportunities=tuple(
            Uptake(CATALOGUE_ID, OPPORTUNITIES[i].id, OPPORTUNITIES[i].kind, status)
            for i, status in sorted(steps.items())
        ),
        app_version=__version__,
    )
