"""The curriculum file's schema (pydantic), imported only when a curriculum is loaded."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from portfolio.curriculum import _CODE_PATTERN, NodeKind

_NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Code = Annotated[str, StringConstraints(pattern=_CODE_PATTERN.pattern, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _LevelModel(_Strict):
    value: int
    label: _NonEmpty


class _NodeModel(_Strict):
    code: _Code
    title: _NonEmpty
    kind: NodeKind
    guidance: str = ""
    parts: list[_NonEmpty] = []
    maps_to: list[_Code] = []
    children: list[_NodeModel] = []


class _CurriculumModel(_Strict):
    format: str
    format_version: int
    id: _Code
    title: _NonEmpty
    edition: _NonEmpty
    publisher: _NonEmpty
    guidance_note: str = ""
    level_scale: list[_LevelModel] | None = None
    nodes: list[_NodeModel]
