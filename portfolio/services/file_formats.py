"""What every reader of our files does first: check the JSON, its format and its version.

Each failure is one sentence naming the file, so a trainee or a mentor knows what to do.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from portfolio.errors import InvalidInput
from portfolio.storage.files import parse_json


def validation_problem(error: ValidationError) -> str:
    """pydantic's first complaint, as "where: what"."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the file"
    return f"{where}: {first['msg']}"


def versioned_json(
    raw: bytes, name: str, file_format: str, version: int, what: str
) -> dict[str, Any]:
    """The JSON object in ``raw`` when it is ours, of ``file_format`` at ``version``."""
    data = parse_json(raw, name)
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise InvalidInput(f"{name} is not a GPC Portfolio {what}.")
    if data.get("format_version") != version:
        raise InvalidInput(
            f"{name} is a version {data.get('format_version')} {what}; "
            f"this app reads version {version}."
        )
    return data


def signed_by_publisher(
    data: dict[str, Any], card: Any, signature: str, name: str, what: str
) -> Any:
    """The publisher's identity of a file signed over every top-level field but ``signature``
    (a catalogue, a directory); InvalidInput when the card or the signature does not hold."""
    from portfolio.security.signing import PublicIdentity, verify

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
