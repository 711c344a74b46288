"""Which GPC domain each curriculum code counts towards.

GPC codes count towards their own domain (GPC6.2 → GPC6); a capability from another curriculum
counts towards the GPC codes it maps to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.errors import InvalidInput
from portfolio.models import CurriculumNode


def gpc_domain_of(code: str) -> str:
    return code.split(".", 1)[0]


@dataclass(frozen=True)
class DomainMap:
    maps_to: dict[str, tuple[str, ...]]
    """Every known code → the GPC codes it counts towards (a GPC code → itself)."""

    @classmethod
    def load(cls, session: Session) -> DomainMap:
        mapping: dict[str, tuple[str, ...]] = {}
        for code, curriculum_id, maps_to in session.execute(
            select(CurriculumNode.code, CurriculumNode.curriculum_id, CurriculumNode.maps_to)
        ):
            mapping[code] = (code,) if curriculum_id == "gpc-2017" else tuple(maps_to.split())
        return cls(mapping)

    def codes_within(self, code: str) -> list[str]:
        """Every code whose links count towards ``code`` (a domain or a sub-heading)."""
        wanted = next((c for c in self.maps_to if c.casefold() == code.strip().casefold()), None)
        if wanted is None or not wanted.upper().startswith("GPC"):
            raise InvalidInput(
                f"Unknown domain code '{code}'; use GPC1 … GPC9 or a sub-heading such as GPC6.2."
            )

        def within(target: str) -> bool:
            return target == wanted or target.startswith(wanted + ".")

        return [c for c, targets in self.maps_to.items() if any(within(t) for t in targets)]
