"""The file formats are a layer of their own: they open no session and import no service, so
a format can be read, written and tested without a portfolio; and they read through one reader."""

from __future__ import annotations

from tests.test_layers import PACKAGE, imported_modules

FORMATS = sorted((PACKAGE / "formats").glob("*.py"))
ABOVE = (
    "portfolio.services",
    "portfolio.models",
    "portfolio.reports",
    "portfolio.ui",
    "sqlalchemy",
)


def test_the_formats_import_no_service_model_or_database() -> None:
    offenders = [
        f"{path.name} imports {module}"
        for path in FORMATS
        for module in imported_modules(path)
        if module.startswith(ABOVE) or module in ("portfolio.cli", "portfolio.app")
    ]
    assert FORMATS and offenders == []


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
