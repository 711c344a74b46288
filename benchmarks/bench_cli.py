"""``list --json`` and ``coverage --json`` on 10,000 items, each as a whole process.

Ours: the installed ``gpc-portfolio`` command. Baseline: ``python -c`` with sqlite3 and json
reading the same database and printing the same JSON keys (indented, as the command does).
The two processes run in turn, A B A B …, each to its end, timed from launch to exit.

The package is byte-compiled first, as installing a wheel does (``byte_compile``).

    .venv/bin/python benchmarks/bench_cli.py [--items N] [--repeat R]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Target,
    alternate,
    arguments,
    byte_compile,
    program,
    report_processes,
    run_child,
    sample_portfolio,
)

LIST = """
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = con.execute(
    "SELECT uuid, kind, title, occurred_on, status, "
    "(SELECT group_concat(code) FROM (SELECT code FROM evidence_link l "
    "WHERE l.evidence_id = e.id ORDER BY code)), private, updated_at "
    "FROM evidence e WHERE deleted_at IS NULL ORDER BY occurred_on DESC, id DESC")
items = [
    {"uuid": u, "kind": k, "title": t, "date": d, "status": s,
     "domains": c.split(",") if c else [], "private": bool(p),
     "updated_at": a[:19].replace(" ", "T"), "vouched_by": None}
    for u, k, t, d, s, c, p, a in rows
]
print(json.dumps(items, indent=2, ensure_ascii=False))
"""

COVERAGE = """
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
by = {}
for domain, status, count in con.execute(
    # A GPC code counts towards its domain: GPC6.2 towards GPC6 (the sample links only GPC codes).
    "SELECT CASE WHEN instr(l.code, '.') THEN substr(l.code, 1, instr(l.code, '.') - 1) "
    "ELSE l.code END AS domain, e.status, count(DISTINCT e.id) FROM evidence_link l "
    "JOIN evidence e ON e.id = l.evidence_id "
    "WHERE e.deleted_at IS NULL AND l.code LIKE 'GPC%' GROUP BY domain, e.status"):
    by.setdefault(domain, {})[status] = count
domains = [
    {"code": code, "title": title, "items": sum(by.get(code, {}).values()),
     "signed": by.get(code, {}).get("signed_off", 0),
     "awaiting_review": by.get(code, {}).get("ready", 0), "by_status": by.get(code, {})}
    for code, title in con.execute(
        "SELECT code, title FROM curriculum_node WHERE kind = 'domain' ORDER BY position")
]
total = con.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()[0]
ready = con.execute(
    "SELECT count(*) FROM evidence WHERE deleted_at IS NULL AND status = 'ready'").fetchone()[0]
print(json.dumps({
    "domains": domains,
    "without_evidence": [d["code"] for d in domains if not d["items"]],
    "without_signed_evidence": [d["code"] for d in domains if not d["signed"]],
    "awaiting_review": ready, "total_items": total}, indent=2, ensure_ascii=False))
"""


def same_keys(ours: object, theirs: object) -> bool:
    """The baseline prints what the command prints, down to the keys of every object."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(same_keys(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(same_keys, ours, theirs))
    return True


def main() -> None:
    args = arguments(__doc__, repeat=5, items=(10_000, 40))
    folder = sample_portfolio(args.items)
    byte_compile()
    database = str(folder / "portfolio.sqlite3")
    for command, baseline, target in (
        ("list", LIST, Target("≤ 2x", ratio=2)),
        ("coverage", COVERAGE, Target("≤ 0.3 s", at_most=0.3, issue_baseline=0.07)),
    ):
        ours_argv = [program(), "--data-dir", str(folder), command, "--json"]
        base_argv = [sys.executable, "-c", baseline, database]
        ours, base = alternate(
            lambda argv=ours_argv: run_child(argv),
            lambda argv=base_argv: run_child(argv),
            args.repeat,
            args.warmup,
        )
        if not same_keys(json.loads(ours[0].stdout), json.loads(base[0].stdout)):
            raise SystemExit(f"the {command} baseline prints other JSON than the command")
        report_processes(
            f"`{command} --json`, {args.items:,} items (whole process)",
            ours,
            base,
            baseline="python -c: sqlite3 + json reading the same database and printing the "
            "same JSON",
            target=target,
        )


if __name__ == "__main__":
    main()
