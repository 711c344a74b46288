"""Restoring a backup on a shared PostgreSQL database touches only the restorer's own rows.

Alice and Bob each fill their portfolio with the demo through the real command line. Alice
backs up, changes things and restores: her portfolio is as it was backed up, row for row, and
Bob's is untouched; the same for the administrator's own portfolio. A restore the server
refuses midway changes nothing for anyone, and new rows after a restore take ids that collide
with no one's (the sequences are shared by every trainee and only ever move forward).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import errors

from portfolio.storage.search_index import FTS_TABLE
from portfolio.storage.server_backup import MAX_ID_GAP
from tests.centre import Centre, make_centre
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.xdist_group("rls")


@pytest.fixture
def centre(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[tuple[Centre, str, str]]:
    centre = make_centre(postgres_server, tmp_path)
    alice, bob = centre.add_trainee("alice"), centre.add_trainee("bob")
    for role in (alice, bob):
        done = centre.cli(role, "demo")
        assert done.returncode == 0, done.stderr
    yield centre, alice, bob


def ok(centre: Centre, role: str, *args: str) -> str:
    done = centre.cli(role, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def backup(centre: Centre, role: str) -> Path:
    path = Path(ok(centre, role, "backup"))
    assert path.is_file()
    return path


def portfolio_rows(centre: Centre, role: str) -> dict[str, list[str]]:
    """Every row but the search index's, which a restore rebuilds (derived data: the order of
    an item's tags in it may differ), as tests/services/test_backups.py skips it."""
    return {t: rows for t, rows in centre.rows(role).items() if t != FTS_TABLE}


def change_things(centre: Centre, role: str) -> None:
    """A new item, an edited one (a new revision) and one moved to the trash."""
    with centre.connect(role) as connection:
        first, second = (u for (u,) in connection.execute("SELECT uuid FROM evidence LIMIT 2"))
    ok(centre, role, "add", "--kind", "course", "--title", "ALS", "--date", "2026-02-01",
       "--tag", "after-the-backup")  # fmt: skip
    ok(centre, role, "edit", str(first), "--title", "Changed after the backup")
    ok(centre, role, "delete", str(second))


def test_a_trainees_restore_replaces_their_portfolio_and_no_one_elses(
    centre: tuple[Centre, str, str],
) -> None:
    shared, alice, bob = centre
    saved = backup(shared, alice)
    backed_up, bobs = portfolio_rows(shared, alice), shared.rows(bob)
    verified = shared.cli(alice, "verify")
    change_things(shared, alice)
    assert portfolio_rows(shared, alice) != backed_up
    out = ok(shared, alice, "restore", str(saved))
    assert out.startswith(f"Restored {saved}.")
    assert portfolio_rows(shared, alice) == backed_up
    assert shared.rows(bob) == bobs
    assert ok(shared, alice, "check").startswith("The portfolio is sound")  # the index too
    again = shared.cli(alice, "verify")  # her sign-offs verify as before
    assert (again.returncode, again.stdout, again.stderr) == (
        verified.returncode,
        verified.stdout,
        verified.stderr,
    )
    for role in (bob, alice):  # new rows take new ids, for either of them
        ok(shared, role, "add", "--kind", "course", "--title", "BLS", "--date", "2026-03-01",
           "--tag", "new")  # fmt: skip


def test_the_administrators_restore_replaces_only_their_own_portfolio(
    centre: tuple[Centre, str, str],
) -> None:
    """The tables' owner is held to the policies too (forced): once it could empty every
    trainee's portfolio with a TRUNCATE."""
    shared, alice, bob = centre
    admin = shared.admin
    ok(shared, admin, "demo")
    saved = backup(shared, admin)
    backed_up = portfolio_rows(shared, admin)
    others = {role: shared.rows(role) for role in (alice, bob)}
    change_things(shared, admin)
    ok(shared, admin, "restore", str(saved))
    assert portfolio_rows(shared, admin) == backed_up
    assert {role: shared.rows(role) for role in (alice, bob)} == others


def test_a_restore_the_server_refuses_changes_nothing_for_anyone(
    centre: tuple[Centre, str, str],
) -> None:
    shared, alice, bob = centre
    saved = backup(shared, alice)
    with sqlite3.connect(saved) as con:  # text in an integer column: the server refuses it
        con.execute(
            "UPDATE evidence SET revision = 'many' WHERE id = (SELECT max(id) FROM evidence)"
        )
    con.close()
    change_things(shared, alice)
    before = {role: shared.rows(role) for role in (alice, bob)}
    refused = shared.cli(alice, "restore", str(saved))
    assert refused.returncode == 2
    assert "could not be restored" in refused.stderr
    assert "the portfolio was not changed" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert {role: shared.rows(role) for role in (alice, bob)} == before


def tag_ids(centre: Centre, role: str) -> list[int]:
    with centre.connect(role) as connection:
        return sorted(int(i) for (i,) in connection.execute("SELECT id FROM tag"))


def copy_with_tag_ids_moved(saved: Path, name: str, by: int) -> Path:
    """A copy of the backup ``saved`` whose tags' ids are ``by`` more (as if made elsewhere)."""
    moved = saved.with_name(name)
    moved.write_bytes(saved.read_bytes())
    with sqlite3.connect(moved) as con:
        con.execute("UPDATE tag SET id = id + ?", (by,))
        con.execute("UPDATE evidence_tag SET tag_id = tag_id + ?", (by,))
    con.close()
    return moved


def test_restored_ids_collide_with_no_one_and_the_sequence_only_moves_forward(
    centre: tuple[Centre, str, str],
) -> None:
    """A backup from elsewhere (another server, a laptop) may hold ids another trainee holds,
    or ids the shared sequence has not reached: keys are (owner, id), so the first collide with
    no one; after the second, new rows take ids after them, everyone's."""
    shared, alice, bob = centre
    saved = backup(shared, alice)
    bobs_tags = tag_ids(shared, bob)
    alices_tags = tag_ids(shared, alice)
    same = copy_with_tag_ids_moved(saved, "same.sqlite3", bobs_tags[0] - alices_tags[0])
    far = copy_with_tag_ids_moved(saved, "far.sqlite3", MAX_ID_GAP + 1000)
    beyond = copy_with_tag_ids_moved(saved, "beyond.sqlite3", 10000)

    bobs = shared.rows(bob)
    ok(shared, alice, "restore", str(same))
    assert set(tag_ids(shared, alice)) & set(bobs_tags)  # the same ids, one set each
    assert shared.rows(bob) == bobs

    before = {role: shared.rows(role) for role in (alice, bob)}
    refused = shared.cli(alice, "restore", str(far))  # ids no portfolio could have reached
    assert refused.returncode == 2
    assert "ids run far beyond" in refused.stderr and "not changed" in refused.stderr
    assert {role: shared.rows(role) for role in (alice, bob)} == before

    ok(shared, alice, "restore", str(beyond))
    restored = tag_ids(shared, alice)
    assert min(restored) > 10000
    for role in (alice, bob):
        ok(shared, role, "add", "--kind", "course", "--title", "BLS", "--date", "2026-03-01",
           "--tag", "after-the-restore")  # fmt: skip
        with shared.connect(role) as connection:
            [(new,)] = connection.execute("SELECT id FROM tag WHERE name = 'after-the-restore'")
        assert isinstance(new, int) and new > max(restored)


def test_the_history_stays_append_only_outside_a_restore(
    centre: tuple[Centre, str, str],
) -> None:
    """A restore may delete the restorer's own revisions, sign-offs and signing log, flagged
    for its one transaction; nothing else may, and no one may ever UPDATE them."""
    shared, alice, bob = centre
    with shared.connect(alice) as connection:  # the demo's trainee signs nothing herself
        connection.execute(
            "INSERT INTO signing_log (fingerprint, sequence, trainee_gmc, record, signature) "
            "VALUES (%s, 1, '1234567', '{}', 'signature')",
            ("f" * 64,),
        )
    before = {role: shared.rows(role) for role in (alice, bob)}
    flag = "SELECT set_config('gpc_portfolio.restoring', 'on', true)"
    for table in ("revision", "signoff", "signing_log"):
        with shared.connect(alice) as connection:
            with pytest.raises(errors.IntegrityConstraintViolation, match="append-only"):
                connection.execute(f'DELETE FROM "{table}"')
            with (
                pytest.raises(errors.IntegrityConstraintViolation, match="append-only"),
                connection.transaction(),
            ):
                connection.execute(flag)
                connection.execute(f'UPDATE "{table}" SET id = id')
        with shared.connect(bob) as connection, connection.transaction():
            connection.execute(flag)
            with shared.connect(alice) as theirs:
                alices = [i for (i,) in theirs.execute(f'SELECT id FROM "{table}"')]
            deleted = connection.execute(f'DELETE FROM "{table}" WHERE id = ANY(%s)', (alices,))
            assert alices and deleted.rowcount == 0, table  # the policy hides them from Bob
    assert {role: shared.rows(role) for role in (alice, bob)} == before
