"""The command line (a contract: scripts depend on these names; see docs/cli.md).

With no command, opens the window. Errors a user can fix, and errors of the world (a full
disk, a read-only folder, a damaged database: ``storage.failures.known_error``), print one line
to stderr and exit 2; nothing is changed. Only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from portfolio import __version__
from portfolio.cli_common import (
    ask_passphrase,
    bounded_count,
    database_url,
    iso_date,
    passphrase_option,
    print_json,
    read_card,
    unlock_own_identity,
)
from portfolio.errors import InvalidInput
from portfolio.limits import MAX_SEARCH_RESULTS, MAX_TEXT_FILE_BYTES
from portfolio.paths import Location, resolve_location
from portfolio.services.signoff_words import signoff_words, trust_words, vouch_json
from portfolio.vocabulary import PIN_LABELS

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # echo undecodable file names as given
            stream.reconfigure(errors="surrogateescape")
    parser = build_parser()
    args = parser.parse_args(argv)
    location = resolve_location(args.data_dir, args.database)
    if args.command is None:
        from portfolio.ui.main import run_app

        return run_app(location)
    try:
        return args.handler(location, args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("gpc-portfolio: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        from portfolio.storage.failures import database_name, known_error

        known = known_error(error, database_name(location.sqlite_path, location.database_url))
        if known is None:
            raise  # a bug: the traceback is wanted
        print(f"gpc-portfolio: {known}", file=sys.stderr)
        return EXIT_USER_ERROR


# -- argument parsing ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
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

    def command(
        name: str, handler: Callable[..., int], help_text: str, *, write: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=_opening(handler, write=write))
        return p

    p = command("init", cmd_init, "create or update the trainee's profile")
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

    command("demo", cmd_demo, "fill a portfolio that has no evidence with realistic sample data")

    p = command("add", cmd_add, "add an evidence item; prints its uuid")
    p.add_argument("--kind", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--date", required=True, type=iso_date)
    p.add_argument("--until", type=iso_date, help="last day, for a period")
    _content_options(p)
    p.add_argument("--private", action="store_true", help="never in reports or review packs")

    p = command("edit", cmd_edit, "change an evidence item (a new revision; the old one is kept)")
    p.add_argument("uuid")
    p.add_argument("--title")
    p.add_argument("--date", type=iso_date)
    p.add_argument("--until", type=iso_date)
    _content_options(p)
    privacy = p.add_mutually_exclusive_group()
    privacy.add_argument("--private", dest="private", action="store_true", default=None)
    privacy.add_argument("--not-private", dest="private", action="store_false")

    p = command("submit", cmd_submit, "mark items ready for review")
    p.add_argument("uuids", nargs="+", metavar="UUID")
    p = command("delete", cmd_delete, "move an item to the trash")
    p.add_argument("uuid")
    p = command("undelete", cmd_undelete, "restore an item from the trash")
    p.add_argument("uuid")
    p = command("attach", cmd_attach, "add attachments to an item")
    p.add_argument("uuid")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p = command("detach", cmd_detach, "remove an attachment from an item (history keeps it)")
    p.add_argument("uuid")
    p.add_argument("sha256")

    p = command("list", cmd_list, "list evidence", write=False)
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

    p = command("show", cmd_show, "show one item in full", write=False)
    p.add_argument("uuid")
    p.add_argument("--history", action="store_true", help="also list its revisions")
    p.add_argument("--json", action="store_true")

    p = command("search", cmd_search, "full-text search, best matches first", write=False)
    p.add_argument("query")
    p.add_argument("--limit", type=bounded_count(MAX_SEARCH_RESULTS), default=50)
    p.add_argument("--json", action="store_true")

    p = command("coverage", cmd_coverage, "evidence per GPC domain, and the gaps", write=False)
    p.add_argument("--json", action="store_true")

    p = command("report", cmd_report, "write the ARCP summary PDF (atomically)", write=False)
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
    _allow_identifiers_option(p)

    p = command("backup", cmd_backup, "back up the portfolio (into backups/ unless --out)")
    p.add_argument("--out", type=Path)
    # check, restore and backups work on a portfolio that cannot be opened (a damaged one).
    p = sub.add_parser("check", help="check the database, search index and attachments")
    p.set_defaults(handler=cmd_check)
    p.add_argument("--repair", action="store_true", help="rebuild the search index")
    p = sub.add_parser("restore", help="replace the portfolio with a backup (backs up first)")
    p.set_defaults(handler=cmd_restore)
    p.add_argument("file", type=Path)
    p = sub.add_parser("backups", help="list the automatic and manual backups")
    p.set_defaults(handler=cmd_backups)

    identity = sub.add_parser("identity", help="a supervisor's signing identity")
    identity_sub = identity.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    p = identity_sub.add_parser("create", help="create a signing key pair")
    p.set_defaults(handler=_opening(cmd_identity_create, write=True))
    p.add_argument("--name", required=True)
    p.add_argument("--gmc", required=True, metavar="NNNNNNN")
    p.add_argument(
        "--role", required=True, help="educational_supervisor, clinical_supervisor or other"
    )
    passphrase_option(p)
    p = identity_sub.add_parser("show", help="identities known here, with fingerprints")
    p.set_defaults(handler=_opening(cmd_identity_show, write=True))
    p.add_argument("--json", action="store_true")
    p = identity_sub.add_parser("export", help="write a public identity card")
    p.set_defaults(handler=_opening(cmd_identity_export, write=True))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--identity", metavar="FINGERPRINT")
    p = identity_sub.add_parser("pin", help="vouch for a supervisor's identity card")
    p.set_defaults(handler=_opening(cmd_identity_pin, write=True))
    p.add_argument("card", type=Path)
    p.add_argument(
        "--how",
        choices=("meeting", "file"),
        default="file",
        help="meeting: you checked the fingerprint on the supervisor's own device, in person; "
        "file: you have only the card file (default)",
    )

    review = sub.add_parser("review", help="sign-off by file: review packs and sign-off files")
    review_sub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    p = review_sub.add_parser("export", help="write a review pack for your supervisor")
    p.set_defaults(handler=_opening(cmd_review_export, write=True))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--ready", action="store_true", help="every item ready for review")
    p.add_argument("uuids", nargs="*", metavar="UUID")
    _allow_identifiers_option(p)
    p = review_sub.add_parser("sign", help="(supervisor) sign the items of a review pack")
    p.set_defaults(handler=_opening(cmd_review_sign, write=True))
    p.add_argument("pack", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--decision", default="signed_off", help="signed_off or changes_requested")
    p.add_argument("--comment", default="")
    p.add_argument("--identity", metavar="FINGERPRINT")
    passphrase_option(p)
    p = review_sub.add_parser("import", help="import a sign-off file from your supervisor")
    p.set_defaults(handler=_opening(cmd_review_import, write=True))
    p.add_argument("file", type=Path)
    p = review_sub.add_parser(
        "log", help="(supervisor) write the signed log of every sign-off this copy signed"
    )
    p.set_defaults(handler=_opening(cmd_review_log, write=False))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.gpclog")
    p.add_argument("--identity", metavar="FINGERPRINT")

    p = command("export", cmd_export, "write everything to a .gpcportfolio archive (or --format)")
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
    _allow_identifiers_option(p)
    p = command("import", cmd_import, "import (merge) a .gpcportfolio archive; backs up first")
    p.add_argument("file", type=Path)

    p = sub.add_parser("encrypt", help="encrypt the portfolio on this computer (SQLCipher)")
    p.set_defaults(handler=cmd_encrypt)
    p.add_argument(
        "--passphrase",
        action="store_true",
        help="derive the key from a passphrase instead of keeping it in the keyring",
    )
    passphrase_option(p)
    p = sub.add_parser("decrypt", help="turn encryption at rest off")
    p.set_defaults(handler=cmd_decrypt)
    passphrase_option(p)

    p = command(
        "privacy-check",
        cmd_privacy_check,
        "list likely patient-identifiable data; exit 1 when any is found",
        write=False,
    )
    p.add_argument("--json", action="store_true")

    help_text = (
        "verify every sign-off, or the credentials in FILE (or in an ARCP summary PDF); "
        "exit 1 unless each is valid and its signer vouched for"
    )
    p = sub.add_parser("verify", help=help_text, description=help_text)
    p.set_defaults(handler=_verify)
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

    credentials = sub.add_parser("credentials", help="sign-offs as W3C Verifiable Credentials")
    credentials_sub = credentials.add_subparsers(
        dest="credentials_command", metavar="ACTION", required=True
    )
    p = credentials_sub.add_parser(
        "export", help="write one credential .json per sign-off (of these items, or all)"
    )
    p.set_defaults(handler=_opening(cmd_credentials_export, write=False))
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--suite", default="eddsa-rdfc-2022", help="eddsa-rdfc-2022 (default) or eddsa-jcs-2022"
    )
    p.add_argument("uuids", nargs="*", metavar="UUID")

    from portfolio import directory_cli, opportunities_cli

    directory_cli.add_subcommands(sub, _opening)
    opportunities_cli.add_subcommands(sub, _opening)
    return parser


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--domain",
        action="append",
        metavar="CODE",
        help="GPC domain or sub-heading, e.g. GPC5 or GPC6.2 (repeatable)",
    )
    p.add_argument("--field", action="append", metavar="KEY=VALUE", help="a template field")
    p.add_argument("--text-file", type=Path, help="file with the item's main text")
    p.add_argument("--tag", action="append", dest="tags", metavar="TAG")


def _opening(
    handler: Callable[[Any, argparse.Namespace], int], *, write: bool
) -> Callable[[Location, argparse.Namespace], int]:
    def run(location: Location, args: argparse.Namespace) -> int:
        from portfolio.app import open_portfolio

        with open_portfolio(
            location, write=write, passphrase=_portfolio_passphrase(location, args)
        ) as portfolio:
            return handler(portfolio, args)

    return run


# -- helpers -------------------------------------------------------------------------------------


def _read_text(path: Path | None) -> str | None:
    from portfolio.storage.files import read_text

    return None if path is None else read_text(path, "text", MAX_TEXT_FILE_BYTES)


def _fields(kind: str, pairs: Sequence[str] | None, base: dict[str, Any]) -> dict[str, Any]:
    from portfolio.kinds import parse_field_value

    fields = dict(base)
    for pair in pairs or ():
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--field '{pair}' must be written KEY=VALUE.")
        fields[key.strip()] = parse_field_value(kind, key.strip(), raw)
    return fields


def summary_json(item: Any) -> dict[str, Any]:
    return {
        "uuid": item.uuid,
        "kind": item.kind,
        "title": item.title,
        "date": item.occurred_on.isoformat(),
        "status": item.status,
        "domains": list(item.domains),
        "private": item.private,
        "updated_at": item.updated_at.isoformat(),
        "vouched_by": vouch_json(item.signoff.vouched_by) if item.signoff else None,
    }


def detail_json(item: Any) -> dict[str, Any]:
    return {
        **summary_json(item),
        "date_until": item.occurred_until.isoformat() if item.occurred_until else None,
        "fields": item.fields,
        "text": item.text,
        "links": [{"code": ln.code, "justification": ln.justification} for ln in item.links],
        "tags": list(item.tags),
        "attachments": [
            {"sha256": a.sha256, "filename": a.filename, "size": a.size, "mime_type": a.mime_type}
            for a in item.attachments
        ],
        "placement_id": item.placement_id,
        "revision": item.revision,
        "digest": item.digest,
        "created_at": item.created_at.isoformat(),
        "deleted": item.deleted_at is not None,
        "signoff": None
        if item.signoff is None
        else {
            "state": item.signoff.state,
            "decision": item.signoff.decision,
            "comment": item.signoff.comment,
            "signer": item.signoff.signer_name,
            "role": item.signoff.signer_role,
            "fingerprint": item.signoff.fingerprint,
            "signed_at": item.signoff.signed_at,
            "vouched_by": vouch_json(item.signoff.vouched_by),
            "reason": item.signoff.reason or None,
            "warning": item.signoff.warning or None,
            "chain_warning": item.signoff.chain_warning or None,
        },
    }


# -- commands ------------------------------------------------------------------------------------


def cmd_init(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.dto import ProfileData

    profile = portfolio.profile.save(
        ProfileData(
            name=args.name,
            gmc_number=args.gmc,
            grade=args.grade,
            specialty=args.specialty,
            programme=args.programme,
            region=args.region,
            trust=args.trust,
            training_start=args.training_start,
            training_end=args.training_end,
            educational_supervisor=args.supervisor,
            meeting_lock_minutes=args.meeting_lock,
        )
    )
    print(
        f"Portfolio of {profile.name} (GMC {profile.gmc_number}) at {portfolio.location.data_dir}"
    )
    return 0


def cmd_demo(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.demo import DEMO_FOLDER, fill_demo

    count = fill_demo(portfolio)
    print(f"Added {count} sample items.")
    print(
        "A supervisor listed in a trusted deanery directory signed most of those ready; the "
        "Trust mentor's opportunities are imported. The directory, the catalogue and a cohort "
        f"of summaries for the mentor's view are in {portfolio.location.data_dir / DEMO_FOLDER}."
    )
    return 0


def cmd_add(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.dto import EvidenceDraft, Link

    item = portfolio.evidence.create(
        EvidenceDraft(
            kind=args.kind,
            title=args.title,
            occurred_on=args.date,
            occurred_until=args.until,
            fields=_fields(args.kind, args.field, {}),
            text=_read_text(args.text_file) or "",
            links=tuple(Link(code) for code in args.domain or ()),
            tags=tuple(args.tags or ()),
            private=args.private,
        )
    )
    print(item.uuid)
    _warn_saved(portfolio, item)
    return 0


def cmd_edit(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.dto import Link

    current = portfolio.evidence.get(args.uuid)
    draft = current.as_draft()
    changes: dict[str, Any] = {"fields": _fields(current.kind, args.field, draft.fields)}
    if args.title is not None:
        changes["title"] = args.title
    if args.date is not None:
        changes["occurred_on"] = args.date
    if args.until is not None:
        changes["occurred_until"] = args.until
    if args.domain is not None:
        kept = {ln.code: ln for ln in draft.links}
        changes["links"] = tuple(kept.get(code, Link(code)) for code in args.domain)
    if args.tags is not None:
        changes["tags"] = tuple(args.tags)
    if args.private is not None:
        changes["private"] = args.private
    text = _read_text(args.text_file)
    if text is not None:
        changes["text"] = text
    item = portfolio.evidence.update(args.uuid, replace(draft, **changes))
    print(f"{item.uuid} revision {item.revision}")
    _warn_saved(portfolio, item)
    return 0


def cmd_submit(portfolio: Any, args: argparse.Namespace) -> int:
    for item in portfolio.evidence.submit(args.uuids):
        print(f"{item.uuid} ready for review")
    return 0


def cmd_delete(portfolio: Any, args: argparse.Namespace) -> int:
    item = portfolio.evidence.delete(args.uuid)
    print(f"{item.uuid} moved to the trash (restore with 'gpc-portfolio undelete {item.uuid}')")
    return 0


def cmd_undelete(portfolio: Any, args: argparse.Namespace) -> int:
    item = portfolio.evidence.undelete(args.uuid)
    print(f"{item.uuid} restored")
    return 0


def cmd_attach(portfolio: Any, args: argparse.Namespace) -> int:
    portfolio.evidence.get(args.uuid)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise InvalidInput(f"No such file: {', '.join(missing)}.")
    for path in args.files:
        attachment = portfolio.evidence.attach(args.uuid, path)
        print(f"{attachment.sha256}  {attachment.filename}  {attachment.mime_type}")
    return 0


def cmd_detach(portfolio: Any, args: argparse.Namespace) -> int:
    portfolio.evidence.detach(args.uuid, args.sha256)
    print(f"Removed {args.sha256} from {args.uuid}")
    return 0


def cmd_list(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.evidence import EvidenceQuery

    items = portfolio.evidence.list(
        EvidenceQuery(
            kind=args.kind,
            domain=args.domain,
            status=args.status,
            tag=args.tag,
            date_from=args.date_from,
            date_to=args.date_to,
            trash=args.trash,
            sort=args.sort,
            descending=not args.ascending,
        )
    )
    if args.json:
        print_json([summary_json(i) for i in items])
        return 0
    for item in items:
        print(
            f"{item.uuid}  {item.occurred_on}  {item.status:<17} {item.kind:<18} "
            f"{item.title}  [{' '.join(item.domains)}]"
        )
    print(f"{len(items)} item{'s' if len(items) != 1 else ''}", file=sys.stderr)
    return 0


def cmd_show(portfolio: Any, args: argparse.Namespace) -> int:
    item = portfolio.evidence.get(args.uuid)
    history = portfolio.evidence.revisions(args.uuid) if args.history else []
    if args.json:
        data = detail_json(item)
        if args.history:
            data["history"] = [
                {
                    "number": r.number,
                    "saved_at": r.saved_at.isoformat(),
                    "reason": r.reason,
                    "digest": r.digest,
                }
                for r in history
            ]
        print_json(data)
        return 0
    from portfolio.kinds import template

    spec = template(item.kind)
    print(
        f"{item.title}\n{spec.title} · {item.occurred_on} · {item.status}"
        f"{' · private' if item.private else ''}\nuuid {item.uuid} · revision {item.revision}"
    )
    if item.links:
        print("Domains: " + ", ".join(ln.code for ln in item.links))
    if item.tags:
        print("Tags: " + ", ".join(item.tags))
    labels = {f.key: f.label for f in spec.fields}
    for key, value in item.fields.items():
        print(f"\n{labels.get(key, key)}:\n{value}")
    if item.text:
        print(f"\n{spec.text_label or 'Text'}:\n{item.text}")
    for a in item.attachments:
        print(f"Attachment: {a.filename} ({a.mime_type}, {a.size} bytes) {a.sha256}")
    if item.signoff is not None:
        so = item.signoff
        print(f"Sign-off: {signoff_words(so)}{' Comment: ' + so.comment if so.comment else ''}")
        for warning in (so.warning, so.chain_warning):
            if warning:
                print(f"Warning: {warning}")
    for r in history:
        print(f"Revision {r.number}: {r.saved_at:%Y-%m-%d %H:%M} UTC {r.reason}")
    return 0


def cmd_search(portfolio: Any, args: argparse.Namespace) -> int:
    hits = portfolio.evidence.search(args.query, limit=args.limit)
    if args.json:
        print_json([{**summary_json(h.item), "snippet": h.snippet} for h in hits])
        return 0
    for hit in hits:
        print(f"{hit.item.uuid}  {hit.item.occurred_on}  {hit.item.title}\n    {hit.snippet}")
    return 0


def cmd_coverage(portfolio: Any, args: argparse.Namespace) -> int:
    coverage = portfolio.coverage.coverage()
    if args.json:
        print_json(
            {
                "domains": [
                    {
                        "code": d.code,
                        "title": d.title,
                        "items": d.total,
                        "signed": d.signed,
                        "awaiting_review": d.awaiting_review,
                        "by_status": d.by_status,
                    }
                    for d in coverage.domains
                ],
                "without_evidence": list(coverage.without_evidence),
                "without_signed_evidence": list(coverage.without_signed_evidence),
                "awaiting_review": coverage.awaiting_review,
                "total_items": coverage.total_items,
            }
        )
        return 0
    print(f"{'Domain':<64} {'Items':>6} {'Signed':>7} {'Ready':>6}")
    for d in coverage.domains:
        print(f"{d.code + ' ' + d.title:<64.64} {d.total:>6} {d.signed:>7} {d.awaiting_review:>6}")
    if coverage.without_evidence:
        print("No evidence yet: " + ", ".join(coverage.without_evidence))
    if coverage.without_signed_evidence:
        print("No signed evidence yet: " + ", ".join(coverage.without_signed_evidence))
    plural = "" if coverage.total_items == 1 else "s"
    print(f"{coverage.total_items} item{plural}, {coverage.awaiting_review} awaiting review")
    return 0


def cmd_report(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.reporting import write_arcp_report, write_item_report

    if args.item:
        _stop_on_identifiers(portfolio, args, [args.item])
        path = write_item_report(portfolio, args.item, args.out)
    else:
        _stop_on_identifiers(
            portfolio,
            args,
            args.include_private,
            include_private=False,
            date_from=args.date_from,
            date_to=args.date_to,
        )
        path = write_arcp_report(
            portfolio,
            args.out,
            date_from=args.date_from,
            date_to=args.date_to,
            include_private=args.include_private,
            reflections=() if args.no_reflections else "all",
        )
    print(path)
    return 0


def _backups(portfolio: Any) -> Any:
    from portfolio.services.backups import BackupService

    return BackupService(portfolio.database)


def cmd_backup(portfolio: Any, args: argparse.Namespace) -> int:
    print(_backups(portfolio).backup(args.out))
    return 0


def cmd_backups(location: Location, args: argparse.Namespace) -> int:
    from portfolio.storage.backup import list_backups

    for backup in list_backups(location.backups_dir):
        print(f"{backup.created_at:%Y-%m-%d %H:%M}  {backup.size:>10}  {backup.path}")
    return 0


def cmd_check(location: Location, args: argparse.Namespace) -> int:
    """The database file is checked first, without opening it: a damaged one names a backup."""
    from portfolio.app import open_portfolio
    from portfolio.services.backups import database_problems, newest_sound_backup

    passphrase = _portfolio_passphrase(location, args)
    problems = [f"Database: {p}" for p in database_problems(location, passphrase)]
    if problems:
        for problem in problems:
            print(problem)
        sound = newest_sound_backup(location, passphrase)
        if sound is None:
            print(f"No sound backup was found in {location.backups_dir}.")
        else:
            print(
                f"The newest sound backup is {sound.path} ({sound.created_at:%Y-%m-%d %H:%M} "
                f"UTC); restore it with: gpc-portfolio restore {sound.path}"
            )
        return 1
    with open_portfolio(location, passphrase=passphrase) as portfolio:
        if args.repair:
            portfolio.evidence.rebuild_search_index()
        problems = _backups(portfolio).check()
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("The portfolio is sound: database, search index and attachments check out.")
    return 0


def cmd_restore(location: Location, args: argparse.Namespace) -> int:
    """A sound portfolio is restored through its engine; a damaged one by replacing the file."""
    from portfolio.app import open_portfolio
    from portfolio.services.backups import database_problems, restore_damaged

    passphrase = _portfolio_passphrase(location, args)
    if location.sqlite_path is not None and (
        not location.sqlite_path.is_file() or database_problems(location, passphrase)
    ):
        kept = restore_damaged(location, args.file, passphrase)
        with open_portfolio(location, passphrase=passphrase):
            pass  # an older backup is upgraded now, while the user waits for it
        print(
            f"Restored {args.file}." + (f" The damaged database is kept as {kept}." if kept else "")
        )
        return 0
    with open_portfolio(location, passphrase=passphrase) as portfolio:
        safety = _backups(portfolio).restore(args.file)
    print(f"Restored {args.file}. The state before the restore is saved in {safety}.")
    return 0


def _portfolio_passphrase(location: Location, args: argparse.Namespace) -> str | None:
    from portfolio.storage.encryption import needs_passphrase

    return ask_passphrase(
        args.portfolio_passphrase_file,
        needs_passphrase(location),
        "Passphrase for the encrypted portfolio: ",
    )


def cmd_encrypt(location: Location, args: argparse.Namespace) -> int:
    import os

    from portfolio.security.database_key import DatabaseKey
    from portfolio.security.keystore import PASSPHRASE_ENV
    from portfolio.storage.database import encrypt_portfolio

    no_keyring = DatabaseKey.keyring_problem()
    wants_passphrase = (
        args.passphrase
        or args.passphrase_file is not None
        or PASSPHRASE_ENV in os.environ
        or no_keyring is not None
    )
    conversion = encrypt_portfolio(location, ask_passphrase(args.passphrase_file, wants_passphrase))
    print(
        f"The portfolio is encrypted; its key is {conversion.key_location}.\n"
        f"The state before was backed up to {conversion.backup}."
    )
    if no_keyring is not None:
        print(
            "No working system keyring was found, so the key comes from your passphrase: "
            "if you forget it, the portfolio cannot be opened. Keep an export somewhere safe."
        )
    return 0


def cmd_decrypt(location: Location, args: argparse.Namespace) -> int:
    from portfolio.storage.database import decrypt_needs_passphrase, decrypt_portfolio

    conversion = decrypt_portfolio(
        location, ask_passphrase(args.passphrase_file, decrypt_needs_passphrase(location))
    )
    print(
        f"The portfolio is no longer encrypted. The state before was backed up to "
        f"{conversion.backup}."
    )
    return 0


def _identity_json(info: Any) -> dict[str, Any]:
    return {
        "name": info.identity.name,
        "gmc_number": info.identity.gmc_number,
        "role": info.identity.role,
        "fingerprint": info.fingerprint,
        "has_private_key": info.has_private_key,
        "pinned": info.pinned,
        "pinned_how": info.pinned_how,
        "key_location": info.key_location,
    }


def cmd_identity_create(portfolio: Any, args: argparse.Namespace) -> int:
    store = portfolio.signoffs.keystore()
    info = portfolio.signoffs.create_identity(
        args.name, args.gmc, args.role, ask_passphrase(args.passphrase_file, store.needs_passphrase)
    )
    print(
        f"Created the signing identity of {info.identity.name}\n"
        f"Fingerprint: {info.fingerprint}\nPrivate key kept {info.key_location}"
    )
    return 0


def cmd_identity_show(portfolio: Any, args: argparse.Namespace) -> int:
    identities = portfolio.signoffs.identities()
    if args.json:
        print_json([_identity_json(i) for i in identities])
        return 0
    warning = portfolio.signoffs.key_warning()
    if warning:
        print(warning)
    for info in identities:
        marks = ", ".join(
            m
            for m, on in (
                ("key held here", info.has_private_key),
                (f"pinned: {info.pinned_how}", info.pinned),
            )
            if on
        )
        print(
            f"{info.fingerprint}  {info.identity.name} (GMC {info.identity.gmc_number}, "
            f"{info.identity.role.replace('_', ' ')}){'  [' + marks + ']' if marks else ''}"
        )
    if not identities:
        print("No identities yet; a supervisor creates one with 'gpc-portfolio identity create'.")
    return 0


def cmd_identity_export(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.storage.files import write_atomically

    info = portfolio.signoffs.own_identity(args.identity)
    card = json.dumps(info.identity.to_card(), indent=2, ensure_ascii=False).encode()
    write_atomically(args.out, card)
    print(f"Wrote the identity card of {info.identity.name} ({info.fingerprint}) to {args.out}")
    return 0


def cmd_identity_pin(portfolio: Any, args: argparse.Namespace) -> int:
    info = portfolio.signoffs.pin_card(read_card(args.card), args.how)
    print(f"Pinned {info.identity.name} ({info.fingerprint}): {PIN_LABELS[info.pinned_how]}")
    return 0


def cmd_review_export(portfolio: Any, args: argparse.Namespace) -> int:
    if args.ready:
        _stop_on_identifiers(portfolio, args, status="ready", include_private=False)
    else:
        _stop_on_identifiers(portfolio, args, args.uuids)
    items = portfolio.signoffs.export_review_pack(args.out, args.uuids, ready=args.ready)
    print(f"Wrote {len(items)} item{'s' if len(items) != 1 else ''} to {args.out}")
    return 0


def cmd_review_sign(portfolio: Any, args: argparse.Namespace) -> int:
    from portfolio.services.review_files import read_review_pack

    pack = read_review_pack(args.pack)
    unlocked = unlock_own_identity(portfolio, args)
    decisions = {item.detail.uuid: (args.decision, args.comment) for item in pack.items}
    records = portfolio.signoffs.sign_pack(pack, unlocked, decisions, args.out)
    print(
        f"Signed {len(records)} item{'s' if len(records) != 1 else ''} of {pack.trainee_name} "
        f"as {args.decision.replace('_', ' ')}; send {args.out} back to the trainee."
    )
    earlier = portfolio.signoffs.earlier_credentials(pack, unlocked.identity.public_key)
    if earlier.issued:
        print("Also issued credentials for your earlier sign-offs, made before credentials:")
        for e in earlier.issued:
            print(f"  {e.record.signed_at}  {e.title}")
    if earlier.withheld:
        print(
            f"No credential for these earlier sign-offs: nothing shows they were signed for "
            f"{pack.trainee_name} (GMC {pack.trainee_gmc}), not in your signing log for them:"
        )
        for e in earlier.withheld:
            print(f"  {e.record.signed_at}  {e.title}")
    return 0


def cmd_review_import(portfolio: Any, args: argparse.Namespace) -> int:
    for outcome in portfolio.signoffs.import_signoff_file(args.file):
        note = "" if outcome.new else " (already imported)"
        print(
            f"{outcome.evidence_uuid}  {outcome.decision.replace('_', ' ')} by "
            f"{outcome.status.signer_name}: {trust_words(outcome.status)}{note}  "
            f"{outcome.evidence_title}"
        )
    return 0


def cmd_review_log(portfolio: Any, args: argparse.Namespace) -> int:
    count = portfolio.signoffs.export_log(args.out, args.identity)
    print(f"Wrote {count} signed record{'s' if count != 1 else ''} to {args.out}")
    return 0


def _finding_json(found: Any) -> dict[str, Any]:
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


def _print_findings(findings: Sequence[Any], stream: Any = sys.stdout) -> None:
    for found in findings:
        print(
            f"{found.evidence_uuid}  {found.evidence_title} — {found.label}: "
            f'"{found.finding.text}" {found.finding.message} '
            f'Suggested: "{found.finding.suggestion}"',
            file=stream,
        )


def cmd_privacy_check(portfolio: Any, args: argparse.Namespace) -> int:
    findings = portfolio.privacy.check()
    if args.json:
        print_json([_finding_json(f) for f in findings])
    else:
        _print_findings(findings)
        print(
            f"{len(findings)} possible identifier{'s' if len(findings) != 1 else ''} found",
            file=sys.stderr,
        )
    return 1 if findings else 0


def _allow_identifiers_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="write it even if the privacy check finds likely patient identifiers",
    )


def _stop_on_identifiers(
    portfolio: Any, args: argparse.Namespace, uuids: Sequence[str] = (), **query: Any
) -> None:
    """Before anything leaves the laptop: list what looks like patient data, and stop (exit 2)
    naming the items, unless --allow-identifiers. Soft warnings (a rare condition with a small
    place) are listed but never stop it. ``uuids`` are checked as well as the ``query``."""
    from portfolio.privacy import SOFT_KINDS
    from portfolio.services.evidence import EvidenceQuery

    findings = portfolio.privacy.check(EvidenceQuery(**query))
    if uuids:
        findings += [f for f in portfolio.privacy.check(uuids=tuple(uuids)) if f not in findings]
    _print_warning(findings, "in what is being written")
    items = {
        f.evidence_uuid: f.evidence_title for f in findings if f.finding.kind not in SOFT_KINDS
    }
    if items and not args.allow_identifiers:
        named = "; ".join(f"{title} ({uuid})" for uuid, title in items.items())
        raise InvalidInput(
            f"Nothing was written: likely patient identifiers in {len(items)} item"
            f"{'s' if len(items) != 1 else ''}: {named}. Replace them (gpc-portfolio "
            "privacy-check lists them), or add --allow-identifiers if they are not patient data."
        )


def _warn_saved(portfolio: Any, item: Any) -> None:
    """After add or edit: the same warning the window shows as you type (nothing is stopped)."""
    _print_warning(portfolio.privacy.scan(item), "in what you saved")


def _print_warning(findings: Sequence[Any], where: str) -> None:
    if findings:
        print(
            f"Privacy check: {len(findings)} possible patient identifier"
            f"{'s' if len(findings) != 1 else ''} {where}:",
            file=sys.stderr,
        )
        _print_findings(findings, sys.stderr)


def cmd_export(portfolio: Any, args: argparse.Namespace) -> int:
    if args.format != "gpcportfolio":
        return _export_elsewhere(portfolio, args)
    if args.include_private:
        raise InvalidInput("--include-private is for --format leap2a or html; an archive has all.")
    _stop_on_identifiers(portfolio, args)
    summary = portfolio.archive.export(args.out)
    print(
        f"Exported {summary.items} items ({summary.revisions} revisions), {summary.signoffs} "
        f"sign-offs and {summary.attachments} attachments to {summary.path}."
    )
    return 0


def _export_elsewhere(portfolio: Any, args: argparse.Namespace) -> int:
    """Leap2A or HTML: what a report holds (private items only when named), privacy-checked."""
    from portfolio.exporting import export_html, export_leap2a

    _stop_on_identifiers(portfolio, args, args.include_private)
    if args.format == "leap2a":
        summary = export_leap2a(portfolio, args.out, args.include_private)
        print(
            f"Exported {summary.items} items and {summary.attachments} attachments to {summary.path}."
        )
    else:
        print(export_html(portfolio, args.out, args.include_private))
    return 0


def cmd_import(portfolio: Any, args: argparse.Namespace) -> int:
    report = portfolio.archive.import_(args.file)
    for item in report.items:
        if item.outcome != "unchanged":
            print(f"{item.outcome:<9} {item.uuid}  {item.title}")
    print(
        f"{report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('merged')} merged, {report.count('unchanged')} unchanged; "
        f"backup before import: {report.backup}"
    )
    if report.profile == "kept_local":
        print(
            "Kept this portfolio's profile; the archive differs in: "
            + ", ".join(report.profile_differences)
        )
    return 0


def _verify(location: Location, args: argparse.Namespace) -> int:
    if args.file is not None and args.file.suffix.lower() == ".pdf":
        from portfolio.verify_pdf_cli import cmd_verify_pdf

        return cmd_verify_pdf(args)
    if args.file is not None:
        return cmd_verify_files(args)
    return _opening(cmd_verify, write=False)(location, args)


def cmd_verify_files(args: argparse.Namespace) -> int:
    from portfolio.services.credentials import verify_path

    checks = verify_path(args.file)
    if args.json:
        print_json([_check_json(c) for c in checks])
    else:
        for check in checks:
            if check.credential is None:
                print(f"invalid  {check.path}  {check.problem}")
                continue
            claims, proof = check.credential.claims, check.credential.proof
            print(
                f"valid    {check.path}  signed off by {claims.signer_name} (GMC "
                f"{claims.signer_gmc}, {claims.fingerprint}) {claims.signed_at}  "
                f"{claims.title}  [{proof.suite}]"
            )
        valid = sum(c.credential is not None for c in checks)
        print(f"{valid} valid, {len(checks) - valid} invalid", file=sys.stderr)
    return 0 if all(c.credential is not None for c in checks) else 1


def _check_json(check: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"file": str(check.path), "state": check.state}
    if check.credential is None:
        return {**found, "problem": check.problem}
    claims, proof = check.credential.claims, check.credential.proof
    return {
        **found,
        "uuid": claims.evidence_uuid,
        "title": claims.title,
        "kind": claims.kind,
        "digest": claims.evidence_digest,
        "domains": [a.code for a in claims.alignments],
        "decision": "signed_off",
        "signer": claims.signer_name,
        "signer_gmc": claims.signer_gmc,
        "role": claims.signer_role,
        "fingerprint": claims.fingerprint,
        "did": claims.signer_did,
        "trainee_gmc": claims.trainee_gmc,
        "signed_at": claims.signed_at,
        "suite": proof.suite,
        "issued_at": proof.created,
    }


def cmd_credentials_export(portfolio: Any, args: argparse.Namespace) -> int:
    exported = portfolio.credentials.export(args.out, args.suite, args.uuids)
    count = len(exported.paths)
    print(f"Wrote {count} credential{'s' if count != 1 else ''} ({args.suite}) to {args.out}")
    if exported.pending:
        print(
            f"{exported.pending} sign-off{'s have' if exported.pending != 1 else ' has'} no "
            "credential yet: issued the next time the supervisor signs in this portfolio.",
            file=sys.stderr,
        )
    return 0


def cmd_verify(portfolio: Any, args: argparse.Namespace) -> int:
    missing = [] if args.against is None else portfolio.signoffs.missing_from_log(args.against)
    results = portfolio.signoffs.verify_all()
    if args.json:
        listed = [
            {
                "uuid": r.evidence_uuid,
                "title": r.evidence_title,
                "state": r.status.state,
                "vouched_by": vouch_json(r.status.vouched_by),
                "reason": r.status.reason or None,
                "decision": r.status.decision,
                "signer": r.status.signer_name,
                "fingerprint": r.status.fingerprint,
                "signed_at": r.status.signed_at,
                "warning": r.status.warning or None,
                "chain_warning": r.status.chain_warning or None,
            }
            for r in results
        ]
        if args.against is None:
            print_json(listed)
        else:
            print_json({"signoffs": listed, "missing": [_missing_json(m) for m in missing]})
    else:
        for r in results:
            warnings = "".join(f"  ! {w}" for w in (r.status.warning, r.status.chain_warning) if w)
            print(
                f"{r.status.state:<8} {r.evidence_uuid}  {r.evidence_title}\n"
                f"         {signoff_words(r.status)}{warnings}"
            )
        for m in missing:
            print(
                f"MISSING  {m.evidence_uuid}  {m.decision} by {m.signer_name} ({m.fingerprint}) "
                f"{m.signed_at}  (log entry {m.sequence})"
            )
        trusted = sum(r.status.trusted for r in results)
        print(
            f"{trusted} of {len(results)} valid and vouched for; "
            + ", ".join(
                f"{sum(r.status.state == state for r in results)} {words}"
                for state, words in (
                    ("edited", "edited since sign-off"),
                    ("revoked", "revoked"),
                    ("invalid", "invalid"),
                )
            )
            + f", {sum(r.status.state == 'valid' and not r.status.trusted for r in results)} "
            "not vouched for"
            + ("" if args.against is None else f"; {len(missing)} in the log but not here"),
            file=sys.stderr,
        )
    broken_chain = any(r.status.chain_warning for r in results)
    return 0 if all(r.status.trusted for r in results) and not broken_chain and not missing else 1


def _missing_json(m: Any) -> dict[str, Any]:
    return {
        "uuid": m.evidence_uuid,
        "decision": m.decision,
        "signer": m.signer_name,
        "fingerprint": m.fingerprint,
        "signed_at": m.signed_at,
        "log_entry": m.sequence,
    }


if __name__ == "__main__":
    sys.exit(main())
