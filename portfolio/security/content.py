"""What a supervisor signs of an evidence item: its content, without status, tags or timestamps.

Defined once here, below the services and the file formats, so that the portfolio, the archive
and the review pack all compute the same digest (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol


class _Linked(Protocol):
    @property
    def code(self) -> str: ...


class Content(Protocol):
    """An item's content as a draft, a stored item or a file's entry holds it."""

    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def occurred_until(self) -> date | None: ...
    @property
    def fields(self) -> Mapping[str, Any]: ...
    @property
    def text(self) -> str: ...
    @property
    def links(self) -> Sequence[_Linked]: ...


def content_of(item_uuid: str, draft: Content, attachments: Iterable[str]) -> dict[str, Any]:
    """The signed content of an item whose attachments have these SHA-256 hashes."""
    return {
        "uuid": item_uuid,
        "kind": draft.kind,
        "title": draft.title,
        "occurred_on": draft.occurred_on.isoformat(),
        "occurred_until": draft.occurred_until.isoformat() if draft.occurred_until else None,
        "fields": draft.fields,
        "text": draft.text,
        "links": sorted(link.code for link in draft.links),
        "attachments": sorted(attachments),
    }
