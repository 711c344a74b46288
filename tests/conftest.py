"""Every test gets its own data folder, database and keyring: never the user's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import Location, resolve_location
from tests.postgres_server import PostgresServer

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
    """A fresh in-memory keyring, and no way to reach the user's data folder by accident."""
    monkeypatch.setenv("GPC_PORTFOLIO_DATA", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.delenv("GPC_PORTFOLIO_PASSPHRASE", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def location(tmp_path: Path) -> Location:
    return resolve_location(tmp_path / "data")


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
        env={**os.environ, **(env or {})},
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive widgets share their process's one QApplication, and whatever a test
    leaves in its event loop: under pytest-xdist (``make test``) they run in one worker, in
    file order, while every other test spreads over the other cores."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("widgets"))
