"""The ARCP summary manifest's schema (pydantic), imported only when a manifest is read: writing
a summary needs none of it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from portfolio.formats.arcp_manifest import MAX_ITEMS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Item(_Strict):
    uuid: str = Field(max_length=100)
    title: str
    kind: str
    digest: str = Field(max_length=200)
    status: str
    pages: list[int]
    credentials: list[str]


class _Manifest(_Strict):
    format: str
    format_version: int
    app_version: str = Field(max_length=40)
    trainee_name: str
    trainee_gmc: str
    period: str
    generated_at: str
    items: list[_Item] = Field(max_length=MAX_ITEMS)
    directories: list[str]
