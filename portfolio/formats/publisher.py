"""The check every publisher-signed file gets (a catalogue, a directory)."""

from __future__ import annotations

from typing import Any

from portfolio.errors import InvalidInput
from portfolio.security.signing import PublicIdentity, verify


def signed_by_publisher(
    data: dict[str, Any], card: Any, signature: str, name: str, what: str
) -> PublicIdentity:
    """The publisher's identity of a file signed over every top-level field but ``signature``;
    InvalidInput when the card or the signature does not hold."""
    try:
        publisher = PublicIdentity.from_card(card)
    except InvalidInput as error:
        raise InvalidInput(
            f"{name}: the publisher's identity card is not valid ({error})"
        ) from None
    unsigned = {key: value for key, value in data.items() if key != "signature"}
    if not verify(publisher.public_key, unsigned, signature):
        raise InvalidInput(
            f"{name}: the signature does not match the {what}; it was altered after "
            "publishing or is forged. Nothing was imported."
        )
    return publisher
