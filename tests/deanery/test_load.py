"""Every file is verified by its format's reader before anything of it is written: a bad file is
refused with its reason and changes nothing; a file loaded twice is counted once; a directory is
trusted only by its publisher's fingerprint; a revoked key's catalogue is refused, or flagged
when the revocation came after it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from portfolio.deanery.schema import (
    DeaneryBase,
    StoredCatalogue,
    StoredDirectory,
    StoredOpportunity,
    StoredSummary,
    SummaryDomain,
)
from portfolio.deanery.store import WRITER_LOCK, DeaneryStore, LoadReport, open_store, store_url
from portfolio.errors import InvalidInput, NotFound, StorageError
from portfolio.formats.cohort_summary import MAX_SUMMARY_BYTES
from portfolio.models import Base
from portfolio.services.cohort import cohort_csv
from portfolio.services.signoffs import Unlocked
from tests.deanery.generate import summaries, write_summaries
from tests.services.test_opportunities import Mentor, mentor, publish
from tests.services.test_trust import office, publishing

__all__ = ["mentor", "office"]  # fixtures


def rows(store: DeaneryStore, table: type[DeaneryBase]) -> int:
    with store._sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def reasons(report: LoadReport) -> dict[str, str]:
    return {Path(r.source).name: r.reason for r in report.refused}


def directory(office: Unlocked, path: Path, *cards: object) -> Path:
    publishing().create("North West supervisors", path, list(cards), office)  # type: ignore[arg-type]
    return path


# -- summaries ---------------------------------------------------------------------------------


def test_bad_files_are_refused_with_their_reason_and_change_nothing(
    store: DeaneryStore, tmp_path: Path, mentor: Mentor
) -> None:
    inbox = write_summaries(tmp_path / "inbox", summaries(2))
    (inbox / "junk.gpccohort").write_text("nope")
    good = json.loads((inbox / "trainee-00000.gpccohort").read_text())
    (inbox / "extra.gpccohort").write_text(json.dumps({**good, "reflection": "Mr Smith's fall"}))
    (inbox / "huge.gpccohort").write_bytes(b" " * (MAX_SUMMARY_BYTES + 1))
    forged = json.loads(publish(mentor, tmp_path / "c.gpcopportunities").read_text())
    forged["opportunities"][0]["title"] = "Paid fellowship — apply at evil.example"
    (inbox / "forged.gpcopportunities").write_text(json.dumps(forged))
    (inbox / "bad.gpcdirectory").write_text('{"format": "gpc-portfolio-directory"}')
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    report = store.load([inbox, notes])
    refused = reasons(report)
    assert set(refused) == {
        "junk.gpccohort",
        "extra.gpccohort",
        "huge.gpccohort",
        "forged.gpcopportunities",
        "bad.gpcdirectory",
        "notes.txt",
    }
    assert "not complete JSON" in refused["junk.gpccohort"]
    assert "malformed" in refused["extra.gpccohort"]
    assert "larger than" in refused["huge.gpccohort"]
    assert "signature does not match" in refused["forged.gpcopportunities"]
    assert "not a cohort summary" in refused["notes.txt"]
    assert report.count("summary", "loaded") == 2
    assert (rows(store, StoredSummary), rows(store, StoredCatalogue)) == (2, 0)
    assert rows(store, StoredDirectory) == 0 and rows(store, SummaryDomain) == 2 * 9


def test_a_file_loaded_twice_is_counted_once(store: DeaneryStore, tmp_path: Path) -> None:
    made = summaries(6, seed=3)
    inbox = write_summaries(tmp_path / "inbox", made)
    copy = tmp_path / "copy.gpccohort"
    copy.write_bytes((inbox / "trainee-00001.gpccohort").read_bytes())
    first = store.load([inbox, copy])
    assert first.count("summary", "loaded") == 6 and first.count("summary", "unchanged") == 1
    again = store.load([inbox])
    assert again.count("summary", "unchanged") == 6 and not again.refused
    assert store.figures().trainees == 6


def test_a_different_summary_under_a_loaded_id_is_refused(
    store: DeaneryStore, tmp_path: Path
) -> None:
    made = summaries(5, seed=4)
    store.load([write_summaries(tmp_path / "inbox", made)])
    before = store.figures()
    altered = replace(made[0], evidence_items=made[0].evidence_items + 100)
    later = write_summaries(tmp_path / "later", [altered])
    report = store.load([later])
    assert "repeats the summary" in reasons(report)["trainee-00000.gpccohort"]
    assert "counted once" in reasons(report)["trainee-00000.gpccohort"]
    assert cohort_csv(store.figures()) == cohort_csv(before)
    both = write_summaries(tmp_path / "both", [made[1]])
    (both / "z.gpccohort").write_bytes(
        replace(made[1], qi_activity=not made[1].qi_activity).to_bytes()
    )
    assert "repeats the summary" in reasons(store.load([both]))["z.gpccohort"]
    assert rows(store, StoredSummary) == 5


# -- directories and catalogues -----------------------------------------------------------------


def test_a_directory_is_trusted_only_by_its_publishers_fingerprint(
    store: DeaneryStore, tmp_path: Path, office: Unlocked, mentor: Mentor
) -> None:
    path = directory(office, tmp_path / "d1.gpcdirectory", mentor.unlocked.identity)
    refused = store.load([path])
    assert "trust it explicitly" in reasons(refused)["d1.gpcdirectory"]
    assert rows(store, StoredDirectory) == 0
    other = "0000 0000 0000 0000 0000 0000 0000 0000"
    assert store.load([path], trust=[other]).unused_trust == (other,)
    assert rows(store, StoredDirectory) == 0
    loaded = store.load([path], trust=[office.identity.fingerprint.lower()])
    assert loaded.count("directory", "loaded") == 1 and not loaded.unused_trust
    assert store.load([path]).count("directory", "unchanged") == 1
    newer = tmp_path / "d2.gpcdirectory"
    publishing().revoke(path, newer, [mentor.unlocked.identity.fingerprint], office)
    assert store.load([newer]).count("directory", "replaced") == 1
    older = store.load([path])
    assert "the newer version 2 is already loaded" in reasons(older)["d1.gpcdirectory"]
    assert [version for _, version in store.status().directories] == [2]


def test_an_expired_directory_is_refused(
    postgres_url: str, tmp_path: Path, office: Unlocked, mentor: Mentor
) -> None:
    path = directory(office, tmp_path / "d.gpcdirectory", mentor.unlocked.identity)
    later: Callable[[], datetime] = lambda: datetime(2099, 1, 1, tzinfo=UTC)  # noqa: E731
    with open_store(postgres_url, clock=later) as store:
        store.create()
        report = store.load([path], trust=[office.identity.fingerprint])
        assert "expired on" in reasons(report)["d.gpcdirectory"]
        assert rows(store, StoredDirectory) == 0


def test_a_revoked_keys_catalogue_is_refused_and_one_loaded_before_is_flagged(
    store: DeaneryStore, tmp_path: Path, office: Unlocked, mentor: Mentor
) -> None:
    first = publish(mentor, tmp_path / "c1.gpcopportunities")
    listed = directory(office, tmp_path / "d1.gpcdirectory", mentor.unlocked.identity)
    report = store.load([first, listed], trust=[office.identity.fingerprint])
    assert report.count("catalogue", "loaded") == 1 and report.count("directory", "loaded") == 1
    assert [c.revoked for c in store.status().catalogues] == [""]
    revoking = tmp_path / "d2.gpcdirectory"
    publishing().revoke(listed, revoking, [mentor.unlocked.identity.fingerprint], office)
    second = publish(mentor, tmp_path / "c2.gpcopportunities")
    report = store.load([second, revoking])  # the directory is taken first, whatever the order
    assert "revoked this key" in reasons(report)["c2.gpcopportunities"]
    (catalogue,) = store.status().catalogues
    assert catalogue.version == 1 and "revoked this key" in catalogue.revoked


def test_a_newer_catalogue_replaces_its_opportunities_and_an_older_one_is_refused(
    store: DeaneryStore, tmp_path: Path, mentor: Mentor
) -> None:
    first = publish(mentor, tmp_path / "c1.gpcopportunities")
    mentor.service.remove_opportunity(mentor.ids[0])
    second = publish(mentor, tmp_path / "c2.gpcopportunities")
    assert store.load([first]).count("catalogue", "loaded") == 1
    assert rows(store, StoredOpportunity) == 4
    assert store.load([second]).count("catalogue", "replaced") == 1
    assert rows(store, StoredOpportunity) == 3
    assert "newer version 2" in reasons(store.load([first]))["c1.gpcopportunities"]
    assert store.load([second]).count("catalogue", "unchanged") == 1


# -- the store itself ----------------------------------------------------------------------------


def test_the_stores_tables_are_its_own(store: DeaneryStore, postgres_url: str) -> None:
    ours = set(DeaneryBase.metadata.tables)
    assert all(name.startswith("deanery_") for name in ours)
    assert not ours & set(Base.metadata.tables)
    with store._engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) == ours  # no alembic_version either


def test_a_database_without_a_store_or_of_another_version_is_refused(
    postgres_url: str, store: DeaneryStore
) -> None:
    with open_store(postgres_url) as again:
        assert again.create() is False
        with again._engine.begin() as connection:
            connection.execute(text("UPDATE deanery_schema SET version = 99"))
        with pytest.raises(StorageError, match="version 99"):
            again.check()


def test_an_empty_database_holds_no_store(postgres_server: object) -> None:
    url = postgres_server.database()  # type: ignore[attr-defined]
    with open_store(url) as empty, pytest.raises(NotFound, match="holds no deanery store"):
        empty.check()


def test_only_postgresql_is_accepted() -> None:
    with pytest.raises(InvalidInput, match="PostgreSQL"):
        store_url("sqlite:////tmp/deanery.sqlite3")
    assert store_url("postgresql://clm@db.example/deanery").startswith("postgresql+psycopg://")


def test_two_loads_at_once_count_every_summary_once(
    store: DeaneryStore, postgres_url: str, tmp_path: Path
) -> None:
    """Both loads start while the writer lock is held here, so they truly overlap; the one that
    writes second finds the first's summaries there, unchanged."""
    inbox = write_summaries(tmp_path / "inbox", summaries(40, seed=8))
    reports: list[LoadReport] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            with open_store(postgres_url) as other:
                reports.append(other.load([inbox]))
        except BaseException as error:
            errors.append(error)

    waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    with store._engine.connect() as holder:
        holder.execute(select(func.pg_advisory_lock(WRITER_LOCK)))
        threads = [threading.Thread(target=load) for _ in range(2)]
        for thread in threads:
            thread.start()
        blocked = threading.Event()
        for _ in range(3000):  # until both loads wait on the lock (bounded: 60 s)
            if holder.execute(waiting).scalar_one() == 2:
                break
            blocked.wait(0.02)
        else:
            pytest.fail("the two loads never both waited for the writer lock")
        holder.execute(select(func.pg_advisory_unlock(WRITER_LOCK)))
        holder.commit()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors and len(reports) == 2
    outcomes = sorted(
        (r.count("summary", "loaded"), r.count("summary", "unchanged")) for r in reports
    )
    assert outcomes == [(0, 40), (40, 0)]
    assert rows(store, StoredSummary) == 40
