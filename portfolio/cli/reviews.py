"""Reviews and trust: signing identities, sign-off by file, verification, credentials and
supervisor directories (docs/cli.md)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.cli.common import (
    JsonObject,
    ask_passphrase,
    opening,
    print_json,
    read_card,
    stop_on_identifiers,
    unlock_own_identity,
)
from portfolio.errors import InvalidInput
from portfolio.paths import Location
from portfolio.services.signoff_words import signoff_words, trust_words, vouch_json
from portfolio.vocabulary import PIN_LABELS

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.services.credentials import FileCheck
    from portfolio.services.directory_format import DirectoryFile
    from portfolio.services.signoffs import IdentityInfo, MissingSignOff


def _identity_json(info: IdentityInfo) -> JsonObject:
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


def cmd_identity_create(portfolio: Portfolio, args: argparse.Namespace) -> int:
    store = portfolio.signoffs.keystore()
    info = portfolio.signoffs.create_identity(
        args.name, args.gmc, args.role, ask_passphrase(args.passphrase_file, store.needs_passphrase)
    )
    print(
        f"Created the signing identity of {info.identity.name}\n"
        f"Fingerprint: {info.fingerprint}\nPrivate key kept {info.key_location}"
    )
    return 0


def cmd_identity_show(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_identity_export(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.formats.card import write_card_file

    info = portfolio.signoffs.own_identity(args.identity)
    write_card_file(info.identity, args.out)
    print(f"Wrote the identity card of {info.identity.name} ({info.fingerprint}) to {args.out}")
    return 0


def cmd_identity_pin(portfolio: Portfolio, args: argparse.Namespace) -> int:
    info = portfolio.signoffs.pin_card(read_card(args.card), args.how)
    print(
        f"Pinned {info.identity.name} ({info.fingerprint}): {PIN_LABELS[info.pinned_how or args.how]}"
    )
    return 0


def cmd_review_export(portfolio: Portfolio, args: argparse.Namespace) -> int:
    if args.ready:
        stop_on_identifiers(portfolio, args, status="ready", include_private=False)
    else:
        stop_on_identifiers(portfolio, args, args.uuids)
    items = portfolio.signoffs.export_review_pack(args.out, args.uuids, ready=args.ready)
    print(f"Wrote {len(items)} item{'s' if len(items) != 1 else ''} to {args.out}")
    return 0


def cmd_review_sign(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_review_import(portfolio: Portfolio, args: argparse.Namespace) -> int:
    for outcome in portfolio.signoffs.import_signoff_file(args.file):
        note = "" if outcome.new else " (already imported)"
        print(
            f"{outcome.evidence_uuid}  {outcome.decision.replace('_', ' ')} by "
            f"{outcome.status.signer_name}: {trust_words(outcome.status)}{note}  "
            f"{outcome.evidence_title}"
        )
    return 0


def cmd_review_log(portfolio: Portfolio, args: argparse.Namespace) -> int:
    count = portfolio.signoffs.export_log(args.out, args.identity)
    print(f"Wrote {count} signed record{'s' if count != 1 else ''} to {args.out}")
    return 0


def _verify(location: Location, args: argparse.Namespace) -> int:
    if args.file is not None and args.file.suffix.lower() == ".pdf":
        from portfolio.cli.reports import cmd_verify_pdf

        return cmd_verify_pdf(args)
    if args.file is not None:
        return cmd_verify_files(args)
    return opening(cmd_verify, write=False)(location, args)


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


def _check_json(check: FileCheck) -> JsonObject:
    found: JsonObject = {"file": str(check.path), "state": check.state}
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


def cmd_credentials_export(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_verify(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def _missing_json(m: MissingSignOff) -> JsonObject:
    return {
        "uuid": m.evidence_uuid,
        "decision": m.decision,
        "signer": m.signer_name,
        "fingerprint": m.fingerprint,
        "signed_at": m.signed_at,
        "log_entry": m.sequence,
    }


# -- supervisor directories ----------------------------------------------------------------


def _written(directory: DirectoryFile, out: Path) -> int:
    revoked = sum(e.revoked for e in directory.entries)
    print(
        f"Wrote version {directory.version} of “{directory.name}” to {out}: "
        f"{len(directory.entries)} supervisors ({revoked} revoked), valid until "
        f"{directory.expires_at[:10]}\nPublisher key {directory.publisher.fingerprint}: "
        "give trainees this fingerprint by a channel other than the file."
    )
    return 0


def cmd_directory_create(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_directory_add(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_directory_revoke(portfolio: Portfolio, args: argparse.Namespace) -> int:
    unlocked = unlock_own_identity(portfolio, args)
    out = args.out or args.file
    directory = portfolio.directories.revoke(
        args.file, out, args.key, unlocked, valid_days=args.valid_days
    )
    return _written(directory, out)


def _ask_to_trust(portfolio: Portfolio, path: Path) -> str | None:
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


def cmd_directory_import(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_directory_list(portfolio: Portfolio, args: argparse.Namespace) -> int:
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
