"""What the cohort report shows: plain frozen dataclasses, filled by
``portfolio.reports.cohort_report`` from the cohort service's figures.

Like ``portfolio.reports.model`` for the ARCP summary, nothing here knows about databases,
services or Qt, and every text is final: labels are resolved and small numbers are already
suppressed (a count from 1 to 4 carries "fewer than 5", a share computed from one carries no
percent). The PDF (``portfolio.reports.cohort``) and the mentor's window draw from the same
model, so they can never suppress differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATUSES = ("interested", "applied", "participating", "completed")
"""The columns of the uptake table, in order."""


@dataclass(frozen=True)
class Count:
    value: int
    shown: str
    """In a sentence: "fewer than 5" for 1 to 4."""
    cell: str
    """In a narrow cell: "<5" for 1 to 4, "–" for none."""
    small: bool
    """1 to 4: not to be shown, nor anything computed from it."""


@dataclass(frozen=True)
class Share:
    count: Count
    total: Count
    percent: int | None
    """Whole per cent; None when computed from a small count or a small group."""
    sentence: str
    """"4 of 10 (40%)", or "fewer than 5 of 10"."""

    @property
    def shown_percent(self) -> str:
        return "not shown" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class Group:
    """The headline figures of one Trust, or of everyone."""

    name: str
    trainees: Count
    qi_activity: Share
    leadership: Share
    taken_up: Share
    median_items: float | None
    """None in a small group."""
    median_domains_covered: float | None
    without: tuple[Count, ...]
    """Trainees with no item in each domain, in the order of ``CohortReport.domains``."""


@dataclass(frozen=True)
class DomainSpread:
    code: str
    title: str
    spread: tuple[float, float, float, float, float] | None
    """Minimum, quartiles and maximum of items per trainee; None in a small cohort."""
    bands: tuple[Count, Count, Count, Count]
    """Trainees holding 0, 1–2, 3–5 and 6 or more items."""
    mostly_without: bool
    """More than half the cohort has nothing in the domain."""

    @property
    def bands_hidden(self) -> bool:
        """A band is small: bar widths would give it away."""
        return any(band.small for band in self.bands)


@dataclass(frozen=True)
class KindLine:
    title: str
    trainees: Share
    """Trainees with at least one item of the kind, of the cohort."""
    items: Count


@dataclass(frozen=True)
class RoleLine:
    label: str
    held: Count


@dataclass(frozen=True)
class UptakeLine:
    title: str
    """From a catalogue held here; empty when unknown."""
    opportunity_id: str
    kind_label: str
    by_status: tuple[Count, Count, Count, Count]
    """Trainees per status, in the order of ``STATUSES``."""
    taken_up: Count
    """Participating or completed."""


@dataclass(frozen=True)
class SkippedFile:
    name: str
    reason: str


@dataclass(frozen=True)
class CohortReport:
    overall: Group
    domains: tuple[DomainSpread, ...]
    kinds: tuple[KindLine, ...]
    roles: tuple[RoleLine, ...]
    opportunities: tuple[UptakeLine, ...]
    """Most taken up first."""
    trusts: tuple[Group, ...]
    """One per Trust, when summaries come from more than one (else empty)."""
    grades: tuple[tuple[str, Count], ...]
    period: str
    named: Count
    """Summaries whose trainee chose to be named."""
    skipped: tuple[SkippedFile, ...]
    generated_at: datetime
    app_version: str
    bands: tuple[str, str, str, str]
    """The captions of the bands: "0", "1–2", "3–5", "6+"."""

    @property
    def trainees(self) -> Count:
        return self.overall.trainees

    @property
    def small_cohort(self) -> bool:
        return self.overall.trainees.small
