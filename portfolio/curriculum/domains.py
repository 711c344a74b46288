"""Which GPC domains a linked code counts towards, defined once for the whole app.

A GPC domain counts towards itself and a sub-heading towards its domain (GPC6.2 → GPC6). A
capability of another curriculum counts towards the domains of the GPC codes its file maps it
to. A code that maps to nothing (a group heading) or that no curriculum knows counts towards no
domain. Coverage, the dashboard, the evidence filter, the cohort summary and every report ask
:func:`domain_map`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from portfolio.curriculum import GPC_ID, Curriculum, builtin_curricula, gpc
from portfolio.errors import InvalidInput

__all__ = ["DomainMap", "domain_map", "gpc_domain_of"]


def gpc_domain_of(gpc_code: str) -> str:
    """The domain of a GPC domain or sub-heading code: ``GPC6.2`` → ``GPC6``."""
    return gpc_code.split(".", 1)[0]


@dataclass(frozen=True)
class DomainMap:
    targets: Mapping[str, tuple[str, ...]]
    """Every known code → the GPC codes (domains or sub-headings) it counts towards."""
    _folded: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _domains: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _order: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._folded.update((code.casefold(), code) for code in self.targets)
        self._domains.update(
            (code, frozenset(gpc_domain_of(t) for t in targets))
            for code, targets in self.targets.items()
        )
        self._order.update((code, n) for n, code in enumerate(gpc().codes()))

    @classmethod
    def of(cls, curricula: Iterable[Curriculum]) -> DomainMap:
        targets: dict[str, tuple[str, ...]] = {}
        for curriculum in curricula:
            for node in curriculum:
                own = (node.code,) if curriculum.id == GPC_ID else node.maps_to
                targets[node.code] = own
        return cls(targets)

    def gpc_codes(self, code: str) -> tuple[str, ...]:
        """The GPC codes ``code`` counts towards; empty for a group or an unknown code."""
        code = self._folded.get(code.strip().casefold(), code)
        return self.targets.get(code, ())

    def domains_of(self, codes: Iterable[str]) -> tuple[str, ...]:
        """The GPC domains (GPC1 … GPC9) a set of linked codes counts towards, in GPC order."""
        found: set[str] = set()
        for code in codes:
            found |= self._domains.get(self._folded.get(code.strip().casefold(), code), frozenset())
        return tuple(sorted(found, key=self._order.__getitem__))

    def codes_within(self, gpc_code: str) -> list[str]:
        """Every known code whose links count towards a GPC domain or sub-heading."""
        node = gpc().find(gpc_code) if isinstance(gpc_code, str) else None
        if node is None or node.kind not in ("domain", "subheading"):
            raise InvalidInput(
                f"Unknown domain code '{gpc_code}'; use GPC1 … GPC9 or a sub-heading such as GPC6.2."
            )
        wanted = node.code

        def within(target: str) -> bool:
            return target == wanted or target.startswith(wanted + ".")

        return [c for c, targets in self.targets.items() if any(within(t) for t in targets)]


@lru_cache(maxsize=16)
def domain_map(imported: tuple[Curriculum, ...] = ()) -> DomainMap:
    """The map of every built-in curriculum and of a portfolio's ``imported`` curricula
    (``CurriculumService.domain_map`` passes them)."""
    return DomainMap.of((*builtin_curricula(), *imported))
