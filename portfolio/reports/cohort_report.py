"""The cohort report, from the application's side: read the summaries through the cohort
service, gather its figures into the plain model of ``portfolio.reports.cohort_model`` (small
numbers suppressed there, once), lay it out, and write the PDF atomically — the way
``portfolio.reports.gather`` does for the ARCP summary. The command line and the mentor's window
both call this, so the same summaries give the same PDF.

ReportLab is imported only inside the functions that lay out a PDF. With ``SOURCE_DATE_EPOCH``
set the generation date comes from it and the PDF is invariant: the same inputs give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from portfolio import __version__
from portfolio.formats.cohort_summary import DOMAINS, ROLE_TYPE_LABELS
from portfolio.reports.cohort_model import (
    STATUSES,
    CohortReport,
    Count,
    DomainSpread,
    Group,
    KindLine,
    RoleLine,
    Share,
    SkippedFile,
    UptakeLine,
)
from portfolio.reports.model import long_date
from portfolio.reproducible import reproducible
from portfolio.services import cohort as service
from portfolio.services.cohort import (
    BANDS,
    CohortFigures,
    CohortLoad,
    CohortService,
    GroupFigures,
    is_small,
)
from portfolio.vocabulary import OPPORTUNITY_KIND_LABELS


@dataclass(frozen=True)
class GatheredCohort:
    """One reading of a folder of summaries: the files read and skipped, and, when at least one
    could be read, the service's figures (for the CSV) and the report model (for the PDF and
    the window)."""

    load: CohortLoad
    figures: CohortFigures | None
    report: CohortReport | None


def gather_cohort(cohort: CohortService, inputs: Iterable[Path]) -> GatheredCohort:
    """Read and verify the summaries in ``inputs`` (files and folders) as ``cohort`` does: bad
    files are skipped with their reason and never counted."""
    load = cohort.load(inputs)
    if not load.summaries:
        return GatheredCohort(load, None, None)
    figures = cohort.figures(load)
    return GatheredCohort(load, figures, cohort_report(figures))


def cohort_pdf(report: CohortReport) -> bytes:
    """The report as PDF bytes; needs no database (the window renders it beside it)."""
    from portfolio.reports.cohort import render_cohort

    buffer = BytesIO()
    render_cohort(report, buffer, invariant=reproducible())
    return buffer.getvalue()


# -- gathering ----------------------------------------------------------------------------------


def cohort_report(figures: CohortFigures) -> CohortReport:
    n = figures.trainees
    small_cohort = is_small(n)
    return CohortReport(
        overall=_group(figures.overall),
        domains=tuple(
            DomainSpread(
                code=d.code,
                title=d.title,
                spread=None
                if small_cohort
                else (d.minimum, d.lower_quartile, d.median, d.upper_quartile, d.maximum),
                bands=(
                    _count(d.bands[0]),
                    _count(d.bands[1]),
                    _count(d.bands[2]),
                    _count(d.bands[3]),
                ),
                mostly_without=d.without * 2 > n,
            )
            for d in figures.domains
        ),
        kinds=tuple(
            KindLine(k.title, _share(service.Share(k.trainees, n)), _count(k.items))
            for k in figures.kinds
        ),
        roles=tuple(
            RoleLine(ROLE_TYPE_LABELS[role], _count(held))
            for role, held in figures.role_types.items()
        ),
        opportunities=tuple(
            UptakeLine(
                title=o.title,
                opportunity_id=o.opportunity_id,
                kind_label=OPPORTUNITY_KIND_LABELS.get(o.kind, o.kind),
                by_status=(
                    _count(o.by_status.get(STATUSES[0], 0)),
                    _count(o.by_status.get(STATUSES[1], 0)),
                    _count(o.by_status.get(STATUSES[2], 0)),
                    _count(o.by_status.get(STATUSES[3], 0)),
                ),
                taken_up=_count(o.taken_up),
            )
            for o in figures.opportunities
        ),
        trusts=tuple(_group(g) for g in figures.trusts),
        grades=tuple((grade, _count(count)) for grade, count in figures.grades.items()),
        period=_period(figures),
        named=_count(figures.named),
        skipped=tuple(SkippedFile(Path(s.source).name, s.reason) for s in figures.skipped),
        generated_at=figures.generated_at,
        app_version=__version__,
        bands=(BANDS[0], BANDS[1], BANDS[2], BANDS[3]),
    )


def _count(value: int) -> Count:
    small = is_small(value)
    return Count(
        value, service.shown(value), "<5" if small else str(value) if value else "–", small
    )


def _share(share: service.Share) -> Share:
    return Share(
        _count(share.count),
        _count(share.total),
        None if share.suppressed else share.percent,
        str(share),
    )


def _group(g: GroupFigures) -> Group:
    small = is_small(g.trainees)
    return Group(
        name=g.name,
        trainees=_count(g.trainees),
        qi_activity=_share(g.qi_activity),
        leadership=_share(g.leadership),
        taken_up=_share(g.taken_up),
        median_items=None if small else g.median_items,
        median_domains_covered=None if small else g.median_domains_covered,
        without=tuple(_count(g.without[code]) for code in DOMAINS),
    )


def _period(figures: CohortFigures) -> str:
    start, end = figures.period_from, figures.period_to
    if start and end:
        return f"{long_date(start)} to {long_date(end)}"
    if start:
        return f"from {long_date(start)}"
    if end:
        return f"to {long_date(end)}"
    return "all dates"
