"""Cohort summaries: the trainee's anonymised summary for their CLM, and the mentor's view of
many summaries (figures, CSV; the PDF is gathered by ``portfolio.reports.cohort_report``).

Figures are computed with exact fractions, so a cohort of 10 with 4 QI-active trainees reads
"4 of 10 (40%)" wherever it is shown. Quartiles are those of ``statistics.quantiles(...,
method="inclusive")``: for a single trainee every quartile is their own count.
"""

from __future__ import annotations

import csv
import io
import statistics
import uuid as uuid_module
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio import __version__
from portfolio.curriculum import gpc
from portfolio.errors import InvalidInput
from portfolio.formats.cohort_summary import (
    DOMAINS,
    ROLE_TYPES,
    SUMMARY_SUFFIX,
    CohortSummary,
    Uptake,
    read_summary,
    role_type,
)
from portfolio.kinds import KINDS, template
from portfolio.models import Opportunity
from portfolio.reproducible import source_date
from portfolio.services.curricula import CurriculumService
from portfolio.services.dto import EvidenceDetail
from portfolio.services.evidence import EvidenceQuery, EvidenceService
from portfolio.services.opportunities import TAKEN_UP, OpportunityService
from portfolio.services.profile import ProfileService, require_profile
from portfolio.storage.files import write_atomically

BANDS = ("0", "1–2", "3–5", "6+")
"""Trainees by the number of items they hold in a domain."""

SMALL_NUMBER = 5
"""Counts from 1 to 4 are shown as "fewer than 5", and no share or spread is computed from them
(NHS statistical disclosure practice): in a small group they can point to one trainee."""
FEWER = "fewer than 5"
EVERYONE = "All trainees"
NO_TRUST = "Trust not given"
NO_GRADE = "Grade not given"
"""The overall group's name, and how a summary without a Trust (or a grade) is grouped."""


def is_small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER


def shown(count: int) -> str:
    """A count as the mentor's view shows it: "fewer than 5" for 1 to 4."""
    return FEWER if is_small(count) else str(count)


# -- the trainee's summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryOptions:
    date_from: date | None = None
    date_to: date | None = None
    """The period; by default the training period of the profile (or everything)."""
    named: bool = False
    """Include the trainee's name and GMC number (they opt in); anonymous by default."""


@dataclass(frozen=True)
class SummaryPreview:
    """Exactly what ``write_summary`` writes: ``data`` are the file's bytes."""

    summary: CohortSummary
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


# -- the mentor's view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True)
class CohortLoad:
    summaries: tuple[CohortSummary, ...]
    sources: tuple[str, ...]
    """The file each summary came from, in the same order."""
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def percent(self) -> int:
        """Whole per cent, halves rounded up."""
        return int(self.fraction * 100 + Fraction(1, 2))

    @property
    def suppressed(self) -> bool:
        """Computed from a small count or a small group: not to be shown (SMALL_NUMBER)."""
        return is_small(self.count) or is_small(self.total)

    @property
    def shown_percent(self) -> str:
        return "not shown" if self.suppressed else f"{self.percent}%"

    def __str__(self) -> str:
        if self.suppressed:
            return f"{shown(self.count)} of {shown(self.total)}"
        return f"{self.count} of {self.total} ({self.percent}%)"


@dataclass(frozen=True)
class Distribution:
    """Items per trainee in one GPC domain."""

    code: str
    title: str
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float
    bands: tuple[int, int, int, int]
    """Trainees holding 0, 1–2, 3–5 and 6 or more items in the domain."""

    @property
    def without(self) -> int:
        return self.bands[0]


@dataclass(frozen=True)
class KindFigures:
    kind: str
    title: str
    trainees: int
    """Trainees with at least one item of the kind."""
    items: int


@dataclass(frozen=True)
class OpportunityUptake:
    catalogue_id: str
    opportunity_id: str
    title: str
    """From a catalogue held here; empty when unknown."""
    kind: str
    by_status: dict[str, int]

    @property
    def taken_up(self) -> int:
        return sum(self.by_status.get(s, 0) for s in TAKEN_UP)


@dataclass(frozen=True)
class GroupFigures:
    """The headline figures of a group of trainees (one Trust, or everyone)."""

    name: str
    trainees: int
    qi_activity: Share
    leadership: Share
    taken_up: Share
    """Trainees participating in or having completed at least one opportunity."""
    median_items: float
    median_domains_covered: float
    without: dict[str, int]
    """Trainees with no item in each domain."""


@dataclass(frozen=True)
class CohortFigures:
    overall: GroupFigures
    domains: tuple[Distribution, ...]
    kinds: tuple[KindFigures, ...]
    role_types: dict[str, int]
    """Leadership roles held, by type, over the cohort."""
    opportunities: tuple[OpportunityUptake, ...]
    trusts: tuple[GroupFigures, ...]
    """One per Trust, when summaries come from more than one Trust (else empty)."""
    grades: dict[str, int]
    period_from: date | None
    period_to: date | None
    named: int
    """Summaries whose trainee chose to be named."""
    skipped: tuple[Skipped, ...] = ()
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def trainees(self) -> int:
        return self.overall.trainees


class CohortService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        profile: ProfileService,
        evidence: EvidenceService,
        opportunities: OpportunityService,
    ) -> None:
        self._sessions = sessions
        self._profile = profile
        self._evidence = evidence
        self._opportunities = opportunities

    # -- the trainee's side ------------------------------------------------------------------

    def preview_summary(self, options: SummaryOptions = SummaryOptions()) -> SummaryPreview:
        """The summary as it would be written, with a new random summary id. Private items and
        items in the trash are left out; nothing but counts and fixed-list values is taken."""
        profile = require_profile(self._profile.get())
        date_from = options.date_from or profile.training_start
        date_to = options.date_to or profile.training_end
        if date_from and date_to and date_from > date_to:
            raise InvalidInput(f"The period starts ({date_from}) after it ends ({date_to}).")
        query = EvidenceQuery(date_from=date_from, date_to=date_to, include_private=False)
        items = self._evidence.list(query)
        domains: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        domain_map = CurriculumService(self._sessions).domain_map()
        for item in items:
            kinds[item.kind] += 1
            domains.update(domain_map.domains_of(item.domains))
        roles: Sequence[EvidenceDetail] = self._evidence.details(
            EvidenceQuery(
                kind="leadership_role", date_from=date_from, date_to=date_to, include_private=False
            )
        )
        role_types = Counter(role_type(str(r.fields.get("role", "")), r.title) for r in roles)
        uptake = tuple(
            Uptake(t.catalogue_id, t.opportunity_uuid, t.kind, t.progress.status)
            for t in sorted(
                self._opportunities.tracked(), key=lambda t: (t.catalogue_id, t.opportunity_uuid)
            )
        )
        qi = kinds["qi_project"] > 0 or any(
            u.kind == "project" and u.status in TAKEN_UP for u in uptake
        )
        summary = CohortSummary(
            summary_id=str(uuid_module.uuid4()),
            created_on=generated_now().date(),
            trust=profile.trust,
            grade=profile.grade,
            period_from=date_from,
            period_to=date_to,
            trainee_name=profile.name if options.named else None,
            trainee_gmc=profile.gmc_number if options.named else None,
            evidence_items=len(items),
            domains={c: domains[c] for c in DOMAINS},
            kinds={k: kinds[k] for k in KINDS},
            qi_activity=qi,
            leadership_roles=len(roles),
            role_types={t: role_types[t] for t in ROLE_TYPES},
            opportunities=uptake,
            app_version=__version__,
        )
        return SummaryPreview(summary, summary.to_bytes())

    def write_summary(self, out: Path, preview: SummaryPreview | None = None) -> SummaryPreview:
        """Write ``preview`` (the one the trainee saw) byte for byte; a fresh one if None."""
        preview = preview or self.preview_summary()
        write_atomically(Path(out), preview.data)
        return preview

    # -- the mentor's side -------------------------------------------------------------------

    def load(self, paths: Iterable[Path]) -> CohortLoad:
        """Read summaries from files and folders (``*.gpccohort`` inside a folder). Malformed
        files and repeats of a summary id already read are skipped and reported."""
        files: list[Path] = []
        skipped: list[Skipped] = []
        for path in map(Path, paths):
            if path.is_dir():
                files += sorted(
                    p for p in path.iterdir() if p.suffix.lower() == SUMMARY_SUFFIX and p.is_file()
                )
            else:
                files.append(path)
        seen: dict[str, str] = {}
        summaries: list[CohortSummary] = []
        sources: list[str] = []
        for path in files:
            try:
                summary = read_summary(path)
            except InvalidInput as error:
                skipped.append(Skipped(str(path), str(error)))
                continue
            if summary.summary_id in seen:
                skipped.append(
                    Skipped(
                        str(path),
                        f"{path.name} repeats the summary "
                        f"{summary.summary_id} already read from "
                        f"{Path(seen[summary.summary_id]).name}; counted once.",
                    )
                )
                continue
            seen[summary.summary_id] = str(path)
            summaries.append(summary)
            sources.append(str(path))
        return CohortLoad(tuple(summaries), tuple(sources), tuple(skipped))

    def figures(self, load: CohortLoad) -> CohortFigures:
        with self._sessions() as session:
            titles = {
                uuid: title
                for uuid, title in session.execute(select(Opportunity.uuid, Opportunity.title))
            }
        return cohort_figures(load.summaries, titles=titles, skipped=load.skipped)

    @staticmethod
    def write_csv(out: Path, figures: CohortFigures) -> Path:
        return write_atomically(Path(out), cohort_csv(figures).encode("utf-8"))


# -- figures --------------------------------------------------------------------------------------


def generated_now() -> datetime:
    """When a summary or figures are made: ``SOURCE_DATE_EPOCH`` when set, else now."""
    return source_date() or datetime.now(UTC)


def _quartiles(values: Sequence[int]) -> tuple[float, float, float]:
    if len(values) == 1:
        return float(values[0]), float(values[0]), float(values[0])
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def _band(count: int) -> int:
    return 0 if count == 0 else 1 if count <= 2 else 2 if count <= 5 else 3


def _group(name: str, summaries: Sequence[CohortSummary]) -> GroupFigures:
    n = len(summaries)
    return GroupFigures(
        name=name,
        trainees=n,
        qi_activity=Share(sum(1 for s in summaries if s.qi_activity), n),
        leadership=Share(sum(1 for s in summaries if s.leadership_roles > 0), n),
        taken_up=Share(
            sum(1 for s in summaries if any(u.status in TAKEN_UP for u in s.opportunities)), n
        ),
        median_items=float(statistics.median([s.evidence_items for s in summaries])),
        median_domains_covered=float(
            statistics.median([sum(1 for c in DOMAINS if s.domains[c] > 0) for s in summaries])
        ),
        without={c: sum(1 for s in summaries if s.domains[c] == 0) for c in DOMAINS},
    )


def cohort_figures(
    summaries: Sequence[CohortSummary],
    *,
    titles: dict[str, str] | None = None,
    skipped: Sequence[Skipped] = (),
) -> CohortFigures:
    """The mentor's figures for a cohort (each summary counted once, as given)."""
    if not summaries:
        raise InvalidInput(
            "No cohort summaries could be read"
            + (f" ({len(skipped)} skipped)." if skipped else ".")
        )
    titles = titles or {}
    domain_titles = {node.code: node.title for node in gpc().top_level()}
    distributions = []
    for code in DOMAINS:
        values = sorted(s.domains[code] for s in summaries)
        q1, median, q3 = _quartiles(values)
        bands = [0, 0, 0, 0]
        for value in values:
            bands[_band(value)] += 1
        distributions.append(
            Distribution(
                code,
                domain_titles.get(code, ""),
                float(values[0]),
                q1,
                median,
                q3,
                float(values[-1]),
                (bands[0], bands[1], bands[2], bands[3]),
            )
        )
    kinds = tuple(
        KindFigures(
            kind,
            template(kind).title,
            sum(1 for s in summaries if s.kinds.get(kind, 0) > 0),
            sum(s.kinds.get(kind, 0) for s in summaries),
        )
        for kind in KINDS
    )
    role_types = {t: sum(s.role_types.get(t, 0) for s in summaries) for t in ROLE_TYPES}
    uptake: dict[tuple[str, str], tuple[str, Counter[str]]] = {}
    for s in summaries:
        for u in s.opportunities:
            _, counts = uptake.setdefault((u.catalogue_id, u.opportunity_id), (u.kind, Counter()))
            counts[u.status] += 1
    opportunities = tuple(
        sorted(
            (
                OpportunityUptake(cat, opp, titles.get(opp, ""), kind, dict(counts))
                for (cat, opp), (kind, counts) in uptake.items()
            ),
            key=lambda o: (-o.taken_up, -sum(o.by_status.values()), o.title, o.opportunity_id),
        )
    )
    by_trust: dict[str, list[CohortSummary]] = {}
    for s in summaries:
        by_trust.setdefault(s.trust or NO_TRUST, []).append(s)
    trusts = (
        tuple(_group(name, group) for name, group in sorted(by_trust.items()))
        if len(by_trust) > 1
        else ()
    )
    starts = [s.period_from for s in summaries if s.period_from]
    ends = [s.period_to for s in summaries if s.period_to]
    return CohortFigures(
        overall=_group(EVERYONE, summaries),
        domains=tuple(distributions),
        kinds=kinds,
        role_types=role_types,
        opportunities=opportunities,
        trusts=trusts,
        grades=dict(sorted(Counter(s.grade or NO_GRADE for s in summaries).items())),
        period_from=min(starts) if starts else None,
        period_to=max(ends) if ends else None,
        named=sum(1 for s in summaries if s.trainee_name),
        skipped=tuple(skipped),
        generated_at=generated_now(),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def cohort_csv(figures: CohortFigures) -> str:
    """One figure per row: scope (``all`` or ``trust:NAME``), measure, category, value. Counts
    from 1 to 4 read "fewer than 5"; shares and spreads computed from them are left empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scope", "measure", "category", "value"])
    small_cohort = is_small(figures.trainees)
    groups = [("all", figures.overall), *((f"trust:{g.name}", g) for g in figures.trusts)]
    for scope, g in groups:
        small_group = is_small(g.trainees)
        writer.writerow([scope, "trainees", "", shown(g.trainees)])
        for measure, share in (
            ("qi_activity", g.qi_activity),
            ("leadership_role", g.leadership),
            ("opportunity_taken_up", g.taken_up),
        ):
            writer.writerow([scope, f"{measure}_count", "", shown(share.count)])
            writer.writerow(
                [scope, f"{measure}_percent", "", "" if share.suppressed else share.percent]
            )
        for measure, value in (
            ("median_items", g.median_items),
            ("median_domains_covered", g.median_domains_covered),
        ):
            writer.writerow([scope, measure, "", "" if small_group else _number(value)])
        for code in DOMAINS:
            writer.writerow([scope, "trainees_without_evidence", code, shown(g.without[code])])
    for d in figures.domains:
        for measure, value in (
            ("min", d.minimum),
            ("q1", d.lower_quartile),
            ("median", d.median),
            ("q3", d.upper_quartile),
            ("max", d.maximum),
        ):
            shown_value = "" if small_cohort else _number(value)
            writer.writerow(["all", f"domain_items_{measure}", d.code, shown_value])
        for band, count in zip(BANDS, d.bands, strict=True):
            writer.writerow(["all", f"domain_trainees_with_{band}_items", d.code, shown(count)])
    for k in figures.kinds:
        writer.writerow(["all", "kind_trainees", k.kind, shown(k.trainees)])
        writer.writerow(["all", "kind_items", k.kind, shown(k.items)])
    for role, count in figures.role_types.items():
        writer.writerow(["all", "leadership_roles_held", role, shown(count)])
    for grade, count in figures.grades.items():
        writer.writerow(["all", "grade", grade, shown(count)])
    for o in figures.opportunities:
        for status in ("interested", "applied", "participating", "completed"):
            writer.writerow(
                [
                    "all",
                    f"opportunity_{status}",
                    f"{o.catalogue_id}/{o.opportunity_id}",
                    shown(o.by_status.get(status, 0)),
                ]
            )
    writer.writerow(["all", "summaries_skipped", "", len(figures.skipped)])
    return buffer.getvalue()
