"""The portable archive carries the trainee's curriculum choice and their imported curricula:
export, import into a fresh portfolio, and the choice and the coverage are the same."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.paths import resolve_location
from tests.curriculum.curriculum_helpers import COLLEGE_ID, case_file, college_data
from tests.services.archive_helpers import (
    archive_service,
    database_fingerprint,
    members,
    reflection,
    sample_portfolio,
)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Callable[[str], Portfolio]]:
    opened: list[Portfolio] = []

    def make(name: str) -> Portfolio:
        portfolio = open_portfolio(resolve_location(tmp_path / name))
        opened.append(portfolio)
        return portfolio

    yield make
    for portfolio in opened:
        portfolio.close()


def with_college(portfolio: Portfolio, folder: Path) -> list[str]:
    """The sample portfolio, the college's curriculum chosen, items linked to it, and a second
    imported curriculum removed while an item still links to it."""
    uuids = sample_portfolio(portfolio)
    portfolio.curricula.import_case(case_file(folder))
    old = college_data(id="acem-2019", edition="2019")
    for node in (old["nodes"][0], *old["nodes"][0]["children"], old["nodes"][1]):
        node["code"] = node["code"].replace("ACEM-", "ACEM19-")
    portfolio.curricula.import_case(case_file(folder, old, "acem-2019.json"))
    uuids.append(portfolio.evidence.create(reflection("Arrest call", 5, codes=("ACEM-1",))).uuid)
    uuids.append(portfolio.evidence.create(reflection("Old edition", 6, codes=("ACEM19-3",))).uuid)
    portfolio.curricula.remove("acem-2019")
    profile = portfolio.profile.get()
    assert profile is not None
    portfolio.profile.save(replace(profile, curriculum_id=COLLEGE_ID))
    return uuids


def test_the_choice_and_imported_curricula_travel(fresh, tmp_path: Path) -> None:
    source = fresh("source")
    uuids = with_college(source, tmp_path)
    first = archive_service(source).export(tmp_path / "first.gpcportfolio")
    document = json.loads(members(first.path)["portfolio.json"])
    assert document["profile"]["curriculum_id"] == COLLEGE_ID
    assert [(c["curriculum"]["id"], c["removed"]) for c in document["curricula"]] == [
        ("acem-2019", True),
        (COLLEGE_ID, False),
    ]

    target = fresh("target")
    report = archive_service(target).import_(first.path)
    assert report.curricula_added == 2 and report.profile == "added"
    assert target.profile.get() == source.profile.get()
    assert target.curricula.available() == source.curricula.available()
    assert target.coverage.coverage() == source.coverage.coverage()
    assert target.coverage.capability_coverage(COLLEGE_ID) == source.coverage.capability_coverage(
        COLLEGE_ID
    )
    assert [link.code for link in target.evidence.get(uuids[-1]).links] == ["ACEM19-3"]

    second = archive_service(target).export(tmp_path / "second.gpcportfolio")
    assert members(second.path)["portfolio.json"] == members(first.path)["portfolio.json"]
    # Importing again changes nothing; the local copy of a curriculum is kept.
    again = archive_service(target).import_(second.path)
    assert again.curricula_added == 0


def test_an_archive_without_curricula_leaves_them_out(fresh, tmp_path: Path) -> None:
    source = fresh("plain")
    sample_portfolio(source)
    path = archive_service(source).export(tmp_path / "plain.gpcportfolio").path
    document = json.loads(members(path)["portfolio.json"])
    assert "curricula" not in document and "curriculum_id" not in document["profile"]


def rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    content = members(path)
    document = json.loads(content["portfolio.json"])
    change(document)
    content["portfolio.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return path


def _unknown_choice(d: dict[str, Any]) -> None:
    d["profile"]["curriculum_id"] = "nowhere-2030"


def _removed_choice(d: dict[str, Any]) -> None:
    d["profile"]["curriculum_id"] = "acem-2019"


def _unmapped(d: dict[str, Any]) -> None:
    del d["curricula"][1]["curriculum"]["nodes"][1]["maps_to"]


def _builtin(d: dict[str, Any]) -> None:
    d["curricula"][1]["curriculum"]["id"] = d["profile"]["curriculum_id"] = "imt-2019"


def _twice(d: dict[str, Any]) -> None:
    d["curricula"].append(d["curricula"][1])


def _no_curricula(d: dict[str, Any]) -> None:
    del d["curricula"], d["profile"]["curriculum_id"]


ATTACKS = {
    "chooses an unknown curriculum": (_unknown_choice, "neither built in nor imported"),
    "chooses a removed curriculum": (_removed_choice, "'acem-2019', which is neither"),
    "maps a capability to nothing": (_unmapped, "gives the capability 'ACEM-3' no maps_to"),
    "reuses a built-in id": (_builtin, "The curriculum 'imt-2019' is built in"),
    "holds a curriculum twice": (_twice, "holds the curriculum 'acem-2025' twice"),
    "links to a curriculum it lacks": (_no_curricula, "a code this app's curricula do not have"),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_a_bad_curriculum_in_an_archive_refuses_it_whole(
    attack: str, fresh, tmp_path: Path
) -> None:
    source = fresh("source")
    with_college(source, tmp_path)
    path = archive_service(source).export(tmp_path / "a.gpcportfolio").path
    change, message = ATTACKS[attack]
    rewrite(path, change)
    target = fresh("target")
    before = database_fingerprint(target.location)
    with pytest.raises(InvalidInput) as refused:
        archive_service(target, backup=False).import_(path)
    assert message in str(refused.value)
    assert database_fingerprint(target.location) == before
    assert target.curricula.imported_ids() == frozenset()
