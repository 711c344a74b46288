"""Evidence commands: the profile, adding and changing items, listing, showing, searching,
coverage and the privacy check (docs/cli.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio.cli.common import (
    JsonObject,
    finding_json,
    print_findings,
    print_json,
    warn_saved,
)
from portfolio.errors import InvalidInput
from portfolio.limits import MAX_TEXT_FILE_BYTES
from portfolio.services.signoff_words import signoff_words, vouch_json

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from portfolio.app import Portfolio
    from portfolio.services.dto import Coverage, EvidenceDetail, EvidenceSummary
    from portfolio.services.evidence_rows import EvidenceQuery


def _read_text(path: Path | None) -> str | None:
    from portfolio.formats.reader import read_text

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


def summary_json(item: EvidenceSummary | EvidenceDetail) -> JsonObject:
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


def detail_json(item: EvidenceDetail) -> JsonObject:
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


def cmd_init(portfolio: Portfolio, args: argparse.Namespace) -> int:
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
            curriculum_id=(portfolio.profile.get() or ProfileData("", "")).curriculum_id,
        )
    )
    print(
        f"Portfolio of {profile.name} (GMC {profile.gmc_number}) at {portfolio.location.data_dir}"
    )
    return 0


def cmd_demo(portfolio: Portfolio, args: argparse.Namespace) -> int:
    from portfolio.demo import DEMO_FOLDER, fill_demo

    count = fill_demo(portfolio)
    print(f"Added {count} sample items.")
    print(
        "A supervisor listed in a trusted deanery directory signed most of those ready; the "
        "Trust mentor's opportunities are imported. The directory, the catalogue and a cohort "
        f"of summaries for the mentor's view are in {portfolio.location.data_dir / DEMO_FOLDER}."
    )
    return 0


def cmd_add(portfolio: Portfolio, args: argparse.Namespace) -> int:
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
    warn_saved(portfolio, item)
    return 0


def cmd_edit(portfolio: Portfolio, args: argparse.Namespace) -> int:
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
    item = portfolio.evidence.update(
        args.uuid, replace(draft, **changes), from_revision=current.revision
    )
    print(f"{item.uuid} revision {item.revision}")
    warn_saved(portfolio, item)
    return 0


def cmd_submit(portfolio: Portfolio, args: argparse.Namespace) -> int:
    for item in portfolio.evidence.submit(args.uuids):
        print(f"{item.uuid} ready for review")
    return 0


def cmd_delete(portfolio: Portfolio, args: argparse.Namespace) -> int:
    item = portfolio.evidence.delete(args.uuid)
    print(f"{item.uuid} moved to the trash (restore with 'gpc-portfolio undelete {item.uuid}')")
    return 0


def cmd_undelete(portfolio: Portfolio, args: argparse.Namespace) -> int:
    item = portfolio.evidence.undelete(args.uuid)
    print(f"{item.uuid} restored")
    return 0


def cmd_attach(portfolio: Portfolio, args: argparse.Namespace) -> int:
    portfolio.evidence.get(args.uuid)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise InvalidInput(f"No such file: {', '.join(missing)}.")
    for path in args.files:
        attachment = portfolio.evidence.attach(args.uuid, path)
        print(f"{attachment.sha256}  {attachment.filename}  {attachment.mime_type}")
    return 0


def cmd_detach(portfolio: Portfolio, args: argparse.Namespace) -> int:
    portfolio.evidence.detach(args.uuid, args.sha256)
    print(f"Removed {args.sha256} from {args.uuid}")
    return 0


def _list_query(args: argparse.Namespace) -> EvidenceQuery:
    from portfolio.services.evidence_rows import EvidenceQuery

    return EvidenceQuery(
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


def cmd_list(connection: Connection, args: argparse.Namespace) -> int:
    from portfolio.services.evidence_query import list_summaries

    return _print_list(list_summaries(connection, _list_query(args)), args)


def quick_list(connection: Any, args: argparse.Namespace) -> int | None:
    """``cmd_list`` without SQLAlchemy, when it can (``services.quick_reads``)."""
    from portfolio.services import quick_reads

    items = quick_reads.list_summaries(connection, _list_query(args))
    return None if items is None else _print_list(items, args)


def _print_list(items: Sequence[EvidenceSummary], args: argparse.Namespace) -> int:
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


def cmd_show(portfolio: Portfolio, args: argparse.Namespace) -> int:
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


def cmd_search(connection: Connection, args: argparse.Namespace) -> int:
    from portfolio.services.evidence_query import search_hits

    hits = search_hits(connection, args.query, limit=args.limit)
    if args.json:
        print_json([{**summary_json(h.item), "snippet": h.snippet} for h in hits])
        return 0
    for hit in hits:
        print(f"{hit.item.uuid}  {hit.item.occurred_on}  {hit.item.title}\n    {hit.snippet}")
    return 0


def cmd_coverage(connection: Connection, args: argparse.Namespace) -> int:
    from portfolio.services.coverage import coverage_of

    return _print_coverage(coverage_of(connection), args)


def quick_coverage(connection: Any, args: argparse.Namespace) -> int:
    """``cmd_coverage`` without SQLAlchemy, when it can (``services.quick_reads``)."""
    from portfolio.services import quick_reads

    return _print_coverage(quick_reads.coverage(connection), args)


def _print_coverage(coverage: Coverage, args: argparse.Namespace) -> int:
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


def cmd_privacy_check(portfolio: Portfolio, args: argparse.Namespace) -> int:
    findings = portfolio.privacy.check()
    if args.json:
        print_json([finding_json(f) for f in findings])
    else:
        print_findings(findings)
        print(
            f"{len(findings)} possible identifier{'s' if len(findings) != 1 else ''} found",
            file=sys.stderr,
        )
    return 1 if findings else 0
