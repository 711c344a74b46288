"""The test server itself: it starts, and every database it hands out is new and empty."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.postgres_server import PostgresServer


def test_each_database_is_new_and_writable(postgres_server: PostgresServer) -> None:
    first, second = postgres_server.database(), postgres_server.database()
    assert first != second
    engine = create_engine(first)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (word text)"))
        connection.execute(text("INSERT INTO probe VALUES ('ok')"))
        assert connection.execute(text("SELECT word FROM probe")).scalar_one() == "ok"
        version = connection.execute(text("SHOW server_version_num")).scalar_one()
    engine.dispose()
    assert int(version) >= 150000
    other = create_engine(second)
    with other.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
    other.dispose()
    assert tables == 0
