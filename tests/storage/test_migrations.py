"""Old portfolios saved by earlier versions upgrade with every item intact."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portfolio.app import open_portfolio
from portfolio.models import Base
from portfolio.paths import Location
from portfolio.storage import migrate
from portfolio.storage.migrate import include_object

FIXTURES = Path(__file__).parents[1] / "fixtures"


def saved_portfolio(name: str, location: Location) -> Path:
    location.data_dir.mkdir(parents=True)
    assert location.sqlite_path is not None
    shutil.copy(FIXTURES / name, location.sqlite_path)
    return location.sqlite_path


def items_of(path: Path) -> list[tuple[str, str, str, str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT uuid, title, text, fields FROM evidence ORDER BY uuid"
        ).fetchall()
    finally:
        con.close()


def _versions(path: Path) -> list[int]:
    con = sqlite3.connect(path)
    try:
        return [v for (v,) in con.execute("SELECT format_version FROM signoff ORDER BY id")]
    finally:
        con.close()


def test_a_portfolio_saved_by_revision_0001_upgrades_with_every_item(location: Location) -> None:
    path = saved_portfolio("portfolio-0001.sqlite3", location)
    before = items_of(path)
    assert len(before) == 69
    with open_portfolio(location) as portfolio:
        backup = portfolio.database.upgrade_backup
        assert portfolio.evidence.count() == 69
        details = portfolio.evidence.details()
        assert all(len(portfolio.evidence.revisions(d.uuid)) >= 1 for d in details[:5])
        assert portfolio.evidence.search("VTE")
        assert portfolio.coverage.coverage().without_evidence == ()
    assert items_of(path) == before
    assert migrate.sqlite_revision(path) == migrate.head_revision()
    assert backup is not None and migrate.sqlite_revision(backup) == "0001"
    assert items_of(backup) == before


def test_a_reader_of_an_old_portfolio_upgrades_it_first(location: Location) -> None:
    path = saved_portfolio("portfolio-0001.sqlite3", location)
    with open_portfolio(location, write=False) as portfolio:
        assert portfolio.evidence.count() == 69
    assert migrate.sqlite_revision(path) == migrate.head_revision()


def test_the_migrated_schema_matches_the_models(location: Location) -> None:
    saved_portfolio("portfolio-0001.sqlite3", location)
    with open_portfolio(location) as portfolio, portfolio.database.engine.connect() as c:
        context = MigrationContext.configure(
            c, opts={"include_object": include_object, "render_as_batch": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_again(location: Location) -> None:
    from alembic import command

    saved_portfolio("portfolio-0001.sqlite3", location)
    with open_portfolio(location) as portfolio, portfolio.database.engine.connect() as c:
        config = migrate.alembic_config()
        config.attributes["connection"] = c
        with c.begin():
            command.downgrade(config, "0001")
        with c.begin():
            command.upgrade(config, "head")
    with open_portfolio(location) as portfolio:
        assert portfolio.evidence.count() == 69


def identities_of(path: Path) -> list[tuple[str, int, str | None]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT name, has_private_key, pinned_how FROM supervisor_identity ORDER BY name"
        ).fetchall()
    finally:
        con.close()


def test_a_portfolio_saved_by_revision_0005_keeps_its_pins_saying_how(
    location: Location,
) -> None:
    """0006: pins made before it are labelled (created here, or from a file); an unpinned
    signer stays unvouched; every sign-off and item is kept."""
    path = saved_portfolio("portfolio-0005.sqlite3", location)
    before = items_of(path)
    with open_portfolio(location) as portfolio:
        results = {r.status.signer_name: r.status for r in portfolio.signoffs.verify_all()}
        assert portfolio.directories.directories() == []
    assert items_of(path) == before
    assert identities_of(path) == [
        ("Priya Shah", 0, "file"),
        ("Sam Okafor", 0, None),
        ("Tom Hughes", 1, "created_here"),
    ]
    assert {name: (s.state, s.vouched_by and s.vouched_by.how) for name, s in results.items()} == {
        "Tom Hughes": ("valid", "created_here"),
        "Priya Shah": ("valid", "file"),
        "Sam Okafor": ("valid", None),
    }


def test_0006_downgrades_to_0005_and_upgrades_again(location: Location) -> None:
    from alembic import command

    path = saved_portfolio("portfolio-0005.sqlite3", location)
    with open_portfolio(location) as portfolio, portfolio.database.engine.connect() as c:
        config = migrate.alembic_config()
        config.attributes["connection"] = c
        with c.begin():
            command.downgrade(config, "0005")
    con = sqlite3.connect(path)
    try:
        pinned = con.execute(
            "SELECT name, pinned FROM supervisor_identity ORDER BY name"
        ).fetchall()
    finally:
        con.close()
    assert pinned == [("Priya Shah", 1), ("Sam Okafor", 0), ("Tom Hughes", 1)]
    with open_portfolio(location) as portfolio:
        assert len(portfolio.signoffs.verify_all()) == 4
    assert identities_of(path)[0] == ("Priya Shah", 0, "file")


def test_a_portfolio_saved_by_revision_0005_keeps_its_signoffs_and_chains_new_ones(
    location: Location,
) -> None:
    """0005 → head: version 1 sign-offs still verify, rows become append-only, and the next
    sign-off names the version 1 record it supersedes."""
    path = saved_portfolio("portfolio-0005-chain.sqlite3", location)
    assert migrate.sqlite_revision(path) == "0005"
    with open_portfolio(location) as portfolio:
        results = portfolio.signoffs.verify_all()
        assert sorted((r.evidence_title, r.status.decision, r.status.state) for r in results) == [
            ("Handover audit", "signed_off", "valid"),  # with an attachment, hashed from bytes
            ("Night shift reflection", "signed_off", "valid"),
            ("Sepsis teaching", "changes_requested", "valid"),
        ]
        assert portfolio.profile.get().meeting_lock_minutes == 2
        old = next(r for r in results if r.evidence_title == "Sepsis teaching")
        info = portfolio.signoffs.create_identity("Ann Lee", "4000009", "other", "a passphrase")
        unlocked = portfolio.signoffs.unlock(info.fingerprint, "a passphrase")
        portfolio.evidence.submit([old.evidence_uuid])
        new = portfolio.signoffs.sign_in_meeting(unlocked, old.evidence_uuid, "signed_off", "OK")
        assert new.status.supersedes == old.status.signature
        assert _versions(path) == [1, 1, 1, 2]
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM signoff WHERE decision = 'changes_requested'")
    finally:
        con.close()


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()


def test_a_portfolio_saved_by_revision_0008_counts_its_capability_links_towards_gpc(
    location: Location,
) -> None:
    """0009: the node_domain copy of the domain map goes (it held group codes such as
    'FP2021-HLO1' as if they were domains); coverage comes from the one map; the profile gains
    an empty curriculum choice. Every item is kept."""
    path = saved_portfolio("portfolio-0008.sqlite3", location)
    assert migrate.sqlite_revision(path) == "0008"
    assert "node_domain" in _tables(path)
    before = items_of(path)
    with open_portfolio(location) as portfolio:
        totals = {d.code: d.total for d in portfolio.coverage.coverage().domains}
        assert portfolio.profile.get().curriculum_id == ""
        saved = portfolio.profile.save(replace(portfolio.profile.get(), curriculum_id="imt-2019"))
        assert portfolio.profile.get() == saved
    assert items_of(path) == before
    assert "node_domain" not in _tables(path)
    # FP2021-FPC11 → GPC1, GPC3.2, GPC7; FPC9 → GPC6; the group FP2021-HLO2 counts nowhere.
    assert totals == {
        "GPC1": 1,
        "GPC2": 2,
        "GPC3": 1,
        "GPC4": 0,
        "GPC5": 0,
        "GPC6": 1,
        "GPC7": 1,
        "GPC8": 0,
        "GPC9": 0,
    }


def test_0009_downgrades_to_0008_and_the_old_table_is_refilled_on_next_sync(
    location: Location,
) -> None:
    from alembic import command

    path = saved_portfolio("portfolio-0008.sqlite3", location)
    with open_portfolio(location) as portfolio, portfolio.database.engine.connect() as c:
        config = migrate.alembic_config()
        config.attributes["connection"] = c
        with c.begin():
            command.downgrade(config, "0008")
    assert migrate.sqlite_revision(path) == "0008"
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM node_domain").fetchone() == (0,)
        assert {d for (d,) in con.execute("SELECT content_digest FROM curriculum")} == {""}
    finally:
        con.close()
    with open_portfolio(location) as portfolio:
        assert portfolio.evidence.count() == 4


def test_0010_adds_imported_curricula_to_a_0008_portfolio_and_downgrades_to_0009(
    location: Location, tmp_path: Path
) -> None:
    from alembic import command

    from tests.curriculum_helpers import COLLEGE_ID, case_file

    path = saved_portfolio("portfolio-0008.sqlite3", location)
    with open_portfolio(location) as portfolio:
        assert portfolio.curricula.imported_ids() == frozenset()
        portfolio.curricula.import_case(case_file(tmp_path))
    with open_portfolio(location) as portfolio:
        assert portfolio.curricula.imported_ids() == {COLLEGE_ID}
        with portfolio.database.engine.connect() as c:
            config = migrate.alembic_config()
            config.attributes["connection"] = c
            with c.begin():
                command.downgrade(config, "0009")
    assert migrate.sqlite_revision(path) == "0009"
    assert "imported_curriculum" not in _tables(path)
    with open_portfolio(location) as portfolio:  # upgraded again, every item kept
        assert portfolio.evidence.count() == 4
        assert portfolio.curricula.imported_ids() == frozenset()
