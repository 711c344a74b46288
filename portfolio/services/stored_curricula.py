"""The curricula a portfolio offers, read through Core (a read command imports no ORM): the
built-in ones and those the trainee imported, kept as their files in ``imported_curriculum``.

SQLAlchemy is imported only to build the statement: ``quick_reads`` runs its precompiled SQL
and hands the rows to ``imported_of`` as Core's are handed to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from portfolio.curriculum import GPC_ID, Curriculum, builtin_curricula, curriculum_from_data
from portfolio.errors import NotFound
from portfolio.formats.reader import parse_json

if TYPE_CHECKING:
    from sqlalchemy import Connection, Select
    from sqlalchemy.orm import Session


@lru_cache(maxsize=64)
def _parsed(document: str, curriculum_id: str) -> Curriculum:
    """A stored curriculum file, validated again as it is read (a changed database is refused)."""
    name = f"{curriculum_id} (imported)"
    return curriculum_from_data(parse_json(document, f"The curriculum file '{name}'"), name)


def imported_statement(*, removed: bool = False) -> Select[Any]:
    """The imported curricula's ids and files, by id; with ``removed``, also those removed."""
    from sqlalchemy import select

    from portfolio.tables import imported_curriculum

    table = imported_curriculum.c
    query = select(table.id, table.document)
    if not removed:
        query = query.where(table.removed_at.is_(None))
    return query.order_by(table.id)


def imported_of(rows: Iterable[Any]) -> tuple[Curriculum, ...]:
    """The curricula of rows of ``imported_statement``."""
    return tuple(_parsed(document, curriculum_id) for curriculum_id, document in rows)


def imported_in(session: Connection | Session, *, removed: bool = False) -> tuple[Curriculum, ...]:
    """The imported curricula, by id; with ``removed``, also those removed (links keep them)."""
    return imported_of(session.execute(imported_statement(removed=removed)))


def curricula_in(session: Connection | Session) -> tuple[Curriculum, ...]:
    """Every curriculum this portfolio offers: the built-in ones (GPC first), then imported."""
    return (*builtin_curricula(), *imported_in(session))


def own_curriculum(session: Connection | Session, curriculum_id: str) -> Curriculum:
    """A curriculum the trainee can choose (any but GPC itself); NotFound names the others."""
    choices = [c for c in curricula_in(session) if c.id != GPC_ID]
    found = next((c for c in choices if c.id == curriculum_id), None)
    if found is None:
        raise NotFound(
            f"There is no built-in curriculum '{curriculum_id}', nor an imported one; "
            f"choose one of {', '.join(c.id for c in choices)}, or import its CASE file."
        )
    return found


def content_digest(chosen: Curriculum) -> str:
    """What a stored curriculum records of the nodes it was synchronised from."""
    from portfolio.security.canonical import digest

    return digest([asdict(node) for node in chosen.nodes])


def stored_as_given(session: Connection | Session, curricula: Iterable[Curriculum]) -> bool:
    """Whether every one of ``curricula`` is stored with its nodes as they are now: one read of
    the stored digests, through Core (every open asks, and almost always nothing changed)."""
    from sqlalchemy import select

    from portfolio.tables import curriculum

    table = curriculum.c
    rows = session.execute(select(table.id, table.content_digest))
    stored = {stored_id: content for stored_id, content in rows}
    return all(stored.get(each.id) == content_digest(each) for each in curricula)
