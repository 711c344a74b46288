"""The supervisor directory's schema (pydantic), imported only when a directory is read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from portfolio.formats.directory import _DAY, _UTC, _UUID, MAX_ENTRIES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Entry(_Strict):
    name: str
    gmc_number: str
    role: str
    public_key: str
    valid_from: str = Field(pattern=_DAY)
    valid_until: str | None = Field(pattern=_DAY)
    revoked: bool


class _Directory(_Strict):
    format: str
    format_version: int
    app_version: str = Field(max_length=40)
    directory_id: str = Field(pattern=_UUID)
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    issued_at: str = Field(pattern=_UTC)
    expires_at: str = Field(pattern=_UTC)
    publisher: dict[str, Any]
    entries: list[_Entry] = Field(max_length=MAX_ENTRIES)
    signature: str = Field(max_length=100)
