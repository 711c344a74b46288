"""The evidence list's query through Core, over ``portfolio.tables``: filters and order
(``EvidenceQuery``), the ids they select and the summaries of the rows.

``EvidenceService`` reads through it, and so does a read command (``list``) on a bare
connection, without importing the ORM: only a reviewed item, whose status is its verified
sign-off, brings the ORM in (``signoffs_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError

from portfolio import tables
from portfolio.curriculum.domains import domain_map
from portfolio.errors import InvalidInput
from portfolio.limits import MAX_SEARCH_RESULTS
from portfolio.services.compiled_sql import CompiledSql, compiled_sql
from portfolio.services.evidence_rows import (
    CODE_SEPARATOR,
    SORT_KEYS,
    VERIFIED_STATUSES,
    EvidenceQuery,
    check_filters,
    split_codes,
    summaries_of_rows,
    summary_of,
)
from portfolio.services.read_models import EvidenceSummary, SignOffStatus
from portfolio.services.stored_curricula import imported_in
from portfolio.services.verification import shown_status
from portfolio.storage import search_index
from portfolio.storage.failures import damaged
from portfolio.vocabulary import SIGNED_STATUSES

if TYPE_CHECKING:
    from portfolio.services.dto import SearchHit

# The tables' columns, spelled as the ORM classes' attributes are.
Evidence = tables.evidence.c
EvidenceLink = tables.evidence_link.c
Tag = tables.tag.c
EvidenceTag = tables.evidence_tag.c
Revision = tables.revision.c

SUMMARY_COLUMNS = (
    Evidence.id,
    Evidence.uuid,
    Evidence.kind,
    Evidence.title,
    type_coerce(Evidence.occurred_on, String).label("occurred_on"),
    Evidence.status,
    type_coerce(Evidence.private, Integer).label("private"),
    type_coerce(Evidence.updated_at, String).label("updated_at"),
    type_coerce(Evidence.deleted_at, String).label("deleted_at"),
)
"""What an :class:`EvidenceSummary` is read from, the id first: the dates as stored, as the
precompiled SQL of ``quick_reads`` reads them too (``evidence_rows.summary_of`` takes both)."""
SORTED_IN_FULL = frozenset({"domains"})
"""Orders no index walks (an item's first linked code): their first rows are a sort of all."""
RANKED_WINDOW = 2
"""A search's first page is looked for among its best ranked twice as many matches."""


class ListRow(NamedTuple):
    """One row of the evidence list as it shows it: a tuple, so 20,000 cached rows stay small."""

    id: int
    uuid: str
    kind: str
    title: str
    occurred_on: str
    """ISO date, as shown."""
    domains: str
    """The linked codes in order, comma separated, as shown."""
    status: str
    """The status shown (a sign-off verified when read)."""
    private: bool
    signoff: SignOffStatus | None


class FirstRows(NamedTuple):
    """The first rows of the list, and every id when they cost as much (``SORTED_IN_FULL``)."""

    rows: list[ListRow]
    every_id: list[int] | None = None


def id_select(connection: Connection, query: EvidenceQuery, best: int | None = None) -> Select[Any]:
    """The ids of the items ``query`` selects, in its order. A search of the live items with
    ``best`` (SQLite's only) selects among its ``best`` ranked matches, ties included, each id
    with the rank of the worst kept (``search_index.matches``: NULL when every match is kept)
    and whether it is live: the deleted ones come too, after the live, so that no row at all
    means no match at all."""
    check_filters(query)
    live = Evidence.deleted_at.is_(None)
    conditions: list[Any] = []
    if best is None:
        conditions.append(Evidence.deleted_at.is_not(None) if query.trash else live)
    if query.kind:
        conditions.append(Evidence.kind == bindparam("kind", query.kind))
    if query.status:
        conditions.append(
            Evidence.status.in_(SIGNED_STATUSES)
            if query.status in VERIFIED_STATUSES
            else Evidence.status == bindparam("status", query.status)
        )
    if query.date_from:
        conditions.append(Evidence.occurred_on >= query.date_from)
    if query.date_to:
        conditions.append(Evidence.occurred_on <= query.date_to)
    if query.placement_id is not None:
        conditions.append(Evidence.placement_id == query.placement_id)
    if not query.include_private:
        conditions.append(Evidence.private.is_(False))
    if query.domain:
        codes = domain_map(imported_in(connection)).codes_within(query.domain)
        conditions.append(
            Evidence.id.in_(select(EvidenceLink.evidence_id).where(EvidenceLink.code.in_(codes)))
        )
    if query.tag:
        conditions.append(
            Evidence.id.in_(
                select(EvidenceTag.evidence_id)
                .join(tables.tag, Tag.id == EvidenceTag.tag_id)
                .where(func.lower(Tag.name) == query.tag.lower())
            )
        )
    rank = None
    if query.text.strip():
        parsed = search_index.parse(query.text)
        if parsed is None or not search_index.uses_fts(connection):
            conditions.append(False)
        else:
            matches = search_index.matches(connection, parsed, best)
            stmt = select(Evidence.id).join(matches, matches.c.rowid == Evidence.id)
            rank = matches.c.rank
            if best is not None:
                stmt = stmt.add_columns(matches.c.edge, live).order_by(live.desc())
    if rank is None:
        stmt = select(Evidence.id)
    stmt = stmt.where(*conditions)
    return stmt.order_by(*_order(query, rank, connection.dialect.name))


def _order(query: EvidenceQuery, rank: Any, dialect: str) -> list[Any]:
    if query.sort not in SORT_KEYS:
        raise InvalidInput(f"Cannot sort by '{query.sort}'; use one of: {', '.join(SORT_KEYS)}.")
    column: Any = {
        "date": Evidence.occurred_on,
        "kind": Evidence.kind,
        # Case-blind, as migration 0015's index orders it: SQLite's NOCASE folds ASCII
        # letters only, as its lower() does, so the order is lower(title)'s on both.
        "title": func.lower(Evidence.title)
        if dialect == "postgresql"
        else Evidence.title.collate("NOCASE"),
        "status": Evidence.status,
        "updated": Evidence.updated_at,
        "domains": select(func.min(EvidenceLink.code))
        .where(EvidenceLink.evidence_id == Evidence.id)
        .scalar_subquery(),
    }[query.sort]
    if rank is not None and query.sort == "date" and query.descending:
        return [rank, Evidence.occurred_on.desc(), Evidence.id.desc()]
    if query.descending:
        return [column.desc(), Evidence.id.desc()]
    return [column.asc(), Evidence.id.asc()]


def ids_in(connection: Connection, query: EvidenceQuery, limit: int | None) -> list[int]:
    """Ids in list order: filtered, searched and sorted in the database (the first ``limit``)."""
    statement = id_select(connection, query)
    if query.status not in VERIFIED_STATUSES:
        ids = _first_column(connection, statement.limit(limit))
        if not ids:
            refuse_hidden_damage(connection, None)
        return ids
    # The column only narrows it to reviewed items; the verified sign-off decides.
    rows = connection.execute(statement.add_columns(Evidence.status)).all()
    verified = signoffs_of(connection, rows)
    ids = [row[0] for row in rows if shown_status(row[1], verified.get(row[0])) == query.status]
    return ids[:limit]


def first_rows(connection: Connection, query: EvidenceQuery, limit: int) -> FirstRows:
    """The list's first ``limit`` rows: the ids and the columns shown in one statement (the
    list paints them before it fetches the rest of the ids). In an order no index walks
    (``SORTED_IN_FULL``) the first rows cost a sort of every row, so every id comes with them."""
    if query.sort in SORTED_IN_FULL:
        ids = ids_in(connection, query, None)
        return FirstRows(list_rows_of(connection, ids[:limit]), ids)
    if query.status in VERIFIED_STATUSES:  # the verified sign-offs decide which rows
        return FirstRows(list_rows_of(connection, ids_in(connection, query, limit)))
    words = search_index.parse(query.text)
    if _searched_only(query) and words is not None and connection.dialect.name == "sqlite":
        # Every match left out of the best ranked ranks after every one kept: a full page of
        # the live ones is the first page, and so is any page when none was left out (or there
        # was no match). Deleted matches crowding out the rest need every match.
        ranked = _ranked_page(connection, words, limit)
        page = [(row[0], *row[3:]) for row in ranked if row[2]]
        if len(page) == limit or not ranked or ranked[0][1] is None:
            if not page:
                refuse_hidden_damage(connection, None)
            return FirstRows(_list_rows(connection, page))
    statement = id_select(connection, query).add_columns(*_list_columns(connection))
    rows = connection.execute(statement.limit(limit)).all()
    if not rows:
        refuse_hidden_damage(connection, None)
    return FirstRows(_list_rows(connection, rows))


def _ranked_page(connection: Connection, words: search_index.Query, limit: int) -> list[Any]:
    """The first ``limit`` rows of a search for ``words`` among its ``RANKED_WINDOW * limit``
    best ranked matches, the live first: each id, the edge's rank (``search_index.matches``),
    whether it is live, then ``_list_columns``. Run as the SQL its statement compiled to at the
    first search, rows as the driver reads them: building and compiling the statement at every
    key typed cost about 1 ms of the 8."""
    key = (connection.dialect.name, limit)  # one SQL for pysqlite and SQLCipher
    compiled = _RANKED_PAGES.get(key)
    if compiled is None:
        placeholder = EvidenceQuery(text="placeholder")
        statement = id_select(connection, placeholder, RANKED_WINDOW * limit)
        compiled = _RANKED_PAGES[key] = compiled_sql(
            connection, statement.add_columns(*_list_columns(connection)).limit(limit)
        )
    sql, parameters = compiled
    given = {"q": words.fts5()}
    return _driver_rows(
        connection, sql, tuple(given.get(name, value) for name, value in parameters)
    )


_RANKED_PAGES: dict[tuple[str, int], CompiledSql] = {}
"""``_ranked_page``'s SQL by dialect name and page length (keyed by name, not by the dialect
object: each engine opened has its own, and the cache would keep them all)."""


def _searched_only(query: EvidenceQuery) -> bool:
    """A search of the live items in rank order, no other filter (its matches' rank decides the
    first page, unless hidden or deleted ones crowd it out)."""
    return bool(query.text.strip()) and replace(query, text="") == EvidenceQuery()


def list_rows_of(connection: Connection, ids: Sequence[int]) -> list[ListRow]:
    """The list's rows for ``ids`` (a page of them), in the order given: only the columns it
    shows. Missing ids are refused as ``summaries_of`` refuses them."""
    columns = _list_columns(connection)
    found: dict[int, ListRow] = {}
    for start in range(0, len(ids), 900):
        rows = connection.execute(
            select(Evidence.id, *columns).where(Evidence.id.in_(ids[start : start + 900]))
        ).all()
        found.update((row.id, row) for row in _list_rows(connection, rows))
    missing = [i for i in ids if i not in found]
    if missing:
        refuse_hidden_damage(connection, missing)
    return [found[i] for i in ids if i in found]


def _first_column(connection: Connection, statement: Select[Any]) -> list[Any]:
    """The first column of every row (``_driver_rows``)."""
    return [row[0] for row in _driver_rows(connection, statement)]


def _driver_rows(
    connection: Connection, statement: Select[Any] | str, parameters: tuple[Any, ...] = ()
) -> list[Any]:
    """The rows of ``statement`` (or of SQL text, given its ``parameters``) as the driver's
    cursor reads them: SQLAlchemy's rows cost more than the driver's own fetch (85 ms of CPU
    for the 100,000 ids of the list, 2.5x). A driver's error is raised as SQLAlchemy's, as
    from any other query."""
    driver_error = connection.dialect.loaded_dbapi.Error
    result = (
        connection.exec_driver_sql(statement, parameters)
        if isinstance(statement, str)
        else connection.execute(statement)
    )
    with result:
        try:
            return list(result.cursor.fetchall())
        except driver_error as error:
            raise DBAPIError.instance(None, None, error, driver_error) from error


def _linked_codes(connection: Connection) -> Any:
    """An item's linked codes joined by ``CODE_SEPARATOR``, a column of the item's statement
    (SQLite's group_concat has no order: its readers sort them as ORDER BY would)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        codes: Any = func.string_agg(
            EvidenceLink.code, aggregate_order_by(literal(CODE_SEPARATOR), EvidenceLink.code)
        )
    else:
        codes = func.group_concat(EvidenceLink.code, CODE_SEPARATOR)
    return select(codes).where(EvidenceLink.evidence_id == Evidence.id).scalar_subquery()


def _list_columns(connection: Connection) -> tuple[Any, ...]:
    """A list row's columns after its id, its linked codes (``_linked_codes``) last."""
    return (
        Evidence.uuid,
        Evidence.kind,
        Evidence.title,
        cast(Evidence.occurred_on, String),
        Evidence.status,
        Evidence.private,
        _linked_codes(connection),
    )


def _list_rows(connection: Connection, rows: Sequence[Any]) -> list[ListRow]:
    """``ListRow``s of rows of an id and ``_list_columns``, their sign-offs verified."""
    signoffs = verified_signoffs(connection, [row[0] for row in rows if row[5] in SIGNED_STATUSES])
    in_order = connection.dialect.name == "postgresql"  # string_agg orders them
    shown: list[ListRow] = []
    for evidence_id, uuid, kind, title, occurred_on, status, private, codes in rows:
        signoff = signoffs.get(evidence_id)
        shown.append(
            ListRow(
                evidence_id,
                uuid,
                kind,
                title,
                occurred_on,
                CODE_SEPARATOR.join(split_codes(codes, in_order)),
                shown_status(status, signoff),
                bool(private),
                signoff,
            )
        )
    return shown


def summaries_of(connection: Connection, ids: Sequence[int]) -> list[EvidenceSummary]:
    """Rows for ``ids``, in the order given (the list fetches only what it shows)."""
    found: dict[int, EvidenceSummary] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = connection.execute(select(*SUMMARY_COLUMNS).where(Evidence.id.in_(chunk))).all()
        codes = codes_of(connection, chunk)
        signoffs = signoffs_of(connection, rows)
        found.update(
            (row.id, summary_of(row, tuple(codes.get(row.id, ())), signoffs.get(row.id)))
            for row in rows
        )
    missing = [i for i in ids if i not in found]
    if missing:
        refuse_hidden_damage(connection, missing)
    return [found[i] for i in ids if i in found]


def list_statement(connection: Connection, query: EvidenceQuery) -> Select[Any]:
    """The whole list's statement (its status not a verified one): ``SUMMARY_COLUMNS`` and the
    linked codes (``_linked_codes``) of each item ``query`` selects, in its order."""
    columns = (*SUMMARY_COLUMNS[1:], _linked_codes(connection))
    return id_select(connection, query).add_columns(*columns)


def list_summaries(connection: Connection, query: EvidenceQuery) -> list[EvidenceSummary]:
    """The whole list in one query (``summaries_of(ids_in(…))`` fetches it twice)."""
    if query.status in VERIFIED_STATUSES:
        return summaries_of(connection, ids_in(connection, query, None))
    rows = connection.execute(list_statement(connection, query)).all()
    if not rows:
        refuse_hidden_damage(connection, None)
        return []
    signoffs = signoffs_of(connection, rows)
    in_order = connection.dialect.name == "postgresql"  # string_agg orders them
    return summaries_of_rows(rows, in_order, signoffs)


def search_hits(connection: Connection, query_text: str, limit: int = 50) -> list[SearchHit]:
    """Ranked full-text search: every word must match, the last as a prefix."""
    query = search_index.parse(query_text)
    if query is None or not search_index.uses_fts(connection):
        return []
    matches = search_index.matches(connection, query)
    ids = list(
        connection.execute(
            select(Evidence.id)
            .join(matches, matches.c.rowid == Evidence.id)
            .where(Evidence.deleted_at.is_(None))
            .order_by(matches.c.rank, Evidence.occurred_on.desc(), Evidence.id.desc())
            .limit(min(limit, MAX_SEARCH_RESULTS))
        ).scalars()
    )
    snippets = search_index.snippets(connection, query, ids)
    from portfolio.services.dto import SearchHit  # not needed by the first screen

    return [SearchHit(s, snippets.get(s.id, "")) for s in summaries_of(connection, ids)]


def codes_of(connection: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """The linked codes of these items, each in code order (the order of the links' primary
    key: walked, not sorted)."""
    codes: dict[int, list[str]] = {}
    for evidence_id, code in connection.execute(
        select(EvidenceLink.evidence_id, EvidenceLink.code)
        .where(EvidenceLink.evidence_id.in_(ids))
        .order_by(EvidenceLink.evidence_id, EvidenceLink.code)
    ).all():
        codes.setdefault(evidence_id, []).append(code)
    return codes


def signoffs_of(connection: Connection, rows: Sequence[Any]) -> dict[int, SignOffStatus]:
    """The verified latest sign-off of every reviewed item among ``rows`` (with ``id`` and
    ``status`` columns)."""
    return verified_signoffs(connection, [row.id for row in rows if row.status in SIGNED_STATUSES])


def verified_signoffs(connection: Connection, ids: Sequence[int]) -> dict[int, SignOffStatus]:
    """The verified latest sign-off of each of these items that has one.

    Verifying reads the sign-offs, keys and trust roots through the ORM, imported only then.
    """
    if not ids:
        return {}
    from sqlalchemy.orm import Session

    from portfolio.services.verification import latest_statuses

    with Session(connection) as session:
        return latest_statuses(session, ids)


def refuse_hidden_damage(connection: Connection, missing: Sequence[int] | None) -> None:
    """Raise DatabaseDamaged when rows are missing beside their revisions.

    A damaged page can read as an empty table (an empty portfolio, not an error) while the
    indexes still name its rows. Every item keeps its revisions, so an item listed by an index
    but not in the table (``missing``), or an empty table (``None``) with revisions, is damage.
    """
    if missing is None:
        if connection.dialect.name != "sqlite":
            return
        # The table itself, not an index (whose entries may outlive a damaged table page).
        if connection.exec_driver_sql("SELECT 1 FROM evidence NOT INDEXED LIMIT 1").first():
            return
        revisions = select(Revision.id)
    else:
        revisions = select(Revision.id).where(Revision.evidence_id.in_(missing[:900]))
    if connection.execute(revisions.limit(1)).first() is not None:
        raise damaged(connection.engine.url.database or connection.engine.url)
