"""Curricula as 1EdTech CASE v1.1 JSON, through the command line: every built-in curriculum goes
out and comes back identical; crafted CASE files are refused with one line and nothing written."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio.curriculum import builtin_curricula, load_curriculum
from portfolio.formats.case import MAX_ITEMS
from tests.conftest import run_cli

IDS = [c.id for c in builtin_curricula()]


def _export(tmp_path: Path, curriculum_id: str) -> Path:
    out = tmp_path / f"{curriculum_id}.case.json"
    result = run_cli(
        tmp_path / "unused",
        "curriculum",
        "export",
        curriculum_id,
        "--format",
        "case",
        "--out",
        str(out),
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    return out


@pytest.mark.parametrize("curriculum_id", IDS)
def test_every_builtin_curriculum_round_trips_through_case(
    tmp_path: Path, curriculum_id: str
) -> None:
    case_file = _export(tmp_path, curriculum_id)
    package = json.loads(case_file.read_text(encoding="utf-8"))
    assert package["CFDocument"]["caseVersion"] == "1.1"
    assert package["CFDocument"]["lastChangeDateTime"] == "2026-01-01T00:00:00Z"
    back = tmp_path / "back.json"
    result = run_cli(
        tmp_path / "unused", "curriculum", "import", str(case_file), "--out", str(back)
    )
    assert result.returncode == 0, result.stderr
    original = next(c for c in builtin_curricula() if c.id == curriculum_id)
    imported = load_curriculum(back)
    assert imported == original  # every node, its place, guidance, parts and GPC mapping
    assert [n.maps_to for n in imported] == [n.maps_to for n in original]


def test_export_is_reproducible_and_refuses_an_unknown_curriculum(tmp_path: Path) -> None:
    first = _export(tmp_path, "imt-2019").read_bytes()
    assert _export(tmp_path, "imt-2019").read_bytes() == first
    result = run_cli(tmp_path, "curriculum", "export", "nope", "--out", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert "no built-in curriculum 'nope'" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_list_names_every_builtin_curriculum(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "curriculum", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert list(rows) == IDS
    assert rows["foundation-2021"]["capabilities"] == 13
    assert rows["rcgp-2019"]["capabilities"] == 13
    assert rows["imt-2019"]["capabilities"] == 14
    assert rows["iscp-2021"]["capabilities"] == 5


@pytest.fixture(scope="module")
def imt_package(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("case")
    return json.loads(_export(folder, "imt-2019").read_text(encoding="utf-8"))


def _item(package: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in package["CFItems"] if i.get("humanCodingScheme") == code)


def _child_of(package: dict[str, Any], code: str) -> dict[str, Any]:
    item = _item(package, code)
    return next(
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["originNodeURI"]["identifier"] == item["identifier"]
    )


def _loop(p: dict[str, Any]) -> None:
    """G1 under G2 and G2 under G1: neither is under the document."""
    g1, g2 = _item(p, "IMT2019-G1"), _item(p, "IMT2019-G2")
    _child_of(p, "IMT2019-G1")["destinationNodeURI"] = {"identifier": g2["identifier"]}
    _child_of(p, "IMT2019-G2")["destinationNodeURI"] = {"identifier": g1["identifier"]}


def _second_parent(p: dict[str, Any]) -> None:
    extra = copy.deepcopy(_child_of(p, "IMT2019-G1"))
    extra["destinationNodeURI"] = {"identifier": _item(p, "IMT2019-CLIN")["identifier"]}
    p["CFAssociations"].append(extra)


def _unmapped(p: dict[str, Any]) -> None:
    g1 = _item(p, "IMT2019-G1")["identifier"]
    p["CFAssociations"] = [
        a
        for a in p["CFAssociations"]
        if not (a["associationType"] == "isRelatedTo" and a["originNodeURI"]["identifier"] == g1)
    ]


def _related_elsewhere(p: dict[str, Any]) -> None:
    related = next(a for a in p["CFAssociations"] if a["associationType"] == "isRelatedTo")
    related["destinationNodeURI"] = {"identifier": "b9d0a2a4-0000-4000-8000-000000000000"}


def _too_many(p: dict[str, Any]) -> None:
    item = p["CFItems"][0]
    p["CFItems"] = [dict(item, identifier=f"id-{n}") for n in range(MAX_ITEMS + 1)]


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "no document": (lambda p: p.pop("CFDocument"), "needs a JSON object at CFDocument"),
    "items not a list": (lambda p: p.update(CFItems={}), "needs a JSON array at CFItems"),
    "document without a title": (
        lambda p: p["CFDocument"].pop("title"),
        "needs the text title at CFDocument",
    ),
    "item without a statement": (
        lambda p: p["CFItems"][3].pop("fullStatement"),
        "needs the text fullStatement at CFItems[3]",
    ),
    "identifier used twice": (
        lambda p: p["CFItems"][2].update(identifier=p["CFItems"][1]["identifier"]),
        "uses the identifier",
    ),
    "a loop of isChildOf": (_loop, "loop"),
    "two parents": (_second_parent, "under two parents"),
    "parent nobody knows": (
        lambda p: _child_of(p, "IMT2019-G3").update(destinationNodeURI={"identifier": "nowhere"}),
        "under an unknown item 'nowhere'",
    ),
    "association from nowhere": (
        lambda p: p["CFAssociations"][0].update(originNodeURI={"identifier": "ghost"}),
        "from an unknown item 'ghost'",
    ),
    "mapped to something not GPC": (_related_elsewhere, "not a GPC domain or sub-heading"),
    "capability with no GPC mapping": (_unmapped, "every capability must map"),
    "unknown item type": (
        lambda p: _item(p, "IMT2019-G1").update(CFItemType="Standard"),
        "CFItemType 'Standard'",
    ),
    "a GPC code reused": (
        lambda p: _item(p, "IMT2019-G1").update(humanCodingScheme="GPC1"),
        "belongs to the GPC framework",
    ),
    "a code with a space": (
        lambda p: _item(p, "IMT2019-G1").update(humanCodingScheme="IMT G1"),
        "is invalid at nodes[0].children[0].code",
    ),
    "a sequence that is not a number": (
        lambda p: p["CFAssociations"][0].update(sequenceNumber="1"),
        "sequenceNumber that is not a whole number",
    ),
    "too many items": (_too_many, f"more than {MAX_ITEMS} CFItems"),
    "not an object": (lambda p: p.clear(), "needs a JSON object at CFDocument"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_crafted_case_file_is_refused_clearly(
    tmp_path: Path, imt_package: dict[str, Any], attack: str
) -> None:
    change, message = ATTACKS[attack]
    package = copy.deepcopy(imt_package)
    change(package)
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(package), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli(tmp_path, "curriculum", "import", str(crafted), "--out", str(out))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not complete JSON"),
        (b"[1, 2]", "must hold a JSON object"),
        (b'{"CFDocument": {}, "CFDocument": {}}', "repeats"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_case_package_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    crafted = tmp_path / "crafted.json"
    crafted.write_bytes(content)
    out = tmp_path / "out.json"
    result = run_cli(tmp_path, "curriculum", "import", str(crafted), "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert not out.exists()
