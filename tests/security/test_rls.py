"""Two trainees in one PostgreSQL database: the database keeps them apart (row-level security).

Alice and Bob each fill their portfolio with the demo (items, tags, attachments, revisions,
sign-offs, a trusted directory, a catalogue), so every table holds rows of both, with the same
tag names, attachment contents and directory ids. Bob then attacks Alice's rows through our
services and through raw SQL on his own connection: he cannot read, count, change or delete any
of them, nor write a row in her name, nor point one of his rows at hers.
"""

from __future__ import annotations

import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from psycopg import errors
from sqlalchemy import create_engine

from portfolio.errors import NotFound
from portfolio.models import Base
from portfolio.storage.engine import make_engine
from portfolio.storage.migrate import alembic_config, include_object, upgrade
from portfolio.storage.ownership import OWNER_COLUMN, TRAINEE_ROLE
from tests.centre import Centre, guide_statement, make_centre, owned_tables
from tests.postgres_server import SUPERUSER, PostgresServer

pytestmark = pytest.mark.xdist_group("rls")


@pytest.fixture(scope="module")
def centre(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Centre, str, str]]:
    centre = make_centre(postgres_server, tmp_path_factory.mktemp("centre"))
    alice, bob = centre.add_trainee("alice"), centre.add_trainee("bob")
    for role in (alice, bob):
        done = centre.cli(role, "demo")
        assert done.returncode == 0, done.stderr
    yield centre, alice, bob


def counts(centre: Centre, role: str) -> dict[str, int]:
    with centre.connect(role) as connection:
        return {
            table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # type: ignore[index]
            for table in owned_tables(connection)
        }


def uuids_of(centre: Centre, role: str) -> list[str]:
    with centre.connect(role) as connection:
        return [str(u) for (u,) in connection.execute("SELECT uuid FROM evidence").fetchall()]


def test_every_table_of_a_portfolio_is_owned_and_its_policy_forced(
    centre: tuple[Centre, str, str],
) -> None:
    shared, alice, _ = centre
    with shared.connect(shared.admin) as connection:
        tables = owned_tables(connection)
        rows = connection.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid), "
            "(SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = %s) "
            "FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'",
            (OWNER_COLUMN,),
        ).fetchall()
    found = {
        name: (enabled, forced, policies, owner) for name, enabled, forced, policies, owner in rows
    }
    assert {"evidence", "revision", "attachment", "blob", "signoff", "tag"} <= set(tables)
    assert {t: found[t] for t in tables} == {t: (True, True, 1, 1) for t in tables}
    assert counts(shared, alice)["evidence"] == 69


def test_each_trainee_sees_only_their_own_portfolio_through_the_services(
    centre: tuple[Centre, str, str],
) -> None:
    shared, alice, bob = centre
    alices = set(uuids_of(shared, alice))
    with shared.open(bob) as portfolio:
        mine = {d.uuid for d in portfolio.evidence.details()}
        assert portfolio.evidence.count() == len(mine) == 69
        assert not mine & alices
        for item_uuid in sorted(alices)[:5]:
            with pytest.raises(NotFound):
                portfolio.evidence.get(item_uuid)
            with pytest.raises(NotFound):
                portfolio.evidence.revisions(item_uuid)
            with pytest.raises(NotFound):
                portfolio.evidence.delete(item_uuid)
        hits = portfolio.evidence.search("VTE")
        assert hits and {hit.item.uuid for hit in hits} <= mine
    assert set(uuids_of(shared, alice)) == alices


def test_raw_sql_on_a_trainees_own_connection_reaches_none_of_anothers_rows(
    centre: tuple[Centre, str, str],
) -> None:
    shared, alice, bob = centre
    before = counts(shared, alice)
    alices = uuids_of(shared, alice)
    with shared.connect(alice) as connection:
        alice_ids = [i for (i,) in connection.execute("SELECT id FROM evidence").fetchall()]
        alice_signoffs = [i for (i,) in connection.execute("SELECT id FROM signoff").fetchall()]
    assert alice_signoffs
    with shared.connect(bob) as connection:
        for table in owned_tables(connection):
            stranger = connection.execute(
                f'SELECT count(*) FROM "{table}" WHERE {OWNER_COLUMN} <> current_user'
            ).fetchone()
            assert stranger == (0,), table
        assert connection.execute(
            "SELECT count(*) FROM evidence WHERE uuid = ANY(%s)", (alices,)
        ).fetchone() == (0,)
        assert (
            connection.execute(
                "UPDATE evidence SET title = 'taken' WHERE id = ANY(%s)", (alice_ids,)
            ).rowcount
            == 0
        )
        for table, column, ids in (
            ("attachment", "evidence_id", alice_ids),
            ("evidence_tag", "evidence_id", alice_ids),
            ("revision", "evidence_id", alice_ids),
            ("signoff", "id", alice_signoffs),
            ("evidence", "id", alice_ids),
        ):
            try:
                deleted = connection.execute(
                    f'DELETE FROM "{table}" WHERE "{column}" = ANY(%s)', (ids,)
                ).rowcount
            except errors.RaiseException:  # an append-only table refuses any DELETE at all
                continue
            assert deleted == 0, table
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            connection.execute("INSERT INTO tag (name, owner) VALUES ('planted', %s)", (alice,))
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            connection.execute("UPDATE tag SET owner = %s", (alice,))
        bob_tag = connection.execute("SELECT id FROM tag LIMIT 1").fetchone()
        assert bob_tag is not None
        with pytest.raises(errors.ForeignKeyViolation):  # his row may not point at her item
            connection.execute(
                "INSERT INTO evidence_tag (evidence_id, tag_id) VALUES (%s, %s)",
                (alice_ids[0], bob_tag[0]),
            )
        with pytest.raises(errors.InsufficientPrivilege, match="must be owner"):
            connection.execute("ALTER TABLE evidence DISABLE ROW LEVEL SECURITY")
        connection.execute("SET row_security = off")  # then a query fails rather than bypass
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            connection.execute("SELECT count(*) FROM evidence")
    assert counts(shared, alice) == before
    assert sorted(uuids_of(shared, alice)) == sorted(alices)


def test_uniqueness_is_per_trainee(centre: tuple[Centre, str, str]) -> None:
    shared, alice, bob = centre
    found = {}
    for role in (alice, bob):
        with shared.connect(role) as connection:
            found[role] = {
                table: sorted(connection.execute(query).fetchall())
                for table, query in (
                    ("tag", "SELECT name FROM tag"),
                    ("blob", "SELECT sha256 FROM blob"),
                    ("trusted_directory", "SELECT directory_id FROM trusted_directory"),
                    ("opportunity_catalogue", "SELECT catalogue_id FROM opportunity_catalogue"),
                    ("supervisor_identity", "SELECT fingerprint FROM supervisor_identity"),
                    ("profile", "SELECT id FROM profile"),
                )
            }
    assert found[alice] == found[bob]  # the same keys twice, one set each
    assert all(found[alice].values())
    with shared.open(bob) as portfolio:
        assert portfolio.evidence.tags() == sorted(
            (name for (name,) in found[bob]["tag"]), key=str.lower
        )


def test_the_shared_schema_revision_is_readable_not_writable(
    centre: tuple[Centre, str, str],
) -> None:
    shared, _, bob = centre
    with shared.connect(bob) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("CREATE TABLE planted (x int)")
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("DROP TABLE evidence")
    done = shared.cli(bob, "list", "--json")
    assert done.returncode == 0, done.stderr


def test_a_role_outside_the_trainees_group_reaches_nothing(
    centre: tuple[Centre, str, str],
) -> None:
    shared, _, _ = centre
    outsider = f"outsider_{uuid.uuid4().hex[:8]}"
    shared.sql(f'CREATE ROLE "{outsider}" LOGIN')
    with shared.connect(outsider) as connection, pytest.raises(errors.InsufficientPrivilege):
        connection.execute("SELECT count(*) FROM evidence")
    done = shared.cli(outsider, "list")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gpc-portfolio: ") and "Traceback" not in done.stderr


def test_on_postgresql_the_schema_is_the_models_but_for_ownership(
    postgres_url: str, tmp_path: Path
) -> None:
    """Migration 0012 adds the owner column and puts it first in the keys, and nothing else."""
    engine = make_engine(postgres_url)
    try:
        upgrade(engine, None, tmp_path)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    removed: Counter[object] = Counter()
    added: Counter[object] = Counter()
    others = []
    for difference in differences:
        kind, subject = difference[0], difference[1]
        if kind == "remove_column" and difference[3].name == OWNER_COLUMN:
            continue
        if kind in ("remove_constraint", "add_constraint", "remove_fk", "add_fk"):
            columns = tuple(c.name for c in subject.columns if c.name != OWNER_COLUMN)
            key = (kind.split("_", 1)[1], subject.table.name, subject.name or columns)
            (removed if kind.startswith("remove") else added)[key] += 1
            continue
        others.append(difference)
    assert others == []
    assert removed == added and removed  # each key rebuilt with the owner, the same otherwise


def test_migration_0012_goes_down_and_up_again_with_a_trainees_portfolio(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    shared = make_centre(postgres_server, tmp_path)
    alice = shared.add_trainee("alice")
    assert shared.cli(alice, "demo").returncode == 0
    later = {"imported_archive"}  # tables of migrations after 0012: the downgrade drops them
    before = {t: n for t, n in counts(shared, alice).items() if t not in later}
    engine = create_engine(shared.url(SUPERUSER))  # the superuser passes the policies
    config = alembic_config()

    def keys() -> list[tuple[str, str, str]]:
        with engine.connect() as connection:
            return [
                (str(table), str(name), str(definition))
                for table, name, definition in connection.exec_driver_sql(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                    "AND contype IN ('p', 'u', 'f') ORDER BY 1, 2"
                )
            ]

    def rows() -> dict[str, int]:
        with engine.connect() as connection:
            return {t: connection.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one()
                    for t in before}  # fmt: skip

    owned = keys()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0011")  # to before 0012 (0013 follows it)
        down = keys()
        assert rows() == before
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        assert keys() == owned
        assert rows() == before
    finally:
        engine.dispose()
    assert not [k for k in down if OWNER_COLUMN in k[2]]
    assert [k for k in owned if k[1] == "uq_tag_name"] == [
        ("tag", "uq_tag_name", "UNIQUE (owner, name)")
    ]


def test_only_the_administrator_upgrades_the_schema(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    shared = make_centre(postgres_server, tmp_path)
    alice = shared.add_trainee("alice")
    assert shared.cli(alice, "init", "--name", "Alice Example", "--gmc", "1234567").returncode == 0
    engine = create_engine(shared.url(SUPERUSER))
    config = alembic_config()
    try:
        with engine.begin() as connection:  # as an older version of the app left it
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
    finally:
        engine.dispose()
    refused = shared.cli(alice, "upgrade")
    assert refused.returncode == 2
    assert refused.stderr.startswith("gpc-portfolio: Your database role may not do this")
    assert "administrator" in refused.stderr and "Traceback" not in refused.stderr
    done = shared.cli(shared.admin, "upgrade")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("The schema of postgresql+psycopg://")


def test_pg_dump_and_pg_restore_keep_every_trainees_portfolio_apart(
    centre: tuple[Centre, str, str], postgres_server: PostgresServer, tmp_path: Path
) -> None:
    shared, alice, bob = centre
    before = {role: (counts(shared, role), sorted(uuids_of(shared, role))) for role in (alice, bob)}
    backup_role = f"gpc_backup_{uuid.uuid4().hex[:8]}"
    statement = guide_statement('CREATE ROLE "gpc_backup"')
    with psycopg.connect(
        dbname="postgres", user=SUPERUSER, host=str(postgres_server.socket), autocommit=True
    ) as superuser:
        superuser.execute(statement.replace("gpc_backup", backup_role).encode())
        restored = f"restored_{uuid.uuid4().hex[:8]}"
        superuser.execute(f'CREATE DATABASE "{restored}" OWNER "{shared.admin}"'.encode())
    dump = tmp_path / "centre.dump"
    binaries = postgres_server._bin  # Debian's, the server's own version
    socket = str(postgres_server.socket)
    subprocess.run(
        [str(binaries / "pg_dump"), "--format=custom", f"--file={dump}", "-h", socket,
         "-U", backup_role, shared.database],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [str(binaries / "pg_restore"), "--exit-on-error", "-h", socket, "-U", SUPERUSER,
         f"--dbname={restored}", str(dump)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    copy = Centre(postgres_server, restored, shared.admin, tmp_path / "restored")
    after = {role: (counts(copy, role), sorted(uuids_of(copy, role))) for role in (alice, bob)}
    assert after == before
    assert not set(after[alice][1]) & set(after[bob][1])
    with copy.open(alice) as portfolio:
        assert portfolio.evidence.count() == 69
    with copy.connect(bob) as connection:
        assert connection.execute(
            "SELECT count(*) FROM evidence WHERE owner <> current_user"
        ).fetchone() == (0,)
    assert TRAINEE_ROLE in guide_statement('CREATE ROLE "trainee_alice"')


def test_one_trainees_record_of_an_imported_archive_is_not_anothers(
    centre: tuple[Centre, str, str], tmp_path: Path
) -> None:
    """Alice imports her own export (so her portfolio records its digest); Bob imports the
    same file: his import is not recognised from her record, it adds her items."""
    shared, alice, bob = centre
    archive = tmp_path / "alice.gpcportfolio"
    done = shared.cli(alice, "export", "--out", str(archive), "--allow-identifiers")
    assert done.returncode == 0, done.stderr
    outputs = []
    for _ in range(2):  # parsed, then recognised: the same report
        done = shared.cli(alice, "import", str(archive))
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.split(";")[0])  # then the backup taken, or that none was
    assert outputs == ["0 added, 0 updated, 0 merged, 69 unchanged"] * 2
    assert counts(shared, alice)["imported_archive"] == 1
    assert counts(shared, bob)["imported_archive"] == 0
    with shared.connect(bob) as connection:
        assert connection.execute("SELECT count(*) FROM imported_archive").fetchone() == (0,)
    with shared.open(bob) as portfolio:
        report = portfolio.archive.import_(archive)
    assert report.count("added") == 69
    assert counts(shared, bob)["imported_archive"] == 1
