"""What every publisher-signed file shares (a catalogue, a directory): its signer and its check."""

from __future__ import annotations

from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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


class Signer(Protocol):
    """A publisher's identity with its private key, unlocked while it signs."""

    @property
    def identity(self) -> PublicIdentity: ...
    @property
    def private_key(self) -> Ed25519PrivateKey: ...
