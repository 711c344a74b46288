"""The trainee's own curriculum from the command line: chosen, kept by 'init', shown in the ARCP
summary PDF beside the GPC domains."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pypdf import PdfReader

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from tests.conftest import run_cli


def ok(data: Path, *args: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def init(data: Path) -> None:
    ok(data, "init", "--name", "Dr Rhiannon Pryce", "--gmc", "7000456", "--grade", "ST1")


def add(data: Path, title: str, *codes: str) -> None:
    domains = [arg for code in codes for arg in ("--domain", code)]
    ok(data, "add", "--kind", "reflection", "--title", title, "--date", "2026-03-02", *domains)


def page_text(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def test_the_report_shows_the_chosen_curriculum_beside_gpc(tmp_path: Path) -> None:
    data = tmp_path / "portfolio"
    init(data)
    add(data, "Consultation with an interpreter", "RCGP2019-C3", "GPC2.2")
    add(data, "Practice QI project on repeat prescribing", "RCGP2019-C10", "RCGP2019-C7")
    assert ok(data, "curriculum", "choose", "rcgp-2019").strip() == "Curriculum: rcgp-2019"
    init(data)  # updating the profile keeps the choice
    out = tmp_path / "arcp.pdf"
    ok(data, "report", "--out", str(out))
    pages = page_text(out)
    section = next(p for p in pages if "Coverage of RCGP curriculum: Being a General" in p)
    assert "RCGP2019-C3 Communicating and consulting 1" in section
    assert "RCGP2019-C10 Performance, learning and teaching 1" in section
    assert "RCGP2019-C5 Clinical examination and procedural skills –" in section
    assert "Capabilities with no validly signed evidence" in section
    assert "RCGP2019-C5 Clinical examination and procedural skills (no evidence at all)" in section
    gpc = next(p for p in pages if "Coverage of the GPC domains" in p)
    assert pages.index(gpc) < pages.index(section)
    assert "GPC2 Professional skills 2" in gpc  # C3, GPC2.2 and C7 (GPC2.4): once each item

    rows = json.loads(ok(data, "curriculum", "coverage", "--json"))
    assert rows["curriculum"] == "rcgp-2019"
    items = {c["code"]: c["items"] for c in rows["capabilities"]}
    assert items["RCGP2019-C3"] == items["RCGP2019-C7"] == items["RCGP2019-C10"] == 1
    assert sum(items.values()) == 3 and len(rows["without_evidence"]) == 10
    assert "3 of 13 capabilities" in ok(data, "curriculum", "coverage")

    assert ok(data, "curriculum", "choose", "none").startswith("Curriculum: none")
    refused = run_cli(data, "curriculum", "coverage")
    assert refused.returncode == 2 and "No curriculum is chosen" in refused.stderr
    plain = tmp_path / "plain.pdf"
    ok(data, "report", "--out", str(plain))
    assert not any("Coverage of RCGP" in p for p in page_text(plain))


def test_choosing_an_unknown_curriculum_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "portfolio"
    init(data)
    ok(data, "curriculum", "choose", "imt-2019")
    for wrong, message in (
        ("imt-2099", "no built-in curriculum 'imt-2099'"),
        ("gpc-2017", "no built-in curriculum 'gpc-2017'"),
    ):
        result = run_cli(data, "curriculum", "choose", wrong)
        assert result.returncode == 2
        assert message in result.stderr
    with open_portfolio(resolve_location(data), write=False) as portfolio:
        assert portfolio.profile.get().curriculum_id == "imt-2019"


def test_choosing_needs_a_profile(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "empty", "curriculum", "choose", "imt-2019")
    assert result.returncode == 2
    assert "no profile yet" in result.stderr
