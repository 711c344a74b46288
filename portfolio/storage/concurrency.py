"""Writers at once on a shared (PostgreSQL) database; SQLite has one writer, held by its lock.

Two transactions may both find a row missing and both add it, or both edit one item: rows
that any writer may add are inserted ``ON CONFLICT DO NOTHING`` (the other writer's row is
kept and used), items being changed are locked (``SELECT … FOR UPDATE``) so their revisions
follow one another, and an edit made from an older revision than the one stored is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from portfolio.errors import ChangedElsewhere


def insert_missing(session: Session, entity: Any, values: dict[str, Any]) -> None:
    """Insert a row unless one with the same key exists (or is being added by another writer,
    whose transaction is then waited for)."""
    from sqlalchemy.dialects import postgresql, sqlite

    server = session.get_bind().dialect.name == "postgresql"
    insert = postgresql.insert if server else sqlite.insert
    session.execute(insert(entity).values(**values).on_conflict_do_nothing())


def one_at_a_time(session: Session, topic: str) -> None:
    """Until the transaction ends, the user's other writers of ``topic`` wait (PostgreSQL's
    advisory lock, per role: other trainees do not wait)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(current_user), hashtext(:topic))"),
            {"topic": topic},
        )


def refuse_stale(what: str, stored: int, expected: int | None) -> None:
    """``expected``: the revision the change was made from (None: whatever is stored)."""
    if expected is not None and stored != expected:
        raise ChangedElsewhere(
            f"{what} was changed elsewhere (it is at revision {stored}, this change was made "
            f"from revision {expected}); nothing was saved. Reload it and make the change again."
        )


def changed_elsewhere(where: object) -> ChangedElsewhere:
    """A write that lost a race with another writer (the database undid it)."""
    return ChangedElsewhere(
        f"Someone else changed the same part of {where} at the same moment; nothing of this "
        "change was saved. Reload and try again."
    )
