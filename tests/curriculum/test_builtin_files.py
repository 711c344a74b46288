"""The curricula shipped with the app pass the file schema here, at test time, so the app can
read them at every start without pydantic (``load_curriculum(..., schema=False)``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio.curriculum import builtin_curricula, load_curriculum
from portfolio.errors import InvalidInput
from portfolio.resource_files import resource

SHIPPED = sorted(e for e in resource("curricula").iterdir() if e.name.endswith(".json"))


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.name)
def test_a_shipped_curriculum_passes_the_schema_and_reads_the_same_without_it(entry: Path) -> None:
    checked = load_curriculum(entry)
    assert load_curriculum(entry, schema=False) == checked
    assert checked in builtin_curricula()


def test_every_shipped_curriculum_is_built_in() -> None:
    assert len(builtin_curricula()) == len(SHIPPED) > 1


def test_only_the_schema_is_skipped(tmp_path: Path) -> None:
    """What this file guards: a shipped file the schema refuses would read without it."""
    data = json.loads(resource("curricula", "foundation-2021.json").read_text(encoding="utf-8"))
    data["nodes"][0]["colour"] = "red"
    data["title"] = "  Padded title  "
    path = tmp_path / "foundation-2021.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"invalid at nodes\[0\]\.colour"):
        load_curriculum(path)
    assert load_curriculum(path, schema=False).title == "Padded title"
    data["nodes"][0]["maps_to"] = ["GPC42"]  # the checks beyond the schema still run
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match="GPC42"):
        load_curriculum(path, schema=False)
