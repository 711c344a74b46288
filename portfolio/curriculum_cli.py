"""Command-line handlers for curricula: list them, export a built-in one as 1EdTech CASE v1.1
JSON, import a CASE file into the portfolio (or turn it into a curriculum file), remove an
imported one, and choose the trainee's own curriculum.

``add_subcommands(sub, opening)`` declares ``curriculum …`` (docs/cli.md); handlers return the
exit code and a ``PortfolioError`` is printed by ``portfolio.cli.main``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from portfolio.cli.common import print_json
from portfolio.errors import InvalidInput, NotFound


def _builtin(curriculum_id: str) -> Any:
    from portfolio.curriculum import builtin_curricula

    found = next((c for c in builtin_curricula() if c.id == curriculum_id), None)
    if found is None:
        known = ", ".join(c.id for c in builtin_curricula())
        raise NotFound(f"There is no built-in curriculum '{curriculum_id}'; choose one of {known}.")
    return found


def _summary(curriculum: Any, imported: frozenset[str]) -> dict[str, Any]:
    return {
        "id": curriculum.id,
        "title": curriculum.title,
        "edition": curriculum.edition,
        "publisher": curriculum.publisher,
        "capabilities": sum(1 for node in curriculum if node.kind == "capability"),
        "nodes": len(curriculum),
        "imported": curriculum.id in imported,
    }


def cmd_list(opening: Any) -> Any:
    """The built-in curricula, and the portfolio's imported ones when there is a portfolio."""

    def listed(curricula: Any, imported: frozenset[str], args: argparse.Namespace) -> int:
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

    def in_portfolio(portfolio: Any, args: argparse.Namespace) -> int:
        return listed(portfolio.curricula.available(), portfolio.curricula.imported_ids(), args)

    def run(location: Any, args: argparse.Namespace) -> int:
        from portfolio.curriculum import builtin_curricula

        if location.sqlite_path is not None and not location.sqlite_path.exists():
            return listed(builtin_curricula(), frozenset(), args)
        return int(opening(in_portfolio, write=False)(location, args))

    return run


def cmd_export(args: argparse.Namespace) -> int:
    from portfolio.formats.case import to_case
    from portfolio.reports.gather import generation_time
    from portfolio.storage.files import write_atomically

    package = to_case(_builtin(args.id), generation_time())
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    print(write_atomically(args.out, text.encode("utf-8")))
    return 0


def cmd_import(opening: Any) -> Any:
    """With ``--out``: turn a CASE file into a curriculum file. Without: add it to the portfolio."""

    def convert(args: argparse.Namespace) -> int:
        from portfolio.curriculum import curriculum_to_data
        from portfolio.formats.case import read_case_file
        from portfolio.storage.files import write_atomically

        data = curriculum_to_data(read_case_file(args.file))
        out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        print(write_atomically(args.out, out.encode("utf-8")))
        return 0

    def add(portfolio: Any, args: argparse.Namespace) -> int:
        curriculum, replaced = portfolio.curricula.import_case(args.file)
        capabilities = sum(1 for node in curriculum if node.kind == "capability")
        print(
            f"{'Replaced' if replaced else 'Imported'} {curriculum.id}: {curriculum.title} "
            f"({curriculum.edition}), {capabilities} capabilities. Choose it with "
            f"'gpc-portfolio curriculum choose {curriculum.id}'."
        )
        return 0

    def run(location: Any, args: argparse.Namespace) -> int:
        if args.out is not None:
            return convert(args)
        return int(opening(add, write=True)(location, args))

    return run


def cmd_remove(portfolio: Any, args: argparse.Namespace) -> int:
    was_chosen = portfolio.curricula.remove(args.id)
    print(
        f"Removed {args.id}; items keep their links to it."
        + (" Your curriculum is now none (the GPC domains only)." if was_chosen else "")
    )
    return 0


def cmd_choose(portfolio: Any, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from portfolio.services.profile import require_profile

    chosen = "" if args.id == "none" else portfolio.curricula.own(args.id).id
    profile = require_profile(portfolio.profile.get())
    portfolio.profile.save(replace(profile, curriculum_id=chosen))
    print(f"Curriculum: {chosen or 'none (the GPC domains only)'}")
    return 0


def cmd_coverage(portfolio: Any, args: argparse.Namespace) -> int:
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


def add_subcommands(sub: Any, opening: Any) -> None:
    """Declare ``curriculum list|export|import|remove|coverage|choose`` on the main parser's subparsers ``sub``;
    ``opening(handler, write=...)`` wraps a handler so it receives an open portfolio."""
    curriculum = sub.add_parser("curriculum", help="built-in curricula, CASE files, your own")
    actions = curriculum.add_subparsers(dest="curriculum_command", metavar="ACTION", required=True)

    def without_portfolio(handler: Any) -> Any:
        return lambda _location, args: handler(args)

    p = actions.add_parser("list", help="the built-in curricula and those you imported")
    p.set_defaults(handler=cmd_list(opening))
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("export", help="write a built-in curriculum as 1EdTech CASE v1.1 JSON")
    p.set_defaults(handler=without_portfolio(cmd_export))
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=("case",), default="case")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p = actions.add_parser(
        "import",
        help="add a CASE v1.1 JSON file's curriculum to your portfolio (validated); with --out, "
        "only turn it into a curriculum file",
    )
    p.set_defaults(handler=cmd_import(opening))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, metavar="CURRICULUM.json")
    p = actions.add_parser("remove", help="stop offering an imported curriculum (links are kept)")
    p.set_defaults(handler=opening(cmd_remove, write=True))
    p.add_argument("id", metavar="ID")
    p = actions.add_parser("coverage", help="items per capability of your own curriculum")
    p.set_defaults(handler=opening(cmd_coverage, write=False))
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("choose", help="choose your own curriculum (or none)")
    p.set_defaults(handler=opening(cmd_choose, write=True))
    p.add_argument("id", metavar="ID|none")
