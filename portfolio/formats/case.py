"""Curricula as 1EdTech CASE v1.1 JSON: a CFPackage with its CFDocument, CFItems, CFAssociations
and (for a level scale) one CFRubric. The mapping is documented in docs/formats.md.

Each node is a CFItem (``humanCodingScheme`` its code, ``fullStatement`` its title, ``notes``
its guidance, ``CFItemType`` its kind); each of a node's parts is a CFItem of type ``Part``
under it. The tree is ``isChildOf`` associations with ``sequenceNumber``; a mapping onto GPC is
an ``isRelatedTo`` association whose destination is the GPC node. Identifiers are UUIDs derived
from the curriculum id and the code, so the same curriculum always exports the same package.

An imported package is turned into a curriculum file's data and validated exactly as a
curriculum file is (:func:`portfolio.curriculum.curriculum_from_data`). No Qt, no database.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portfolio.curriculum import (
    FORMAT,
    FORMAT_VERSION,
    GPC_ID,
    Curriculum,
    CurriculumNode,
    curriculum_from_data,
    gpc,
)
from portfolio.errors import InvalidInput
from portfolio.formats.reader import parse_json, read_text

__all__ = [
    "CASE_VERSION",
    "MAX_CASE_FILE_BYTES",
    "MAX_ITEMS",
    "from_case",
    "read_case_file",
    "to_case",
]

CASE_VERSION = "1.1"
MAX_ITEMS = 5000
"""More CFItems than this in one package are refused (the largest built-in curriculum has 18)."""
MAX_CASE_FILE_BYTES = 16 * 2**20

_NAMESPACE = uuid.UUID("6f1c9d2e-3b7a-5e41-9c0d-8a2f4b6e1d37")
_URN = "urn:gpc-portfolio:"
_KIND_TYPES = {
    "domain": "Domain",
    "subheading": "Subheading",
    "group": "Group",
    "capability": "Capability",
}
_PART = "Part"
_SLUG = re.compile(r"[^a-z0-9]+")


def _identifier(*names: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(names)))


def _node_link(curriculum_id: str, node: CurriculumNode) -> dict[str, str]:
    return {
        "title": node.title,
        "identifier": _identifier(curriculum_id, node.code),
        "uri": f"{_URN}{curriculum_id}:{node.code}",
    }


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- export ----------------------------------------------------------------------------------


def to_case(curriculum: Curriculum, changed: datetime) -> dict[str, Any]:
    """The curriculum as a CASE v1.1 CFPackage; ``changed`` is every ``lastChangeDateTime``."""
    when = _stamp(changed)
    doc_id = _identifier(curriculum.id)
    document_link = {
        "title": curriculum.title,
        "identifier": doc_id,
        "uri": f"{_URN}{curriculum.id}",
    }
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": document_link["uri"],
        "creator": curriculum.publisher,
        "title": curriculum.title,
        "lastChangeDateTime": when,
        "publisher": curriculum.publisher,
        "version": curriculum.edition,
        "description": curriculum.guidance_note,
        "language": "en-GB",
        "caseVersion": CASE_VERSION,
        "CFPackageURI": document_link,
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def associate(kind: str, origin: dict[str, str], target: dict[str, str], number: int) -> None:
        associations.append(
            {
                "identifier": _identifier("association", origin["identifier"], kind, target["uri"]),
                "uri": f"{_URN}association:{origin['identifier']}:{kind}:{target['identifier']}",
                "associationType": kind,
                "originNodeURI": origin,
                "destinationNodeURI": target,
                "sequenceNumber": number,
                "CFDocumentURI": document_link,
                "lastChangeDateTime": when,
            }
        )

    for node in curriculum:
        link = _node_link(curriculum.id, node)
        items.append(
            {
                "identifier": link["identifier"],
                "uri": link["uri"],
                "fullStatement": node.title,
                "humanCodingScheme": node.code,
                "CFItemType": _KIND_TYPES[node.kind],
                "notes": node.guidance,
                "language": "en-GB",
                "CFDocumentURI": document_link,
                "lastChangeDateTime": when,
            }
        )
        parent = (
            document_link
            if node.parent_code is None
            else _node_link(curriculum.id, curriculum.node(node.parent_code))
        )
        associate("isChildOf", link, parent, node.position + 1)
        for number, part in enumerate(node.parts, start=1):
            part_link = {
                "title": part,
                "identifier": _identifier(curriculum.id, node.code, "part", str(number)),
                "uri": f"{link['uri']}:part:{number}",
            }
            items.append(
                {
                    "identifier": part_link["identifier"],
                    "uri": part_link["uri"],
                    "fullStatement": part,
                    "CFItemType": _PART,
                    "CFDocumentURI": document_link,
                    "lastChangeDateTime": when,
                }
            )
            associate("isChildOf", part_link, link, number)
        for number, target in enumerate(node.maps_to, start=1):
            associate("isRelatedTo", link, _node_link(GPC_ID, gpc().node(target)), number)

    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
    }
    if curriculum.level_scale:
        package["CFRubrics"] = [_rubric(curriculum, when, document_link)]
    return package


def _rubric(curriculum: Curriculum, when: str, document: dict[str, str]) -> dict[str, Any]:
    rubric_id = _identifier(curriculum.id, "levels")
    criterion_id = _identifier(curriculum.id, "levels", "criterion")
    return {
        "identifier": rubric_id,
        "uri": f"{_URN}{curriculum.id}:levels",
        "title": "Level scale",
        "lastChangeDateTime": when,
        "CFRubricCriteria": [
            {
                "identifier": criterion_id,
                "uri": f"{_URN}{curriculum.id}:levels:criterion",
                "category": "Level",
                "rubricId": rubric_id,
                "lastChangeDateTime": when,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": _identifier(curriculum.id, "levels", str(value)),
                        "uri": f"{_URN}{curriculum.id}:levels:{value}",
                        "quality": label,
                        "score": value,
                        "position": position,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": when,
                    }
                    for position, (value, label) in enumerate(curriculum.level_scale, start=1)
                ],
            }
        ],
    }


# -- import ----------------------------------------------------------------------------------


def read_case_file(path: Path) -> Curriculum:
    """Read a CASE JSON file (at most 16 MiB) and return its validated curriculum."""
    name = Path(path).name
    text = read_text(Path(path), "CASE", MAX_CASE_FILE_BYTES)
    return from_case(parse_json(text, f"The CASE file '{name}'"), name)


def from_case(package: object, name: str) -> Curriculum:
    """The curriculum a CFPackage describes, validated as a curriculum file; every problem is an
    :class:`InvalidInput` naming ``name`` and the place."""

    def refuse(problem: str) -> InvalidInput:
        return InvalidInput(f"The CASE file '{name}' {problem}.")

    if not isinstance(package, Mapping):
        raise refuse("must hold a JSON object (a CFPackage)")
    document = _mapping(package.get("CFDocument"), "CFDocument", refuse)
    items = _list(package.get("CFItems"), "CFItems", refuse)
    associations = _list(package.get("CFAssociations", []), "CFAssociations", refuse)
    if len(items) > MAX_ITEMS or len(associations) > 4 * MAX_ITEMS:
        raise refuse(f"has more than {MAX_ITEMS} CFItems or too many CFAssociations")
    doc_id = _text(document, "identifier", "CFDocument", refuse)
    title = _text(document, "title", "CFDocument", refuse)
    creator = _text(document, "creator", "CFDocument", refuse)

    by_id: dict[str, Mapping[str, Any]] = {}
    for number, item in enumerate(items):
        item = _mapping(item, f"CFItems[{number}]", refuse)
        identifier = _text(item, "identifier", f"CFItems[{number}]", refuse)
        _text(item, "fullStatement", f"CFItems[{number}]", refuse)
        if identifier in by_id or identifier == doc_id:
            raise refuse(f"uses the identifier {identifier!r} twice")
        by_id[identifier] = item

    children: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    parent_of: dict[str, str] = {}
    maps: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    gpc_codes = {_identifier(GPC_ID, node.code): node.code for node in gpc()}
    for number, association in enumerate(associations):
        where = f"CFAssociations[{number}]"
        association = _mapping(association, where, refuse)
        kind = _text(association, "associationType", where, refuse)
        origin = _text(
            _mapping(association.get("originNodeURI"), f"{where}.originNodeURI", refuse),
            "identifier",
            f"{where}.originNodeURI",
            refuse,
        )
        target_link = _mapping(
            association.get("destinationNodeURI"), f"{where}.destinationNodeURI", refuse
        )
        target = _text(target_link, "identifier", f"{where}.destinationNodeURI", refuse)
        sequence = association.get("sequenceNumber", 0)
        if type(sequence) is not int:
            raise refuse(f"has a sequenceNumber that is not a whole number at {where}")
        if origin not in by_id:
            raise refuse(f"has an association from an unknown item {origin!r} at {where}")
        if kind == "isChildOf":
            if target != doc_id and target not in by_id:
                raise refuse(f"places {origin!r} under an unknown item {target!r} at {where}")
            if origin in parent_of:
                raise refuse(f"places the item {origin!r} under two parents")
            parent_of[origin] = target
            children[target].append((sequence, origin))
        elif kind == "isRelatedTo":
            code = gpc_codes.get(target) or _our_gpc_code(str(target_link.get("uri", "")))
            if code is None:
                raise refuse(
                    f"relates {origin!r} to {target!r}, which is not a GPC domain or "
                    f"sub-heading (at {where})"
                )
            maps[origin].append((sequence, code))
        # Other association types (exactMatchOf, precedes, …) say nothing this app keeps.

    unplaced = [i for i in by_id if i not in parent_of]
    if unplaced:
        raise refuse(f"does not place the item {unplaced[0]!r} under the document or an item")

    def nodes(parent: str, depth: int) -> Iterator[dict[str, Any]]:
        if depth > 8:
            raise refuse("nests items more than 8 levels deep, or in a loop")
        for _, identifier in sorted(children.get(parent, ())):
            item = by_id[identifier]
            if item.get("CFItemType") == _PART:
                continue
            node: dict[str, Any] = {
                "code": item.get("humanCodingScheme"),
                "title": item["fullStatement"],
                "kind": _kind_of(item, identifier, refuse),
                "guidance": item.get("notes") or "",
            }
            parts = [
                by_id[p]["fullStatement"]
                for _, p in sorted(children.get(identifier, ()))
                if by_id[p].get("CFItemType") == _PART
            ]
            if parts:
                node["parts"] = parts
            if maps.get(identifier):
                node["maps_to"] = [code for _, code in sorted(maps[identifier])]
            below = list(nodes(identifier, depth + 1))
            if below:
                node["children"] = below
            yield node

    tree = list(nodes(doc_id, 0))
    reached = _count(tree) + sum(1 for i in by_id.values() if i.get("CFItemType") == _PART)
    if reached != len(by_id):
        raise refuse("has items that are not under the document (their isChildOf form a loop)")
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": _curriculum_id(document, title),
        "title": title,
        "edition": document.get("version") or "unversioned",
        "publisher": document.get("publisher") or creator,
        "guidance_note": document.get("description") or "",
        "level_scale": _levels(package.get("CFRubrics"), refuse),
        "nodes": tree,
    }
    return curriculum_from_data(data, name)


def _count(nodes: list[dict[str, Any]]) -> int:
    return sum(1 + _count(node.get("children", [])) for node in nodes)


def _kind_of(item: Mapping[str, Any], identifier: str, refuse: Any) -> str:
    kind = str(item.get("CFItemType") or "Capability").casefold().replace("-", "")
    for ours, theirs in _KIND_TYPES.items():
        if kind == theirs.casefold():
            return ours
    raise refuse(
        f"gives the item {identifier!r} the CFItemType {item.get('CFItemType')!r}; this app "
        f"reads {', '.join(_KIND_TYPES.values())} and {_PART}"
    )


def _our_gpc_code(uri: str) -> str | None:
    prefix = f"{_URN}{GPC_ID}:"
    code = uri[len(prefix) :] if uri.startswith(prefix) else ""
    return code if code in gpc() else None


def _curriculum_id(document: Mapping[str, Any], title: str) -> str:
    uri = str(document.get("uri", ""))
    if uri.startswith(_URN) and ":" not in uri[len(_URN) :]:
        return uri[len(_URN) :]
    version = str(document.get("version") or "")
    return _SLUG.sub("-", f"{title} {version}".casefold()).strip("-")[:64] or "imported"


def _levels(rubrics: object, refuse: Any) -> list[dict[str, Any]] | None:
    """The first criterion of the first CFRubric as a level scale (score → value, quality →
    label, in ``position`` order), or None without a rubric."""
    if rubrics is None:
        return None
    rubric = _first(rubrics, "CFRubrics", refuse)
    criterion = _first(rubric.get("CFRubricCriteria"), "CFRubrics[0].CFRubricCriteria", refuse)
    where = "CFRubricCriteria[0].CFRubricCriterionLevels"
    levels = [
        _mapping(level, f"{where}[{number}]", refuse)
        for number, level in enumerate(
            _list(criterion.get("CFRubricCriterionLevels"), where, refuse)
        )
    ]
    if any(type(level.get("position", 0)) is not int for level in levels):
        raise refuse(f"has a position that is not a whole number in {where}")
    levels.sort(key=lambda level: int(level.get("position", 0)))
    return [{"value": level.get("score"), "label": level.get("quality")} for level in levels]


def _first(value: object, where: str, refuse: Any) -> Mapping[str, Any]:
    found = _list(value, where, refuse)
    if not found:
        raise refuse(f"has an empty {where}")
    return _mapping(found[0], f"{where}[0]", refuse)


def _mapping(value: object, where: str, refuse: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise refuse(f"needs a JSON object at {where}")
    return value


def _list(value: object, where: str, refuse: Any) -> list[Any]:
    if not isinstance(value, list):
        raise refuse(f"needs a JSON array at {where}")
    return value


def _text(value: Mapping[str, Any], key: str, where: str, refuse: Any) -> str:
    text = value.get(key)
    if not isinstance(text, str) or not text.strip():
        raise refuse(f"needs the text {key} at {where}")
    return text
