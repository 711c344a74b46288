"""Pieces every command-line module shares: argument types, JSON output, passphrases."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any


def iso_date(value: str) -> date:
    """An argparse type: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date in the form YYYY-MM-DD"
        ) from None


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


MAX_CARD_BYTES = 64 * 1024


def read_card(path: Path) -> Any:
    """The identity card in the file at ``path`` (a ``PublicIdentity``)."""
    from portfolio.errors import InvalidInput
    from portfolio.security.signing import PublicIdentity

    try:
        if path.stat().st_size > MAX_CARD_BYTES:
            raise InvalidInput(f"{path.name} is too large to be an identity card.")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"Cannot read the identity card {path}: {error}.") from None
    try:
        return PublicIdentity.from_card_json(text)
    except InvalidInput as error:
        raise InvalidInput(f"{path.name}: {error}") from None
