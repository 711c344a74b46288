"""Fixtures shared by the file format tests: a trainee, their supervisor, a CLM."""

from tests.services.test_opportunities import mentor  # noqa: F401 (the CLM's copy, a fixture)
from tests.services.test_signoffs import supervisor, trainee  # noqa: F401
