"""Nothing below portfolio/ui loads Qt when imported. Which module may import which is the
import-linter contracts' job (pyproject.toml, run by ``make test``); this checks what runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import portfolio

PACKAGE = Path(portfolio.__file__).parent
QT_FREE = [
    p
    for p in PACKAGE.rglob("*.py")
    if "ui" not in p.relative_to(PACKAGE).parts[:1] and p.name != "__main__.py"
]


def test_importing_every_module_below_the_ui_loads_no_qt() -> None:
    modules = sorted(
        "portfolio."
        + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in QT_FREE
        if "migrations" not in p.parts
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
