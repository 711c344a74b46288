"""An item's current digest from its stored rows, without the ORM (``content.digest_of_item``
reads the same from a loaded item): the read commands verify sign-offs through it on a bare
connection, and Core's path through it too.

Each attachment's hash is taken from its stored bytes, cached per blob (its key and length)
for the life of the process; what is shown as trusted (``verify``, reports, exports) calls
``forget_blob_digests`` first, so it always hashes the bytes afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from portfolio.security.canonical import digest
from portfolio.security.content import content_of

_blob_digests: dict[tuple[str, int], str] = {}


def bytes_digest(sha256: str, data: bytes) -> str:
    """SHA-256 of a blob's stored bytes (cached by blob identity: its key and length)."""
    key = (sha256, len(data))
    found = _blob_digests.get(key)
    if found is None:
        found = _blob_digests[key] = hashlib.sha256(data).hexdigest()
    return found


def forget_blob_digests() -> None:
    """Hash every attachment afresh from now on: called before anything shown as trusted."""
    _blob_digests.clear()


def digests_of_rows(
    contents: Iterable[Sequence[Any]],
    links: Iterable[Sequence[Any]],
    attachments: Iterable[Sequence[Any]],
    *,
    as_stored: bool,
) -> dict[int, str]:
    """The current digest of each item of ``contents`` (``signoff_reads.content_statement``'s
    rows), with its ``links`` (id, code) and ``attachments`` (id, blob key, bytes).
    ``as_stored``: the rows come from a bare SQLite connection, the dates and the JSON as their
    text, read here as SQLAlchemy's SQLite dialect reads them (``date.fromisoformat``,
    ``json.loads``); otherwise through SQLAlchemy, already read."""
    from portfolio.services.dto import EvidenceDraft, Link  # not built for an unsigned list

    read_date: Any = date.fromisoformat if as_stored else _same
    read_json: Any = json.loads if as_stored else _same
    codes: dict[int, list[Link]] = {}
    for evidence_id, code in links:
        codes.setdefault(evidence_id, []).append(Link(code))
    hashes: dict[int, list[str]] = {}
    for evidence_id, sha256, data in attachments:
        hashes.setdefault(evidence_id, []).append(bytes_digest(sha256, data))
    found: dict[int, str] = {}
    for evidence_id, uuid, kind, title, occurred_on, occurred_until, fields, text in contents:
        stored = EvidenceDraft(
            kind,
            title,
            read_date(occurred_on),
            None if occurred_until is None else read_date(occurred_until),
            dict(read_json(fields)),
            text,
            tuple(codes.get(evidence_id, ())),
        )  # as ``content.draft_of`` makes it of a loaded item
        found[evidence_id] = digest(content_of(uuid, stored, hashes.get(evidence_id, ())))
    return found


def _same(value: Any) -> Any:
    return value
