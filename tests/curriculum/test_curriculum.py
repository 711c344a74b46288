"""Curriculum files: the built-in GPC framework, the Foundation 2021 mapping, and broken files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from portfolio.curriculum import (
    GPC_DOMAIN_CODES,
    Curriculum,
    builtin_curricula,
    gpc,
    load_curriculum,
    resolve_domain_code,
)
from portfolio.errors import InvalidInput, NotFound
from portfolio.resource_files import resource

EXACT_DOMAINS = {
    "GPC1": "Professional values and behaviours",
    "GPC2": "Professional skills",
    "GPC3": "Professional knowledge",
    "GPC4": "Capabilities in health promotion and illness prevention",
    "GPC5": "Capabilities in leadership and team working",
    "GPC6": "Capabilities in patient safety and quality improvement",
    "GPC7": "Capabilities in safeguarding vulnerable groups",
    "GPC8": "Capabilities in education and training",
    "GPC9": "Capabilities in research and scholarship",
}

EXACT_SUBHEADINGS = {
    "GPC2.1": "Practical skills",
    "GPC2.2": "Communication and interpersonal skills",
    "GPC2.3": "Dealing with complexity and uncertainty",
    "GPC2.4": "Clinical skills",
    "GPC3.1": "Professional requirements",
    "GPC3.2": "National legislative requirements",
    "GPC3.3": "The health service and healthcare systems in the four countries",
    "GPC6.1": "Patient safety",
    "GPC6.2": "Quality improvement",
}

CLINICAL_SKILLS_PARTS = (
    "history taking, diagnosis and medical management",
    "consent",
    "humane interventions",
    "prescribing medicines safely",
    "using medical devices safely",
    "infection control and communicable disease",
)

EXACT_HLOS = {
    "FP2021-HLO1": "An accountable, capable and compassionate doctor",
    "FP2021-HLO2": "A valuable member of the healthcare workforce",
    "FP2021-HLO3": "A professional, responsible for their own practice and portfolio development",
}


# --- the GPC framework ------------------------------------------------------------------------


def test_gpc_domains_have_exact_titles_in_order() -> None:
    curriculum = gpc()
    top = curriculum.top_level()
    assert tuple(node.code for node in top) == GPC_DOMAIN_CODES
    assert {node.code: node.title for node in top} == EXACT_DOMAINS
    assert all(node.kind == "domain" and node.depth == 0 for node in top)
    assert [node.position for node in top] == list(range(9))


def test_gpc_subheadings_have_exact_titles_in_order() -> None:
    curriculum = gpc()
    subheadings = [node for node in curriculum.nodes if node.kind == "subheading"]
    assert [(node.code, node.title) for node in subheadings] == list(EXACT_SUBHEADINGS.items())
    for node in subheadings:
        assert node.depth == 1
        assert node.parent_code == node.code.split(".")[0]
    assert [n.code for n in curriculum.children("GPC2")] == [f"GPC2.{i}" for i in range(1, 5)]
    assert [n.code for n in curriculum.children("GPC3")] == ["GPC3.1", "GPC3.2", "GPC3.3"]
    assert [n.code for n in curriculum.children("GPC6")] == ["GPC6.1", "GPC6.2"]
    for code in ("GPC1", "GPC4", "GPC5", "GPC7", "GPC8", "GPC9"):
        assert curriculum.children(code) == ()


def test_clinical_skills_has_its_six_parts() -> None:
    assert gpc().node("GPC2.4").parts == CLINICAL_SKILLS_PARTS
    assert all(node.parts == () for node in gpc().nodes if node.code != "GPC2.4")


def test_gpc_guidance_is_labelled_as_the_apps_own() -> None:
    curriculum = gpc()
    assert curriculum.id == "gpc-2017"
    assert curriculum.edition == "May 2017"
    assert "GPC Portfolio's own wording" in curriculum.guidance_note
    assert "not the publisher's" in curriculum.guidance_note
    for node in curriculum.top_level():
        sentences = node.guidance.count(". ") + 1
        assert node.guidance and 1 <= sentences <= 3, node.code


def test_node_lookup_and_flattening() -> None:
    curriculum = gpc()
    assert curriculum.codes()[:6] == ("GPC1", "GPC2", "GPC2.1", "GPC2.2", "GPC2.3", "GPC2.4")
    assert "GPC6.2" in curriculum
    assert len(curriculum) == 18
    assert curriculum.find(" gpc6.2 ") is curriculum.node("GPC6.2")
    assert curriculum.find("GPC10") is None
    with pytest.raises(NotFound, match="GPC10"):
        curriculum.node("GPC10")


@pytest.mark.parametrize(
    ("given", "code"), [("GPC1", "GPC1"), ("gpc6.2", "GPC6.2"), ("Gpc3.3", "GPC3.3")]
)
def test_resolve_domain_code_accepts_any_case(given: str, code: str) -> None:
    assert resolve_domain_code(given).code == code


@pytest.mark.parametrize("given", ["GPC10", "GPC6.3", "", "FP2021-FPC1", "6.2"])
def test_resolve_domain_code_rejects_unknown_codes(given: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_domain_code(given)
    assert str(caught.value) == (
        f"Unknown domain code '{given}'; use GPC1 … GPC9 or a sub-heading such as GPC6.2."
    )


# --- Foundation 2021 and the built-in set -----------------------------------------------------


def test_builtin_curricula_put_gpc_first_and_are_cached() -> None:
    curricula = builtin_curricula()
    assert curricula[0] is gpc()
    assert [c.id for c in curricula] == [
        "gpc-2017",
        "foundation-2021",
        "imt-2019",
        "iscp-2021",
        "rcgp-2019",
    ]
    assert builtin_curricula() is curricula


def foundation() -> Curriculum:
    return next(c for c in builtin_curricula() if c.id == "foundation-2021")


def test_foundation_structure_and_exact_hlo_titles() -> None:
    curriculum = foundation()
    groups = curriculum.top_level()
    assert {node.code: node.title for node in groups} == EXACT_HLOS
    assert all(node.kind == "group" for node in groups)
    capabilities = [node for node in curriculum.nodes if node.kind == "capability"]
    assert [node.code for node in capabilities] == [f"FP2021-FPC{i}" for i in range(1, 14)]
    assert [len(curriculum.children(node.code)) for node in groups] == [5, 5, 3]
    assert curriculum.node("FP2021-FPC1").title == "Clinical assessment"
    assert all("unverified" not in node.title.lower() for node in curriculum.nodes)
    assert "not been verified" in curriculum.guidance_note
    assert "GPC Portfolio's own" in curriculum.guidance_note


def test_foundation_maps_only_to_known_gpc_codes() -> None:
    known = set(gpc().codes())
    for node in foundation().nodes:
        if node.kind == "capability":
            assert node.maps_to, node.code
        assert set(node.maps_to) <= known, node.code
    assert "GPC6.2" in foundation().node("FP2021-FPC9").maps_to


def test_curriculum_loads_from_a_traversable_and_a_path() -> None:
    traversable = resource("curricula", "gpc-2017.json")
    assert load_curriculum(traversable) == gpc()
    assert load_curriculum(str(traversable)).nodes == gpc().nodes


# --- broken files -----------------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "format": "gpc-portfolio-curriculum",
        "format_version": 1,
        "id": "imt-generic",
        "title": "Internal Medicine Training: generic capabilities",
        "edition": "2019",
        "publisher": "Example publisher",
        "guidance_note": "Guidance text is GPC Portfolio's own wording.",
        "level_scale": [
            {"value": 1, "label": "Observe only"},
            {"value": 2, "label": "Direct supervision"},
        ],
        "nodes": [
            {
                "code": "IMT-G",
                "title": "Generic capabilities in practice",
                "kind": "group",
                "children": [
                    {
                        "code": "IMT-CIP4",
                        "title": "Patient safety and quality improvement",
                        "kind": "capability",
                        "maps_to": ["GPC6.1", "GPC6.2"],
                    }
                ],
            }
        ],
    }


def write(tmp_path: Path, data: Any, name: str = "imt.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_second_curriculum_loads(tmp_path: Path) -> None:
    curriculum = load_curriculum(write(tmp_path, minimal()))
    assert curriculum.level_scale == ((1, "Observe only"), (2, "Direct supervision"))
    node = curriculum.node("IMT-CIP4")
    assert (node.parent_code, node.depth, node.position) == ("IMT-G", 1, 0)
    assert node.maps_to == ("GPC6.1", "GPC6.2")
    assert node.guidance == ""


def broken(mutate: Any) -> dict[str, Any]:
    data = minimal()
    mutate(data)
    return data


def _duplicate(data: dict[str, Any]) -> None:
    data["nodes"].append({"code": "imt-cip4", "title": "Again", "kind": "group"})


BROKEN_CASES = [
    pytest.param(
        '{"format": "gpc-portfolio-curriculum",\n  "nodes": [,]}',
        r"'imt\.json' is not complete JSON; .* at line 2, column",
        id="bad-json",
    ),
    pytest.param(
        broken(_duplicate),
        r"'imt\.json' uses the code 'imt-cip4' more than once",
        id="duplicate-code",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0]["children"][0].update(maps_to=["GPC6.3"])),
        r"'imt\.json' maps 'IMT-CIP4' to 'GPC6\.3', which is not a GPC",
        id="unknown-maps-to",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0]["children"][0].pop("title")),
        r"'imt\.json' is invalid at nodes\[0\]\.children\[0\]\.title: this field is missing",
        id="missing-title",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0].update(title="  ")),
        r"'imt\.json' is invalid at nodes\[0\]\.title: string should have at least 1 character",
        id="blank-title",
    ),
    pytest.param(
        broken(lambda d: d.update(format_version=2)),
        r"'imt\.json' has format_version 2; this version of GPC Portfolio reads format_version 1",
        id="wrong-format-version",
    ),
    pytest.param(
        broken(lambda d: d.update(format="something-else")),
        r"'imt\.json' has format 'something-else'; expected 'gpc-portfolio-curriculum'",
        id="wrong-format",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0].update(colour="red")),
        r"'imt\.json' is invalid at nodes\[0\]\.colour: this field is not allowed",
        id="extra-field",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0].update(code="IMT G")),
        r"'imt\.json' is invalid at nodes\[0\]\.code: string should match pattern",
        id="bad-code",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0]["children"][0].update(maps_to=[])),
        r"gives the capability 'IMT-CIP4' no maps_to",
        id="capability-without-mapping",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0].update(code="GPC5")),
        r"uses the code 'GPC5', which belongs to the GPC framework",
        id="gpc-code-reused",
    ),
    pytest.param(
        broken(lambda d: d["nodes"][0].update(kind="chapter")),
        r"is invalid at nodes\[0\]\.kind: input should be 'domain', 'subheading'",
        id="unknown-kind",
    ),
    pytest.param(
        broken(lambda d: d["level_scale"].append({"value": 1, "label": "Again"})),
        r"repeats a value in its level_scale",
        id="level-scale-duplicate",
    ),
    pytest.param(
        '{"format": "gpc-portfolio-curriculum", "format": "x"}',
        r"repeats the key 'format'",
        id="duplicate-json-key",
    ),
    pytest.param("[1, 2]", r"must hold a JSON object", id="not-an-object"),
]


@pytest.mark.parametrize(("content", "message"), BROKEN_CASES)
def test_broken_files_give_a_clear_message(tmp_path: Path, content: Any, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InvalidInput, match=message) as caught:
        load_curriculum(path)
    text = str(caught.value)
    assert text.startswith("The curriculum file 'imt.json' ")
    assert text.endswith(".")
    assert "\n" not in text


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"title": "caf\xe9"}')
    with pytest.raises(InvalidInput, match=r"'latin\.json' is not UTF-8 text"):
        load_curriculum(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"'absent\.json' does not exist"):
        load_curriculum(tmp_path / "absent.json")
