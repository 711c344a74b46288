"""Curriculum files: the built-in GPC framework and further curricula that map onto it.

A curriculum file (``resources/curricula/*.json``, format ``gpc-portfolio-curriculum`` version 1,
documented in ``docs/curricula.md``) is a tree of nodes. This module validates a file at the
boundary with pydantic and hands out plain frozen dataclasses: a :class:`Curriculum` whose
:class:`CurriculumNode` s are flattened depth-first in file order. The built-in files skip the
pydantic schema (a test proves they pass it): every start would otherwise pay for it.

No Qt and no database here; every problem with a file is an :class:`InvalidInput` naming the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from portfolio.errors import InvalidInput, NotFound
from portfolio.formats.reader import parse_json
from portfolio.resource_files import resource

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "GPC_DOMAIN_CODES",
    "GPC_ID",
    "NODE_KINDS",
    "Curriculum",
    "CurriculumNode",
    "builtin_curricula",
    "curriculum_from_data",
    "curriculum_to_data",
    "gpc",
    "load_curriculum",
    "resolve_domain_code",
]

if TYPE_CHECKING:
    from pydantic import ValidationError

FORMAT = "gpc-portfolio-curriculum"
FORMAT_VERSION = 1
GPC_ID = "gpc-2017"
GPC_DOMAIN_CODES: tuple[str, ...] = tuple(f"GPC{number}" for number in range(1, 10))
NODE_KINDS: tuple[str, ...] = ("domain", "subheading", "group", "capability")
NodeKind = Literal["domain", "subheading", "group", "capability"]

_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
_MAX_DEPTH = 8

# ---------------------------------------------------------------------------------------------
# Public read-model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurriculumNode:
    """One domain, sub-heading, group or capability.

    ``position`` is the node's 0-based index among its siblings; ``depth`` is 0 for a top-level
    node. ``maps_to`` holds GPC codes (empty in the GPC curriculum itself).
    """

    code: str
    title: str
    kind: str
    guidance: str
    parts: tuple[str, ...]
    maps_to: tuple[str, ...]
    parent_code: str | None
    position: int
    depth: int


@dataclass(frozen=True)
class Curriculum:
    """A validated curriculum; ``nodes`` are flattened depth-first in file order."""

    id: str
    title: str
    edition: str
    publisher: str
    guidance_note: str
    nodes: tuple[CurriculumNode, ...]
    level_scale: tuple[tuple[int, str], ...] = ()
    _by_code: dict[str, CurriculumNode] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        index = {node.code: node for node in self.nodes}
        object.__setattr__(self, "_by_code", index)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[CurriculumNode]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, code: str) -> CurriculumNode:
        """The node with exactly this code; :class:`NotFound` otherwise."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound(f"The curriculum '{self.id}' has no node with code '{code}'.") from None

    def find(self, code: str) -> CurriculumNode | None:
        """The node whose code matches ``code`` ignoring case and surrounding space, or None."""
        wanted = code.strip().casefold()
        exact = self._by_code.get(code.strip())
        if exact is not None:
            return exact
        return next((n for n in self.nodes if n.code.casefold() == wanted), None)

    def top_level(self) -> tuple[CurriculumNode, ...]:
        """The nodes without a parent, in file order."""
        return tuple(node for node in self.nodes if node.parent_code is None)

    def children(self, code: str) -> tuple[CurriculumNode, ...]:
        """The direct children of the node ``code``, in file order."""
        self.node(code)
        return tuple(node for node in self.nodes if node.parent_code == code)

    def codes(self) -> tuple[str, ...]:
        """All codes, depth-first in file order."""
        return tuple(node.code for node in self.nodes)


# ---------------------------------------------------------------------------------------------
# File schema (pydantic, at the boundary only)
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

PathOrTraversable = str | os.PathLike[str] | Traversable


def _as_traversable(source: PathOrTraversable) -> Traversable:
    if isinstance(source, str | os.PathLike):
        return Path(source)
    return source


def read_json_file(source: Traversable, what: str) -> Any:
    """Parse a UTF-8 JSON file; every failure is an :class:`InvalidInput` naming the file."""
    name = source.name
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"The {what} file '{name}' does not exist.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"The {what} file '{name}' is not UTF-8 text.") from None
    except OSError as error:
        raise InvalidInput(
            f"The {what} file '{name}' cannot be read: {error.strerror or error}."
        ) from None
    return parse_json(text, f"The {what} file '{name}'")


def describe_validation_error(error: ValidationError, name: str, what: str) -> InvalidInput:
    """Turn pydantic's first error into one sentence naming the file and the place."""
    first = error.errors(include_url=False)[0]
    place = _format_location(first["loc"])
    message = str(first["msg"]).rstrip(".")
    if first["type"] == "extra_forbidden":
        message = "this field is not allowed"
    elif first["type"] == "missing":
        message = "this field is missing"
    else:
        message = message[:1].lower() + message[1:]
    where = f" at {place}" if place else ""
    return InvalidInput(f"The {what} file '{name}' is invalid{where}: {message}.")


def _format_location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _check_header(data: object, name: str) -> None:
    if not isinstance(data, dict):
        raise InvalidInput(f"The curriculum file '{name}' must hold a JSON object.")
    if data.get("format") != FORMAT:
        raise InvalidInput(
            f"The curriculum file '{name}' has format {data.get('format')!r}; expected '{FORMAT}'."
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise InvalidInput(
            f"The curriculum file '{name}' has format_version {version!r}; "
            f"this version of GPC Portfolio reads format_version {FORMAT_VERSION}."
        )


def _flatten(
    nodes: list[dict[str, Any]], parent: str | None, depth: int, name: str
) -> Iterator[CurriculumNode]:
    """``nodes`` as the schema leaves them: optional keys may be missing, texts unstripped."""
    if depth >= _MAX_DEPTH:
        raise InvalidInput(
            f"The curriculum file '{name}' nests nodes more than {_MAX_DEPTH} levels deep."
        )
    for position, node in enumerate(nodes):
        yield CurriculumNode(
            code=node["code"],
            title=node["title"].strip(),
            kind=node["kind"],
            guidance=node.get("guidance", "").strip(),
            parts=tuple(part.strip() for part in node.get("parts", ())),
            maps_to=tuple(node.get("maps_to", ())),
            parent_code=parent,
            position=position,
            depth=depth,
        )
        yield from _flatten(node.get("children", []), node["code"], depth + 1, name)


def _check_nodes(curriculum_id: str, nodes: tuple[CurriculumNode, ...], name: str) -> None:
    if not nodes:
        raise InvalidInput(f"The curriculum file '{name}' has no nodes.")
    seen: set[str] = set()
    for node in nodes:
        folded = node.code.casefold()
        if folded in seen:
            raise InvalidInput(
                f"The curriculum file '{name}' uses the code '{node.code}' more than once."
            )
        seen.add(folded)

    is_gpc = curriculum_id == GPC_ID
    if is_gpc:
        gpc_codes = {node.code for node in nodes}
    else:
        gpc_codes = set(gpc().codes())
        gpc_folded = {code.casefold() for code in gpc_codes}
        for node in nodes:
            if node.code.casefold() in gpc_folded:
                raise InvalidInput(
                    f"The curriculum file '{name}' uses the code '{node.code}', which belongs to "
                    f"the GPC framework; give the curriculum's nodes their own prefix."
                )
    for node in nodes:
        for target in node.maps_to:
            if target not in gpc_codes:
                raise InvalidInput(
                    f"The curriculum file '{name}' maps '{node.code}' to '{target}', "
                    f"which is not a GPC domain or sub-heading code."
                )
        if len(set(node.maps_to)) != len(node.maps_to):
            raise InvalidInput(
                f"The curriculum file '{name}' lists a GPC code twice in the maps_to of "
                f"'{node.code}'."
            )
        if not is_gpc and node.kind == "capability" and not node.maps_to:
            raise InvalidInput(
                f"The curriculum file '{name}' gives the capability '{node.code}' no maps_to; "
                f"every capability must map to at least one GPC code."
            )


def load_curriculum(source: PathOrTraversable, *, schema: bool = True) -> Curriculum:
    """Read and validate one curriculum file (a path or an ``importlib.resources`` Traversable).

    Raises :class:`InvalidInput` (or :class:`NotFound` for a missing file) with one sentence that
    names the file and the problem. ``schema=False`` is for the built-in files only (see
    :func:`curriculum_from_data`).
    """
    traversable = _as_traversable(source)
    name = traversable.name
    return curriculum_from_data(read_json_file(traversable, "curriculum"), name, schema=schema)


def curriculum_from_data(data: object, name: str, *, schema: bool = True) -> Curriculum:
    """Validate parsed curriculum-file JSON as :func:`load_curriculum` does; ``name`` is the file
    named in messages.

    ``schema=False`` skips the pydantic schema, and only it: for files shipped with the app,
    which tests/curriculum/test_builtin_files.py checks against it.
    """
    _check_header(data, name)
    checked = _schema_checked(data, name) if schema else cast(dict[str, Any], data)

    nodes = tuple(_flatten(checked["nodes"], None, 0, name))
    _check_nodes(checked["id"], nodes, name)

    level_scale: tuple[tuple[int, str], ...] = ()
    if checked.get("level_scale") is not None:
        level_scale = tuple(
            (level["value"], level["label"].strip()) for level in checked["level_scale"]
        )
        values = [value for value, _ in level_scale]
        if not values:
            raise InvalidInput(
                f"The curriculum file '{name}' has an empty level_scale; use null for none."
            )
        if len(set(values)) != len(values):
            raise InvalidInput(f"The curriculum file '{name}' repeats a value in its level_scale.")

    return Curriculum(
        id=checked["id"],
        title=checked["title"].strip(),
        edition=checked["edition"].strip(),
        publisher=checked["publisher"].strip(),
        guidance_note=checked.get("guidance_note", "").strip(),
        nodes=nodes,
        level_scale=level_scale,
    )


def _schema_checked(data: object, name: str) -> dict[str, Any]:
    """``data`` checked against the file's schema, as plain data again."""
    from pydantic import ValidationError  # pydantic is paid for when a file is read

    from portfolio.curriculum._schema import _CurriculumModel

    try:
        return _CurriculumModel.model_validate(data).model_dump()
    except ValidationError as error:
        raise describe_validation_error(error, name, "curriculum") from None


def curriculum_to_data(curriculum: Curriculum) -> dict[str, Any]:
    """The curriculum file's JSON data for ``curriculum``: what :func:`curriculum_from_data`
    reads back as the same curriculum."""

    def tree(parent: str | None) -> list[dict[str, Any]]:
        out = []
        for node in curriculum:
            if node.parent_code != parent:
                continue
            entry: dict[str, Any] = {
                "code": node.code,
                "title": node.title,
                "kind": node.kind,
                "guidance": node.guidance,
            }
            if node.parts:
                entry["parts"] = list(node.parts)
            if node.maps_to:
                entry["maps_to"] = list(node.maps_to)
            below = tree(node.code)
            if below:
                entry["children"] = below
            out.append(entry)
        return out

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": curriculum.id,
        "title": curriculum.title,
        "edition": curriculum.edition,
        "publisher": curriculum.publisher,
        "guidance_note": curriculum.guidance_note,
        "level_scale": [{"value": v, "label": label} for v, label in curriculum.level_scale]
        or None,
        "nodes": tree(None),
    }


@cache
def gpc() -> Curriculum:
    """The built-in GMC Generic Professional Capabilities framework (May 2017)."""
    curriculum = load_curriculum(resource("curricula", f"{GPC_ID}.json"), schema=False)
    if curriculum.id != GPC_ID:
        raise InvalidInput(f"The curriculum file '{GPC_ID}.json' must have the id '{GPC_ID}'.")
    missing = [code for code in GPC_DOMAIN_CODES if code not in curriculum]
    if missing:
        raise InvalidInput(
            f"The curriculum file '{GPC_ID}.json' lacks the domain codes {', '.join(missing)}."
        )
    return curriculum


@cache
def builtin_curricula() -> tuple[Curriculum, ...]:
    """Every curriculum in ``resources/curricula``: the GPC framework first, then by file name."""
    folder = resource("curricula")
    others = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".json")),
        key=lambda entry: entry.name,
    )
    result = [gpc()]
    for entry in others:
        if entry.name == f"{GPC_ID}.json":
            continue
        curriculum = load_curriculum(entry, schema=False)
        if any(existing.id == curriculum.id for existing in result):
            raise InvalidInput(
                f"The curriculum file '{entry.name}' reuses the id '{curriculum.id}'."
            )
        result.append(curriculum)

    owner: dict[str, str] = {}
    for curriculum in result:
        for code in curriculum.codes():
            folded = code.casefold()
            if folded in owner:
                raise InvalidInput(
                    f"The curriculum '{curriculum.id}' reuses the code '{code}' of the "
                    f"curriculum '{owner[folded]}'."
                )
            owner[folded] = curriculum.id
    return tuple(result)


def resolve_domain_code(code: str) -> CurriculumNode:
    """The GPC domain or sub-heading for ``code`` (case-insensitive, e.g. ``gpc6.2``)."""
    node = gpc().find(code) if isinstance(code, str) else None
    if node is None or node.kind not in ("domain", "subheading"):
        raise InvalidInput(
            f"Unknown domain code '{code}'; use GPC1 … GPC9 or a sub-heading such as GPC6.2."
        )
    return node
