"""The kind template file's schema (pydantic), imported only when a template is loaded."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from portfolio.kinds import _KEY_PATTERN, _VALUE_PATTERN, FieldType

_NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Key = Annotated[str, StringConstraints(pattern=_KEY_PATTERN, max_length=64)]
_Value = Annotated[str, StringConstraints(pattern=_VALUE_PATTERN, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _ChoiceModel(_Strict):
    value: _Value
    label: _NonEmpty


class _FieldModel(_Strict):
    key: _Key
    label: _NonEmpty
    type: FieldType
    required: bool = False
    default: _Value | None = None
    help: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    choices: list[_ChoiceModel] | None = None
    when: dict[_Key, _Value] | None = None
    fields: list[_FieldModel] | None = None
    min_items: int | None = None
    max_items: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None


class _KindModel(_Strict):
    format: str
    format_version: int
    kind: _Key
    title: _NonEmpty
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
    text_label: _NonEmpty | None
    text_help: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    suggested_domains: list[str] = []
    fields: list[_FieldModel]
