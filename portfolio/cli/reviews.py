"""Command-line handlers for supervisor directories (``gpc-portfolio directory …``; docs/cli.md).

Each handler takes ``(portfolio, args)`` like those in ``portfolio.cli`` and returns the exit
code; a ``PortfolioError`` is printed by ``portfolio.cli.main``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from portfolio.cli.common import (
    iso_date,
    passphrase_option,
    print_json,
    read_card,
    unlock_own_identity,
)
from portfolio.errors import InvalidInput


def _written(directory: Any, out: Path) -> int:
    revoked = sum(e.revoked for e in directory.entries)
    print(
        f"Wrote version {directory.version} of “{directory.name}” to {out}: "
        f"{len(directory.entries)} supervisors ({revoked} revoked), valid until "
        f"{directory.expires_at[:10]}\nPublisher key {directory.publisher.fingerprint}: "
        "give trainees this fingerprint by a channel other than the file."
    )
    return 0


def cmd_directory_create(portfolio: Any, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    cards = [read_card(path) for path in args.card]
    directory = portfolio.directories.create(
        args.name,
        args.out,
        cards,
        unlocked,
        valid_days=args.valid_days,
        valid_from=args.valid_from,
        valid_until=args.valid_until,
    )
    return _written(directory, args.out)


def cmd_directory_add(portfolio: Any, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    cards = [read_card(path) for path in args.card]
    out = args.out or args.file
    directory = portfolio.directories.add(
        args.file,
        out,
        cards,
        unlocked,
        valid_days=args.valid_days,
        valid_from=args.valid_from,
        valid_until=args.valid_until,
    )
    return _written(directory, out)


def cmd_directory_revoke(portfolio: Any, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    out = args.out or args.file
    directory = portfolio.directories.revoke(
        args.file, out, args.key, unlocked, valid_days=args.valid_days
    )
    return _written(directory, out)


def _ask_to_trust(portfolio: Any, path: Path) -> str | None:
    """At a terminal: show the publisher and its fingerprint, and ask."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    directory = portfolio.directories.read(path)
    print(
        f"“{directory.name}” version {directory.version}, {len(directory.entries)} supervisors, "
        f"valid until {directory.expires_at[:10]}\nPublished by {directory.publisher.name}, "
        f"key {directory.publisher.fingerprint}\nCheck this fingerprint with the publisher "
        "(not from the file or its e-mail)."
    )
    answer = input("Trust this directory? [y/N] ").strip().casefold()
    if answer not in ("y", "yes"):
        raise InvalidInput("Not trusted; nothing was imported.")
    return str(directory.publisher.fingerprint)


def cmd_directory_import(portfolio: Any, args: argparse.Namespace) -> int:
    trust = args.trust
    if trust is None:
        trust = _ask_to_trust(portfolio, args.file)
    result = portfolio.directories.import_directory(args.file, trust)
    info = result.info
    if result.unchanged:
        print(f"Version {info.version} of “{info.name}” is already trusted; nothing changed.")
    elif result.previous_version is None:
        print(f"Trusted “{info.name}” version {info.version}: {info.entries} supervisors.")
    else:
        print(f"Updated “{info.name}” from version {result.previous_version} to {info.version}.")
    print(f"Published by {info.publisher_name}, key {info.publisher_fingerprint}")
    return 0


def cmd_directory_list(portfolio: Any, args: argparse.Namespace) -> int:
    found = portfolio.directories.directories()
    if args.json:
        print_json([asdict(info) for info in found])
        return 0
    for info in found:
        marks = "  [ALTERED: vouches for nobody]" if info.altered else ""
        marks += "  [expired]" if info.expired and not info.altered else ""
        print(
            f"{info.publisher_fingerprint}  “{info.name}” version {info.version}, "
            f"{info.entries} supervisors, until {info.expires_at[:10]}{marks}"
        )
    if not found:
        print("No trusted directories; import one with 'gpc-portfolio directory import FILE'.")
    return 0


def add_subcommands(sub: Any, opening: Any) -> None:
    directory = sub.add_parser(
        "directory", help="supervisor directories: who vouches for a signer's key"
    )
    directory_sub = directory.add_subparsers(
        dest="directory_command", metavar="ACTION", required=True
    )

    def publishing(p: argparse.ArgumentParser, *, cards: bool) -> None:
        if cards:
            p.add_argument(
                "--card",
                action="extend",
                nargs="+",
                type=Path,
                required=True,
                metavar="CARD",
                help="a supervisor's identity card (repeatable)",
            )
            p.add_argument("--valid-from", type=iso_date, help="first day the keys are valid")
            p.add_argument("--valid-until", type=iso_date, help="last day the keys are valid")
        p.add_argument(
            "--valid-days",
            type=int,
            default=365,
            help="days until this version of the directory expires (default 365)",
        )
        p.add_argument("--identity", metavar="FINGERPRINT", help="the publisher's identity")
        passphrase_option(p)

    p = directory_sub.add_parser("create", help="(publisher) sign version 1 of a new directory")
    p.set_defaults(handler=opening(cmd_directory_create, write=True))
    p.add_argument("--name", required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpcdirectory")
    publishing(p, cards=True)
    p = directory_sub.add_parser("add", help="(publisher) issue a new version with more cards")
    p.set_defaults(handler=opening(cmd_directory_add, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument("--out", type=Path, help="where to write it (default: replace FILE)")
    publishing(p, cards=True)
    p = directory_sub.add_parser("revoke", help="(publisher) issue a new version revoking keys")
    p.set_defaults(handler=opening(cmd_directory_revoke, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument("--key", action="extend", nargs="+", required=True, metavar="FINGERPRINT")
    p.add_argument("--out", type=Path, help="where to write it (default: replace FILE)")
    publishing(p, cards=False)
    p = directory_sub.add_parser("import", help="trust a directory, or take its newer version")
    p.set_defaults(handler=opening(cmd_directory_import, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        help="the publisher's fingerprint, checked with them (asked for at a terminal)",
    )
    p = directory_sub.add_parser("list", help="the directories trusted here")
    p.set_defaults(handler=opening(cmd_directory_list, write=False))
    p.add_argument("--json", action="store_true")
