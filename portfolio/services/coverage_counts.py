"""Coverage counted from rows, without SQLAlchemy: the one definition of how items by status
become each domain's (or capability's) counts, whether Core read the rows (``coverage``) or the
precompiled SQL of ``quick_reads`` did."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from portfolio.curriculum import Curriculum, gpc
from portfolio.curriculum.domains import domain_map, gpc_domain_of
from portfolio.services.read_models import Coverage, DomainCoverage, SignOffStatus
from portfolio.services.verification import shown_status
from portfolio.vocabulary import SHOWN_STATUSES

Counts = defaultdict[str, Counter[str]]
"""Items by status, for each code counted towards."""
Towards = Mapping[str, Iterable[str]]
"""For each linked code, the keys (domains, capabilities) it counts towards."""


def gpc_towards(imported: Sequence[Curriculum]) -> dict[str, set[str]]:
    """The GPC domains each code counts towards (its own, or those its targets lie in)."""
    targets = domain_map(tuple(imported)).targets
    return {
        code: {gpc_domain_of(target) for target in gpc_codes} for code, gpc_codes in targets.items()
    }


def counts_of(
    towards: Towards,
    grouped: Iterable[Any],
    reviewed: Iterable[Any],
    verified: Mapping[int, SignOffStatus],
) -> Counts:
    """Items by shown status for each key that a code they link to counts ``towards``, each item
    once per key. ``grouped``: (codes joined by a space, status, number of items) of the items
    not reviewed; ``reviewed``: (id, status column, code) of each link of a reviewed item, whose
    status is its ``verified`` sign-off's."""
    counts: Counts = defaultdict(Counter)

    def add(codes: Iterable[str], status: str, number: int) -> None:
        for key in set().union(*(towards.get(code, ()) for code in codes)):
            counts[key][status] += number

    for codes, status, number in grouped:
        add(codes.split(" "), status, number)  # codes never hold a space
    linked: defaultdict[int, list[str]] = defaultdict(list)
    status_of: dict[int, str] = {}
    for evidence_id, status, code in reviewed:
        linked[evidence_id].append(code)
        status_of[evidence_id] = status
    for evidence_id, codes in linked.items():
        add(codes, shown_status(status_of[evidence_id], verified.get(evidence_id)), 1)
    return counts


def coverage_from(totals: Iterable[Any], counts: Counts) -> Coverage:
    """The nine GPC domains' coverage; ``totals``: (status column, number) of the live items."""
    by_status = dict(totals)
    domains = tuple(row_of(node.code, node.title, counts) for node in gpc().top_level())
    return Coverage(domains, by_status.get("ready", 0), sum(by_status.values()))


_ORDER = {str(status): n for n, status in enumerate(SHOWN_STATUSES)}


def row_of(code: str, title: str, counts: Counts) -> DomainCoverage:
    """``by_status`` lists the statuses in the vocabulary's order."""
    found = counts[code]
    by_status = {s: found[s] for s in sorted(found, key=lambda s: _ORDER.get(s, len(_ORDER)))}
    return DomainCoverage(code, title, sum(by_status.values()), by_status)
