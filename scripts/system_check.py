"""The Debian packages the window needs, asked of Qt's platform plugin itself, and installed.

`make run` and `make test` both run this before anything else (the tests add the tools they use
with ``--tests``). The libraries come from ``ldd`` on the xcb platform plugin, its GL
integrations and the CUPS print plugin as shipped in the installed PySide6, so a new PySide6 that links one more library
is covered without editing a list here. A library found on disk is mapped to its package by
``dpkg -S``; one that is missing is named by Debian's library-package convention
(``libxcb-icccm.so.4`` → ``libxcb-icccm4``), with the few exceptions spelled out below.

As root with apt-get, the missing packages are installed; otherwise the exact ``apt-get
install`` line is printed and the exit status is 1. ``--list`` prints the packages needed, one a
line, and changes nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

TEST_TOOLS = (
    "qpdf",  # checks the PDFs' structure
    "poppler-utils",  # pdftotext, pdftoppm: reads reports back
    "gnome-keyring",  # a real Secret Service for keyring
    "dbus",
    "libsecret-tools",
    "xvfb",  # an X server for the window tests under xcb
    "openbox",  # a window manager for the AT-SPI test's session
    "at-spi2-core",  # the accessibility bus the AT-SPI test's client talks over
    "python3-pyatspi",  # that client, run by Debian's Python
    "binutils",  # objdump and objcopy, which PyInstaller needs to build the app folder
    "util-linux",  # unshare: the frozen app is run with every Python hidden; runuser
    "postgresql",  # a throwaway server for the PostgreSQL tests (tests/postgres_server.py)
)
PLUGINS = ("platforms/libqxcb.so", "xcbglintegrations/*.so", "printsupport/*.so")

_EXCEPTIONS = {
    "libc": "libc6",
    "libm": "libc6",
    "libdl": "libc6",
    "libpthread": "libc6",
    "librt": "libc6",
    "libz": "zlib1g",
    "libglib-2.0": "libglib2.0-0",
    "libgthread-2.0": "libglib2.0-0",
    "libgobject-2.0": "libglib2.0-0",
    "libgcc_s": "libgcc-s1",
    "libbrotlidec": "libbrotli1",
    "libbrotlicommon": "libbrotli1",
    "libGLdispatch": "libglvnd0",
}
_LDD_LINE = re.compile(r"^\s*(\S+\.so[.\d]*)\s+=>\s+(not found|\S+)")


def plugin_files() -> list[Path]:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        sys.exit("system check: PySide6 is not installed in this Python; run it from .venv")
    plugins = Path(spec.origin).parent / "Qt" / "plugins"
    found = sorted(f for pattern in PLUGINS for f in plugins.glob(pattern))
    if not found:
        sys.exit(f"system check: no xcb platform plugin under {plugins}")
    return found


def linked_libraries(plugin: Path) -> dict[str, Path | None]:
    """Every shared library ``plugin`` needs (ldd follows them all), with where it was found;
    None when it is missing. Qt's own libraries, shipped inside PySide6, are left out."""
    shipped = plugin.parents[2]  # …/PySide6/Qt
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    libraries: dict[str, Path | None] = {}
    for line in out.splitlines():
        match = _LDD_LINE.match(line)
        if match is None:
            continue
        name, where = match.groups()
        if where == "not found":
            libraries[name] = None
        elif not Path(where).resolve().is_relative_to(shipped.resolve()):
            libraries.setdefault(name, Path(where))
    return libraries


def package_by_convention(soname: str) -> str:
    """Debian's name for the package of a library not installed: ``libX11.so.6`` → ``libx11-6``."""
    stem, _, version = soname.partition(".so")
    if stem in _EXCEPTIONS:
        return _EXCEPTIONS[stem]
    major = version.lstrip(".").split(".", 1)[0]
    separator = "-" if stem[-1].isdigit() else ""
    return f"{stem}{separator}{major}".lower()


def _spellings(path: Path) -> set[Path]:
    """The names dpkg may know a library by: as linked and as resolved, each with and without
    the /usr prefix (packages list their files under /lib or /usr/lib, merged or not)."""
    found = set()
    for name in {path, path.resolve()}:
        text = str(name)
        found |= {Path(text), Path(text.removeprefix("/usr")), Path("/usr" + text)}
    return found


def packages_owning(paths: set[Path]) -> dict[Path, str]:
    """The package of each installed file, asked of dpkg once (it is slow to start)."""
    spellings = {spelling: path for path in paths for spelling in _spellings(path)}
    if not spellings:
        return {}
    found = subprocess.run(
        ["dpkg-query", "-S", *sorted(str(p) for p in spellings)], capture_output=True, text=True
    ).stdout
    owners: dict[Path, str] = {}
    for line in found.splitlines():
        package, _, path = line.partition(": ")
        if Path(path) in spellings:  # drop the architecture, libgl1:amd64
            owners[spellings[Path(path)]] = package.split(":", 1)[0]
    return owners


def qt_packages() -> list[str]:
    """The Debian packages providing every library the Qt platform plugin links."""
    libraries: dict[str, Path | None] = {}
    for plugin in plugin_files():
        libraries.update(linked_libraries(plugin))
    owners = packages_owning({where for where in libraries.values() if where is not None})
    return sorted(
        {
            (owners.get(where) if where is not None else None) or package_by_convention(name)
            for name, where in libraries.items()
        }
    )


def not_installed(packages: list[str]) -> list[str]:
    listed = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\n", *packages],
        capture_output=True,
        text=True,
    ).stdout
    ok = {line.split()[0] for line in listed.splitlines() if line.endswith("install ok installed")}
    return [p for p in packages if p not in ok]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--tests", action="store_true", help="add the tools the tests use")
    parser.add_argument("--list", action="store_true", help="print the packages; change nothing")
    args = parser.parse_args()
    needed = qt_packages() + (list(TEST_TOOLS) if args.tests else [])
    if args.list:
        print("\n".join(needed))
        return 0
    missing = not_installed(needed)
    if not missing:
        return 0
    line = "apt-get install " + " ".join(missing)
    if os.geteuid() != 0:
        print(f"Missing Debian packages: {' '.join(missing)}", file=sys.stderr)
        print(f"Install them with: sudo {line}", file=sys.stderr)
        return 1
    print(f"Installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], [*line.split(), "-y", "-qq"]):
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    unresolved = [
        name
        for plugin in plugin_files()
        for name, where in linked_libraries(plugin).items()
        if where is None
    ]
    if unresolved:
        print(f"system check: still missing after apt-get: {' '.join(unresolved)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
