"""Writing many new evidence items at once: the bulk load and the archive import.

Ids are assigned here, before anything is written, so that every table takes one statement
for the whole batch and no row waits for its id to come back (``RETURNING`` row by row). The
search index gets the same batch's rows in one statement too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import Session

from portfolio.kinds import searchable_text
from portfolio.models import Attachment, Evidence, EvidenceLink, Revision, Tag, evidence_tag
from portfolio.storage import search_index


@dataclass(frozen=True)
class NewItem:
    """One item to insert: its rows in every table but the ids, which ``insert_items`` gives."""

    evidence: dict[str, Any]
    """The ``evidence`` row's columns, without ``id``."""
    links: Sequence[tuple[str, str]]
    """(code, justification)."""
    tags: Sequence[str]
    """Names, matched to the tags here ignoring case (those missing are added)."""
    revisions: Sequence[dict[str, Any]]
    """number, saved_at, reason, digest, snapshot."""
    attachments: Sequence[dict[str, Any]] = ()
    """sha256, filename, added_at (the blobs are already there)."""


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection (in the whole process) while a bulk load, an import or an
    export builds its many objects: each collection that triggered would walk them all again,
    a third or more of the work. They form no reference cycles; what cycles other code makes
    meanwhile are collected after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def search_body(kind: str, fields: Mapping[str, Any], text_: str, tags: Iterable[str]) -> str:
    """The indexed body of an item (search_index.body_of) from its kind's fields."""
    return search_index.body_of(searchable_text(kind, fields), text_, tags)


def insert_items(session: Session, items: Sequence[NewItem]) -> None:
    """Insert ``items`` (with their links, tags, attachments, revisions and search entries)
    in the session's transaction."""
    if not items:
        return
    connection = session.connection()
    tag_id = tag_ids(session, (name for item in items for name in item.tags))
    ids = _reserve_ids(connection, len(items))
    tables: list[tuple[Any, list[dict[str, Any]]]] = [  # ORM tables are typed FromClause
        (
            Evidence.__table__,
            [{"id": i, **item.evidence} for i, item in zip(ids, items, strict=True)],
        ),
        (
            EvidenceLink.__table__,
            [
                {"evidence_id": i, "code": code, "justification": why}
                for i, item in zip(ids, items, strict=True)
                for code, why in item.links
            ],
        ),
        (
            evidence_tag,
            [
                {"evidence_id": i, "tag_id": tag_id[name.casefold()]}
                for i, item in zip(ids, items, strict=True)
                for name in item.tags
            ],
        ),
        (
            Attachment.__table__,
            [
                {"evidence_id": i, **a}
                for i, item in zip(ids, items, strict=True)
                for a in item.attachments
            ],
        ),
        (
            Revision.__table__,
            [
                {"evidence_id": i, **r}
                for i, item in zip(ids, items, strict=True)
                for r in item.revisions
            ],
        ),
    ]
    for table, rows in tables:
        if rows:
            _write(connection, table, rows)
    search_index.index_rows(
        connection,
        (
            (
                i,
                item.evidence["title"],
                search_body(
                    item.evidence["kind"],
                    item.evidence["fields"],
                    item.evidence["text"],
                    item.tags,
                ),
            )
            for i, item in zip(ids, items, strict=True)
        ),
        replace=False,
    )


def _write(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One INSERT for every row (all with the keys of the first), handed to the driver as one
    executemany; each value converted by its column's own type, as SQLAlchemy would, without
    its per-row parameter handling (which cost more than SQLite's writing)."""
    names = list(rows[0])
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup or ()) if compiled.positional else names
    converters = [
        (place, convert)
        for place, name in enumerate(order)
        if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    values: list[Any] = []
    for row in rows:
        value = [row[name] for name in order]
        for place, convert in converters:
            value[place] = convert(value[place])
        values.append(tuple(value) if compiled.positional else dict(zip(order, value, strict=True)))
    connection.exec_driver_sql(compiled.string, values)


def tag_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Tag ids by case-folded name, the tags ``names`` asks for added (first spelling wins)."""
    connection = session.connection()
    known: dict[str, int] = {}
    for tag_id, name in connection.execute(select(Tag.id, Tag.name).order_by(Tag.id)):
        known.setdefault(name.casefold(), tag_id)
    missing: dict[str, str] = {}
    for name in names:
        if name.casefold() not in known:
            missing.setdefault(name.casefold(), name)
    if missing:
        connection.execute(insert(Tag), [{"name": n} for n in missing.values()])
        wanted = list(missing.values())
        for start in range(0, len(wanted), 900):
            for tag_id, name in connection.execute(
                select(Tag.id, Tag.name).where(Tag.name.in_(wanted[start : start + 900]))
            ):
                known[name.casefold()] = tag_id
    return known


def _reserve_ids(connection: Connection, count: int) -> list[int]:
    """``count`` unused evidence ids. SQLite: after the largest (this write transaction shuts
    other writers out until it commits); PostgreSQL: from the column's own sequence."""
    if connection.dialect.name == "postgresql":
        return list(
            connection.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence('evidence', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": count},
            ).scalars()
        )
    last = connection.execute(select(Evidence.id).order_by(Evidence.id.desc()).limit(1)).scalar()
    first = (last or 0) + 1
    return list(range(first, first + count))
