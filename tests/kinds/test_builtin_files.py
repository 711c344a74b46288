"""The kind templates shipped with the app pass the file schema here, at test time, so the app
reads them at every start without pydantic (``load_kind_template(..., schema=False)``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio.errors import InvalidInput
from portfolio.kinds import kind_templates, load_kind_template
from portfolio.resource_files import resource

SHIPPED = sorted(e for e in resource("kinds").iterdir() if e.name.endswith(".json"))


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.name)
def test_a_shipped_template_passes_the_schema_and_reads_the_same_without_it(entry: Path) -> None:
    checked = load_kind_template(entry)
    assert load_kind_template(entry, schema=False) == checked
    assert kind_templates()[checked.kind] == checked


def test_every_shipped_template_is_built_in() -> None:
    assert len(kind_templates()) == len(SHIPPED)


def test_only_the_schema_is_skipped(tmp_path: Path) -> None:
    """What this file guards: a shipped template the schema refuses would read without it."""
    data = json.loads(resource("kinds", "reflection.json").read_text(encoding="utf-8"))
    data["fields"][0]["colour"] = "red"
    data["fields"][0]["label"] = "  Padded label  "
    path = tmp_path / "reflection.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"invalid at fields\[0\]\.colour"):
        load_kind_template(path)
    assert load_kind_template(path, schema=False).fields[0].label == "Padded label"
    data["kind"] = "other"  # the checks beyond the schema still run
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match="must be 'reflection'"):
        load_kind_template(path, schema=False)
