"""A PostgreSQL server's failures are known problems with one clear line, never tracebacks:
each made for real on the test server, then read through ``known_error`` and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from portfolio.errors import DatabaseBusy, DiskFull, NotWritable, PortfolioError, StorageError
from portfolio.storage.engine import make_engine
from portfolio.storage.failures import known_error
from tests.postgres_server import PostgresServer

PASSWORD = "correct horse"
WRONG = "wrong battery"


def failure(url: str, *statements: str) -> DBAPIError:
    """What the driver raises (wrapped by SQLAlchemy) connecting to ``url`` and running
    ``statements`` in one transaction."""
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    return caught.value


def known(error: DBAPIError, url: str) -> PortfolioError:
    where = make_url(url).render_as_string(hide_password=True)
    found = known_error(error, where)
    assert found is not None, error
    assert where in str(found) and "\n" not in str(found)
    assert "Nothing was changed" in str(found) and PASSWORD not in str(found)
    return found


def with_url(url: str, **changes: object) -> str:
    return make_url(url).set(**changes).render_as_string(hide_password=False)  # type: ignore[arg-type]


@contextmanager
def ruled_role(server: PostgresServer, method: str) -> Iterator[str]:
    """A role whose own pg_hba.conf rule (``method``: a password's, or ``reject``) comes first:
    the test server trusts everyone else. The server reads the file again asynchronously, so
    this waits until a wrong password no longer lets the role in."""
    role = f"r_{uuid.uuid4().hex[:12]}"
    hba = server.data / "pg_hba.conf"
    rules = hba.read_text()
    hba.write_text(f"local all {role} {method}\n{rules}")
    server._admin(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
    server._admin("SELECT pg_reload_conf()")
    wrong = with_url(server.url(), username=role, password=WRONG)
    deadline = time.monotonic() + 60
    try:
        while _connects(wrong):  # only until the postmaster has read the new rule
            assert time.monotonic() < deadline, "the server did not read pg_hba.conf again"
        yield role
    finally:
        hba.write_text(rules)
        server._admin("SELECT pg_reload_conf()")
        server._admin(f"DROP ROLE {role}")


@pytest.fixture
def password_role(postgres_server: PostgresServer) -> Iterator[str]:
    """A role that must give its password, ``PASSWORD``."""
    with ruled_role(postgres_server, "scram-sha-256") as role:
        yield role


def _connects(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect():
            return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def test_a_server_not_running_cannot_be_reached(tmp_path: Path) -> None:
    for url in (
        "postgresql+psycopg://gpc@127.0.0.1:1/portfolio",  # nothing listens on port 1
        f"postgresql+psycopg://gpc@/portfolio?host={tmp_path}",  # no server's socket there
    ):
        found = known(failure(url), url)
        assert type(found) is StorageError and "cannot be reached" in str(found)


def test_a_wrong_password_or_none_is_refused(
    password_role: str, postgres_server: PostgresServer
) -> None:
    for password in (WRONG, None):
        url = with_url(postgres_server.url(), username=password_role, password=password)
        found = known(failure(url), url)
        assert type(found) is StorageError and "refused the password" in str(found)
        assert WRONG not in str(found)


def test_an_unknown_role_is_refused(postgres_server: PostgresServer) -> None:
    url = postgres_server.url(user="nobody_here")
    found = known(failure(url), url)
    assert type(found) is StorageError and "does not let this role connect" in str(found)
    assert "nobody_here" in str(found)


def test_a_role_the_servers_rules_reject_is_refused(postgres_server: PostgresServer) -> None:
    with ruled_role(postgres_server, "reject") as role:
        url = postgres_server.url(user=role)
        found = known(failure(url), url)
    assert type(found) is StorageError and "does not let this role connect" in str(found)


def test_a_database_that_does_not_exist_is_named(postgres_server: PostgresServer) -> None:
    url = postgres_server.url("no_such_portfolio")
    found = known(failure(url), url)
    assert type(found) is StorageError and "no database" in str(found)


def test_a_role_without_the_right_to_connect_is_refused(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    role = f"shut_{uuid.uuid4().hex[:12]}"
    postgres_server._admin(f"CREATE ROLE {role} LOGIN")
    postgres_server._admin(
        f'REVOKE CONNECT ON DATABASE "{make_url(postgres_url).database}" FROM PUBLIC'
    )
    try:
        url = with_url(postgres_url, username=role)
        found = known(failure(url), url)
    finally:
        postgres_server.drop(postgres_url)
        postgres_server._admin(f"DROP ROLE {role}")
    assert type(found) is StorageError and "refused the connection" in str(found)
    assert "permission denied" in str(found)


def test_too_many_connections_is_busy(postgres_server: PostgresServer) -> None:
    role = f"full_{uuid.uuid4().hex[:12]}"
    postgres_server._admin(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
    try:
        url = postgres_server.url(user=role)
        found = known(failure(url), url)
    finally:
        postgres_server._admin(f"DROP ROLE {role}")
    assert type(found) is DatabaseBusy and "try again" in str(found)


def test_a_connection_ended_by_the_server_is_lost(postgres_url: str) -> None:
    found = known(
        failure(postgres_url, "SELECT pg_terminate_backend(pg_backend_pid())"), postgres_url
    )
    assert type(found) is StorageError and "ended the connection" in str(found)


def test_a_server_that_stops_mid_session_cannot_be_reached() -> None:
    """Stopped at once (a crash, or a pulled cable): the driver has no SQLSTATE to give."""
    server = PostgresServer().start()
    url = server.url()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            server.stop()
            with pytest.raises(DBAPIError) as caught:
                connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
        if server.root.exists():  # it failed before it was stopped
            server.stop()
    found = known(caught.value, url)
    assert type(found) is StorageError and "cannot be reached" in str(found)


def test_the_servers_full_disk_is_a_full_disk(postgres_url: str) -> None:
    full = "DO $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$"
    found = known(failure(postgres_url, full), postgres_url)
    assert type(found) is DiskFull and "no space left" in str(found)


def test_a_statement_the_server_cancels_is_said(postgres_url: str) -> None:
    cancelled = failure(postgres_url, "SET LOCAL statement_timeout = 1", "SELECT pg_sleep(10)")
    found = known(cancelled, postgres_url)
    assert type(found) is StorageError and "cancelled" in str(found)


def test_a_read_only_server_is_not_writable(postgres_url: str) -> None:
    written = failure(postgres_url, "SET TRANSACTION READ ONLY", "CREATE TABLE probe (word text)")
    found = known(written, postgres_url)
    assert type(found) is NotWritable and "read-only" in str(found)


def test_a_rollback_on_a_lost_connection_after_a_commit_still_changed_nothing(
    postgres_url: str,
) -> None:
    """Only the COMMIT in flight is in doubt: the next transaction on the same connection,
    undone when its connection is lost, changed nothing."""
    engine, admin = make_engine(postgres_url), create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (word text)"))
        with pytest.raises(DBAPIError) as caught, engine.begin() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.connect() as other:  # waits until the backend has gone
                other.execute(text("SELECT pg_terminate_backend(:pid, 60000)"), {"pid": backend})
            raise RuntimeError("undone: the ROLLBACK finds the connection lost")
    finally:
        engine.dispose()
        admin.dispose()
    found = known(caught.value, postgres_url)
    assert type(found) is StorageError and "ended the connection" in str(found)


def cli(url: str, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portfolio", "--database", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GPC_PORTFOLIO_DATA": str(data)},
    )


def one_clear_line(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("gpc-portfolio: ") and words in done.stderr
    assert PASSWORD not in done.stderr and WRONG not in done.stderr


def test_the_command_line_says_a_server_is_not_running(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://gpc@/portfolio?host={tmp_path}"
    done = cli(url, tmp_path, "list")
    one_clear_line(done, "The server of postgresql+psycopg://gpc@/portfolio?host=")  # named
    assert "cannot be reached" in done.stderr


def test_the_command_line_says_a_password_is_wrong(
    password_role: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = with_url(postgres_server.url(), username=password_role, password=WRONG)
    one_clear_line(cli(url, tmp_path, "list"), "refused the password")


TERMINATE = "PERFORM pg_terminate_backend(pg_backend_pid());"
"""PL/pgSQL that ends its own session, as an administrator (or a dying server) would."""
FULL = "RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100';"


def failing_inserts(table: str, body: str, *, at_commit: bool = False) -> list[str]:
    """A trigger that does ``body`` (PL/pgSQL) when a row of ``table`` is written, or
    (``at_commit``: a deferred constraint trigger) when the transaction that wrote it commits."""
    trigger = (
        f"CONSTRAINT TRIGGER fail AFTER INSERT ON {table} DEFERRABLE INITIALLY DEFERRED"
        if at_commit
        else f"TRIGGER fail BEFORE INSERT ON {table}"
    )
    return [
        f"CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$",
        f"CREATE {trigger} FOR EACH ROW EXECUTE FUNCTION fail()",
    ]


@contextmanager
def set_up(server: PostgresServer, template: str, setup: list[str]) -> Iterator[Engine]:
    """A fresh portfolio database on ``server``, with ``setup`` run in it; dropped afterwards."""
    url = server.database(template=template)
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in setup:
            connection.execute(text(statement.format(database=make_url(url).database)))
    try:
        yield engine
    finally:
        engine.dispose()
        server.drop(url)


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (failing_inserts("profile", TERMINATE), "ended the connection"),
        (failing_inserts("profile", FULL), "no space left"),
        (
            failing_inserts("profile", FULL, at_commit=True),
            "no space left",  # a COMMIT the server refuses (not a lost one) changed nothing
        ),
        (['ALTER DATABASE "{database}" SET default_transaction_read_only = on'], "read-only"),
    ],
)
def test_the_command_line_says_what_the_server_did_to_a_change(
    setup: list[str],
    words: str,
    postgres_server: PostgresServer,
    postgres_template: str,
    tmp_path: Path,
) -> None:
    """The server fails the change itself (writing the profile): nothing is written."""
    with set_up(postgres_server, postgres_template, setup) as engine:
        url = engine.url.render_as_string(hide_password=False)
        one_clear_line(cli(url, tmp_path, "init", "--name", "A Trainee", "--gmc", "7654321"), words)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM profile")).scalar_one() == 0


def test_a_connection_lost_while_saving_leaves_the_change_in_doubt(
    postgres_server: PostgresServer, postgres_template: str, tmp_path: Path
) -> None:
    """The server ends the session during the COMMIT (a deferred trigger terminates its own
    backend): the app cannot know whether the change was saved, and says so, never that
    nothing was changed."""
    killed = failing_inserts("profile", TERMINATE, at_commit=True)
    with set_up(postgres_server, postgres_template, killed) as engine:
        url = engine.url.render_as_string(hide_password=False)
        done = cli(url, tmp_path, "init", "--name", "A Trainee", "--gmc", "7654321")
    one_clear_line(done, f"The connection to the server of {url} was lost while saving")
    assert "the change may or may not have been saved" in done.stderr
    assert "check whether the change is there" in done.stderr
    assert "Nothing was changed" not in done.stderr
