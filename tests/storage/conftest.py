"""The storage tests about the portfolio's database run on SQLite and on PostgreSQL; those
about the SQLite file itself are marked ``sqlite_only``."""

from tests.conftest import on_both_engines

pytest_generate_tests = on_both_engines
