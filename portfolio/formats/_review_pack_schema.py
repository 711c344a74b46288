"""The review pack's and sign-off file's schemas (pydantic), imported only when one is read."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from portfolio.vocabulary import GMC_NUMBER_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackTrainee(_Strict):
    name: str = Field(max_length=200)
    gmc_number: str = Field(pattern=GMC_NUMBER_PATTERN)
    grade: str = Field(default="", max_length=200)
    programme: str = Field(default="", max_length=200)
    trust: str = Field(default="", max_length=200)


class _Manifest(_Strict):
    format: str
    format_version: int
    app_version: str
    pack_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    created_at: str
    trainee: PackTrainee


class PackLink(_Strict):
    code: str = Field(max_length=64)
    justification: str = Field(default="", max_length=5_000)


class PackAttachment(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    filename: str = Field(max_length=255)
    size: int = Field(ge=0)
    mime_type: str = Field(max_length=100)


class PackItem(_Strict):
    uuid: str = Field(pattern=r"^[0-9a-f-]{36}$")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    occurred_on: date
    occurred_until: date | None = None
    fields: dict[str, Any]
    text: str = Field(max_length=100_000)
    links: list[PackLink]
    attachments: list[PackAttachment]
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    supersedes: str | None = Field(default=None, pattern=r"^[A-Za-z0-9+/]{86}==$")
    """The signature of the item's latest sign-off when the pack was made (version 2)."""


class _SignOffFile(_Strict):
    format: str
    format_version: int
    app_version: str
    pack_id: str
    trainee_gmc: str
    signer: dict[str, Any]
    records: list[dict[str, Any]] = Field(max_length=10_000)
    credentials: list[dict[str, Any]] = Field(default_factory=list, max_length=20_000)
