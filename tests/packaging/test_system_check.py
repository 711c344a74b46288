"""scripts/system_check.py: the Debian packages come from the Qt platform plugin itself."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).parents[2] / "scripts" / "system_check.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("system_check", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _listed(*options: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--list", *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_list_derived_from_the_xcb_plugin_names_the_libraries_qt_aborted_without() -> None:
    packages = _listed()
    # the two the issue found missing on a fresh Debian 12, and the one Qt's message names
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= set(packages)
    assert {"libgl1", "libegl1", "libxkbcommon-x11-0", "libfontconfig1", "libcups2"} <= set(
        packages
    )
    assert not [p for p in packages if "qt" in p.lower()], "Qt's own libraries ship in PySide6"


def test_the_tests_add_their_tools_to_the_same_list() -> None:
    assert set(_listed()) < set(_listed("--tests"))
    tools = {"xvfb", "qpdf", "poppler-utils", "gnome-keyring", "binutils"}
    assert tools | {"openbox", "at-spi2-core", "python3-pyatspi"} <= set(_listed("--tests"))


def test_a_missing_library_is_named_by_debians_convention() -> None:
    check = _script()
    assert check.package_by_convention("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert check.package_by_convention("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert check.package_by_convention("libX11.so.6") == "libx11-6"
    assert check.package_by_convention("libz.so.1") == "zlib1g"


def test_after_the_check_every_library_of_the_plugin_is_present() -> None:
    """make test ran the check first: ldd now finds everything the window plugin links."""
    check = _script()
    missing = [
        f"{plugin.name}: {name}"
        for plugin in check.plugin_files()
        for name, where in check.linked_libraries(plugin).items()
        if where is None
    ]
    assert not missing, f"run scripts/system_check.py as root: {missing}"


def test_every_package_named_for_an_installed_library_is_a_real_installed_package() -> None:
    """dpkg knows each library found on disk (under /lib or /usr/lib), so no name is guessed."""
    check = _script()
    assert check.not_installed(check.qt_packages()) == []
