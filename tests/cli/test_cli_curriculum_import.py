"""A college's CASE file imported into the portfolio from the command line: validated as a
built-in curriculum is, kept across runs, chosen, counted towards GPC, shown in the ARCP summary;
refused whole when it clashes or maps a capability to nothing; removed without losing links."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.curriculum.curriculum_helpers import COLLEGE_ID, COLLEGE_TITLE, case_file, college_data


def ok(data: Path, *args: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(data: Path, *args: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    return result.stderr


def listed(data: Path) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in json.loads(ok(data, "curriculum", "list", "--json"))}


def add(data: Path, title: str, *codes: str) -> str:
    domains = [arg for code in codes for arg in ("--domain", code)]
    return ok(
        data, "add", "--kind", "reflection", "--title", title, "--date", "2026-03-02", *domains
    ).strip()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    ok(folder, "init", "--name", "Dr Ama Mensah", "--gmc", "7000321", "--grade", "ST3")
    return folder


def test_an_imported_curriculum_is_listed_chosen_counted_and_reported(
    data: Path, tmp_path: Path
) -> None:
    before = listed(data)
    assert not any(row["imported"] for row in before.values())
    out = ok(data, "curriculum", "import", str(case_file(tmp_path)))
    assert out.startswith(f"Imported {COLLEGE_ID}: {COLLEGE_TITLE} (2025), 3 capabilities.")

    rows = listed(data)  # a new process: the curriculum was kept in the portfolio
    assert list(rows) == [*before, COLLEGE_ID]
    assert rows[COLLEGE_ID] == {
        "id": COLLEGE_ID,
        "title": COLLEGE_TITLE,
        "edition": "2025",
        "publisher": "A College of Emergency Medicine",
        "capabilities": 3,
        "nodes": 4,
        "imported": True,
    }
    assert re.search(
        rf"^{COLLEGE_ID}\t.*\t3 capabilities\timported$", ok(data, "curriculum", "list"), re.M
    )

    add(data, "Led a cardiac arrest call", "ACEM-1")
    add(data, "Breaking bad news", "ACEM-2", "GPC2.2")
    assert ok(data, "curriculum", "choose", COLLEGE_ID).strip() == f"Curriculum: {COLLEGE_ID}"

    rows_json = json.loads(ok(data, "curriculum", "coverage", "--json"))
    assert rows_json["curriculum"] == COLLEGE_ID
    assert {c["code"]: c["items"] for c in rows_json["capabilities"]} == {
        "ACEM-1": 1,
        "ACEM-2": 1,
        "ACEM-3": 0,
    }
    assert f"2 of 3 capabilities of {COLLEGE_TITLE} have evidence" in ok(
        data, "curriculum", "coverage"
    )
    # The one domain map counts ACEM-1 towards GPC5 and GPC2, ACEM-2 towards GPC2 (once).
    domains = {d["code"]: d["items"] for d in json.loads(ok(data, "coverage", "--json"))["domains"]}
    assert (domains["GPC2"], domains["GPC5"], domains["GPC6"]) == (2, 1, 0)
    assert len(json.loads(ok(data, "list", "--domain", "GPC5", "--json"))) == 1

    report = tmp_path / "arcp.pdf"
    ok(data, "report", "--out", str(report))
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(report).pages]
    section = next(p for p in pages if f"Coverage of {COLLEGE_TITLE}" in p)
    assert "ACEM-1 Leads the resuscitation team 1" in section
    assert "ACEM-3 Improves the department's safety (no evidence at all)" in section


def test_importing_again_replaces_it_and_out_only_converts(data: Path, tmp_path: Path) -> None:
    ok(data, "curriculum", "import", str(case_file(tmp_path)))
    renamed = college_data(title="Acute and Emergency Medicine Curriculum (revised)")
    out = ok(data, "curriculum", "import", str(case_file(tmp_path, renamed)))
    assert out.startswith(
        f"Replaced {COLLEGE_ID}: Acute and Emergency Medicine Curriculum (revised)"
    )
    assert listed(data)[COLLEGE_ID]["title"].endswith("(revised)")

    converted = tmp_path / "converted.json"
    ok(
        tmp_path / "elsewhere",
        "curriculum",
        "import",
        str(case_file(tmp_path)),
        "--out",
        str(converted),
    )
    assert json.loads(converted.read_text(encoding="utf-8"))["id"] == COLLEGE_ID
    assert COLLEGE_ID not in listed(tmp_path / "elsewhere")


def _unmapped(path: Path) -> Path:
    package = json.loads(path.read_text(encoding="utf-8"))
    package["CFAssociations"] = [
        a for a in package["CFAssociations"] if a["associationType"] != "isRelatedTo"
    ]
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_a_clashing_or_unmapped_curriculum_is_refused_and_changes_nothing(
    data: Path, tmp_path: Path
) -> None:
    builtin = tmp_path / "imt.json"
    ok(data, "curriculum", "export", "imt-2019", "--out", str(builtin))
    clash = college_data(id="acem-clash")
    clash["nodes"][1]["code"] = "IMT2019-G1"
    attacks = {
        "imt-2019 again": (builtin, "The curriculum 'imt-2019' is built in"),
        "a built-in's code": (
            case_file(tmp_path, clash, "clash.json"),
            "uses the code 'IMT2019-G1', which belongs to the curriculum 'imt-2019'",
        ),
        "a capability mapped to nothing": (
            _unmapped(case_file(tmp_path, name="unmapped.json")),
            "gives the capability 'ACEM-1' no maps_to",
        ),
    }
    before = listed(data)
    for path, message in attacks.values():
        assert message in refused(data, "curriculum", "import", str(path))
    assert listed(data) == before
    assert "no built-in curriculum 'acem-2025', nor an imported one" in refused(
        data, "curriculum", "choose", COLLEGE_ID
    )


def test_removing_keeps_the_links_and_clears_the_choice(data: Path, tmp_path: Path) -> None:
    ok(data, "curriculum", "import", str(case_file(tmp_path)))
    uuid = add(data, "Led a cardiac arrest call", "ACEM-1", "GPC1")
    ok(data, "curriculum", "choose", COLLEGE_ID)

    out = ok(data, "curriculum", "remove", COLLEGE_ID)
    assert "items keep their links to it" in out and "Your curriculum is now none" in out
    assert COLLEGE_ID not in listed(data)
    shown = json.loads(ok(data, "show", uuid, "--json"))
    assert sorted(link["code"] for link in shown["links"]) == ["ACEM-1", "GPC1"]
    domains = {d["code"]: d["items"] for d in json.loads(ok(data, "coverage", "--json"))["domains"]}
    assert (domains["GPC1"], domains["GPC5"]) == (1, 0)  # a removed curriculum counts nowhere
    assert "No curriculum is chosen" in refused(data, "curriculum", "coverage")
    assert "no imported curriculum 'acem-2025'" in refused(data, "curriculum", "remove", COLLEGE_ID)

    ok(data, "curriculum", "import", str(case_file(tmp_path)))  # back again, links intact
    assert json.loads(ok(data, "list", "--domain", "GPC5", "--json"))[0]["uuid"] == uuid
