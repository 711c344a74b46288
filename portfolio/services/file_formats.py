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
