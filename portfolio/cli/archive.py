"""Archive and maintenance: export and import, backups, the health check, restore, and
encryption at rest (docs/cli.md). check, restore and backups work on a portfolio that cannot
be opened (a damaged one), so they take its location."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from portfolio.cli.common import (
    ask_passphrase,
    portfolio_passphrase,
    stop_on_findings,
    stop_on_identifiers,
)
from portfolio.errors import InvalidInput
from portfolio.paths import Location

if TYPE_CHECKING:
    from portfolio.app import Portfolio


def cmd_backup(portfolio: Portfolio, args: argparse.Namespace) -> int:
    print(portfolio.backups.backup(args.out))
    return 0


def cmd_upgrade(location: Location, args: argparse.Namespace) -> int:
    """Bring the schema to this version's, and nothing else: no profile, no curricula (a shared
    database's administrator runs it; trainees' roles may not change the schema)."""
    from portfolio.storage.database import open_database
    from portfolio.storage.failures import database_name
    from portfolio.storage.migrate import head_revision

    database = open_database(location, passphrase=portfolio_passphrase(location, args))
    backup = database.upgrade_backup
    database.close()
    name = database_name(location.sqlite_path, location.database_url)
    print(f"The schema of {name} is at revision {head_revision()}.")
    if backup is not None:
        print(f"Backup taken before the upgrade: {backup}")
    return 0


def cmd_backups(location: Location, args: argparse.Namespace) -> int:
    from portfolio.services.backups import BackupService

    for backup in BackupService(location).list():
        print(f"{backup.created_at:%Y-%m-%d %H:%M}  {backup.size:>10}  {backup.path}")
    return 0


def cmd_check(location: Location, args: argparse.Namespace) -> int:
    """The database file is checked first, without opening it: a damaged one names a backup."""
    from portfolio.app import open_portfolio
    from portfolio.services.backups import INDEX_OUT_OF_STEP, BackupService

    passphrase = portfolio_passphrase(location, args)
    unopened = BackupService(location)
    problems = [f"Database: {p}" for p in unopened.database_problems(passphrase)]
    if problems:
        for problem in problems:
            print(problem)
        sound = unopened.newest_sound(passphrase)
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
        problems = portfolio.backups.check()
    for problem in problems:
        print(problem)
    if INDEX_OUT_OF_STEP in problems:
        print("Rebuild the search index with: gpc-portfolio check --repair")
    if problems:
        return 1
    print("The portfolio is sound: database, search index and attachments check out.")
    return 0


def cmd_restore(location: Location, args: argparse.Namespace) -> int:
    """A sound portfolio is restored through its engine; a damaged one by replacing the file."""
    from portfolio.app import open_portfolio
    from portfolio.services.backups import BackupService

    passphrase = portfolio_passphrase(location, args)
    unopened = BackupService(location)
    if location.sqlite_path is not None and (
        not location.sqlite_path.is_file() or unopened.database_problems(passphrase)
    ):
        kept = unopened.restore_damaged(args.file, passphrase)
        with open_portfolio(location, passphrase=passphrase):
            pass  # an older backup is upgraded now, while the user waits for it
        print(
            f"Restored {args.file}." + (f" The damaged database is kept as {kept}." if kept else "")
        )
        return 0
    with open_portfolio(location, passphrase=passphrase) as portfolio:
        safety = portfolio.backups.restore(args.file)
    print(f"Restored {args.file}. The state before the restore is saved in {safety}.")
    return 0


def cmd_encrypt(location: Location, args: argparse.Namespace) -> int:
    import os

    from portfolio.security.local_secrets import PASSPHRASE_ENV
    from portfolio.services.encryption import EncryptionService

    service = EncryptionService(location)
    no_keyring = service.keyring_problem()
    wants_passphrase = (
        args.passphrase
        or args.passphrase_file is not None
        or PASSPHRASE_ENV in os.environ
        or no_keyring is not None
    )
    conversion = service.encrypt(ask_passphrase(args.passphrase_file, wants_passphrase))
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
    from portfolio.services.encryption import EncryptionService

    service = EncryptionService(location)
    conversion = service.decrypt(
        ask_passphrase(args.passphrase_file, service.needs_passphrase_to_decrypt())
    )
    print(
        f"The portfolio is no longer encrypted. The state before was backed up to "
        f"{conversion.backup}."
    )
    return 0


def cmd_export(portfolio: Portfolio, args: argparse.Namespace) -> int:
    if args.format != "gpcportfolio":
        return _export_elsewhere(portfolio, args)
    if args.include_private:
        raise InvalidInput("--include-private is for --format leap2a or html; an archive has all.")
    summary = portfolio.archive.export(
        args.out, screen=lambda live: stop_on_findings(portfolio.privacy.check_entries(live), args)
    )
    print(
        f"Exported {summary.items} items ({summary.revisions} revisions), {summary.signoffs} "
        f"sign-offs and {summary.attachments} attachments to {summary.path}."
    )
    return 0


def _export_elsewhere(portfolio: Portfolio, args: argparse.Namespace) -> int:
    """Leap2A or HTML: what a report holds (private items only when named), privacy-checked."""
    from portfolio.exporting import export_html, export_leap2a

    stop_on_identifiers(portfolio, args, args.include_private)
    if args.format == "leap2a":
        summary = export_leap2a(portfolio, args.out, args.include_private)
        print(
            f"Exported {summary.items} items and {summary.attachments} attachments to {summary.path}."
        )
    else:
        print(export_html(portfolio, args.out, args.include_private))
    return 0


def cmd_import(portfolio: Portfolio, args: argparse.Namespace) -> int:
    report = portfolio.archive.import_(args.file)
    for item in report.items:
        if item.outcome != "unchanged":
            print(f"{item.outcome:<9} {item.uuid}  {item.title}")
    backup = (
        "nothing was written, so no backup was taken"
        if report.backup is None
        else f"backup before import: {report.backup}"
    )
    print(
        f"{report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('merged')} merged, {report.count('unchanged')} unchanged; {backup}"
    )
    if report.profile == "kept_local":
        print(
            "Kept this portfolio's profile; the archive differs in: "
            + ", ".join(report.profile_differences)
        )
    return 0
