"""A postgraduate centre's shared database, set up as docs/deployment.md says, on the test server.

The administrator is a role of its own (CREATEROLE, owning the database, no superuser: a
superuser would pass every row-level policy); each trainee is a login role added with the SQL
the deployment guide prints, read from the guide itself so that it cannot go stale.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import Location
from portfolio.storage.ownership import SHARED
from tests.postgres_server import SUPERUSER, PostgresServer

GUIDE = Path(__file__).parents[1] / "docs" / "deployment.md"
_EXAMPLE_TRAINEE = "trainee_alice"


def guide_statement(starting: str) -> str:
    """The one SQL line of the guide that starts with ``starting``."""
    found = [
        line.strip()
        for line in GUIDE.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(starting)
    ]
    assert len(found) == 1, f"docs/deployment.md should hold one line starting {starting!r}"
    return found[0]


def owned_tables(connection: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [str(name) for (name,) in rows if name not in SHARED]


@dataclass
class Centre:
    server: PostgresServer
    database: str
    admin: str
    folder: Path

    def url(self, role: str) -> str:
        return self.server.url(self.database, role)

    def sql(self, statement: str, role: str | None = None) -> None:
        with psycopg.connect(self._dsn(role or self.admin), autocommit=True) as connection:
            connection.execute(statement.encode())

    def _dsn(self, role: str) -> str:
        return f"dbname={self.database} user={role} host={self.server.socket}"

    def connect(self, role: str) -> psycopg.Connection[tuple[object, ...]]:
        """A raw connection of ``role``'s own, as a trainee with psql would have."""
        return psycopg.connect(self._dsn(role), autocommit=True)

    def rows(self, role: str) -> dict[str, list[str]]:
        """Every row ``role`` sees, table by table (sorted, as text): a portfolio item for item."""
        with self.connect(role) as connection:
            return {
                table: sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
                for table in owned_tables(connection)
            }

    def add_trainee(self, name: str) -> str:
        """A trainee's role (its name made unique on the shared test server); returns it."""
        role = f"{name}_{uuid.uuid4().hex[:8]}"
        statement = guide_statement(f'CREATE ROLE "{_EXAMPLE_TRAINEE}"')
        self.sql(statement.replace(_EXAMPLE_TRAINEE, role))
        return role

    def location(self, role: str) -> Location:
        return Location(self.folder / role, self.url(role))

    def open(self, role: str) -> Portfolio:
        return open_portfolio(self.location(role))

    def cli(self, role: str, *args: str) -> subprocess.CompletedProcess[str]:
        """The real command line as ``role``, in a real process."""
        return subprocess.run(
            [sys.executable, "-m", "portfolio", "--database", self.url(role), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "GPC_PORTFOLIO_DATA": str(self.folder / role)},
        )


def make_centre(server: PostgresServer, folder: Path) -> Centre:
    """The database and its administrator (as the server's superuser), then the schema (as
    the administrator, with the command the guide gives)."""
    tag = uuid.uuid4().hex[:8]
    admin, database = f"centre_admin_{tag}", f"gpc_{tag}"
    with psycopg.connect(
        dbname="postgres", user=SUPERUSER, host=str(server.socket), autocommit=True
    ) as superuser:
        superuser.execute(f'CREATE ROLE "{admin}" LOGIN CREATEROLE'.encode())
        superuser.execute(f'CREATE DATABASE "{database}" OWNER "{admin}"'.encode())
    centre = Centre(server, database, admin, folder)
    command = guide_statement("gpc-portfolio --database postgresql+psycopg://centre_admin@")
    assert command.endswith(" upgrade"), command
    done = centre.cli(admin, "upgrade")
    assert done.returncode == 0, done.stderr
    return centre
