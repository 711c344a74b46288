"""The whole command line declared in one place: every command, flag and help text (docs/cli.md
is its contract, and tests/data/cli_contract.json holds it). Handlers live in one module per
area; each command stores in ``handler`` a function of ``(location, args)``.

``COMMANDS`` declares each command once, in the order its help lists them; a run builds the
parser of its own command alone (``portfolio.cli.lazy``), the window's none. Each declaration
imports its handlers' module itself, so a run imports that one module and the window none.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portfolio import __version__
from portfolio.cli.common import (
    LocationHandler,
    Opening,
    allow_identifiers_option,
    bounded_count,
    database_url,
    iso_date,
    opening,
    passphrase_option,
    reading,
)
from portfolio.cli.lazy import add_commands
from portfolio.limits import MAX_SEARCH_RESULTS
from portfolio.vocabulary import OPPORTUNITY_KINDS, PROGRESS_STATUSES

Arguments = Callable[[argparse.ArgumentParser, Opening], None]
"""Adds a command's arguments (and its own sub-commands) to its parser; ``opening(handler,
write=...)`` wraps a handler so it receives the open portfolio (``common.opening``; tests of
the handlers pass their own)."""


@dataclass(frozen=True)
class Command:
    help: str
    arguments: Arguments
    described: bool
    """Its help text is also the description its own ``--help`` prints."""


COMMANDS: dict[str, Command] = {}
"""Every command by name, in the order the help lists them."""


def build_parser(*, lazily: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``lazily``, a command's parser is built only when chosen."""
    parser = argparse.ArgumentParser(
        prog="gpc-portfolio",
        description="Offline portfolio of GMC Generic Professional Capabilities evidence. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"gpc-portfolio {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir", metavar="DIR", help="portfolio folder (or $GPC_PORTFOLIO_DATA)"
    )
    where.add_argument(
        "--database", metavar="URL", type=database_url, help="SQLAlchemy URL of another database"
    )
    parser.add_argument(
        "--portfolio-passphrase-file",
        metavar="FILE",
        type=Path,
        help="passphrase of an encrypted portfolio (or $GPC_PORTFOLIO_PASSPHRASE, or a prompt)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    helps = {name: entry.help for name, entry in COMMANDS.items()}
    add_commands(sub, helps, _declare, lazily=lazily)
    return parser


def _declare(name: str, p: argparse.ArgumentParser) -> None:
    entry = COMMANDS[name]
    if entry.described:
        p.description = entry.help
    entry.arguments(p, opening)


def command(
    name: str, help_text: str, *, described: bool = False
) -> Callable[[Arguments], Arguments]:
    """Declare the command ``name``: the decorated function adds its arguments."""

    def register(arguments: Arguments) -> Arguments:
        COMMANDS[name] = Command(help_text, arguments, described)
        return arguments

    return register


@command("init", "create or update the trainee's profile", described=True)
def _init(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_init, write=True))
    p.add_argument("--name", required=True)
    p.add_argument("--gmc", required=True, metavar="NNNNNNN")
    for option in ("grade", "specialty", "programme", "trust", "region"):
        p.add_argument(f"--{option}", default="")
    p.add_argument("--supervisor", default="", help="educational supervisor")
    p.add_argument("--training-start", type=iso_date)
    p.add_argument("--training-end", type=iso_date)
    p.add_argument(
        "--meeting-lock",
        type=int,
        default=2,
        metavar="MINUTES",
        help="lock a supervisor's identity after this many idle minutes in a meeting (1-30)",
    )


@command("demo", "fill a portfolio that has no evidence with realistic sample data", described=True)
def _demo(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_demo, write=True))


@command("add", "add an evidence item; prints its uuid", described=True)
def _add(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_add, write=True))
    p.add_argument("--kind", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--date", required=True, type=iso_date)
    p.add_argument("--until", type=iso_date, help="last day, for a period")
    content_options(p)
    p.add_argument("--private", action="store_true", help="never in reports or review packs")


@command("edit", "change an evidence item (a new revision; the old one is kept)", described=True)
def _edit(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_edit, write=True))
    p.add_argument("uuid")
    p.add_argument("--title")
    p.add_argument("--date", type=iso_date)
    p.add_argument("--until", type=iso_date)
    content_options(p)
    privacy = p.add_mutually_exclusive_group()
    privacy.add_argument("--private", dest="private", action="store_true", default=None)
    privacy.add_argument("--not-private", dest="private", action="store_false")


@command("submit", "mark items ready for review", described=True)
def _submit(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_submit, write=True))
    p.add_argument("uuids", nargs="+", metavar="UUID")


@command("delete", "move an item to the trash", described=True)
def _delete(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_delete, write=True))
    p.add_argument("uuid")


@command("undelete", "restore an item from the trash", described=True)
def _undelete(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_undelete, write=True))
    p.add_argument("uuid")


@command("attach", "add attachments to an item", described=True)
def _attach(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_attach, write=True))
    p.add_argument("uuid")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")


@command("detach", "remove an attachment from an item (history keeps it)", described=True)
def _detach(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_detach, write=True))
    p.add_argument("uuid")
    p.add_argument("sha256")


@command("list", "list evidence", described=True)
def _list(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=reading(evidence.cmd_list, evidence.quick_list))
    p.add_argument("--kind")
    p.add_argument("--domain", metavar="CODE")
    p.add_argument("--status")
    p.add_argument("--tag")
    p.add_argument("--from", dest="date_from", type=iso_date)
    p.add_argument("--to", dest="date_to", type=iso_date)
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.add_argument("--sort", default="date", help="date, kind, title, status, domains, updated")
    p.add_argument("--ascending", action="store_true")
    p.add_argument("--json", action="store_true")


@command("show", "show one item in full", described=True)
def _show(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_show, write=False))
    p.add_argument("uuid")
    p.add_argument("--history", action="store_true", help="also list its revisions")
    p.add_argument("--json", action="store_true")


@command("search", "full-text search, best matches first", described=True)
def _search(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=reading(evidence.cmd_search))
    p.add_argument("query")
    p.add_argument("--limit", type=bounded_count(MAX_SEARCH_RESULTS), default=50)
    p.add_argument("--json", action="store_true")


@command("coverage", "evidence per GPC domain, and the gaps", described=True)
def _coverage(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=reading(evidence.cmd_coverage, evidence.quick_coverage))
    p.add_argument("--json", action="store_true")


@command("report", "write the ARCP summary PDF (atomically)", described=True)
def _report(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import reports

    p.set_defaults(handler=opening(reports.cmd_report, write=False))
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--from", dest="date_from", type=iso_date)
    p.add_argument("--to", dest="date_to", type=iso_date)
    p.add_argument(
        "--include-private",
        action="append",
        default=[],
        metavar="UUID",
        help="include this private item (repeatable); none by default",
    )
    p.add_argument("--no-reflections", action="store_true", help="leave reflections out")
    p.add_argument("--item", metavar="UUID", help="print this one item instead")
    allow_identifiers_option(p)


@command("backup", "back up the portfolio (into backups/ unless --out)", described=True)
def _backup(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=opening(archive.cmd_backup, write=True))
    p.add_argument("--out", type=Path)


# check, restore and backups work on a portfolio that cannot be opened (a damaged one).
@command("check", "check the database, search index and attachments")
def _check(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_check)
    p.add_argument("--repair", action="store_true", help="rebuild the search index")


@command("restore", "replace the portfolio with a backup (backs up first)")
def _restore(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_restore)
    p.add_argument("file", type=Path)


@command("backups", "list the automatic and manual backups")
def _backups(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_backups)


@command("upgrade", "create or upgrade the database's schema (a shared database's administrator)")
def _upgrade(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_upgrade)


@command("identity", "a supervisor's signing identity")
def _identity(identity: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import reviews

    identity_sub = identity.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    p = identity_sub.add_parser("create", help="create a signing key pair")
    p.set_defaults(handler=opening(reviews.cmd_identity_create, write=True))
    p.add_argument("--name", required=True)
    p.add_argument("--gmc", required=True, metavar="NNNNNNN")
    p.add_argument(
        "--role", required=True, help="educational_supervisor, clinical_supervisor or other"
    )
    passphrase_option(p)
    p = identity_sub.add_parser("show", help="identities known here, with fingerprints")
    p.set_defaults(handler=opening(reviews.cmd_identity_show, write=True))
    p.add_argument("--json", action="store_true")
    p = identity_sub.add_parser("export", help="write a public identity card")
    p.set_defaults(handler=opening(reviews.cmd_identity_export, write=True))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--identity", metavar="FINGERPRINT")
    p = identity_sub.add_parser("pin", help="vouch for a supervisor's identity card")
    p.set_defaults(handler=opening(reviews.cmd_identity_pin, write=True))
    p.add_argument("card", type=Path)
    p.add_argument(
        "--how",
        choices=("meeting", "file"),
        default="file",
        help="meeting: you checked the fingerprint on the supervisor's own device, in person; "
        "file: you have only the card file (default)",
    )


@command("review", "sign-off by file: review packs and sign-off files")
def _review(review: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import reviews

    review_sub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    p = review_sub.add_parser("export", help="write a review pack for your supervisor")
    p.set_defaults(handler=opening(reviews.cmd_review_export, write=True))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--ready", action="store_true", help="every item ready for review")
    p.add_argument("uuids", nargs="*", metavar="UUID")
    allow_identifiers_option(p)
    p = review_sub.add_parser("sign", help="(supervisor) sign the items of a review pack")
    p.set_defaults(handler=opening(reviews.cmd_review_sign, write=True))
    p.add_argument("pack", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--decision", default="signed_off", help="signed_off or changes_requested")
    p.add_argument("--comment", default="")
    p.add_argument("--identity", metavar="FINGERPRINT")
    passphrase_option(p)
    p = review_sub.add_parser("import", help="import a sign-off file from your supervisor")
    p.set_defaults(handler=opening(reviews.cmd_review_import, write=True))
    p.add_argument("file", type=Path)
    p = review_sub.add_parser(
        "log", help="(supervisor) write the signed log of every sign-off this copy signed"
    )
    p.set_defaults(handler=opening(reviews.cmd_review_log, write=False))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpclog")
    p.add_argument("--identity", metavar="FINGERPRINT")


@command("export", "write everything to a .gpcportfolio archive (or --format)", described=True)
def _export(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=opening(archive.cmd_export, write=True))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument(
        "--format",
        choices=("gpcportfolio", "leap2a", "html"),
        default="gpcportfolio",
        help="leap2a: a Leap2A zip for Mahara or PebblePad; html: a printable folder",
    )
    p.add_argument(
        "--include-private",
        action="append",
        default=[],
        metavar="UUID",
        help="leap2a and html: include this private item (repeatable); none by default",
    )
    allow_identifiers_option(p)


@command("import", "import (merge) a .gpcportfolio archive; backs up first", described=True)
def _import(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=opening(archive.cmd_import, write=True))
    p.add_argument("file", type=Path)


@command("encrypt", "encrypt the portfolio on this computer (SQLCipher)")
def _encrypt(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_encrypt)
    p.add_argument(
        "--passphrase",
        action="store_true",
        help="derive the key from a passphrase instead of keeping it in the keyring",
    )
    passphrase_option(p)


@command("decrypt", "turn encryption at rest off")
def _decrypt(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import archive

    p.set_defaults(handler=archive.cmd_decrypt)
    passphrase_option(p)


@command(
    "privacy-check",
    "list likely patient-identifiable data; exit 1 when any is found",
    described=True,
)
def _privacy_check(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import evidence

    p.set_defaults(handler=opening(evidence.cmd_privacy_check, write=False))
    p.add_argument("--json", action="store_true")


@command(
    "verify",
    "verify every sign-off, or the credentials in FILE (or in an ARCP summary PDF); "
    "exit 1 unless each is valid and its signer vouched for",
    described=True,
)
def _verify(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import reviews

    p.set_defaults(handler=reviews._verify)
    p.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="an ARCP summary .pdf, a sign-off credential .json, or a folder of them "
        "(needs no portfolio)",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--against",
        type=Path,
        metavar="LOG",
        help="a supervisor's signing log: list what it holds that this portfolio does not",
    )


@command("credentials", "sign-offs as W3C Verifiable Credentials")
def _credentials(credentials: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import reviews

    credentials_sub = credentials.add_subparsers(
        dest="credentials_command", metavar="ACTION", required=True
    )
    p = credentials_sub.add_parser(
        "export", help="write one credential .json per sign-off (of these items, or all)"
    )
    p.set_defaults(handler=opening(reviews.cmd_credentials_export, write=False))
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--suite", default="eddsa-rdfc-2022", help="eddsa-rdfc-2022 (default) or eddsa-jcs-2022"
    )
    p.add_argument("uuids", nargs="*", metavar="UUID")


def content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--domain",
        action="append",
        metavar="CODE",
        help="GPC domain or sub-heading, e.g. GPC5 or GPC6.2 (repeatable)",
    )
    p.add_argument("--field", action="append", metavar="KEY=VALUE", help="a template field")
    p.add_argument("--text-file", type=Path, help="file with the item's main text")
    p.add_argument("--tag", action="append", dest="tags", metavar="TAG")


@command("directory", "supervisor directories: who vouches for a signer's key")
def _directory(directory: argparse.ArgumentParser, opening: Opening) -> None:
    """``directory …``: publishing, trusting and listing supervisor directories."""
    from portfolio.cli import reviews

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
    p.set_defaults(handler=opening(reviews.cmd_directory_create, write=True))
    p.add_argument("--name", required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpcdirectory")
    publishing(p, cards=True)
    p = directory_sub.add_parser("add", help="(publisher) issue a new version with more cards")
    p.set_defaults(handler=opening(reviews.cmd_directory_add, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument("--out", type=Path, help="where to write it (default: replace FILE)")
    publishing(p, cards=True)
    p = directory_sub.add_parser("revoke", help="(publisher) issue a new version revoking keys")
    p.set_defaults(handler=opening(reviews.cmd_directory_revoke, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument("--key", action="extend", nargs="+", required=True, metavar="FINGERPRINT")
    p.add_argument("--out", type=Path, help="where to write it (default: replace FILE)")
    publishing(p, cards=False)
    p = directory_sub.add_parser("import", help="trust a directory, or take its newer version")
    p.set_defaults(handler=opening(reviews.cmd_directory_import, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcdirectory")
    p.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        help="the publisher's fingerprint, checked with them (asked for at a terminal)",
    )
    p = directory_sub.add_parser("list", help="the directories trusted here")
    p.set_defaults(handler=opening(reviews.cmd_directory_list, write=False))
    p.add_argument("--json", action="store_true")


@command("catalogue", "opportunity catalogues (a CLM publishes; trainees and supervisors import)")
def _catalogue(catalogue: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import opportunities

    catalogue_sub = catalogue.add_subparsers(
        dest="catalogue_command", metavar="ACTION", required=True
    )
    p = catalogue_sub.add_parser("create", help="(CLM) start a catalogue; prints its id")
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_create, write=True))
    p.add_argument("--title", required=True)
    p.add_argument("--trust", default="")
    p = catalogue_sub.add_parser("add", help="(CLM) add an opportunity; prints its id")
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_add, write=True))
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
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_remove, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")
    p = catalogue_sub.add_parser("publish", help="(CLM) sign and write the next version")
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_publish, write=True))
    p.add_argument("catalogue_id", metavar="CATALOGUE_ID")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpcopportunities")
    p.add_argument("--identity", metavar="FINGERPRINT")
    passphrase_option(p)
    p = catalogue_sub.add_parser("import", help="verify and import a catalogue")
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_import, write=True))
    p.add_argument("file", type=Path, metavar="FILE.gpcopportunities")
    p = catalogue_sub.add_parser("list", help="catalogues held here, with their publishers")
    p.set_defaults(handler=opening(opportunities.cmd_catalogue_list, write=False))
    p.add_argument("--json", action="store_true")


@command("opportunities", "list opportunities from the catalogues here")
def _opportunities(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import opportunities

    p.set_defaults(handler=opening(opportunities.cmd_opportunities, write=False))
    p.add_argument("--domain", metavar="CODE")
    p.add_argument(
        "--gaps", action="store_true", help="only those for domains in which you have no evidence"
    )
    p.add_argument("--kind", choices=OPPORTUNITY_KINDS)
    p.add_argument("--status", choices=(*PROGRESS_STATUSES, "none"))
    p.add_argument("--open", action="store_true", help="leave out those whose closing date passed")
    p.add_argument("--json", action="store_true")


@command("opportunity", "record what you did about an opportunity")
def _opportunity(opportunity: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import opportunities

    opportunity_sub = opportunity.add_subparsers(
        dest="opportunity_command", metavar="ACTION", required=True
    )
    p = opportunity_sub.add_parser(
        "status", help="record interest, application, participation or completion (none clears it)"
    )
    p.set_defaults(handler=opening(opportunities.cmd_opportunity_status, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")
    p.add_argument("status", choices=(*PROGRESS_STATUSES, "none"))
    p.add_argument("--date", type=iso_date, help="when (default today)")
    p = opportunity_sub.add_parser(
        "evidence", help="create the linked evidence item of your participation; prints its uuid"
    )
    p.set_defaults(handler=opening(opportunities.cmd_opportunity_evidence, write=True))
    p.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")


@command(
    "summary",
    "write the anonymised cohort summary for your CLM "
    "(--preview prints exactly what would be written)",
)
def _summary(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import opportunities

    p.set_defaults(handler=opening(opportunities.cmd_summary, write=False))
    p.add_argument("--out", type=Path, metavar="FILE.gpccohort")
    p.add_argument("--preview", action="store_true")
    p.add_argument("--from", dest="date_from", type=iso_date)
    p.add_argument("--to", dest="date_to", type=iso_date)
    p.add_argument(
        "--named",
        action="store_true",
        help="include your name and GMC number (left out by default)",
    )


@command("cohort", "(CLM) figures from trainees' summaries: PDF and CSV")
def _cohort(p: argparse.ArgumentParser, opening: Opening) -> None:
    from portfolio.cli import opportunities

    p.set_defaults(handler=opening(opportunities.cmd_cohort, write=False))
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    p.add_argument("--out", type=Path, metavar="FILE.pdf")
    p.add_argument("--csv", type=Path, metavar="FILE.csv")
    p.add_argument("--json", action="store_true")


@command("curriculum", "built-in curricula, CASE files, your own")
def _curriculum(group: argparse.ArgumentParser, opening: Opening) -> None:
    """``curriculum …``: the built-in and imported curricula, CASE files, the trainee's own."""
    from portfolio.cli import curriculum

    actions = group.add_subparsers(dest="curriculum_command", metavar="ACTION", required=True)
    p = actions.add_parser("list", help="the built-in curricula and those you imported")
    p.set_defaults(handler=curriculum.cmd_list())
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("export", help="write a built-in curriculum as 1EdTech CASE v1.1 JSON")
    p.set_defaults(handler=curriculum.cmd_export)
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=("case",), default="case")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p = actions.add_parser(
        "import",
        help="add a CASE v1.1 JSON file's curriculum to your portfolio (validated); with --out, "
        "only turn it into a curriculum file",
    )
    p.set_defaults(handler=curriculum.cmd_import())
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, metavar="CURRICULUM.json")
    p = actions.add_parser("remove", help="stop offering an imported curriculum (links are kept)")
    p.set_defaults(handler=opening(curriculum.cmd_remove, write=True))
    p.add_argument("id", metavar="ID")
    p = actions.add_parser("coverage", help="items per capability of your own curriculum")
    p.set_defaults(handler=opening(curriculum.cmd_coverage, write=False))
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("choose", help="choose your own curriculum (or none)")
    p.set_defaults(handler=opening(curriculum.cmd_choose, write=True))
    p.add_argument("id", metavar="ID|none")


@command("deanery", "(deanery) a region's summaries, catalogues and directories in PostgreSQL")
def _deanery(group: argparse.ArgumentParser, opening: Opening) -> None:
    """``deanery …``: the region's store on PostgreSQL (``portfolio.cli.deanery``); each
    takes ``--database URL`` here or before the command."""
    from portfolio.cli import deanery

    actions = group.add_subparsers(dest="deanery_command", metavar="ACTION", required=True)

    def action(name: str, handler: LocationHandler, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        p.add_argument(
            "--database",
            metavar="URL",
            type=database_url,
            default=argparse.SUPPRESS,
            help="the store's PostgreSQL URL, such as postgresql://user@host/deanery",
        )
        return p

    action(
        "init",
        deanery.on_store(deanery.cmd_init, create=True),
        "create the deanery store's tables in an empty PostgreSQL database",
    )
    p = action(
        "load",
        deanery.on_store(deanery.cmd_load),
        "verify and load summaries, catalogues and supervisor directories (files or folders)",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    p.add_argument(
        "--trust",
        action="append",
        metavar="FINGERPRINT",
        help="a directory publisher's fingerprint, checked with them (repeatable)",
    )
    p.add_argument("--json", action="store_true")
    p = action(
        "status", deanery.on_store(deanery.cmd_status), "what the store holds, revoked keys flagged"
    )
    p.add_argument("--json", action="store_true")
    p = action(
        "figures",
        deanery.on_store(deanery.cmd_figures),
        "the cohort's headline figures, computed in the database (as cohort prints them)",
    )
    p.add_argument("--json", action="store_true")
    p = action(
        "report",
        deanery.on_store(deanery.cmd_report),
        "write the mentor's cohort report (PDF) and figures (CSV) from the store",
    )
    p.add_argument("--pdf", type=Path, metavar="FILE.pdf")
    p.add_argument("--csv", type=Path, metavar="FILE.csv")
