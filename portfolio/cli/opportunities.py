"""Opportunities and the cohort: catalogues (a CLM publishes; everyone imports), a trainee's
progress and anonymised summary, and the CLM's cohort figures (docs/cli.md)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from portfolio.cli.common import JsonObject, print_json, unlock_own_identity
from portfolio.errors import InvalidInput

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.services.cohort import CohortFigures, Share
    from portfolio.services.opportunities import CatalogueInfo, OpportunityDraft, OpportunityView


def opportunity_json(view: OpportunityView) -> JsonObject:
    progress = view.progress
    return {
        "id": view.uuid,
        "catalogue_id": view.catalogue_id,
        "catalogue": view.catalogue_title,
        "title": view.title,
        "kind": view.kind,
        "trust": view.trust,
        "contact": view.contact,
        "description": view.description,
        "domains": list(view.domains),
        "starts_on": view.starts_on,
        "ends_on": view.ends_on,
        "closes_on": view.closes_on,
        "publisher": None if view.publisher is None else asdict(view.publisher),
        "status": progress.status if progress else None,
        "progress": None if progress is None else asdict(progress),
    }


def catalogue_json(info: CatalogueInfo) -> JsonObject:
    return {
        "catalogue_id": info.catalogue_id,
        "title": info.title,
        "trust": info.trust,
        "version": info.version,
        "own": info.own,
        "published_at": info.published_at,
        "opportunities": info.opportunities,
        "changed": info.changed,
        "publisher": None if info.publisher is None else asdict(info.publisher),
    }


# -- the CLM: building and publishing ----------------------------------------------------------


def cmd_catalogue_create(portfolio: Portfolio, args: argparse.Namespace) -> int:
    info = portfolio.opportunities.create_catalogue(args.title, args.trust)
    print(info.catalogue_id)
    return 0


def _draft(args: argparse.Namespace) -> OpportunityDraft:
    from portfolio.services.opportunities import OpportunityDraft

    description = args.description or ""
    if args.description_file is not None:
        try:
            description = args.description_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(f"Cannot read '{args.description_file}': {error}.") from None
    return OpportunityDraft(
        title=args.title,
        kind=args.kind,
        trust=args.trust or "",
        contact=args.contact or "",
        description=description,
        domains=tuple(args.domain or ()),
        starts_on=args.start,
        ends_on=args.end,
        closes_on=args.closes,
    )


def cmd_catalogue_add(portfolio: Portfolio, args: argparse.Namespace) -> int:
    view = portfolio.opportunities.add_opportunity(args.catalogue_id, _draft(args))
    print(view.uuid)
    return 0


def cmd_catalogue_remove(portfolio: Portfolio, args: argparse.Namespace) -> int:
    portfolio.opportunities.remove_opportunity(args.opportunity_id)
    print(f"Removed {args.opportunity_id}; publish the catalogue again to tell trainees.")
    return 0


def cmd_catalogue_publish(portfolio: Portfolio, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    published = portfolio.opportunities.publish(args.catalogue_id, args.out, unlocked)
    print(
        f"Published version {published.version} of '{published.title}' "
        f"({published.opportunities} opportunities) to {args.out}\n"
        f"Signed by {unlocked.identity.name}, key {unlocked.identity.fingerprint}"
    )
    return 0


# -- everyone: importing and browsing ----------------------------------------------------------


def cmd_catalogue_import(portfolio: Portfolio, args: argparse.Namespace) -> int:
    result = portfolio.opportunities.import_catalogue(args.file)
    info = result.catalogue
    publisher = info.publisher
    who = (
        f"{publisher.name} (GMC {publisher.gmc_number}), key {publisher.fingerprint}"
        if publisher
        else "unknown"
    )
    if result.unchanged:
        print(f"Version {info.version} of '{info.title}' was already imported; nothing changed.")
    elif result.previous_version is None:
        print(
            f"Imported '{info.title}' version {info.version}: {info.opportunities} opportunities."
        )
    else:
        print(
            f"Updated '{info.title}' from version {result.previous_version} to "
            f"{info.version}: {result.added} new, {result.removed} withdrawn."
        )
    print(f"Published by {who}")
    if result.kept_progress:
        print(
            f"Your records of {result.kept_progress} withdrawn opportunit"
            f"{'y are' if result.kept_progress == 1 else 'ies are'} kept."
        )
    return 0


def cmd_catalogue_list(portfolio: Portfolio, args: argparse.Namespace) -> int:
    catalogues = portfolio.opportunities.catalogues()
    if args.json:
        print_json([catalogue_json(c) for c in catalogues])
        return 0
    for c in catalogues:
        who = (
            "your own"
            if c.own
            else (f"{c.publisher.name}, key {c.publisher.fingerprint}" if c.publisher else "")
        )
        state = " (changed since published)" if c.own and c.changed else ""
        print(
            f"{c.catalogue_id}  v{c.version}  {c.title} — {c.opportunities} opportunities, "
            f"{who}{state}"
        )
    if not catalogues:
        print("No catalogues yet; import one with 'gpc-portfolio catalogue import FILE'.")
    return 0


def cmd_opportunities(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.services.opportunities import OpportunityQuery

    views = portfolio.opportunities.find(
        OpportunityQuery(
            domain=args.domain,
            gaps=args.gaps,
            kind=args.kind,
            status=args.status,
            open_only=args.open,
        )
    )
    if args.json:
        print_json([opportunity_json(v) for v in views])
        return 0
    for v in views:
        status = v.progress.status if v.progress else "-"
        closes = f"  closes {v.closes_on}" if v.closes_on else ""
        print(f"{v.uuid}  {v.kind:<8} {status:<13} {v.title}  [{', '.join(v.domains)}]{closes}")
    return 0


# -- the trainee: progress, evidence, summary -------------------------------------------------


def cmd_opportunity_status(portfolio: Portfolio, args: argparse.Namespace) -> int:
    service = portfolio.opportunities
    if args.status == "none":
        service.clear_status(args.opportunity_id)
        print(f"Cleared your record of {args.opportunity_id}")
        return 0
    view = service.record_status(args.opportunity_id, args.status, args.date)
    when = view.progress.date_of(args.status) if view.progress else None
    print(f"{view.title}: {args.status} on {when}")
    return 0


def cmd_opportunity_evidence(portfolio: Portfolio, args: argparse.Namespace) -> int:
    item = portfolio.opportunities.create_evidence(args.opportunity_id)
    print(item.uuid)
    return 0


def cmd_summary(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.services.cohort import SummaryOptions

    service = portfolio.cohort
    preview = service.preview_summary(SummaryOptions(args.date_from, args.date_to, args.named))
    if args.preview or args.out is None:
        sys.stdout.write(preview.text)
        return 0
    service.write_summary(args.out, preview)
    print(
        f"Wrote your {'named' if args.named else 'anonymous'} summary to {args.out} "
        f"(summary id {preview.summary.summary_id}); see it first with --preview."
    )
    return 0


# -- the CLM: the cohort ----------------------------------------------------------------------


def _json_count(count: int) -> int | str:
    """A count for --json: "fewer than 5" for 1 to 4 (SMALL_NUMBER)."""
    from portfolio.services.cohort import FEWER, is_small

    return FEWER if is_small(count) else count


def _json_share(share: Share) -> JsonObject:
    return {
        "count": _json_count(share.count),
        "percent": None if share.suppressed else share.percent,
    }


def cohort_json(figures: CohortFigures) -> JsonObject:
    """``cohort --json`` (and ``deanery figures --json``): the headline figures, suppressed."""
    g = figures.overall
    return {
        "trainees": _json_count(g.trainees),
        "skipped": len(figures.skipped),
        "qi_activity": _json_share(g.qi_activity),
        "leadership_role": _json_share(g.leadership),
        "opportunity_taken_up": _json_share(g.taken_up),
        "trusts": [
            {
                "trust": t.name,
                "trainees": _json_count(t.trainees),
                "qi_activity_percent": _json_share(t.qi_activity)["percent"],
                "leadership_role_percent": _json_share(t.leadership)["percent"],
            }
            for t in figures.trusts
        ],
    }


def cohort_line(figures: CohortFigures) -> str:
    """The one line ``cohort`` (and ``deanery figures``) prints."""
    from portfolio.services.cohort import shown

    g = figures.overall
    return (
        f"{shown(g.trainees)} trainees ({len(figures.skipped)} files skipped): QI activity "
        f"{g.qi_activity}; leadership role {g.leadership}; took up an opportunity "
        f"{g.taken_up}"
    )


def cmd_cohort(portfolio: Portfolio, args: argparse.Namespace) -> int:
    service = portfolio.cohort
    load = service.load(args.inputs)
    for skipped in load.skipped:
        print(f"skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
    figures = service.figures(load)
    if args.json:
        print_json(cohort_json(figures))
    else:
        print(cohort_line(figures))
    if args.out is not None:
        from portfolio.reports.cohort_report import cohort_report

        portfolio.reports.write_cohort(cohort_report(figures), args.out)
        if not args.json:
            print(f"Wrote the cohort report to {args.out}")
    if args.csv is not None:
        service.write_csv(args.csv, figures)
        if not args.json:
            print(f"Wrote the cohort figures to {args.csv}")
    return 0
