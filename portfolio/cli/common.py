"""Pieces every command-line module shares: argument types, JSON output, passphrases."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from portfolio.limits import MAX_INTEGER_DIGITS


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


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


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

    from portfolio.security.keystore import read_passphrase

    if not needed:
        return None
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    return read_passphrase(passphrase_file, prompt=prompt, prompt_text=prompt_text)


def unlock_own_identity(portfolio: Any, args: argparse.Namespace) -> Any:
    """The signing identity named by --identity (or the only one), unlocked for this command."""
    info = portfolio.signoffs.own_identity(args.identity)
    store = portfolio.signoffs.keystore(info.fingerprint)
    return portfolio.signoffs.unlock(
        info.fingerprint, ask_passphrase(args.passphrase_file, store.needs_passphrase)
    )


def read_card(path: Path) -> Any:
    """The identity card in the file at ``path`` (a ``PublicIdentity``)."""
    from portfolio.services.signoffs import read_card_file

    return read_card_file(path)
