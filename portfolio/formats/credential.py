"""A sign-off credential file (`.json`, W3C VC 2.0 OpenBadgeCredential): strict JSON within its
limit. Its proof and claims are checked by ``portfolio.security.credentials``."""

from __future__ import annotations

from typing import Any

from portfolio.errors import InvalidInput
from portfolio.formats.reader import parse_json

MAX_CREDENTIAL_BYTES = 1 * 2**20


def parse_credential(raw: bytes, subject: str) -> Any:
    """The JSON in ``raw``; InvalidInput "``subject`` is too large to be a credential" or
    "``subject`` is not a JSON credential" (a repeated key too: a verifier and a reader must
    never see two different documents)."""
    if len(raw) > MAX_CREDENTIAL_BYTES:
        raise InvalidInput(f"{subject} is too large to be a credential")
    try:
        return parse_json(raw, subject)
    except InvalidInput:
        raise InvalidInput(f"{subject} is not a JSON credential") from None
