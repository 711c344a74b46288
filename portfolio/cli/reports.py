"""Reports: the ARCP summary or one item as a PDF, and ``verify FILE.pdf``, which checks a
summary from the PDF alone (no portfolio needed; docs/cli.md). Verification exits 0 only when
every item the summary prints as signed off has a valid credential by a signer an attached
directory vouches for."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.cli.common import JsonObject, print_json, stop_on_findings, stop_on_identifiers
from portfolio.services.signoff_words import vouch_json, vouch_words
from portfolio.vocabulary import SIGNOFF_STATE_LABELS

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.services.dto import EvidenceDetail
    from portfolio.services.pdf_verification import ItemCheck, PdfCheck

STATE_WORDS = {
    **SIGNOFF_STATE_LABELS,
    "no_credential": "no credential",
    "not_signed_off": "not signed off",
}

LABELS = {
    **{k: k for k in STATE_WORDS},
    "no_credential": "no credential",
    "not_signed_off": "not signed off",
}


def cmd_report(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.services.new_items import collection_paused  # not for every command's start

    with collection_paused():  # a report's many objects free themselves (not the window's)
        path = _report(portfolio, args)
    print(path)
    return 0


def _report(portfolio: Portfolio, args: argparse.Namespace) -> Path:
    if args.item:
        stop_on_identifiers(portfolio, args, [args.item])
        return portfolio.reports.write_item(args.item, args.out)
    report = portfolio.reports.build_arcp(
        date_from=args.date_from,
        date_to=args.date_to,
        include_private=args.include_private,
        reflections=() if args.no_reflections else "all",
        check=lambda printed: _stop_on_identifiers(portfolio, args, printed),
    )
    return portfolio.reports.write_arcp_pdf(report, args.out)


def _stop_on_identifiers(
    portfolio: Portfolio, args: argparse.Namespace, printed: Sequence[EvidenceDetail]
) -> None:
    """``stop_on_identifiers`` for the summary, on the items it read (not read again): those
    not marked private, in list order (newest first), then each private item named."""
    read = {d.uuid: d for d in printed}
    named = [read.get(u) or portfolio.evidence.get(u) for u in args.include_private]
    findings = portfolio.privacy.check_items([d for d in reversed(printed) if not d.private])
    findings += [f for f in portfolio.privacy.check_items(named) if f not in findings]
    stop_on_findings(findings, args)


def cmd_verify_pdf(args: argparse.Namespace) -> int:
    from portfolio.services.pdf_verification import verify_pdf

    check = verify_pdf(args.file)
    if args.json:
        print_json(_json(check))
    else:
        _print(check)
    return 0 if check.passes else 1


def _pages(pages: tuple[int, ...]) -> str:
    if not pages:
        return "not printed on any page"
    return ("page " if len(pages) == 1 else "pages ") + ", ".join(map(str, pages))


def _print(check: PdfCheck) -> None:
    m = check.manifest
    print(
        f"ARCP summary of {m.trainee_name} (GMC {m.trainee_gmc}), {m.period}; generated "
        f"{m.generated_at} by GPC Portfolio {m.app_version}"
    )
    for d in check.directories:
        if d.directory is None:
            print(f"directory  {d.file}: not used ({d.problem})")
            continue
        expiry = "EXPIRED" if d.expired else "valid until"
        print(
            f"directory  “{d.directory.name}” version {d.directory.version}, publisher key "
            f"{d.directory.publisher.fingerprint}, {expiry} {d.directory.expires_at[:10]}"
        )
    for i in check.items:
        state = STATE_WORDS[i.state]
        print(f"{LABELS[i.state]:<14} {i.item.uuid}  {i.item.title}  ({_pages(i.item.pages)})")
        if i.credential is not None:
            c = i.credential.claims
            who = vouch_words(i.vouched_by) if i.vouched_by else f"not vouched for: {i.reason}"
            if i.state in ("revoked", "invalid"):
                who = i.reason
            print(
                f"               Signed off by {c.signer_name} (GMC {c.signer_gmc}, {c.fingerprint}) "
                f"at {c.signed_at} — {state}; {who}."
            )
        elif i.reason:
            print(f"               {state}: {i.reason}.")
    claimed = [i for i in check.items if i.state != "not_signed_off"]
    print(
        f"{sum(i.trusted for i in claimed)} of {len(claimed)} signed-off items valid and vouched "
        f"for; {len(check.items) - len(claimed)} not signed off",
        file=sys.stderr,
    )


def _json(check: PdfCheck) -> JsonObject:
    m = check.manifest
    return {
        "trainee": {"name": m.trainee_name, "gmc_number": m.trainee_gmc},
        "period": m.period,
        "generated_at": m.generated_at,
        "app_version": m.app_version,
        "directories": [
            {
                "file": d.file,
                "name": d.directory.name if d.directory else None,
                "version": d.directory.version if d.directory else None,
                "publisher_fingerprint": d.directory.publisher.fingerprint if d.directory else None,
                "expires_at": d.directory.expires_at if d.directory else None,
                "expired": d.expired,
                "problem": d.problem or None,
            }
            for d in check.directories
        ],
        "items": [_item_json(i) for i in check.items],
        "passes": check.passes,
    }


def _item_json(i: ItemCheck) -> JsonObject:
    c = i.credential.claims if i.credential else None
    return {
        "uuid": i.item.uuid,
        "title": i.item.title,
        "pages": list(i.item.pages),
        "printed_status": i.item.status,
        "digest": i.item.digest,
        "state": i.state,
        "vouched_by": vouch_json(i.vouched_by),
        "reason": i.reason or None,
        "signer": c.signer_name if c else None,
        "signer_gmc": c.signer_gmc if c else None,
        "fingerprint": c.fingerprint if c else None,
        "signed_at": c.signed_at if c else None,
        "credentials": list(i.item.credentials),
    }
