"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

``make test`` installs Debian's ``postgresql`` package (scripts/system_check.py --tests); this
module starts one cluster per test process (each pytest-xdist worker has its own), listening only
on a Unix socket inside its folder, and removes it at the end. A missing server fails the tests
that need it, loudly: it is never skipped.

initdb refuses to run as root, so as root the cluster is made and run as Debian's ``postgres``
user. Durability is switched off (fsync, synchronous_commit): the cluster lives for one run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

SUPERUSER = "gpc_admin"


def binaries() -> Path:
    """The folder of the newest PostgreSQL server installed by Debian's packages."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError(
            "No PostgreSQL server is installed (Debian's postgresql package): "
            "`make test` installs it; as a user run: sudo apt-get install postgresql"
        )
    return found[-1].parent


def database_name(url: str) -> str:
    """The database an URL of ``PostgresServer.url`` names."""
    return url.split("@/", 1)[1].split("?", 1)[0]


class PostgresServer:
    """One running cluster; ``database()`` hands out a fresh, empty database's URL."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="gpc-pg-"))
        self.data = self.root / "data"
        self.socket = self.root
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o755)
        self._bin = binaries()

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._as_postgres, str(self._bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}")

    def start(self) -> PostgresServer:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-k {self.socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200"
        )
        # The log file keeps the server's output off our pipe (run() would wait on it forever).
        log = str(self.root / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "-o", options, "start"
        )
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """The SQLAlchemy URL of ``database`` on this server, over its Unix socket."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            dbname="postgres", user=SUPERUSER, host=str(self.socket), autocommit=True
        ) as admin:
            admin.execute(statement)  # type: ignore[arg-type]

    def database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``), its URL returned."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop(self, url: str) -> None:
        """Remove the database of ``url`` (one of ours), closing whatever still uses it."""
        self._admin(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
