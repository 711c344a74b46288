"""Command-line handlers for opportunity catalogues and cohort summaries.

Each handler takes ``(portfolio, args)`` like those in ``portfolio.cli`` and returns the exit
code; a ``PortfolioError`` is printed by ``portfolio.cli.main``. ``add_arguments(sub, command)``
declares the subcommands (see docs/cli.md once wired).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from portfolio.cli_common import iso_date, passphrase_option, print_json, unlock_own_identity
from portfolio.errors import InvalidInput
from portfolio.vocabulary import OPPORTUNITY_KINDS


def opportunity_json(view: Any) -> dict[str, Any]:
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


def catalogue_json(info: Any) -> dict[str, Any]:
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


def cmd_catalogue_create(portfolio: Any, args: argparse.Namespace) -> int:
    info = portfolio.opportunities.create_catalogue(args.title, args.trust)
    print(info.catalogue_id)
    return 0


def _draft(args: argparse.Namespace) -> Any:
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


def cmd_catalogue_add(portfolio: Any, args: argparse.Namespace) -> int:
    view = portfolio.opportunities.add_opportunity(args.catalogue_id, _draft(args))
    print(view.uuid)
    return 0


def cmd_catalogue_remove(portfolio: Any, args: argparse.Namespace) -> int:
    portfolio.opportunities.remove_opportunity(args.opportunity_id)
    print(f"Removed {args.opportunity_id}; publish the catalogue again to tell trainees.")
    return 0


def cmd_catalogue_publish(portfolio: Any, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    published = portfolio.opportunities.publish(args.catalogue_id, args.out, unlocked)
    print(
        f"Published version {published.version} of '{published.title}' "
        f"({published.opportunities} opportunities) to {args.out}\n"
        f"Signed by {unlocked.identity.name}, key {unlocked.identity.fingerprint}"
    )
    return 0


# -- everyone: importing and browsing ----------------------------------------------------------


def cmd_catalogue_import(portfolio: Any, args: argparse.Namespace) -> int:
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


def cmd_catalogue_list(portfolio: Any, args: argparse.Namespace) -> int:
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


def cmd_opportunities(portfolio: Any, args: argparse.Namespace) -> int:
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


def cmd_opportunity_status(portfolio: Any, args: argparse.Namespace) -> int:
    service = portfolio.opportunities
    if args.status == "none":
        service.clear_status(args.opportunity_id)
        print(f"Cleared your record of {args.opportunity_id}")
        return 0
    view = service.record_status(args.opportunity_id, args.status, args.date)
    when = view.progress.date_of(args.status) if view.progress else None
    print(f"{view.title}: {args.status} on {when}")
    return 0


def cmd_opportunity_evidence(portfolio: Any, args: argparse.Namespace) -> int:
    item = portfolio.opportunities.create_evidence(args.opportunity_id)
    print(item.uuid)
    return 0


def cmd_summary(portfolio: Any, args: argparse.Namespace) -> int:
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


def _json_share(share: Any) -> dict[str, Any]:
    return {
        "count": _json_count(share.count),
        "percent": None if share.suppressed else share.percent,
    }


def cmd_cohort(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.cohort import shown

    service = portfolio.cohort
    load = service.load(args.inputs)
    for skipped in load.skipped:
        print(f"skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
    figures = service.figures(load)
    g = figures.overall
    if args.json:
        print_json(
            {
                "trainees": _json_count(g.trainees),
                "skipped": len(load.skipped),
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
        )
    else:
        print(
            f"{shown(g.trainees)} trainees ({len(load.skipped)} files skipped): QI activity "
            f"{g.qi_activity}; leadership role {g.leadership}; took up an opportunity "
            f"{g.taken_up}"
        )
    if args.out is not None:
        service.write_report(args.out, figures)
        if not args.json:
            print(f"Wrote the cohort report to {args.out}")
    if args.csv is not None:
        service.write_csv(args.csv, figures)
        if not args.json:
            print(f"Wrote the cohort figures to {args.csv}")
    return 0


# -- argument parsing -----------------------------------------------------------------------------


def add_subcommands(sub: Any, opening: Any) -> None:
    """Declare ``catalogue …``, ``opportunities``, ``opportunity …``, ``summary`` and ``cohort``
    on the subparsers ``sub`` of the main parser; ``opening(handler, write=...)`` wraps a handler
    so it receives an open portfolio (``portfolio.cli._opening``)."""
    catalogue = sub.add_parser(
        "catalogue",
        help="opportunity catalogues (a CLM publishes; trainees and supervisors import)",
    )
    catalogue_sub = catalogue.add_subparsers(
        dest="catalogue_command", metavar="ACTION", required=True
    )
    p = catalogue_sub.add_parser("create", help="(CLM) start a catalogue; prints its id")
    p.set_defaults(handler=opening(cmd_catalogue_create, write=True))
    p.add_argument("--title", required=True)
    p.add_argument("--trust", default="")
    p = catalogue_sub.add_parser("add", help="(CLM) add an opportunity; prints its id")
    p.set_defaults(handler=opening(cmd_catalogue_add, write=True))
    p.add_argument("catalogue_id", metavar="CATALOGUE_ID")
    p.add_argument("--title", required=True)
    p.add_argument("--kind", required=True, choices=OPPORTUNITY_KINDS)
    p.add_argument("--trust", default="")
    p.add_argument("--contact", default="")
    p.add_argument("--description", default="")
    p.add_argument("--description-file", type=Path)
    p.add_argument(
        "--domain",
        action="append",
        metavar="CODE",
        help="GPC domain or sub-heading it develops (repeatable)",
    )
    p.add_argument("--start", type=iso_date)
    p.add_argument("--end", type=iso_date)
    p.add_argument("--closes", type=iso_date, help="closing date for applications")
    p = catalogue_sub.add_parser("remove", help="(CLM) remove an opportunity")
    p.set_defaults(handler=opening(cmd_catalogue_remove, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")
    p = catalogue_sub.add_parser("publish", help="(CLM) sign and write the next version")
    p.set_defaults(handler=opening(cmd_catalogue_publish, write=True))
    p.add_argument("catalogue_id", metavar="CATALOGUE_ID")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpcopportunities")
    p.add_argument("--identity", metavar="FINGERPRINT")
    passphrase_option(p)
    p = catalogue_sub.add_parser("import", help="verify and import a catalogue")
    p.set_defaults(handler=opening(cmd_catalogue_import, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcopportunities")
    p = catalogue_sub.add_parser("list", help="catalogues held here, with their publishers")
    p.set_defaults(handler=opening(cmd_catalogue_list, write=False))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("opportunities", help="list opportunities from the catalogues here")
    p.set_defaults(handler=opening(cmd_opportunities, write=False))
    p.add_argument("--domain", metavar="CODE")
    p.add_argument(
        "--gaps", action="store_true", help="only those for domains in which you have no evidence"
    )
    p.add_argument("--kind", choices=OPPORTUNITY_KINDS)
    p.add_argument(
        "--status", choices=("interested", "applied", "participating", "completed", "none")
    )
    p.add_argument("--open", action="store_true", help="leave out those whose closing date passed")
    p.add_argument("--json", action="store_true")

    opportunity = sub.add_parser("opportunity", help="record what you did about an opportunity")
    opportunity_sub = opportunity.add_subparsers(
        dest="opportunity_command", metavar="ACTION", required=True
    )
    p = opportunity_sub.add_parser(
        "status", help="record interest, application, participation or completion (none clears it)"
    )
    p.set_defaults(handler=opening(cmd_opportunity_status, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")
    p.add_argument(
        "status", choices=("interested", "applied", "participating", "completed", "none")
    )
    p.add_argument("--date", type=iso_date, help="when (default today)")
    p = opportunity_sub.add_parser(
        "evidence", help="create the linked evidence item of your participation; prints its uuid"
    )
    p.set_defaults(handler=opening(cmd_opportunity_evidence, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")

    p = sub.add_parser(
        "summary",
        help="write the anonymised cohort summary for your CLM "
        "(--preview prints exactly what would be written)",
    )
    p.set_defaults(handler=opening(cmd_summary, write=False))
    p.add_argument("--out", type=Path, metavar="FILE.gpccohort")
    p.add_argument("--preview", action="store_true")
    p.add_argument("--from", dest="date_from", type=iso_date)
    p.add_argument("--to", dest="date_to", type=iso_date)
    p.add_argument(
        "--named",
        action="store_true",
        help="include your name and GMC number (left out by default)",
    )

    p = sub.add_parser("cohort", help="(CLM) figures from trainees' summaries: PDF and CSV")
    p.set_defaults(handler=opening(cmd_cohort, write=False))
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    p.add_argument("--out", type=Path, metavar="FILE.pdf")
    p.add_argument("--csv", type=Path, metavar="FILE.csv")
    p.add_argument("--json", action="store_true")
