"""Many writers of one PostgreSQL database at once, without the SQLite lock file: nothing lost.

Every writer is a thread with its own portfolio (its own engine and connections), started
together by a barrier; what they wrote is then counted through a raw connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.orm.exc import StaleDataError

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import ChangedElsewhere, Remedy
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.storage.failures import known_error
from tests.centre import Centre, make_centre
from tests.postgres_server import PostgresServer

T = TypeVar("T")
WRITERS = 20
ATTACHMENT = b"%PDF-1.4 certificate of attendance\n"


def draft(title: str, *tags: str) -> EvidenceDraft:
    return EvidenceDraft(
        "course", title, date(2026, 3, 1), text="Airway first.", links=(Link("GPC1"),), tags=tags
    )


@pytest.fixture
def centre(postgres_server: PostgresServer, tmp_path: Path) -> tuple[Centre, str]:
    centre = make_centre(postgres_server, tmp_path)
    alice = centre.add_trainee("alice")
    done = centre.cli(alice, "init", "--name", "Alice Example", "--gmc", "1234567")
    assert done.returncode == 0, done.stderr
    return centre, alice


def at_once(portfolios: list[Portfolio], work: Callable[[int, Portfolio], T]) -> list[T]:
    """``work(i, portfolio)`` on every portfolio in its own thread, all released together."""
    barrier = threading.Barrier(len(portfolios))
    results: dict[int, T] = {}
    failures: list[BaseException] = []

    def run(index: int, portfolio: Portfolio) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index, portfolio)
        except BaseException as error:  # reported below, with every writer's
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(portfolios)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    return [results[i] for i in range(len(portfolios))]


@pytest.fixture
def writers(centre: tuple[Centre, str]) -> Iterator[list[Portfolio]]:
    shared, alice = centre
    opened = [shared.open(alice) for _ in range(WRITERS)]
    yield opened
    for portfolio in opened:
        portfolio.close()


def scalar(shared: Centre, role: str, query: str) -> object:
    with shared.connect(role) as connection:
        row = connection.execute(query).fetchone()
    assert row is not None
    return row[0]


def test_a_server_database_takes_many_writers_without_the_lock_file(
    centre: tuple[Centre, str],
) -> None:
    shared, alice = centre
    with shared.open(alice) as first, shared.open(alice) as second:
        first.evidence.create(draft("First"))
        second.evidence.create(draft("Second"))
        assert first.database.lock is None and second.database.lock is None
    assert not list((shared.folder / alice).glob("*.lock"))


def test_an_edit_from_an_older_revision_is_refused_and_nothing_is_lost(
    centre: tuple[Centre, str],
) -> None:
    shared, alice = centre
    with shared.open(alice) as here, shared.open(alice) as there:
        item = here.evidence.create(draft("ALS course"))
        seen_there = there.evidence.get(item.uuid)
        here.evidence.update(item.uuid, draft("ALS course, day one"), from_revision=item.revision)
        with pytest.raises(ChangedElsewhere, match="changed elsewhere") as refused:
            there.evidence.update(
                item.uuid, draft("ALS course, day two"), from_revision=seen_there.revision
            )
        assert refused.value.remedy is Remedy.RELOAD
        stored = there.evidence.get(item.uuid)
        assert stored.title == "ALS course, day one"
        assert [r.number for r in there.evidence.revisions(item.uuid)] == [1, 2]
        reloaded = there.evidence.update(
            item.uuid, draft("ALS course, days one and two"), from_revision=stored.revision
        )
        assert reloaded.revision == 3


def test_the_command_line_says_changed_elsewhere_in_one_line(
    centre: tuple[Centre, str],
) -> None:
    """A write that lost its race: the server's refusal becomes our error, never a traceback."""
    shared, alice = centre
    import psycopg

    with shared.open(alice) as portfolio:
        item = portfolio.evidence.create(draft("BLS"))
    with shared.connect(alice) as first, shared.connect(alice) as second:
        first.autocommit = second.autocommit = False
        first.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        first.execute("SELECT title FROM evidence WHERE uuid = %s", (item.uuid,))
        second.execute("UPDATE evidence SET title = 'BLS update' WHERE uuid = %s", (item.uuid,))
        second.commit()
        with pytest.raises(psycopg.errors.SerializationFailure) as lost:
            first.execute("UPDATE evidence SET title = 'BLS' WHERE uuid = %s", (item.uuid,))
    for error in (lost.value, StaleDataError("expected to update 1 row(s); 0 were matched")):
        known = known_error(error, "the centre's database")
        assert isinstance(known, ChangedElsewhere) and known.remedy is Remedy.RELOAD


def test_writers_creating_the_same_tag_at_once_share_one(
    centre: tuple[Centre, str], writers: list[Portfolio]
) -> None:
    shared, alice = centre
    made = at_once(writers, lambda i, p: p.evidence.create(draft(f"Audit {i}", "audit")))
    assert len({item.uuid for item in made}) == WRITERS
    assert scalar(shared, alice, "SELECT count(*) FROM tag") == 1
    assert scalar(shared, alice, "SELECT count(*) FROM evidence_tag") == WRITERS


def test_writers_attaching_the_same_file_at_once_share_one_blob(
    centre: tuple[Centre, str], writers: list[Portfolio]
) -> None:
    shared, alice = centre
    items = [p.evidence.create(draft(f"Course {i}")) for i, p in enumerate(writers)]
    at_once(writers, lambda i, p: p.evidence.attach_bytes(items[i].uuid, "cert.pdf", ATTACHMENT))
    assert scalar(shared, alice, "SELECT count(*) FROM blob") == 1
    assert scalar(shared, alice, "SELECT count(*) FROM attachment") == WRITERS
    assert scalar(shared, alice, "SELECT count(*) FROM revision") == 2 * WRITERS


def test_writers_saving_one_item_at_once_save_one_revision_after_another(
    centre: tuple[Centre, str], writers: list[Portfolio]
) -> None:
    shared, alice = centre
    item = writers[0].evidence.create(draft("Teaching session"))
    at_once(writers, lambda i, p: p.evidence.update(item.uuid, draft(f"Teaching, take {i}")))
    history = writers[0].evidence.revisions(item.uuid)
    assert [r.number for r in history] == list(range(1, WRITERS + 2))
    assert {r.snapshot["title"] for r in history[1:]} == {
        f"Teaching, take {i}" for i in range(WRITERS)
    }
    assert scalar(shared, alice, "SELECT revision FROM evidence") == WRITERS + 1


def test_writers_submitting_the_same_items_in_other_orders_do_not_deadlock(
    centre: tuple[Centre, str], writers: list[Portfolio]
) -> None:
    shared, alice = centre
    uuids = [writers[0].evidence.create(draft(f"Item {n}")).uuid for n in range(6)]
    orders = [uuids[i % 6 :] + uuids[: i % 6] for i in range(WRITERS)]
    at_once(
        writers, lambda i, p: p.evidence.submit(list(reversed(orders[i])) if i % 2 else orders[i])
    )
    assert scalar(shared, alice, "SELECT count(*) FROM evidence WHERE status = 'ready'") == 6
    assert scalar(shared, alice, "SELECT count(*) FROM revision WHERE reason = 'submitted'") == 6


def test_twenty_writers_of_two_trainees_lose_nothing(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """Ten writers per trainee at once, each adding items (a shared tag and its own, a link, the
    same attachment), editing the trainee's one shared item and submitting its own items."""
    shared = make_centre(postgres_server, tmp_path)
    trainees = [shared.add_trainee("alice"), shared.add_trainee("bob")]
    per_trainee, items_each = WRITERS // 2, 4
    common: dict[str, str] = {}
    for number, role in enumerate(trainees):
        assert (
            shared.cli(
                role, "init", "--name", f"Trainee {number}", "--gmc", f"123456{number}"
            ).returncode
            == 0
        )
        with open_portfolio(shared.location(role)) as portfolio:
            common[role] = portfolio.evidence.create(draft("Shared QI project", "qi")).uuid
    writers = [shared.open(role) for role in trainees for _ in range(per_trainee)]
    roles = [role for role in trainees for _ in range(per_trainee)]

    def work(index: int, portfolio: Portfolio) -> list[str]:
        made = []
        for n in range(items_each):
            item = portfolio.evidence.create(draft(f"Writer {index} item {n}", "qi", f"w{index}"))
            portfolio.evidence.attach_bytes(item.uuid, "certificate.pdf", ATTACHMENT)
            made.append(item.uuid)
        portfolio.evidence.update(common[roles[index]], draft(f"QI, step {index}", "qi"))
        portfolio.evidence.submit(made)
        return made

    try:
        made = at_once(writers, work)
    finally:
        for portfolio in writers:
            portfolio.close()
    for role in trainees:
        mine = [u for i, items in enumerate(made) if roles[i] == role for u in items]
        written = per_trainee * items_each
        with shared.connect(role) as connection:

            def one(query: str, *args: object) -> object:
                row = connection.execute(query, args or None).fetchone()
                assert row is not None
                return row[0]

            stored = {u for (u,) in connection.execute("SELECT uuid FROM evidence").fetchall()}
            assert stored == {*mine, common[role]}
            assert one("SELECT count(*) FROM evidence WHERE status = 'ready'") == written
            # every item's revisions are 1, 2, … n with n its revision: none missing, none twice
            assert (
                one(
                    "SELECT count(*) FROM evidence e WHERE e.revision <> "
                    "(SELECT count(DISTINCT r.number) FROM revision r WHERE r.evidence_id = e.id) "
                    "OR e.revision <> (SELECT max(r.number) FROM revision r WHERE r.evidence_id = e.id)"
                )
                == 0
            )
            # created, attachment added, submitted: three each; the shared item once per writer
            assert one("SELECT count(*) FROM revision") == 3 * written + 1 + per_trainee
            assert (
                one("SELECT revision FROM evidence WHERE uuid = %s", common[role])
                == 1 + per_trainee
            )
            assert one("SELECT count(*) FROM tag") == 1 + per_trainee
            assert one("SELECT count(*) FROM evidence_tag") == 2 * written + 1
            assert one("SELECT count(*) FROM evidence_link") == written + 1
            assert one("SELECT count(*) FROM attachment") == written
            assert one("SELECT count(*) FROM blob") == 1
