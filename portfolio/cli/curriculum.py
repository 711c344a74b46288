"""``curriculum …``: list the curricula, export a built-in one as 1EdTech CASE v1.1 JSON,
import a CASE file into the portfolio (or turn it into a curriculum file), remove an imported
one, and choose the trainee's own curriculum (declared in ``cli/parser.py``; docs/cli.md)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from portfolio.cli.common import LocationHandler, opening, print_json
from portfolio.errors import InvalidInput, NotFound
from portfolio.paths import Location

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.curriculum import Curriculum


def _builtin(curriculum_id: str) -> Curriculum:
    from portfolio.curriculum import builtin_curricula

    found = next((c for c in builtin_curricula() if c.id == curriculum_id), None)
    if found is None:
        known = ", ".join(c.id for c in builtin_curricula())
        raise NotFound(f"There is no built-in curriculum '{curriculum_id}'; choose one of {known}.")
    return found


def _summary(curriculum: Curriculum, imported: frozenset[str]) -> dict[str, object]:
    return {
        "id": curriculum.id,
        "title": curriculum.title,
        "edition": curriculum.edition,
        "publisher": curriculum.publisher,
        "capabilities": sum(1 for node in curriculum if node.kind == "capability"),
        "nodes": len(curriculum),
        "imported": curriculum.id in imported,
    }


def cmd_list() -> LocationHandler:
    """The built-in curricula, and the portfolio's imported ones when there is a portfolio."""

    def listed(
        curricula: Iterable[Curriculum], imported: frozenset[str], args: argparse.Namespace
    ) -> int:
        rows = [_summary(c, imported) for c in curricula]
        if args.json:
            print_json(rows)
            return 0
        for row in rows:
            source = "\timported" if row["imported"] else ""
            print(
                f"{row['id']}\t{row['title']} ({row['edition']})\t"
                f"{row['capabilities']} capabilities{source}"
            )
        return 0

    def in_portfolio(portfolio: Portfolio, args: argparse.Namespace) -> int:
        return listed(portfolio.curricula.available(), portfolio.curricula.imported_ids(), args)

    def run(location: Location, args: argparse.Namespace) -> int:
        from portfolio.curriculum import builtin_curricula

        if location.sqlite_path is not None and not location.sqlite_path.exists():
            return listed(builtin_curricula(), frozenset(), args)
        return int(opening(in_portfolio, write=False)(location, args))

    return run


def cmd_export(_location: Location, args: argparse.Namespace) -> int:
    from portfolio.formats.case import to_case
    from portfolio.reports.gather import generation_time
    from portfolio.storage.files import write_atomically

    package = to_case(_builtin(args.id), generation_time())
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    print(write_atomically(args.out, text.encode("utf-8")))
    return 0


def cmd_import() -> LocationHandler:
    """With ``--out``: turn a CASE file into a curriculum file. Without: add it to the portfolio."""

    def convert(args: argparse.Namespace) -> int:
        from portfolio.curriculum import curriculum_to_data
        from portfolio.formats.case import read_case_file
        from portfolio.storage.files import write_atomically

        data = curriculum_to_data(read_case_file(args.file))
        out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        print(write_atomically(args.out, out.encode("utf-8")))
        return 0

    def add(portfolio: Portfolio, args: argparse.Namespace) -> int:
        curriculum, replaced = portfolio.curricula.import_case(args.file)
        capabilities = sum(1 for node in curriculum if node.kind == "capability")
        print(
            f"{'Replaced' if replaced else 'Imported'} {curriculum.id}: {curriculum.title} "
            f"({curriculum.edition}), {capabilities} capabilities. Choose it with "
            f"'gpc-portfolio curriculum choose {curriculum.id}'."
        )
        return 0

    def run(location: Location, args: argparse.Namespace) -> int:
        if args.out is not None:
            return convert(args)
        return int(opening(add, write=True)(location, args))

    return run


def cmd_remove(portfolio: Portfolio, args: argparse.Namespace) -> int:
    was_chosen = portfolio.curricula.remove(args.id)
    print(
        f"Removed {args.id}; items keep their links to it."
        + (" Your curriculum is now none (the GPC domains only)." if was_chosen else "")
    )
    return 0


def cmd_choose(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from portfolio.services.profile import require_profile

    chosen = "" if args.id == "none" else portfolio.curricula.own(args.id).id
    profile = require_profile(portfolio.profile.get())
    portfolio.profile.save(replace(profile, curriculum_id=chosen))
    print(f"Curriculum: {chosen or 'none (the GPC domains only)'}")
    return 0


def cmd_coverage(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.services.profile import require_profile

    chosen = require_profile(portfolio.profile.get()).curriculum_id
    if not chosen:
        raise InvalidInput(
            "No curriculum is chosen; run 'gpc-portfolio curriculum choose ID' first "
            "('gpc-portfolio coverage' shows the GPC domains)."
        )
    rows = portfolio.coverage.capability_coverage(chosen)
    if args.json:
        print_json(
            {
                "curriculum": chosen,
                "capabilities": [
                    {
                        "code": c.code,
                        "title": c.title,
                        "items": c.total,
                        "signed": c.signed,
                        "awaiting_review": c.awaiting_review,
                        "by_status": c.by_status,
                    }
                    for c in rows
                ],
                "without_evidence": [c.code for c in rows if c.total == 0],
            }
        )
        return 0
    print(f"{'Capability':<64} {'Items':>6} {'Signed':>7} {'Ready':>6}")
    for c in rows:
        print(f"{c.code + ' ' + c.title:<64.64} {c.total:>6} {c.signed:>7} {c.awaiting_review:>6}")
    covered = sum(1 for c in rows if c.total)
    title = portfolio.curricula.own(chosen).title
    print(f"{covered} of {len(rows)} capabilities of {title} have evidence")
    return 0
