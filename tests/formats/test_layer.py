"""The file formats read through one reader. That they import no service, model or database is
an import-linter contract (pyproject.toml)."""

from __future__ import annotations

from tests.test_layers import PACKAGE

FORMATS = sorted((PACKAGE / "formats").glob("*.py"))


def test_formats_and_services_read_json_and_zips_only_through_the_reader() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (*FORMATS, *sorted((PACKAGE / "services").glob("*.py")))
        if path.name != "reader.py"
        and any(
            call in path.read_text(encoding="utf-8")
            for call in ("json.loads(", "json.load(", "ZipFile(path", ".read_bytes()")
        )
    ]
    assert offenders == []
