"""Every test gets its own data folder, database and keyring: never the user's."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import DATA_ENV, DATABASE_FILE, Location, resolve_location
from portfolio.services.content import forget_blob_digests
from tests.postgres_server import PostgresServer, database_name

# Property tests draw the same examples on every run and machine (a failure can be replayed);
# each test's own @settings adds only its size and health checks.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.load_profile("repeatable")


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring]:
    """A fresh in-memory keyring, no way to reach the user's data folder by accident, and no
    attachment digest remembered from another test's portfolio (the cache is per process)."""
    forget_blob_digests()
    monkeypatch.setenv("GPC_PORTFOLIO_DATA", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.delenv("GPC_PORTFOLIO_PASSPHRASE", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


ENGINES = ("sqlite", "postgresql")
SQLITE_ONLY = "sqlite_only"
"""The marker of a test about the SQLite file itself (a copy, SQLCipher, the log, the disk)."""


def on_both_engines(metafunc: pytest.Metafunc) -> None:
    """``pytest_generate_tests`` of the folders whose tests run on both engines: each test that
    uses ``location`` (or ``new_location``, ``portfolio``) runs as ``[sqlite]`` and
    ``[postgresql]``, or only as ``[sqlite]`` when marked ``sqlite_only``."""
    if "database_engine" not in metafunc.fixturenames or any(
        "database_engine" in marker.args[0]
        for marker in metafunc.definition.iter_markers("parametrize")
    ):
        return  # no database, or the test names its engine itself
    if metafunc.definition.get_closest_marker(SQLITE_ONLY) is not None:
        metafunc.parametrize("database_engine", ENGINES[:1], ids=ENGINES[:1])
        return
    metafunc.parametrize("database_engine", ENGINES, ids=ENGINES)


@pytest.fixture
def database_engine() -> str:
    """SQLite, unless the folder's ``pytest_generate_tests`` is ``on_both_engines``."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres_template(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database opened once by the app (migrated, the built-in curricula in it), closed: each
    test's database is copied from it rather than migrated again."""
    url = postgres_server.database()
    with open_portfolio(resolve_location(tmp_path_factory.mktemp("template"), url)):
        pass
    return database_name(url)


@pytest.fixture
def new_location(
    tmp_path: Path, database_engine: str, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Location]]:
    """Makes the locations of new portfolios on this test's engine, by folder name."""
    made: list[str] = []

    def make(name: str) -> Location:
        folder = tmp_path / name
        if database_engine == "sqlite":
            return resolve_location(folder)
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.database(template=request.getfixturevalue("postgres_template"))
        made.append(url)
        return resolve_location(folder, url)

    yield make
    for url in made:
        request.getfixturevalue("postgres_server").drop(url)


@pytest.fixture
def location(new_location: Callable[[str], Location]) -> Location:
    return new_location("data")


@pytest.fixture
def empty_location(
    database_engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Location]:
    """Where no portfolio is yet, on this test's engine: an empty folder, or an empty database
    (``location`` on PostgreSQL is a copy of the migrated template)."""
    folder = tmp_path / "empty"
    folder.mkdir()
    if database_engine == "sqlite":
        yield resolve_location(folder)
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.database()
    yield resolve_location(folder, url)
    server.drop(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite portfolio opened once by the app and closed, to copy."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    with open_portfolio(resolve_location(folder)):
        pass
    return folder / DATABASE_FILE


@pytest.fixture
def blank_location(
    new_location: Callable[[str], Location], request: pytest.FixtureRequest
) -> Callable[[str], Location]:
    """Makes the locations of empty portfolios on this test's engine, already migrated (copied
    from a template, so that property tests can afford one per example); names may repeat."""
    count = itertools.count()

    def make(name: str) -> Location:
        made = new_location(f"{name}-{next(count)}")
        if made.sqlite_path is not None:
            made.data_dir.mkdir(parents=True)
            shutil.copy(request.getfixturevalue("sqlite_template"), made.sqlite_path)
        return made

    return make


@pytest.fixture
def portfolio(location: Location) -> Iterator[Portfolio]:
    with open_portfolio(location) as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test process (tests/postgres_server.py)."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh, empty database on the test server."""
    return postgres_server.database()


CLI_WARNINGS = {"PYTHONWARNINGS": "error::DeprecationWarning"}
"""A deprecated call in the command line fails its tests, as it does in process
(``filterwarnings = ["error"]``), instead of being printed to a stderr no test reads."""


def run_cli(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command line in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "portfolio", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, **CLI_WARNINGS, **(env or {})},
    )


def run_cli_at(
    location: Location, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command line on the portfolio at ``location``: ``--data-dir`` for a SQLite one,
    ``--database URL`` for a server one (its data folder then from $GPC_PORTFOLIO_DATA)."""
    if location.sqlite_path is not None:
        return run_cli(location.data_dir, *args, stdin=stdin, env=env)
    return subprocess.run(
        [sys.executable, "-m", "portfolio", "--database", location.database_url, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, **CLI_WARNINGS, **(env or {}), DATA_ENV: str(location.data_dir)},
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive widgets share their process's one QApplication, and whatever a test
    leaves in its event loop: under pytest-xdist (``make test``) they run in one worker, in
    file order, while every other test spreads over the other cores."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("widgets"))
