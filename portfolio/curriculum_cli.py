"""Command-line handlers for curricula: list the built-in ones, export one as 1EdTech CASE v1.1
JSON, turn a CASE file into a curriculum file, and choose the trainee's own curriculum.

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

MAX_CASE_FILE_BYTES = 16 * 2**20


def _builtin(curriculum_id: str) -> Any:
    from portfolio.curriculum import builtin_curricula

    found = next((c for c in builtin_curricula() if c.id == curriculum_id), None)
    if found is None:
        known = ", ".join(c.id for c in builtin_curricula())
        raise NotFound(f"There is no built-in curriculum '{curriculum_id}'; choose one of {known}.")
    return found


def _summary(curriculum: Any) -> dict[str, Any]:
    return {
        "id": curriculum.id,
        "title": curriculum.title,
        "edition": curriculum.edition,
        "publisher": curriculum.publisher,
        "capabilities": sum(1 for node in curriculum if node.kind == "capability"),
        "nodes": len(curriculum),
    }


def cmd_list(args: argparse.Namespace) -> int:
    from portfolio.curriculum import builtin_curricula

    rows = [_summary(c) for c in builtin_curricula()]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['id']}\t{row['title']} ({row['edition']})\t{row['capabilities']} capabilities")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from portfolio.formats.case import to_case
    from portfolio.reports.gather import generation_time
    from portfolio.storage.files import write_atomically

    package = to_case(_builtin(args.id), generation_time())
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    print(write_atomically(args.out, text.encode("utf-8")))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from portfolio.curriculum import FORMAT, FORMAT_VERSION
    from portfolio.formats.case import from_case
    from portfolio.formats.reader import parse_json, read_text
    from portfolio.storage.files import write_atomically

    name = Path(args.file).name
    text = read_text(args.file, "CASE", MAX_CASE_FILE_BYTES)
    curriculum = from_case(parse_json(text, f"The CASE file '{name}'"), name)
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": curriculum.id,
        "title": curriculum.title,
        "edition": curriculum.edition,
        "publisher": curriculum.publisher,
        "guidance_note": curriculum.guidance_note,
        "level_scale": [{"value": v, "label": label} for v, label in curriculum.level_scale]
        or None,
        "nodes": _tree(curriculum, None),
    }
    out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    print(write_atomically(args.out, out.encode("utf-8")))
    return 0


def _tree(curriculum: Any, parent: str | None) -> list[dict[str, Any]]:
    """The nodes under ``parent`` as a curriculum file nests them."""
    out = []
    for node in curriculum:
        if node.parent_code != parent:
            continue
        entry: dict[str, Any] = {
            "code": node.code,
            "title": node.title,
            "kind": node.kind,
            "guidance": node.guidance,
        }
        if node.parts:
            entry["parts"] = list(node.parts)
        if node.maps_to:
            entry["maps_to"] = list(node.maps_to)
        below = _tree(curriculum, node.code)
        if below:
            entry["children"] = below
        out.append(entry)
    return out


def cmd_choose(portfolio: Any, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from portfolio.services.profile import require_profile

    chosen = "" if args.id == "none" else _builtin(args.id).id
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
    print(f"{covered} of {len(rows)} capabilities of {_builtin(chosen).title} have evidence")
    return 0


def add_subcommands(sub: Any, opening: Any) -> None:
    """Declare ``curriculum list|export|import|coverage|choose`` on the main parser's subparsers ``sub``;
    ``opening(handler, write=...)`` wraps a handler so it receives an open portfolio."""
    curriculum = sub.add_parser("curriculum", help="built-in curricula, CASE files, your own")
    actions = curriculum.add_subparsers(dest="curriculum_command", metavar="ACTION", required=True)

    def without_portfolio(handler: Any) -> Any:
        return lambda _location, args: handler(args)

    p = actions.add_parser("list", help="the built-in curricula")
    p.set_defaults(handler=without_portfolio(cmd_list))
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("export", help="write a built-in curriculum as 1EdTech CASE v1.1 JSON")
    p.set_defaults(handler=without_portfolio(cmd_export))
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=("case",), default="case")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p = actions.add_parser(
        "import", help="turn a CASE v1.1 JSON file into a curriculum file (validated)"
    )
    p.set_defaults(handler=without_portfolio(cmd_import))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, required=True, metavar="CURRICULUM.json")
    p = actions.add_parser("coverage", help="items per capability of your own curriculum")
    p.set_defaults(handler=opening(cmd_coverage, write=False))
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("choose", help="choose your own curriculum (or none)")
    p.set_defaults(handler=opening(cmd_choose, write=True))
    p.add_argument("id", metavar="ID|none")
