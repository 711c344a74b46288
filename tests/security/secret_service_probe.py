"""Round-trip a key through a REAL Secret Service (gnome-keyring) on a private D-Bus session.

Run by tests/security/test_security_secret_service.py as

    dbus-run-session -- <venv python> tests/security/secret_service_probe.py <tmpdir>

It starts `gnome-keyring-daemon --foreground --unlock --components=secrets` with HOME and the
XDG folders inside <tmpdir> (so the user's own keyring is never touched), waits (polling with
a deadline) until `org.freedesktop.secrets` is owned on the bus, selects
`keyring.backends.SecretService.Keyring` explicitly, and saves, loads and deletes a generated
key with `portfolio.security.keystore.KeyringKeyStore`. The last line of stdout is a JSON
object {"ok": true, ...}; any failure exits non-zero with the reason on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SECRETS_NAME = "org.freedesktop.secrets"
KEYRING_PASSWORD = b"probe-keyring-password"
NAME_DEADLINE_SECONDS = 20.0
STOP_DEADLINE_SECONDS = 5.0


def fail(message: str) -> None:
    print(f"secret_service_probe: {message}", file=sys.stderr)
    sys.exit(1)


def confine_environment(base: Path) -> dict[str, Path]:
    folders = {
        "HOME": base / "home",
        "XDG_DATA_HOME": base / "data",
        "XDG_CONFIG_HOME": base / "config",
        "XDG_CACHE_HOME": base / "cache",
        "XDG_RUNTIME_DIR": base / "runtime",
    }
    for variable, folder in folders.items():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        os.environ[variable] = str(folder)
    for variable in ("PYTHON_KEYRING_BACKEND", "GNOME_KEYRING_CONTROL", "DISPLAY"):
        os.environ.pop(variable, None)
    return folders


def name_has_owner(name: str) -> bool:
    from jeepney import DBus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus="SESSION") as connection:
        reply = connection.send_and_get_reply(DBus().NameHasOwner(name), timeout=5)
    return bool(reply.body[0])


def wait_for_name(daemon: subprocess.Popen[bytes], log: Path) -> float:
    start = time.monotonic()
    deadline = start + NAME_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if name_has_owner(SECRETS_NAME):
            return time.monotonic() - start
        if daemon.poll() is not None:
            fail(
                f"gnome-keyring-daemon exited with {daemon.returncode} before owning "
                f"{SECRETS_NAME}; its output:\n{log.read_text(errors='replace')}"
            )
        time.sleep(0.05)
    fail(
        f"{SECRETS_NAME} did not appear on the bus within {NAME_DEADLINE_SECONDS:.0f} s; "
        f"gnome-keyring-daemon output:\n{log.read_text(errors='replace')}"
    )
    raise AssertionError("unreachable")


def stop(daemon: subprocess.Popen[bytes]) -> None:
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(timeout=STOP_DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait(timeout=STOP_DEADLINE_SECONDS)


def item_in_gnome_keyring(service: str, username: str) -> bool:
    """Look the entry up with secretstorage directly, bypassing keyring and our code."""
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        items = list(
            secretstorage.search_items(connection, {"service": service, "username": username})
        )
        return len(items) == 1


def run(base: Path) -> dict[str, Any]:
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        fail("run me under dbus-run-session: DBUS_SESSION_BUS_ADDRESS is not set")
    folders = confine_environment(base)

    try:
        import jeepney  # noqa: F401
        import secretstorage  # noqa: F401
    except ImportError as exc:
        fail(f"keyring's Secret Service backend needs secretstorage and jeepney: {exc}")

    if name_has_owner(SECRETS_NAME):
        fail(f"{SECRETS_NAME} is already owned on this bus: refusing to touch a real keyring")

    log = base / "gnome-keyring-daemon.log"
    with log.open("wb") as log_handle:
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
    try:
        assert daemon.stdin is not None
        daemon.stdin.write(KEYRING_PASSWORD)
        daemon.stdin.close()  # --unlock reads the password until end of input
        waited = wait_for_name(daemon, log)
        return exercise(folders, waited)
    finally:
        stop(daemon)


def exercise(folders: dict[str, Path], waited: float) -> dict[str, Any]:
    import keyring
    import keyring.backends.SecretService

    from portfolio.security.keystore import (
        KEYRING_SERVICE,
        KeyringKeyStore,
        keystore_warning,
        open_keystore,
    )
    from portfolio.security.signing import (
        fingerprint_of,
        generate_private_key,
        public_key_b64,
        sign,
        verify,
    )

    backend = keyring.backends.SecretService.Keyring()
    priority = type(backend).priority  # raises RuntimeError when the service is unusable
    keyring.set_keyring(backend)

    chosen = open_keystore(folders["HOME"] / "portfolio-data")
    if not isinstance(chosen, KeyringKeyStore):
        fail(f"open_keystore chose {type(chosen).__name__}: {keystore_warning(chosen)}")
    store = KeyringKeyStore()

    private_key = generate_private_key()
    public_key = public_key_b64(private_key)
    fingerprint = fingerprint_of(public_key)
    store.save(fingerprint, private_key, None)
    stored_in_gnome_keyring = item_in_gnome_keyring(KEYRING_SERVICE, fingerprint)
    loaded = store.load(fingerprint, None)
    loaded_fingerprint = fingerprint_of(public_key_b64(loaded))
    same_secret = loaded.private_bytes_raw() == private_key.private_bytes_raw()
    payload = {"probe": "secret service", "fingerprint": fingerprint}
    signature_ok = verify(public_key, payload, sign(loaded, payload))
    store.delete(fingerprint)
    gone = not store.contains(fingerprint) and not item_in_gnome_keyring(
        KEYRING_SERVICE, fingerprint
    )
    ok = (
        loaded_fingerprint == fingerprint
        and same_secret
        and signature_ok
        and stored_in_gnome_keyring
        and gone
    )
    return {
        "ok": ok,
        "backend": f"{type(backend).__module__}.{type(backend).__name__}",
        "priority": priority,
        "location": store.location(),
        "fingerprint": fingerprint,
        "loaded_fingerprint": loaded_fingerprint,
        "same_secret": same_secret,
        "signature_ok": signature_ok,
        "stored_in_gnome_keyring": stored_in_gnome_keyring,
        "deleted": gone,
        "seconds_waiting_for_service": round(waited, 3),
    }


def main() -> None:
    if len(sys.argv) != 2:
        fail("usage: secret_service_probe.py TMPDIR")
    base = Path(sys.argv[1]).resolve()
    if not base.is_dir():
        fail(f"{base} is not a folder")
    result = run(base)
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
