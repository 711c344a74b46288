"""The curricula a portfolio offers, read through Core (a read command imports no ORM): the
built-in ones and those the trainee imported, kept as their files in ``imported_curriculum``."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from portfolio.curriculum import Curriculum, builtin_curricula, curriculum_from_data
from portfolio.formats.reader import parse_json
from portfolio.tables import imported_curriculum

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@lru_cache(maxsize=64)
def _parsed(document: str, curriculum_id: str) -> Curriculum:
    """A stored curriculum file, validated again as it is read (a changed database is refused)."""
    name = f"{curriculum_id} (imported)"
    return curriculum_from_data(parse_json(document, f"The curriculum file '{name}'"), name)


def imported_in(session: Connection | Session, *, removed: bool = False) -> tuple[Curriculum, ...]:
    """The imported curricula, by id; with ``removed``, also those removed (links keep them)."""
    table = imported_curriculum.c
    query = select(table.id, table.document)
    if not removed:
        query = query.where(table.removed_at.is_(None))
    rows = session.execute(query.order_by(table.id))
    return tuple(_parsed(document, curriculum_id) for curriculum_id, document in rows)


def curricula_in(session: Connection | Session) -> tuple[Curriculum, ...]:
    """Every curriculum this portfolio offers: the built-in ones (GPC first), then imported."""
    return (*builtin_curricula(), *imported_in(session))
