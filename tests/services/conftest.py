"""Fixtures shared by the service tests."""

from tests.services.export_fixtures import filled  # noqa: F401 (the Leap2A and HTML exports')
from tests.services.test_opportunities import mentor  # noqa: F401 (the CLM's copy, a fixture)
from tests.services.test_signoffs import supervisor, trainee  # noqa: F401 (a trainee, their supervisor)
