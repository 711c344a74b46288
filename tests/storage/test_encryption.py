"""Encryption at rest (issue 7, point 5): SQLCipher on and off with nothing lost."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from portfolio.app import open_portfolio
from portfolio.demo import fill_demo
from portfolio.errors import InvalidInput, StorageError
from portfolio.paths import Location
from portfolio.security import database_key
from portfolio.security.database_key import PassphraseRequired, settings_path
from portfolio.services.backups import BackupService
from portfolio.services.evidence import EvidenceService
from portfolio.storage import encryption
from portfolio.storage.backup import list_backups
from portfolio.storage.database import Database, decrypt_portfolio, encrypt_portfolio, open_database

pytestmark = (
    pytest.mark.sqlite_only
)  # SQLCipher encrypts SQLite files; a server's own encryption is its own

PHRASE = b"Initial meeting with educational supervisor"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_key, "SCRYPT_N", 2**10)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def db_path(location: Location) -> Path:
    assert location.sqlite_path is not None
    return location.sqlite_path


def all_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file in the data folder (but the lock file), by name: nothing may change."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".lock"
    }


def make_demo(location: Location) -> list[object]:
    with open_portfolio(location) as portfolio:
        assert fill_demo(portfolio) == 69
        BackupService(portfolio.database).backup(reason="manual")
        details: list[object] = list(portfolio.evidence.details())
    assert PHRASE in all_bytes(db_path(location))  # the check below means something
    return details


def details_with(
    location: Location, passphrase: str | None = None, *, write: bool = True
) -> list[object]:
    database = open_database(location, write=write, passphrase=passphrase)
    try:
        return list(EvidenceService(database.sessions).details())
    finally:
        database.close()


def assert_not_plain_sqlite(path: Path) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    assert PHRASE not in all_bytes(path)


def assert_plain_sqlite(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM evidence").fetchone()[0] >= 69
    finally:
        connection.close()


def test_keyring_encryption_round_trip_keeps_everything(location: Location) -> None:
    before = make_demo(location)
    path = db_path(location)

    result = encrypt_portfolio(location)
    assert result.encrypted and result.backup is not None
    assert "system keyring" in (result.key_location or "")
    assert result.backups_converted == 2  # the manual backup and the one just taken
    assert_not_plain_sqlite(path)
    assert encryption.status(location).encrypted
    assert not encryption.needs_passphrase(location)

    # The key comes from the keyring: the ordinary open needs no change.
    with open_portfolio(location) as portfolio:
        assert portfolio.database.encrypted
        assert portfolio.database.key is not None
        assert portfolio.database.key.hex() not in repr(portfolio.database)
        assert list(portfolio.evidence.details()) == before
        hits = portfolio.evidence.search("educational supervisor")
        assert hits
        service = BackupService(portfolio.database)
        assert service.check() == []
        manual = service.backup()
    assert details_with(location, write=False) == before

    # Every backup is encrypted, with the same key, and still restorable.
    backups = list_backups(location.backups_dir)
    assert len(backups) >= 3 and manual in [b.path for b in backups]
    for backup in backups:
        assert_not_plain_sqlite(backup.path)
    with open_portfolio(location) as portfolio:
        uuid: str = next(iter(portfolio.evidence.details())).uuid
        portfolio.evidence.delete(uuid)
        BackupService(portfolio.database).restore(manual)
    assert details_with(location) == before
    assert_not_plain_sqlite(path)

    result = decrypt_portfolio(location)
    assert not result.encrypted and result.backup is not None
    assert_plain_sqlite(path)
    assert not encryption.status(location).encrypted
    for backup in list_backups(location.backups_dir):
        assert_plain_sqlite(backup.path)
    assert details_with(location) == before
    with open_portfolio(location) as portfolio:
        assert not portfolio.database.encrypted
        assert portfolio.evidence.search("educational supervisor")


def test_passphrase_encryption_without_a_keyring(location: Location, no_keyring: None) -> None:
    before = make_demo(location)
    path = db_path(location)

    with pytest.raises(InvalidInput, match="passphrase"):
        encrypt_portfolio(location)
    assert_plain_sqlite(path)
    assert not settings_path(path).exists()

    result = encrypt_portfolio(location, PASSPHRASE)
    assert result.encrypted
    assert_not_plain_sqlite(path)
    assert encryption.needs_passphrase(location)
    assert PASSPHRASE.encode() not in settings_path(path).read_bytes()

    untouched = folder_digest(location.data_dir)
    with pytest.raises(PassphraseRequired):
        open_database(location)
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        open_database(location, passphrase="not the passphrase")
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        open_database(location, write=False, passphrase="not the passphrase")
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        decrypt_portfolio(location, "not the passphrase")
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        encrypt_portfolio(location, "not the passphrase")
    assert folder_digest(location.data_dir) == untouched

    assert details_with(location, PASSPHRASE) == before
    database = open_database(location, passphrase=PASSPHRASE)
    try:
        assert EvidenceService(database.sessions).search("educational supervisor")
        assert BackupService(database).check() == []
    finally:
        database.close()
    for backup in list_backups(location.backups_dir):
        assert_not_plain_sqlite(backup.path)

    decrypt_portfolio(location, PASSPHRASE)
    assert_plain_sqlite(path)
    assert details_with(location) == before


def test_a_missing_keyring_key_is_a_clear_error_that_changes_nothing(
    location: Location, isolated: object
) -> None:
    make_demo(location)
    encrypt_portfolio(location)
    keyring.get_keyring().secrets.clear()  # type: ignore[attr-defined]
    untouched = folder_digest(location.data_dir)
    with pytest.raises(StorageError, match="not in the system keyring"):
        open_portfolio(location)
    with pytest.raises(StorageError, match="not in the system keyring"):
        decrypt_portfolio(location)
    assert folder_digest(location.data_dir) == untouched


def test_a_failed_conversion_leaves_the_old_portfolio(
    location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = make_demo(location)
    path = db_path(location)
    real = encryption.content_digest
    calls = {"n": 0}

    def differs(target: Path, key: bytes | None) -> dict[str, tuple[int, str]]:
        calls["n"] += 1
        found = real(target, key)
        return {**found, "evidence": (0, "")} if calls["n"] == 1 else found

    monkeypatch.setattr(encryption, "content_digest", differs)
    with pytest.raises(StorageError, match="not hold the same rows"):
        encrypt_portfolio(location)
    monkeypatch.undo()
    assert_plain_sqlite(path)
    assert not [
        p
        for p in location.data_dir.iterdir()
        if p.name.endswith((".converting", ".partial", ".pending.json"))
    ]
    assert details_with(location) == before
    assert not encryption.status(location).encrypted


def test_a_crash_before_the_settings_are_promoted_still_opens(
    location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database file was replaced, then the process died: the pending settings fit."""
    before = make_demo(location)
    path = db_path(location)
    real = database_key.write_settings
    import portfolio.storage.database as database_module

    def crash_on_promotion(target: Path, settings: database_key.KeySettings) -> None:
        if target == settings_path(path):
            raise KeyboardInterrupt("power cut")
        real(target, settings)

    monkeypatch.setattr(database_module, "write_settings", crash_on_promotion)
    with pytest.raises(KeyboardInterrupt):
        encrypt_portfolio(location)
    monkeypatch.undo()
    assert_not_plain_sqlite(path)
    assert not settings_path(path).exists()
    assert details_with(location) == before  # opened with the pending settings, then tidied
    assert settings_path(path).exists()
    assert not database_key.pending_path(path).exists()
    encrypt_portfolio(location)  # finishes the job: the backups get encrypted too
    for backup in list_backups(location.backups_dir):
        assert_not_plain_sqlite(backup.path)


def test_a_plain_backup_restores_into_an_encrypted_portfolio(
    location: Location, tmp_path: Path
) -> None:
    before = make_demo(location)
    plain_copy = tmp_path / "outside-backup.sqlite3"
    inside_copy = location.data_dir / "a-copy.sqlite3"
    with open_portfolio(location) as portfolio:
        BackupService(portfolio.database).backup(out=plain_copy)
        BackupService(portfolio.database).backup(out=inside_copy)
    encrypt_portfolio(location)
    assert_plain_sqlite(plain_copy)  # outside the data folder: left as it was
    assert_not_plain_sqlite(inside_copy)  # inside it, every copy follows the portfolio
    with open_portfolio(location) as portfolio:
        portfolio.evidence.delete(next(iter(portfolio.evidence.details())).uuid)
        BackupService(portfolio.database).restore(plain_copy)
    assert_not_plain_sqlite(db_path(location))
    assert details_with(location) == before


def test_a_new_portfolio_can_start_encrypted(location: Location, no_keyring: None) -> None:
    result = encrypt_portfolio(location, PASSPHRASE)
    assert result.encrypted and result.backup is None
    database: Database = open_database(location, passphrase=PASSPHRASE)
    database.close()
    assert_not_plain_sqlite(db_path(location))
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        open_database(location, passphrase="nope")


def test_a_backup_from_another_portfolio_is_refused(location: Location, tmp_path: Path) -> None:
    make_demo(location)
    encrypt_portfolio(location)
    other = Location(tmp_path / "other", f"sqlite:///{tmp_path / 'other' / 'p.sqlite3'}")
    with open_portfolio(other):
        pass
    encrypt_portfolio(other)
    foreign = next(b.path for b in list_backups(location.backups_dir))
    with open_portfolio(other) as portfolio, pytest.raises(InvalidInput, match="not a sound"):
        BackupService(portfolio.database).restore(foreign)


def test_an_open_portfolio_lends_its_key_to_no_other(location: Location, tmp_path: Path) -> None:
    """The unlocked key is the open Database's own: while an encrypted portfolio is open, another
    portfolio in the same process cannot read (and restore) its backups."""
    make_demo(location)
    encrypt_portfolio(location)
    theirs = next(b.path for b in list_backups(location.backups_dir))
    other = Location(tmp_path / "other", f"sqlite:///{tmp_path / 'other' / 'p.sqlite3'}")
    with open_portfolio(other):
        pass
    before = folder_digest(other.data_dir)
    with open_portfolio(location) as owner, open_portfolio(other) as portfolio:
        assert owner.database.keys and not portfolio.database.keys
        with pytest.raises(InvalidInput, match="no key unlocked in this session opens it"):
            BackupService(portfolio.database).restore(theirs)
        assert BackupService(owner.database).check() == []
    assert folder_digest(other.data_dir) == before


def test_a_closed_portfolio_forgets_its_key(location: Location) -> None:
    make_demo(location)
    encrypt_portfolio(location)
    database = open_database(location)
    assert database.keys and database.encrypted
    database.close()
    assert database.keys == () and not database.encrypted


@pytest.mark.parametrize(
    "hostile", [{"n": 2**30}, {"n": 1000}, {"n": True}, {"r": 0}, {"r": 33}, {"p": 17}]
)
def test_hostile_scrypt_parameters_in_the_settings_are_refused_before_any_work(
    location: Location, no_keyring: None, hostile: dict[str, object]
) -> None:
    """A settings file is the trainee's to edit: n = 2**30 would ask scrypt for 128 GiB."""
    make_demo(location)
    encrypt_portfolio(location, PASSPHRASE)
    settings = settings_path(db_path(location))
    document = json.loads(settings.read_text(encoding="utf-8"))
    document["kdf"] |= hostile
    settings.write_text(json.dumps(document), encoding="utf-8")
    untouched = folder_digest(location.data_dir)
    with pytest.raises(InvalidInput, match=r"damaged \(scrypt parameters\)"):
        open_database(location, passphrase=PASSPHRASE)
    assert folder_digest(location.data_dir) == untouched
