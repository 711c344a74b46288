"""Evidence kinds: one template file per kind in ``resources/kinds/``, and the field validator.

A template (format ``gpc-portfolio-kind`` version 1, documented in ``docs/kinds.md``) lists the
structured fields of one kind of evidence. This module validates the template files at the
boundary with pydantic, hands out frozen :class:`KindTemplate` / :class:`FieldSpec` read-models,
and validates an evidence item's ``fields`` against its kind (:func:`validate_fields`). The
shipped templates skip the pydantic schema (a test proves they pass it): every start would pay.

No Qt and no database here; every problem is an :class:`InvalidInput` in one sentence.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from portfolio.curriculum import describe_validation_error, read_json_file, resolve_domain_code
from portfolio.errors import InvalidInput
from portfolio.formats.reader import parse_json
from portfolio.limits import MAX_INTEGER_DIGITS
from portfolio.resource_files import resource

__all__ = [
    "FIELD_TYPES",
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "FieldSpec",
    "KindTemplate",
    "kind_templates",
    "load_kind_template",
    "parse_field_value",
    "searchable_text",
    "template",
    "validate_fields",
]

FORMAT = "gpc-portfolio-kind"
FORMAT_VERSION = 1
KINDS: tuple[str, ...] = (
    "reflection",
    "qi_project",
    "significant_event",
    "leadership_role",
    "teamwork",
    "teaching",
    "course",
    "supervisor_meeting",
    "pdp_item",
    "assessment",
)
FieldType = Literal["text", "longtext", "date", "choice", "bool", "integer", "list", "repeat"]
FIELD_TYPES: tuple[str, ...] = (
    "text",
    "longtext",
    "date",
    "choice",
    "bool",
    "integer",
    "list",
    "repeat",
)

#: The most characters a field of each type may hold (a template may only lower these).
TEXT_MAX = 500
LONGTEXT_MAX = 50_000
LIST_ITEM_MAX = 200
LIST_MAX_ITEMS = 100
REPEAT_MAX_ITEMS = 100
INTEGER_LIMIT = 2**53 - 1  # survives a round trip through any JSON reader

_TYPE_MAX_LENGTH = {"text": TEXT_MAX, "longtext": LONGTEXT_MAX, "list": LIST_ITEM_MAX}
_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
_VALUE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"
_DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_INTEGER_PATTERN = re.compile(rf"^[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}$")
_TRUE_WORDS = frozenset({"yes", "true"})
_FALSE_WORDS = frozenset({"no", "false"})

# ---------------------------------------------------------------------------------------------
# Public read-model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind's template.

    ``choices`` are ``(value, label)`` pairs (for ``choice`` fields, and optionally for ``list``
    fields whose items must come from a fixed set). ``when`` holds ``(key, value)`` conditions on
    earlier fields at the same level: the field applies only when all hold (a ``bool`` field's
    value is written ``"true"`` or ``"false"``). ``fields`` are a ``repeat`` field's item fields.
    ``max_length`` is the character limit of a ``text``/``longtext`` value or of each ``list``
    item; ``min_items``/``max_items`` bound a ``list`` or ``repeat``; ``minimum``/``maximum``
    bound an ``integer``.
    """

    key: str
    label: str
    type: str
    required: bool = False
    default: str | None = None
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    when: tuple[tuple[str, str], ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None

    def choice_label(self, value: str) -> str:
        """The label shown for a choice value (the value itself when unknown)."""
        return self._labels.get(value, value)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return dict(self.choices)

    @cached_property
    def choice_values(self) -> frozenset[str]:
        """The allowed values, built once (the validator tests every value against them)."""
        return frozenset(value for value, _ in self.choices)

    def choice_list(self) -> str:
        """The allowed values in template order, as a message lists them."""
        return ", ".join(value for value, _ in self.choices)

    def field(self, key: str) -> FieldSpec:
        """A ``repeat`` field's item field by key."""
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise InvalidInput(f"The field '{self.label}' has no item field '{key}'.")


@dataclass(frozen=True)
class KindTemplate:
    """The template of one evidence kind. ``text_label`` is None when the kind has no main text;
    ``text_help`` says what the main text is for when the fields hold the writing."""

    kind: str
    title: str
    description: str
    text_label: str | None
    suggested_domains: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    text_help: str = ""

    def field(self, key: str) -> FieldSpec:
        """The top-level field ``key``; :class:`InvalidInput` naming the known keys otherwise."""
        for spec in self.fields:
            if spec.key == key:
                return spec
        known = ", ".join(spec.key for spec in self.fields)
        raise InvalidInput(f"The kind '{self.kind}' has no field '{key}'; its fields are: {known}.")


# ---------------------------------------------------------------------------------------------
# Template file schema (pydantic, at the boundary only)
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Loading templates
# ---------------------------------------------------------------------------------------------


def _template_error(name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"The kind template file '{name}' {problem}.")


def _build_fields(
    fields: Sequence[dict[str, Any]], name: str, nested_in: str | None
) -> tuple[FieldSpec, ...]:
    """``fields`` as the schema leaves them: optional keys may be missing, texts unstripped."""
    specs: list[FieldSpec] = []
    by_key: dict[str, FieldSpec] = {}
    for data in fields:
        spec = _build_field(data, name, nested_in)
        if spec.key in by_key:
            raise _template_error(name, f"uses the field key '{spec.key}' more than once")
        for key, value in spec.when:
            target = by_key.get(key)
            if target is None:
                raise _template_error(
                    name,
                    f"makes the field '{spec.key}' depend on '{key}', which is not an earlier "
                    f"field at the same level",
                )
            allowed = _when_values(target)
            if allowed is None:
                raise _template_error(
                    name,
                    f"makes the field '{spec.key}' depend on '{key}', which is neither a choice "
                    f"nor a yes/no field",
                )
            if value not in allowed:
                raise _template_error(
                    name,
                    f"makes the field '{spec.key}' depend on '{key}' being '{value}', "
                    f"which that field cannot be",
                )
        by_key[spec.key] = spec
        specs.append(spec)
    if not specs:
        where = f"the repeat field '{nested_in}'" if nested_in else "the template"
        raise _template_error(name, f"gives {where} no fields")
    return tuple(specs)


def _when_values(spec: FieldSpec) -> frozenset[str] | None:
    if spec.type == "choice":
        return frozenset(value for value, _ in spec.choices)
    if spec.type == "bool":
        return frozenset({"true", "false"})
    return None


def _build_field(data: dict[str, Any], name: str, nested_in: str | None) -> FieldSpec:
    key, kind = data["key"], data["type"]

    def fail(problem: str) -> InvalidInput:
        return _template_error(name, f"gives the field '{key}' {problem}")

    choices: tuple[tuple[str, str], ...] = ()
    if data.get("choices") is not None:
        if kind not in ("choice", "list"):
            raise fail("choices, which only choice and list fields may have")
        choices = tuple((c["value"], c["label"].strip()) for c in data["choices"])
        values = [value for value, _ in choices]
        if len(set(values)) != len(values):
            raise fail("the same choice value twice")
    if kind == "choice" and not choices:
        raise fail("no choices")
    default = data.get("default")
    if default is not None:
        if kind != "choice":
            raise fail("a default, which only choice fields may have")
        if default not in {value for value, _ in choices}:
            raise fail(f"the default '{default}', which is not one of its choices")

    fields: tuple[FieldSpec, ...] = ()
    if kind == "repeat":
        if nested_in is not None:
            raise fail("the type repeat inside a repeat field")
        fields = _build_fields(data.get("fields") or [], name, key)
    elif data.get("fields") is not None:
        raise fail("item fields, which only repeat fields may have")

    min_items, max_items = data.get("min_items"), data.get("max_items")
    if kind not in ("list", "repeat") and (min_items is not None or max_items is not None):
        raise fail("min_items or max_items, which only list and repeat fields may have")
    if kind in ("list", "repeat"):
        limit = LIST_MAX_ITEMS if kind == "list" else REPEAT_MAX_ITEMS
        max_items = limit if max_items is None else max_items
        if not 0 < max_items <= limit:
            raise fail(f"a max_items outside 1 to {limit}")
        if min_items is not None and not 0 <= min_items <= max_items:
            raise fail("a min_items below 0 or above max_items")

    max_length = data.get("max_length")
    type_limit = _TYPE_MAX_LENGTH.get(kind)
    if type_limit is None:
        if max_length is not None:
            raise fail("a max_length, which only text, longtext and list fields may have")
    else:
        max_length = type_limit if max_length is None else max_length
        if not 0 < max_length <= type_limit:
            raise fail(f"a max_length outside 1 to {type_limit}")

    minimum, maximum = data.get("minimum"), data.get("maximum")
    if kind != "integer" and (minimum is not None or maximum is not None):
        raise fail("a minimum or maximum, which only integer fields may have")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise fail("a minimum above its maximum")

    return FieldSpec(
        key=key,
        label=data["label"].strip(),
        type=kind,
        required=data.get("required", False),
        default=default,
        help=data.get("help", "").strip(),
        choices=choices,
        when=tuple((data.get("when") or {}).items()),
        fields=fields,
        min_items=min_items,
        max_items=max_items,
        max_length=max_length,
        minimum=minimum,
        maximum=maximum,
    )


def load_kind_template(
    source: str | os.PathLike[str] | Traversable, *, schema: bool = True
) -> KindTemplate:
    """Read and validate one kind template file; :class:`InvalidInput` names any problem.

    ``schema=False`` skips the pydantic schema, and only it: for the templates shipped with the
    app, which tests/kinds/test_builtin_files.py checks against it (every start would pay).
    """
    traversable: Traversable = Path(source) if isinstance(source, str | os.PathLike) else source
    name = traversable.name
    data = read_json_file(traversable, "kind template")
    if not isinstance(data, dict):
        raise _template_error(name, "must hold a JSON object")
    if data.get("format") != FORMAT:
        raise _template_error(name, f"has format {data.get('format')!r}; expected '{FORMAT}'")
    version = data.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise _template_error(
            name,
            f"has format_version {version!r}; this version of GPC Portfolio reads "
            f"format_version {FORMAT_VERSION}",
        )
    if schema:
        data = _schema_checked(data, name)

    stem = name.removesuffix(".json")
    if data["kind"] != stem:
        raise _template_error(name, f"declares the kind '{data['kind']}'; it must be '{stem}'")
    domains: list[str] = []
    for code in data.get("suggested_domains", []):
        try:
            node = resolve_domain_code(code)
        except InvalidInput:
            raise _template_error(name, f"suggests the unknown domain code '{code}'") from None
        if node.code in domains:
            raise _template_error(name, f"suggests the domain '{node.code}' twice")
        domains.append(node.code)

    text_label = data["text_label"]
    return KindTemplate(
        kind=data["kind"],
        title=data["title"].strip(),
        description=data["description"].strip(),
        text_label=None if text_label is None else text_label.strip(),
        suggested_domains=tuple(domains),
        fields=_build_fields(data["fields"], name, None),
        text_help=data.get("text_help", "").strip(),
    )


def _schema_checked(data: dict[str, Any], name: str) -> dict[str, Any]:
    """``data`` checked against the template file's schema, as plain data again."""
    from pydantic import ValidationError  # pydantic is paid for when a file is read

    from portfolio.kinds._schema import _KindModel

    try:
        return _KindModel.model_validate(data).model_dump()
    except ValidationError as error:
        raise describe_validation_error(error, name, "kind template") from None


@cache
def kind_templates() -> dict[str, KindTemplate]:
    """Every kind template: the kinds of :data:`KINDS` in that order, then any others by name.

    The result is cached and shared: treat it as read-only.
    """
    folder = resource("kinds")
    templates: dict[str, KindTemplate] = {}
    for kind in KINDS:
        templates[kind] = load_kind_template(folder / f"{kind}.json", schema=False)
    extras = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.endswith(".json") and entry.name.removesuffix(".json") not in templates
    )
    for file_name in extras:
        loaded = load_kind_template(folder / file_name, schema=False)
        templates[loaded.kind] = loaded
    return templates


def template(kind: str) -> KindTemplate:
    """The template of ``kind``; :class:`InvalidInput` listing the kinds otherwise."""
    templates = kind_templates()
    found = templates.get(kind) if isinstance(kind, str) else None
    if found is None:
        raise InvalidInput(f"Unknown kind '{kind}'; choose one of: {', '.join(templates)}.")
    return found


# ---------------------------------------------------------------------------------------------
# Validating an item's fields
# ---------------------------------------------------------------------------------------------


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return len(value) == 0
    return False


def _is_empty_entry(entry: Mapping[Any, object]) -> bool:
    return all(_is_empty(value) for value in entry.values())


def _check_storable(text: str, fail: _Fail) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise fail("contains characters that cannot be stored") from None
    if "\x00" in text:
        raise fail("contains a NUL character")


class _Fail:
    """Builds an :class:`InvalidInput` naming the field (and the repeat item it sits in), in
    words and as its ``field`` path (``fields.<key>``, ``fields.<key>.<entry>.<key>``)."""

    def __init__(self, context: str, spec: FieldSpec, path: str) -> None:
        self.context = context
        self.spec = spec
        self.path = path

    def __call__(self, problem: str) -> InvalidInput:
        return InvalidInput(
            f"{self.context}: the field '{self.spec.label}' {problem}.", field=self.path
        )


def _fmt(number: int) -> str:
    return f"{number:,}"


def _check_value(spec: FieldSpec, value: object, fail: _Fail) -> object:
    """One non-empty value checked against its field; returns the normalised value."""
    kind = spec.type
    if kind in ("text", "longtext"):
        if not isinstance(value, str):
            raise fail("must be text")
        _check_storable(value, fail)
        if kind == "text" and ("\n" in value or "\r" in value):
            raise fail("must be a single line")
        limit = spec.max_length or _TYPE_MAX_LENGTH[kind]
        if len(value) > limit:
            raise fail(f"is too long ({_fmt(len(value))} characters; the limit is {_fmt(limit)})")
        return value
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if not isinstance(value, str):
            raise fail("must be a date written YYYY-MM-DD")
        return _parse_date(value.strip(), fail)
    if kind == "choice":
        if not isinstance(value, str) or value not in spec.choice_values:
            raise fail(f"must be one of: {spec.choice_list()}; got {_short(value)}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail("must be yes or no (true or false)")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("must be a whole number")
        low = spec.minimum if spec.minimum is not None else -INTEGER_LIMIT
        high = spec.maximum if spec.maximum is not None else INTEGER_LIMIT
        if not low <= value <= high:
            raise fail(f"must be between {_fmt(low)} and {_fmt(high)}")
        return value
    if kind == "list":
        return _check_list(spec, value, fail)
    if kind == "repeat":
        return _check_repeat(spec, value, fail)
    raise fail(f"has the unknown type '{kind}'")  # pragma: no cover - templates are validated


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _parse_date(text: str, fail: _Fail) -> str:
    if not _DATE_PATTERN.match(text):
        raise fail(f"must be a date written YYYY-MM-DD; got {_short(text)}")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise fail(f"holds {text}, which is not a real date") from None


def _check_list(spec: FieldSpec, value: object, fail: _Fail) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise fail("must be a list of short texts")
    limit = spec.max_length or LIST_ITEM_MAX
    allowed = spec.choice_values
    items: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise fail(f"must hold only text (item {number} is not)")
        _check_storable(item, fail)
        item = item.strip()
        if not item:
            continue
        if "\n" in item or "\r" in item:
            raise fail(f"must hold single lines (item {number} is not)")
        if len(item) > limit:
            raise fail(f"has an item longer than {_fmt(limit)} characters (item {number})")
        if allowed and item not in allowed:
            raise fail(f"may only hold: {spec.choice_list()}; got {_short(item)}")
        if item in items:
            raise fail(f"lists {_short(item)} twice")
        items.append(item)
    _check_count(spec, len(items), fail, "items")
    return items


def _check_count(spec: FieldSpec, count: int, fail: _Fail, noun: str) -> None:
    if spec.max_items is not None and count > spec.max_items:
        raise fail(f"has {count} {noun}; at most {spec.max_items} are allowed")
    if spec.min_items is not None and 0 < count < spec.min_items:
        raise fail(f"has {count} {noun}; at least {spec.min_items} are needed")


def _check_repeat(spec: FieldSpec, value: object, fail: _Fail) -> list[dict[str, object]]:
    if isinstance(value, str | Mapping) or not isinstance(value, list | tuple):
        raise fail("must be a list of entries")
    items: list[dict[str, object]] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise fail(f"has an entry that is not a set of fields (entry {number})")
        entry_context = f"{fail.context}, '{spec.label}' entry {number}"
        entry_path = f"{fail.path}.{number - 1}"
        _check_keys(spec.fields, item, entry_context, entry_path)
        if _is_empty_entry(item):
            continue
        entry = _validate_level(spec.fields, item, entry_context, entry_path)
        if entry:
            items.append(entry)
    _check_count(spec, len(items), fail, "entries")
    return items


def _check_keys(
    specs: tuple[FieldSpec, ...], values: Mapping[Any, object], context: str, path: str
) -> None:
    known = {spec.key for spec in specs}
    for key in values:
        if not isinstance(key, str) or key not in known:
            names = ", ".join(spec.key for spec in specs)
            raise InvalidInput(
                f"{context}: there is no field {_short(key)}; the fields are: {names}.",
                field=path,
            )


def _validate_level(
    specs: tuple[FieldSpec, ...], values: Mapping[str, object], context: str, path: str
) -> dict[str, object]:
    """``path`` is the ``field`` path of this level: ``fields``, or a repeat entry's."""
    _check_keys(specs, values, context, path)
    result: dict[str, object] = {}
    for spec in specs:  # a bulk load runs this per item: nothing is built until needed
        value = values.get(spec.key)
        empty = _is_empty(value)
        if spec.when and not _applies(spec, result):
            if not empty:
                conditions = " and ".join(
                    f"'{_label_of(specs, key)}' is {_value_label(specs, key, wanted)}"
                    for key, wanted in spec.when
                )
                raise _Fail(context, spec, f"{path}.{spec.key}")(
                    f"only applies when {conditions}; leave it empty or change that choice"
                )
            continue
        if empty:
            if spec.default is not None:
                result[spec.key] = spec.default
            elif spec.required:
                raise _Fail(context, spec, f"{path}.{spec.key}")("is required")
            continue
        fail = _Fail(context, spec, f"{path}.{spec.key}")
        checked = _check_value(spec, value, fail)
        if _is_empty(checked):
            if spec.required:
                raise fail("is required")
            continue
        result[spec.key] = checked
    return result


def _applies(spec: FieldSpec, earlier: Mapping[str, object]) -> bool:
    for key, wanted in spec.when:
        current = earlier.get(key)
        if isinstance(current, bool):
            current = "true" if current else "false"
        if current != wanted:
            return False
    return True


def _label_of(specs: tuple[FieldSpec, ...], key: str) -> str:
    return next((spec.label for spec in specs if spec.key == key), key)


def _value_label(specs: tuple[FieldSpec, ...], key: str, value: str) -> str:
    spec = next((spec for spec in specs if spec.key == key), None)
    if spec is None:
        return f"'{value}'"
    if spec.type == "bool":
        return "yes" if value == "true" else "no"
    return f"'{spec.choice_label(value)}'"


def validate_fields(kind: str, fields: Mapping[str, object]) -> dict[str, object]:
    """A normalised copy of an item's ``fields``, checked against the kind's template.

    Normalising fills the default of every applicable choice field, drops empty values (blank
    strings, empty lists, empty repeat entries), strips list items and writes dates as
    ``YYYY-MM-DD``; keys come out in template order. Raises :class:`InvalidInput` naming the
    field for an unknown key, a wrong type, a value too long, a bad date, a choice not allowed,
    a missing required field, a malformed repeat entry, or a value in a field that does not
    apply (hidden by ``when``). The function is idempotent on its own output.
    """
    spec = template(kind)
    if not isinstance(fields, Mapping):
        raise InvalidInput(f"The fields of a {spec.title} must be a set of named values.")
    return _validate_level(spec.fields, fields, spec.title, "fields")


# ---------------------------------------------------------------------------------------------
# Command-line values
# ---------------------------------------------------------------------------------------------


def parse_field_value(kind: str, key: str, raw: str) -> object:
    """Convert the VALUE of ``--field KEY=VALUE`` to the field's type.

    text/longtext: as given; choice: a value or a label, ignoring case; bool: yes/no/true/false;
    integer: digits; date: YYYY-MM-DD; list: a JSON array of strings or comma-separated text;
    repeat: a JSON array of objects. The result is checked like :func:`validate_fields` checks a
    single value (``when`` and ``required`` are checked when the whole item is validated).
    """
    kind_template = template(kind)
    spec = kind_template.field(key)
    context = f"{kind_template.title}, --field {key}"
    fail = _Fail(context, spec, f"fields.{key}")
    text = raw.strip()
    kind_of_field = spec.type

    value: object
    if kind_of_field in ("text", "longtext"):
        value = raw
    elif kind_of_field == "choice":
        value = _match_choice(spec, text, fail)
    elif kind_of_field == "bool":
        word = text.casefold()
        if word in _TRUE_WORDS:
            value = True
        elif word in _FALSE_WORDS:
            value = False
        else:
            raise fail(f"must be yes, no, true or false; got {_short(raw)}")
    elif kind_of_field == "integer":
        if not _INTEGER_PATTERN.match(text):
            raise fail(f"must be a whole number; got {_short(raw)}")
        value = int(text)
    elif kind_of_field == "date":
        value = _parse_date(text, fail)
    elif kind_of_field == "list":
        if text.startswith("["):
            value = _load_json(text, fail, "a JSON array of texts")
        else:
            value = [part for part in (item.strip() for item in text.split(",")) if part]
        if spec.choices and isinstance(value, list):
            value = [
                _match_choice(spec, item, fail) if isinstance(item, str) else item for item in value
            ]
    elif kind_of_field == "repeat":
        value = _load_json(text, fail, "a JSON array of objects")
    else:  # pragma: no cover - templates are validated
        raise fail(f"has the unknown type '{kind_of_field}'")

    if _is_empty(value):
        return value
    return _check_value(spec, value, fail)


def _match_choice(spec: FieldSpec, text: str, fail: _Fail) -> str:
    wanted = text.strip().casefold()
    for value, label in spec.choices:
        if value.casefold() == wanted or label.casefold() == wanted:
            return value
    raise fail(f"must be one of: {spec.choice_list()}; got {_short(text)}")


def _load_json(text: str, fail: _Fail, what: str) -> list[object]:
    try:
        value = parse_json(text, "the value")
    except InvalidInput as error:
        raise fail(f"must be {what} ({str(error).removeprefix('the value ')})") from None
    if not isinstance(value, list):
        raise fail(f"must be {what}")
    return value


# ---------------------------------------------------------------------------------------------
# Full-text search
# ---------------------------------------------------------------------------------------------


def _texts(specs: tuple[FieldSpec, ...], values: Mapping[str, object]) -> Iterator[str]:
    for spec in specs:
        value = values.get(spec.key)
        if value is None:
            continue
        if spec.type in ("text", "longtext") and isinstance(value, str):
            yield value
        elif spec.type == "choice" and isinstance(value, str):
            yield spec.choice_label(value)
        elif spec.type == "list" and isinstance(value, list | tuple):
            yield from (
                spec.choice_label(item) if spec.choices else item
                for item in value
                if isinstance(item, str)
            )
        elif spec.type == "repeat" and isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping):
                    yield from _texts(spec.fields, item)


def free_texts(kind: str, fields: Mapping[str, object]) -> Iterator[tuple[str, str, str]]:
    """(path, label, text) of every value the trainee typed freely, e.g. ("pdsa_cycles.2.plan",
    "PDSA cycles 2: Plan", "…"); choices are left out, since the app wrote their words."""
    yield from _free_texts(template(kind).fields, fields, "", "")


def _free_texts(
    specs: tuple[FieldSpec, ...], values: Mapping[str, object], path: str, label: str
) -> Iterator[tuple[str, str, str]]:
    for spec in specs:
        value = values.get(spec.key)
        where, called = f"{path}{spec.key}", f"{label}{spec.label}"
        if spec.type in ("text", "longtext") and isinstance(value, str) and value:
            yield where, called, value
        elif spec.type == "list" and not spec.choices and isinstance(value, list | tuple):
            for number, item in enumerate(value, start=1):
                if isinstance(item, str) and item:
                    yield f"{where}.{number}", f"{called} {number}", item
        elif spec.type == "repeat" and isinstance(value, list | tuple):
            for number, item in enumerate(value, start=1):
                if isinstance(item, Mapping):
                    yield from _free_texts(
                        spec.fields, item, f"{where}.{number}.", f"{called} {number}: "
                    )


def searchable_text(kind: str, fields: Mapping[str, object]) -> str:
    """Every text value of ``fields`` (choice labels included), one per line, for the index.

    Lenient by design: values of the wrong type and unknown keys are skipped, not reported.
    """
    spec = template(kind)
    parts = (text.strip() for text in _texts(spec.fields, fields))
    return "\n".join(part for part in parts if part)
