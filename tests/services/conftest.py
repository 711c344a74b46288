"""Fixtures shared by the service tests, which run on SQLite and on PostgreSQL."""

from tests.conftest import on_both_engines
from tests.services.export_fixtures import filled  # noqa: F401 (the Leap2A and HTML exports')
from tests.services.test_opportunities import mentor  # noqa: F401 (the CLM's copy, a fixture)
from tests.services.test_signoffs import supervisor, trainee  # noqa: F401 (a trainee, their supervisor)

pytest_generate_tests = on_both_engines
