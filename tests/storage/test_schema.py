"""The schema on both engines: migrated from empty step by step, matching the models, an upgrade
that fails leaving nothing half made, and a database that is not ours left alone."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from portfolio.app import open_portfolio
from portfolio.errors import NotFound, StorageError
from portfolio.models import Base
from portfolio.paths import Location
from portfolio.services.dto import EvidenceDraft
from portfolio.storage import migrate
from portfolio.storage.engine import make_engine, set_sqlite_foreign_keys
from tests.raw_database import raw_database
from tests.services.archive_helpers import database_fingerprint

MIGRATIONS = Path(migrate.__file__).parent / "migrations"


def tables(location: Location) -> set[str]:
    with raw_database(location) as connection:
        return set(inspect(connection).get_table_names())


def alembic_on(connection: Connection, target: str, *, down: bool = False) -> None:
    config = migrate.alembic_config()
    config.attributes["connection"] = connection
    with connection.begin():
        (command.downgrade if down else command.upgrade)(config, target)


def test_every_migration_runs_in_turn_from_empty_and_back(empty_location: Location) -> None:
    location = empty_location
    engine = make_engine(location.database_url)
    try:
        with engine.connect() as connection:
            set_sqlite_foreign_keys(connection, enabled=False)
            for revision in migrate.known_revisions():
                alembic_on(connection, revision)
                assert migrate.server_revision(engine) == revision
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_object": migrate.include_object,
                    "render_as_batch": connection.dialect.name == "sqlite",
                },
            )
            # PostgreSQL's schema adds ownership (0012): tests/security/test_rls.py compares it.
            if connection.dialect.name == "sqlite":
                assert compare_metadata(context, Base.metadata) == []
            connection.rollback()
            alembic_on(connection, "base", down=True)
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            connection.rollback()
            alembic_on(connection, "head")
    finally:
        engine.dispose()
    with open_portfolio(location) as portfolio:
        portfolio.evidence.create(
            EvidenceDraft(kind="course", title="ALS", occurred_on=date.today())
        )
        assert portfolio.evidence.count() == 1


def broken_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new release whose migration makes a table, changes one of ours, then fails."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_broken.py").write_text(
        f'revision = "9000"\ndown_revision = "{migrate.head_revision()}"\n'
        "from alembic import op\nimport sqlalchemy as sa\n"
        "def upgrade():\n"
        "    op.create_table('half_made', sa.Column('id', sa.Integer(), primary_key=True))\n"
        "    with op.batch_alter_table('placement') as b:\n"
        "        b.add_column(sa.Column('note', sa.Text(), nullable=True))\n"
        "    op.execute('INSERT INTO no_such_table VALUES (1)')\n"
        "def downgrade():\n"
        "    pass\n"
    )
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", str(scripts))


def test_an_upgrade_that_fails_leaves_the_schema_as_it_was(
    location: Location, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_portfolio(location) as portfolio:
        portfolio.evidence.create(
            EvidenceDraft(kind="course", title="ALS", occurred_on=date.today())
        )
    head = migrate.head_revision()
    before = database_fingerprint(location)
    had = tables(location)
    broken_migrations(tmp_path, monkeypatch)
    with pytest.raises(StorageError, match=f"left at schema {head}, unchanged"):
        open_portfolio(location)
    assert tables(location) == had
    assert database_fingerprint(location) == before
    monkeypatch.undo()
    with open_portfolio(location) as portfolio:
        assert [d.title for d in portfolio.evidence.details()] == ["ALS"]


def test_a_first_migration_that_fails_leaves_no_half_made_schema(
    empty_location: Location, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = empty_location
    broken_migrations(tmp_path, monkeypatch)
    with pytest.raises(StorageError, match="left at schema none, unchanged"):
        open_portfolio(location)
    assert tables(location) == set()
    with pytest.raises(NotFound, match="no portfolio"):
        open_portfolio(location, write=False)


def test_a_reader_refuses_an_older_schema_and_changes_nothing(location: Location) -> None:
    open_portfolio(location).close()
    older = migrate.known_revisions()[-2]  # really downgraded: a faked number would re-run DDL
    engine = make_engine(location.database_url)
    try:
        with engine.connect() as connection:
            set_sqlite_foreign_keys(connection, enabled=False)
            alembic_on(connection, older, down=True)
    finally:
        engine.dispose()
    if location.sqlite_path is not None:
        with open_portfolio(location, write=False) as portfolio:  # the laptop's one writer
            assert portfolio.evidence.count() == 0
        assert migrate.sqlite_revision(location.sqlite_path) == migrate.head_revision()
        return
    before = database_fingerprint(location)
    with pytest.raises(
        StorageError, match=rf"older version of GPC Portfolio \(schema {older}\); open it"
    ):
        open_portfolio(location, write=False)
    assert database_fingerprint(location) == before


@pytest.mark.parametrize("database_engine", ["postgresql"], ids=["postgresql"])
def test_a_server_database_of_something_else_is_never_migrated_into(
    empty_location: Location,
) -> None:
    """(A SQLite file of something else: test_database.py.)"""
    location = empty_location
    with raw_database(location) as connection:
        connection.execute(text("CREATE TABLE payroll (name text)"))
    for write in (True, False):
        with pytest.raises(StorageError, match=r"is not a GPC Portfolio database .* payroll"):
            open_portfolio(location, write=write)
    assert tables(location) == {"payroll"}
