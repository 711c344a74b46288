"""What the deanery tests share: a new store on the test server (summaries come from
``tests.deanery.generate``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portfolio.deanery.store import DeaneryStore, open_store


@pytest.fixture
def store(postgres_url: str) -> Iterator[DeaneryStore]:
    """A new deanery store on the test server."""
    with open_store(postgres_url) as opened:
        assert opened.create()
        yield opened
