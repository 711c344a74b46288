"""The layers of DESIGN.md: nothing below portfolio/ui imports Qt, and imports point downward."""

from __future__ import annotations

import ast
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
LOWER_LAYERS = (
    "models",
    "storage",
    "services",
    "security",
    "curriculum",
    "kinds",
    "privacy",
    "reports",
    "formats",
    "vocabulary.py",  # the words every layer shares: below them all
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_below_the_ui_imports_pyside6() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in QT_FREE
        if any(m.split(".")[0] == "PySide6" for m in imported_modules(p))
    ]
    assert offenders == []


def test_lower_layers_never_import_the_ui_or_the_front_ends() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0]
        if layer in LOWER_LAYERS:
            for module in imported_modules(path):
                if module.startswith(("portfolio.ui", "portfolio.cli", "portfolio.app")):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


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
