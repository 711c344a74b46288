"""The profile's texts take the app's limit on both engines, and one character more is refused
the same way (SQLite never enforced String(n); PostgreSQL does)."""

from __future__ import annotations

import pytest

from portfolio import limits
from portfolio.app import Portfolio
from portfolio.errors import InvalidInput
from portfolio.services.dto import ProfileData

FIELDS = ("name", "grade", "specialty", "programme", "region", "trust", "educational_supervisor")


@pytest.mark.parametrize("field", FIELDS)
def test_each_profile_text_holds_the_limit_and_refuses_one_more(
    portfolio: Portfolio, field: str
) -> None:
    longest = "é" * limits.MAX_PROFILE_TEXT
    saved = portfolio.profile.save(
        ProfileData(**{"name": "Alex Morgan", "gmc_number": "7000001", field: longest})
    )
    assert getattr(portfolio.profile.get(), field) == longest == getattr(saved, field)
    with pytest.raises(InvalidInput, match=str(limits.MAX_PROFILE_TEXT)):
        portfolio.profile.save(
            ProfileData(**{"name": "Alex Morgan", "gmc_number": "7000001", field: longest + "x"})
        )
    assert getattr(portfolio.profile.get(), field) == longest
