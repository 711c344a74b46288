"""``deanery …``: a region's cohort summaries, catalogues and supervisor directories in one
PostgreSQL database (``portfolio.deanery``), and the mentor's figures, PDF and CSV from there
(docs/cli.md). These commands open no portfolio: only the store named by ``--database``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from portfolio.cli.common import REMEDY_HINTS, JsonObject, LocationHandler, plural, print_json
from portfolio.errors import InvalidInput
from portfolio.paths import Location

if TYPE_CHECKING:
    from portfolio.deanery.store import DeaneryStore, LoadReport

WHAT = {"summary": "summaries", "catalogue": "catalogues", "directory": "directories"}
"""What a load counts, and its plural for the line it prints."""


def counted(count: int, what: str) -> str:
    """``1 summary``, ``2 summaries`` (the words of ``WHAT``)."""
    return f"{count} {what if count == 1 else WHAT[what]}"


StoreHandler = Callable[["DeaneryStore", argparse.Namespace], int]


def on_store(handler: StoreHandler, *, create: bool = False) -> LocationHandler:
    """``handler`` run on the deanery store at ``--database`` (created first with ``create``,
    else refused when the database holds none)."""

    def run(_location: Location, args: argparse.Namespace) -> int:
        from portfolio.deanery.store import open_store

        if args.database is None:
            raise InvalidInput(
                "The deanery store is a PostgreSQL database; name it with "
                "--database postgresql://user@host/deanery."
            )
        with open_store(args.database) as store:
            if not create:
                store.check()
            return handler(store, args)

    return run


def cmd_init(store: DeaneryStore, args: argparse.Namespace) -> int:
    if store.create():
        print(f"Created the deanery store in {store.where}.")
    else:
        print(f"The deanery store in {store.where} is already there; nothing was changed.")
    return 0


def load_json(report: LoadReport) -> JsonObject:
    return {
        "loaded": [{"file": f.source, "kind": f.what, "outcome": f.outcome} for f in report.loaded],
        "refused": [{"file": f.source, "reason": f.reason} for f in report.refused],
        "unused_trust": list(report.unused_trust),
    }


def cmd_load(store: DeaneryStore, args: argparse.Namespace) -> int:
    report = store.load(args.inputs, args.trust or ())
    for refused in report.refused:
        hint = REMEDY_HINTS.get(refused.remedy) if refused.remedy else None
        print(
            f"refused {refused.source}: {refused.reason}" + (f" {hint}" if hint else ""),
            file=sys.stderr,
        )
    for fingerprint in report.unused_trust:
        print(
            f"No directory in this load is published by {fingerprint}; it was not trusted.",
            file=sys.stderr,
        )
    if args.json:
        print_json(load_json(report))
    else:
        parts = [
            f"{counted(report.count(what, outcome), what)} {outcome}"
            for what in WHAT
            for outcome in ("loaded", "replaced", "unchanged")
            if report.count(what, outcome)
        ]
        print(
            (", ".join(parts) or "Nothing loaded")
            + f"; {plural(len(report.refused), 'file')} refused."
        )
    if report.refused and not report.loaded:
        raise InvalidInput(
            f"None of the {plural(len(report.refused), 'file')} could be loaded; nothing was "
            "changed."
        )
    return 0


def cmd_status(store: DeaneryStore, args: argparse.Namespace) -> int:
    status = store.status()
    if args.json:
        print_json(
            {
                "summaries": status.summaries,
                "trusts": status.trusts,
                "catalogues": [
                    {
                        "catalogue_id": c.catalogue_id,
                        "title": c.title,
                        "version": c.version,
                        "publisher": c.publisher,
                        "opportunities": c.opportunities,
                        "revoked": c.revoked or None,
                    }
                    for c in status.catalogues
                ],
                "directories": [
                    {"name": name, "version": version} for name, version in status.directories
                ],
            }
        )
        return 0
    print(
        f"{counted(status.summaries, 'summary')} from {plural(status.trusts, 'Trust')}; "
        f"{counted(len(status.catalogues), 'catalogue')}; "
        f"{counted(len(status.directories), 'directory')}."
    )
    for c in status.catalogues:
        flag = f" — REVOKED: {c.revoked}" if c.revoked else ""
        print(
            f"catalogue {c.catalogue_id} “{c.title}” version {c.version} by {c.publisher}, "
            f"{c.opportunities} opportunit{'y' if c.opportunities == 1 else 'ies'}{flag}"
        )
    for name, version in status.directories:
        print(f"directory “{name}” version {version}")
    return 0


def cmd_figures(store: DeaneryStore, args: argparse.Namespace) -> int:
    from portfolio.cli.opportunities import cohort_json, cohort_line

    figures = store.figures()
    if args.json:
        print_json(cohort_json(figures))
    else:
        print(cohort_line(figures))
    return 0


def cmd_report(store: DeaneryStore, args: argparse.Namespace) -> int:
    from portfolio.deanery.report import write_csv, write_pdf

    if args.pdf is None and args.csv is None:
        raise InvalidInput("Name the report to write: --pdf FILE.pdf, --csv FILE.csv, or both.")
    figures = store.figures()
    if args.pdf is not None:
        write_pdf(figures, args.pdf)
        print(f"Wrote the cohort report to {args.pdf}")
    if args.csv is not None:
        write_csv(figures, args.csv)
        print(f"Wrote the cohort figures to {args.csv}")
    return 0
