"""Each open synchronises the built-in curricula: a changed one is stored again, an unchanged one
costs one read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import event, select

from portfolio.app import Portfolio
from portfolio.curriculum import GPC_ID, builtin_curricula
from portfolio.models import CurriculumNode
from portfolio.services.curricula import sync_curricula

TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


@contextmanager
def statements(portfolio: Portfolio) -> Iterator[list[str]]:
    """The statements run meanwhile, but for beginning and ending transactions."""
    executed: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.split()[0].upper() not in TRANSACTION_CONTROL:
            executed.append(statement)

    engine = portfolio.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield executed
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_unchanged_curricula_cost_one_read_and_no_write(portfolio: Portfolio) -> None:
    with statements(portfolio) as executed:
        sync_curricula(portfolio.database.sessions)
    assert len(executed) == 1
    assert executed[0].lstrip().upper().startswith("SELECT")


def test_a_changed_builtin_curriculum_is_stored_again(portfolio: Portfolio) -> None:
    gpc = next(curriculum for curriculum in builtin_curricula() if curriculum.id == GPC_ID)
    first = replace(gpc.nodes[0], title="A title changed by a new release")
    changed = replace(gpc, nodes=(first, *gpc.nodes[1:]))
    sync_curricula(portfolio.database.sessions, (changed,))
    with portfolio.database.sessions() as session:
        stored = session.scalar(
            select(CurriculumNode.title).where(
                CurriculumNode.curriculum_id == GPC_ID, CurriculumNode.code == first.code
            )
        )
    assert stored == "A title changed by a new release"
    with statements(portfolio) as executed:
        sync_curricula(portfolio.database.sessions, (changed,))
    assert len(executed) == 1
