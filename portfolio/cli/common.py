"""Pieces every command-line module shares: argument types, JSON output, passphrases, opening
the portfolio, and the privacy check run before anything leaves the laptop."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from portfolio.cli.json_text import indented_json
from portfolio.errors import InvalidInput, PortfolioError, Remedy
from portfolio.limits import MAX_INTEGER_DIGITS
from portfolio.paths import Location

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from portfolio.app import Portfolio
    from portfolio.security.signing import PublicIdentity
    from portfolio.services.dto import EvidenceDetail
    from portfolio.services.privacy import ItemFinding
    from portfolio.services.signoffs import Unlocked

Handler = Callable[["Portfolio", argparse.Namespace], int]
"""A command that works on the open portfolio."""
Reading = Callable[["Connection", argparse.Namespace], int]
"""A read command that queries the portfolio's tables through Core: no ORM, no services."""
Quick = Callable[[Any, argparse.Namespace], "int | None"]
"""A read command on a read-only DB-API connection (``storage.read_only``), without
SQLAlchemy; None when it must read through Core instead (it has printed nothing then)."""
LocationHandler = Callable[[Location, argparse.Namespace], int]
"""A command that opens the portfolio itself (or needs none): what the parser stores."""
Opening = Callable[..., LocationHandler]
"""``opening(handler, write=...)``: a handler wrapped to receive the open portfolio."""
JsonObject = dict[str, object]


def iso_date(value: str) -> date:
    """An argparse type: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date in the form YYYY-MM-DD"
        ) from None


def bounded_count(limit: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to ``limit``, in ASCII digits."""

    def count(value: str) -> int:
        digits = value.isascii() and value.isdigit() and len(value) <= MAX_INTEGER_DIGITS
        if not digits or not 1 <= int(value) <= limit:
            raise argparse.ArgumentTypeError(f"'{value}' is not a whole number from 1 to {limit}")
        return int(value)

    return count


def database_url(value: str) -> str:
    """An argparse type: a SQLAlchemy URL of a dialect this installation can use."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(value).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a database URL this app can use, such as "
            "sqlite:////path/to/portfolio.sqlite3"
        ) from None
    return value


REMEDY_HINTS = {
    Remedy.CREATE_PROFILE: "Create it with 'gpc-portfolio init'.",
    Remedy.CREATE_IDENTITY: "Create one with 'gpc-portfolio identity create'.",
    Remedy.CREATE_OR_RESTORE: "Create one with 'gpc-portfolio init', or restore a backup with "
    "'gpc-portfolio restore FILE'.",
    Remedy.FIND_BACKUP: "'gpc-portfolio check' names the newest sound backup, and "
    "'gpc-portfolio restore FILE' puts it back (or Backups in the window).",
    Remedy.OPEN_ELSEWHERE: "Open the copy with --data-dir DIR.",
    Remedy.CHOOSE_IDENTITY: "Choose one with --identity FINGERPRINT.",
    Remedy.NAME_CARDS: "Give one with --card FILE.",
    Remedy.VALIDITY: "Check --valid-from, --valid-until and --valid-days.",
    Remedy.TRUST_PUBLISHER: "Trust it with --trust FINGERPRINT.",
    Remedy.CHOOSE_ITEMS: "Name their UUIDs, or give --ready.",
    Remedy.GIVE_PASSPHRASE: "Use --passphrase-file, set GPC_PORTFOLIO_PASSPHRASE, or type it "
    "when asked.",
    Remedy.CREATE_DEANERY_STORE: "Create it with 'gpc-portfolio deanery init --database URL'.",
    Remedy.RELOAD: "Read it again ('gpc-portfolio show UUID' for an item) and repeat your change.",
}
"""The command line's own words for what to do next (services name no command)."""


def error_line(error: PortfolioError) -> str:
    """The one line the command line prints for a known error: the message, then its hint."""
    hint = REMEDY_HINTS.get(error.remedy) if error.remedy else None
    return f"gpc-portfolio: {error}" + (f" {hint}" if hint else "")


def print_json(value: object) -> None:
    print(indented_json(value))


def plural(count: int, word: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def passphrase_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--passphrase-file",
        type=Path,
        help="file holding the passphrase (or $GPC_PORTFOLIO_PASSPHRASE, or a prompt)",
    )


def ask_passphrase(
    passphrase_file: Path | None,
    needed: bool = True,
    prompt_text: str = "Passphrase for your signing key: ",
) -> str | None:
    """From the file, then $GPC_PORTFOLIO_PASSPHRASE, then a prompt when a terminal is there."""
    import getpass

    from portfolio.security.local_secrets import read_passphrase

    if not needed:
        return None
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    return read_passphrase(passphrase_file, prompt=prompt, prompt_text=prompt_text)


def portfolio_passphrase(location: Location, args: argparse.Namespace) -> str | None:
    """The passphrase of an encrypted portfolio, when it has one (--portfolio-passphrase-file)."""
    from portfolio.storage.encryption import needs_passphrase

    return ask_passphrase(
        args.portfolio_passphrase_file,
        needs_passphrase(location),
        "Passphrase for the encrypted portfolio: ",
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Imports made inside, with the garbage collector paused, then frozen.

    Importing the core makes some 100,000 objects that live as long as the process (SQLAlchemy's
    and our models' classes) and frees none of them: collections during the import, and full
    ones later, would walk them for nothing (a fifth of a read command's CPU time).
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
    gc.freeze()


def import_core() -> Callable[..., Portfolio]:
    """``open_portfolio``, imported with the collector paused (``collector_paused``)."""
    with collector_paused():
        from portfolio.app import open_portfolio
    return open_portfolio


def opening(handler: Handler, *, write: bool) -> LocationHandler:
    """``handler`` run on the portfolio at the location, opened for this one command."""

    def run(location: Location, args: argparse.Namespace) -> int:
        open_portfolio = import_core()
        with open_portfolio(
            location, write=write, passphrase=portfolio_passphrase(location, args)
        ) as portfolio:
            return handler(portfolio, args)

    return run


def reading(handler: Reading, quick: Quick | None = None) -> LocationHandler:
    """``handler`` run on a connection to the portfolio, opened for reading as ``opening``
    opens it (refusals alike; an older schema is upgraded first), without the composition
    root: a read command imports neither the ORM nor the services it does not use.

    ``quick`` is tried first on a SQLite portfolio at this app's schema: it reads without
    SQLAlchemy, or hands the command to ``handler`` (see ``services.quick_reads``)."""

    def run(location: Location, args: argparse.Namespace) -> int:
        passphrase = portfolio_passphrase(location, args)
        key = None
        if quick is not None and location.sqlite_path is not None:
            from portfolio.storage.read_only import open_read_only

            read_only = open_read_only(location, passphrase)
            key = read_only.key
            try:
                done = None if read_only.connection is None else quick(read_only.connection, args)
            finally:
                read_only.close()
            if done is not None:
                return done
        with collector_paused():
            from portfolio.storage.database import open_database
        database = open_database(location, write=False, passphrase=passphrase, key=key)
        try:
            with database.engine.connect() as connection:
                return handler(connection, args)
        finally:
            database.close()

    return run


def unlock_own_identity(portfolio: Portfolio, args: argparse.Namespace) -> Unlocked:
    """The signing identity named by --identity (or the only one), unlocked for this command."""
    info = portfolio.signoffs.own_identity(args.identity)
    store = portfolio.signoffs.keystore(info.fingerprint)
    return portfolio.signoffs.unlock(
        info.fingerprint, ask_passphrase(args.passphrase_file, store.needs_passphrase)
    )


def read_card(path: Path) -> PublicIdentity:
    """The identity card in the file at ``path``."""
    from portfolio.formats.card import read_card_file

    return read_card_file(path)


# -- the privacy check ---------------------------------------------------------------------------


def finding_json(found: ItemFinding) -> JsonObject:
    return {
        "uuid": found.evidence_uuid,
        "title": found.evidence_title,
        "where": found.path,
        "label": found.label,
        "kind": found.finding.kind,
        "text": found.finding.text,
        "start": found.finding.start,
        "end": found.finding.end,
        "suggestion": found.finding.suggestion,
        "message": found.finding.message,
    }


def print_findings(findings: Sequence[ItemFinding], stream: TextIO | None = None) -> None:
    for found in findings:
        print(
            f"{found.evidence_uuid}  {found.evidence_title} — {found.label}: "
            f'"{found.finding.text}" {found.finding.message} '
            f'Suggested: "{found.finding.suggestion}"',
            file=stream or sys.stdout,
        )


def allow_identifiers_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="write it even if the privacy check finds likely patient identifiers",
    )


def stop_on_identifiers(
    portfolio: Portfolio,
    args: argparse.Namespace,
    uuids: Sequence[str] = (),
    *,
    status: str | None = None,
    include_private: bool = True,
    date_from: date | None = None,
    date_to: date | None = None,
) -> None:
    """Before anything leaves the laptop: list what looks like patient data, and stop (exit 2)
    naming the items, unless --allow-identifiers. Soft warnings (a rare condition with a small
    place) are listed but never stop it. ``uuids`` are checked as well as the query."""
    from portfolio.services.evidence import EvidenceQuery

    query = EvidenceQuery(
        status=status, include_private=include_private, date_from=date_from, date_to=date_to
    )
    findings = portfolio.privacy.check(query)
    if uuids:
        findings += [f for f in portfolio.privacy.check(uuids=tuple(uuids)) if f not in findings]
    stop_on_findings(findings, args)


def stop_on_findings(findings: Sequence[ItemFinding], args: argparse.Namespace) -> None:
    """``stop_on_identifiers`` for findings already made (the export checks what it read)."""
    from portfolio.privacy import SOFT_KINDS

    print_warning(findings, "in what is being written")
    items = {
        f.evidence_uuid: f.evidence_title for f in findings if f.finding.kind not in SOFT_KINDS
    }
    if items and not args.allow_identifiers:
        named = "; ".join(f"{title} ({uuid})" for uuid, title in items.items())
        raise InvalidInput(
            f"Nothing was written: likely patient identifiers in {plural(len(items), 'item')}: "
            f"{named}. Replace them (gpc-portfolio privacy-check lists them), or add "
            "--allow-identifiers if they are not patient data."
        )


def warn_saved(portfolio: Portfolio, item: EvidenceDetail) -> None:
    """After add or edit: the same warning the window shows as you type (nothing is stopped)."""
    print_warning(portfolio.privacy.scan(item), "in what you saved")


def print_warning(findings: Sequence[ItemFinding], where: str) -> None:
    if findings:
        print(
            f"Privacy check: {plural(len(findings), 'possible patient identifier')} {where}:",
            file=sys.stderr,
        )
        print_findings(findings, sys.stderr)
