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

from sqlalchemy import Connection, Date, DateTime, Dialect, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from portfolio import tables
from portfolio.kinds import searchable_text
from portfolio.models import Attachment, Evidence, EvidenceLink, Revision, Tag, evidence_tag
from portfolio.storage import search_index
from portfolio.storage.deferred_indexes import indexes_deferred


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


LOADED_TABLES = (
    *(
        t.name
        for t in (tables.evidence, tables.evidence_link, tables.evidence_tag, tables.revision)
    ),
    Attachment.__tablename__,
)
"""The tables ``insert_items`` writes (the search index aside): a load into an empty portfolio
builds their secondary indexes after the rows."""


@contextmanager
def indexes_after_load(session: Session) -> Iterator[None]:
    """Within the block, when the portfolio holds no item at its start, the ``LOADED_TABLES``
    lack their non-unique indexes, made again once when it ends (storage.deferred_indexes:
    SQLite only, in the session's transaction, which rolls them back with the rows)."""
    with indexes_deferred(session.connection(), LOADED_TABLES, empty=tables.evidence.name):
        yield


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
    numbered = list(zip(_reserve_ids(connection, len(items)), items, strict=True))
    _write_owned(connection, Evidence.__table__, "id", [(i, item.evidence) for i, item in numbered])
    _write(
        connection,
        EvidenceLink.__table__,
        ("evidence_id", "code", "justification"),
        [(i, code, why) for i, item in numbered for code, why in item.links],
    )
    _write(
        connection,
        evidence_tag,
        ("evidence_id", "tag_id"),
        [(i, tag_id[name.casefold()]) for i, item in numbered for name in item.tags],
    )
    for table, part in ((Attachment.__table__, "attachments"), (Revision.__table__, "revisions")):
        rows = [(i, row) for i, item in numbered for row in getattr(item, part)]
        _write_owned(connection, table, "evidence_id", rows)
    search_index.index_rows(
        connection,
        [
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
            for i, item in numbered
        ],
        replace=False,
    )


def _write_owned(
    connection: Connection, table: Any, key: str, rows: list[tuple[int, Mapping[str, Any]]]
) -> None:
    """``_write`` of (evidence id, the row's other columns by name): all with the keys of the
    first, the id as column ``key``."""
    if rows:
        names = tuple(rows[0][1])
        _write(
            connection, table, (key, *names), [(i, *map(row.__getitem__, names)) for i, row in rows]
        )


def _write(
    connection: Connection, table: Any, names: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """One INSERT for every row (values in the order of ``names``), handed to the driver as one
    executemany; each value converted by its column's own type, as SQLAlchemy would, without
    its per-row parameter handling (which cost more than SQLite's writing). Column by column:
    a date or time is converted once however many rows share it (a load stamps them all with
    one time)."""
    if not rows:
        return
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    order = list(compiled.positiontup or ()) if compiled.positional else list(names)
    given = dict(zip(names, zip(*rows, strict=True), strict=True))
    columns = [_converted(table.c[name].type, dialect, given[name]) for name in order]
    values: list[Any] = list(zip(*columns, strict=True))
    if not compiled.positional:
        values = [dict(zip(order, row, strict=True)) for row in values]
    connection.exec_driver_sql(compiled.string, values)


def _converted(kind: TypeEngine[Any], dialect: Dialect, values: Sequence[Any]) -> Sequence[Any]:
    convert = kind.dialect_impl(dialect).bind_processor(dialect)
    if convert is None:
        return values
    if isinstance(kind, Date | DateTime):
        once = {value: convert(value) for value in set(values)}
        return list(map(once.__getitem__, values))
    return list(map(convert, values))


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
