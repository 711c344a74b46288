"""A real Secret Service: gnome-keyring on a private D-Bus session, never the user's keyring.

The work happens in tests/security/secret_service_probe.py, run under `dbus-run-session` with HOME and
the XDG folders pointing into a temporary folder. Missing system tools are a failure, not a
skip: the Debian packages dbus and gnome-keyring are part of the test setup
(scripts/system_check.py --tests).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).resolve().parent / "secret_service_probe.py"
REPO = PROBE.parent.parent


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: install the Debian package {package} "
            f"(sudo apt-get install {package}, or make test, which runs scripts/system_check.py --tests)."
        )
    return path


def test_secretstorage_and_jeepney_importable() -> None:
    for module in ("secretstorage", "jeepney"):
        try:
            importlib.import_module(module)
        except ImportError as exc:  # keyring depends on both on Linux
            pytest.fail(f"{module} is not importable from the venv: {exc}")


def test_key_round_trip_through_real_secret_service(tmp_path: Path) -> None:
    dbus_run_session = _tool("dbus-run-session", "dbus")
    _tool("gnome-keyring-daemon", "gnome-keyring")

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    for key in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        Path(env[key]).mkdir(mode=0o700, parents=True, exist_ok=True)
    # No DBUS_SESSION_BUS_ADDRESS, DISPLAY or PYTHON_KEYRING_BACKEND from the caller.

    try:
        result = subprocess.run(
            [dbus_run_session, "--", sys.executable, str(PROBE), str(tmp_path)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the Secret Service probe did not finish within 120 s: {exc.stderr!r}")

    report = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, report
    lines = result.stdout.strip().splitlines()
    assert lines, report
    outcome = json.loads(lines[-1])
    assert outcome["ok"] is True, report
    assert outcome["backend"] == "keyring.backends.SecretService.Keyring"
    assert outcome["fingerprint"] == outcome["loaded_fingerprint"]
    assert outcome["same_secret"] is True
    assert outcome["stored_in_gnome_keyring"] is True
    assert outcome["deleted"] is True
    assert outcome["location"] == "in the system keyring (SecretService)"
    # The keyring the daemon wrote lives in the temporary folder, not in the user's home.
    assert (tmp_path / "data" / "keyrings").is_dir()
