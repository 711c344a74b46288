"""The reports import only what they use: gathering (and the HTML export, which prints the same
words) imports no ReportLab, and laying a PDF out imports neither Qt nor PDFium (pypdfium2
draws pages for printing, in the window alone). Each in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_LOADED = """
import json, sys
{imports}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _top_level_modules(imports: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED.format(imports=imports)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout))


def test_gathering_and_the_html_export_import_no_reportlab() -> None:
    loaded = _top_level_modules(
        "import portfolio.reports.service, portfolio.reports.gather, portfolio.reports.model\n"
        "import portfolio.reports.cohort_report, portfolio.services.html_export"
    )
    assert "portfolio" in loaded
    assert not loaded & {"reportlab", "PySide6", "pypdfium2"}


def test_laying_out_the_documents_imports_neither_qt_nor_pdfium() -> None:
    loaded = _top_level_modules(
        "import portfolio.reports.arcp, portfolio.reports.item, portfolio.reports.cohort\n"
        "from portfolio.reports.styles import styles\n"
        "styles()"
    )
    assert "reportlab" in loaded
    assert not loaded & {"PySide6", "pypdfium2"}
