"""The cohort figures of a deanery store, computed in SQL (GROUP BY, PostgreSQL's
``percentile_cont``) into the file-based view's own ``CohortFigures``.

Nothing here suppresses or words a number: the figures are handed to the same
``cohort_csv``, ``cohort_report`` and JSON as the file-based view's, which apply the one
small-number rule (``portfolio.services.cohort.is_small``). The quartiles are
``percentile_cont``'s linear interpolation, the method ``statistics.quantiles(...,
method="inclusive")`` uses, and the order of Trusts, grades and opportunities is made in Python,
so the same summaries give the same figures whichever way they were read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from portfolio.curriculum import gpc
from portfolio.deanery.schema import (
    StoredOpportunity,
    StoredSummary,
    SummaryDomain,
    SummaryKind,
    SummaryRole,
    SummaryUptake,
)
from portfolio.errors import InvalidInput
from portfolio.formats.cohort_summary import DOMAINS, ROLE_TYPES
from portfolio.kinds import KINDS, template
from portfolio.services.cohort import (
    EVERYONE,
    NO_GRADE,
    NO_TRUST,
    CohortFigures,
    Distribution,
    GroupFigures,
    KindFigures,
    OpportunityUptake,
    Share,
    generated_now,
)
from portfolio.services.opportunities import TAKEN_UP


def _count_where(condition: Any) -> Any:
    return func.count().filter(condition)


def _median(column: Any) -> Any:
    return func.percentile_cont(0.5).within_group(column)


def _labelled(column: Any, missing: str) -> Any:
    """A Trust or grade as the file-based view names it: ``missing`` when it was not given."""
    return case((column == "", missing), else_=column)


def store_figures(session: Session) -> CohortFigures:
    """The mentor's figures over every summary in the store."""
    trust = _labelled(StoredSummary.trust, NO_TRUST).label("trust")
    covered = (
        select(SummaryDomain.summary_id, _count_where(SummaryDomain.items > 0).label("covered"))
        .group_by(SummaryDomain.summary_id)
        .subquery()
    )
    taken_up = exists().where(
        and_(
            SummaryUptake.summary_id == StoredSummary.summary_id,
            SummaryUptake.status.in_(TAKEN_UP),
        )
    )
    measures = (
        func.count(),
        _count_where(StoredSummary.qi_activity),
        _count_where(StoredSummary.leadership_roles > 0),
        _count_where(taken_up),
        _median(StoredSummary.evidence_items),
        _median(covered.c.covered),
    )

    def groups(*by: Any) -> list[Any]:
        query = (
            select(*by, *measures)
            .select_from(StoredSummary)
            .join(covered, covered.c.summary_id == StoredSummary.summary_id)
        )
        return list(session.execute(query.group_by(*by) if by else query))

    (everyone,) = groups()
    if not everyone[0]:
        raise InvalidInput("The deanery store holds no cohort summaries yet.")
    without = _without(session, trust)
    by_trust = sorted(groups(trust), key=lambda row: row[0])
    period_from, period_to, named = session.execute(
        select(
            func.min(StoredSummary.period_from),
            func.max(StoredSummary.period_to),
            _count_where(StoredSummary.named),
        )
    ).one()
    grade = _labelled(StoredSummary.grade, NO_GRADE)
    grades = session.execute(select(grade, func.count()).group_by(grade)).all()
    return CohortFigures(
        overall=_group(EVERYONE, everyone, without[None]),
        domains=_domains(session),
        kinds=_kinds(session),
        role_types=_roles(session),
        opportunities=_opportunities(session),
        trusts=tuple(_group(row[0], row[1:], without[row[0]]) for row in by_trust)
        if len(by_trust) > 1
        else (),
        grades=dict(sorted(grades)),
        period_from=period_from,
        period_to=period_to,
        named=named,
        generated_at=generated_now(),
    )


def _without(session: Session, trust: Any) -> dict[str | None, dict[str, int]]:
    """Trainees with no item in each domain, per Trust and overall (under None)."""
    counts: dict[str | None, dict[str, int]] = {None: dict.fromkeys(DOMAINS, 0)}
    query = (
        select(trust, SummaryDomain.code, _count_where(SummaryDomain.items == 0))
        .join(SummaryDomain, SummaryDomain.summary_id == StoredSummary.summary_id)
        .group_by(trust, SummaryDomain.code)
    )
    for name, code, count in session.execute(query):
        counts.setdefault(name, dict.fromkeys(DOMAINS, 0))[code] = count
        counts[None][code] += count
    return counts


def _group(name: str, row: Any, without: dict[str, int]) -> GroupFigures:
    n, qi, leaders, taken, median_items, median_covered = row
    return GroupFigures(
        name=name,
        trainees=n,
        qi_activity=Share(qi, n),
        leadership=Share(leaders, n),
        taken_up=Share(taken, n),
        median_items=float(median_items),
        median_domains_covered=float(median_covered),
        without=without,
    )


def _domains(session: Session) -> tuple[Distribution, ...]:
    items = SummaryDomain.items
    bands = (
        items == 0,
        and_(items >= 1, items <= 2),
        and_(items >= 3, items <= 5),
        items >= 6,
    )
    query = select(
        SummaryDomain.code,
        func.min(items),
        func.percentile_cont(0.25).within_group(items),
        _median(items),
        func.percentile_cont(0.75).within_group(items),
        func.max(items),
        *(_count_where(band) for band in bands),
    ).group_by(SummaryDomain.code)
    rows = {row[0]: row for row in session.execute(query)}
    titles = {node.code: node.title for node in gpc().top_level()}
    out = []
    for code in DOMAINS:
        _, least, q1, median, q3, most, *band_counts = rows[code]
        out.append(
            Distribution(
                code,
                titles.get(code, ""),
                float(least),
                float(q1),
                float(median),
                float(q3),
                float(most),
                (band_counts[0], band_counts[1], band_counts[2], band_counts[3]),
            )
        )
    return tuple(out)


def _kinds(session: Session) -> tuple[KindFigures, ...]:
    rows = {
        kind: (trainees, items)
        for kind, trainees, items in session.execute(
            select(
                SummaryKind.kind,
                _count_where(SummaryKind.items > 0),
                func.sum(SummaryKind.items),
            ).group_by(SummaryKind.kind)
        )
    }
    return tuple(
        KindFigures(kind, template(kind).title, *(int(v) for v in rows.get(kind, (0, 0))))
        for kind in KINDS
    )


def _roles(session: Session) -> dict[str, int]:
    held = dict(
        session.execute(
            select(SummaryRole.role_type, func.sum(SummaryRole.held)).group_by(
                SummaryRole.role_type
            )
        ).all()
    )
    return {role: int(held.get(role, 0)) for role in ROLE_TYPES}


def _opportunities(session: Session) -> tuple[OpportunityUptake, ...]:
    """Trainees per status of each opportunity, most taken up first. Its kind is the one the
    summaries give (the catalogue's; should they differ, the first in alphabetical order)."""
    key = (SummaryUptake.catalogue_id, SummaryUptake.opportunity_id)
    rows = session.execute(
        select(*key, SummaryUptake.status, func.count(), func.min(SummaryUptake.kind)).group_by(
            *key, SummaryUptake.status
        )
    )
    titles = dict(
        session.execute(select(StoredOpportunity.opportunity_id, StoredOpportunity.title)).all()
    )
    uptake: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    for catalogue_id, opportunity_id, status, count, kind in rows:
        first_kind, counts = uptake.setdefault((catalogue_id, opportunity_id), (kind, {}))
        counts[status] = count
        uptake[(catalogue_id, opportunity_id)] = (min(first_kind, kind), counts)
    return tuple(
        sorted(
            (
                OpportunityUptake(cat, opp, titles.get(opp, ""), kind, counts)
                for (cat, opp), (kind, counts) in uptake.items()
            ),
            key=lambda o: (-o.taken_up, -sum(o.by_status.values()), o.title, o.opportunity_id),
        )
    )
