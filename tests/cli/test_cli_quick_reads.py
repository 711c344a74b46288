"""``list`` and ``coverage`` on a SQLite portfolio at this app's schema run the SQL their Core
statements compile to, on a bare read-only connection, without SQLAlchemy (issue 17): what
they print is, byte for byte, what the Core path prints of the same portfolio."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from portfolio.app import Portfolio, open_portfolio
from portfolio.cli import evidence
from portfolio.cli.parser import build_parser
from portfolio.kinds import kind_templates
from portfolio.paths import resolve_location
from portfolio.services.coverage import coverage_of
from portfolio.services.directories import DirectoryService
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.storage.database import open_database
from portfolio.storage.read_only import open_read_only
from tests.conftest import run_cli, run_cli_at
from tests.curriculum.curriculum_helpers import case_file
from tests.raw_database import drop_trigger, raw_database
from tests.services.archive_helpers import reflection, supervisor

PATHS: dict[str, tuple[Callable[[Any, argparse.Namespace], int | None], Any]] = {
    "list": (evidence.quick_list, evidence.cmd_list),
    "coverage": (evidence.quick_coverage, evidence.cmd_coverage),
}
"""Each command's two paths: precompiled SQL on a DB-API connection, and Core."""


@pytest.fixture
def varied(portfolio: Portfolio, tmp_path: Path) -> Portfolio:
    """Every kind, private and deleted items, tags, GPC domains and outcomes, capabilities of a
    built-in curriculum and of an imported one (counted towards GPC6), unicode titles."""
    portfolio.profile.save(ProfileData(name="Siobhán Ní Bhriain", gmc_number="7123456"))
    portfolio.curricula.import_case(case_file(tmp_path))
    codes = (("GPC1",), ("GPC6.2", "GPC2"), ("IMT2019-G1", "GPC3.1"), ("ACEM-1",), ())
    for n, (kind, template) in enumerate(kind_templates().items()):
        required = {f.key: f.choices[0][0] for f in template.fields if f.required}  # choices
        made = portfolio.evidence.create(
            EvidenceDraft(
                kind=kind,
                title=f"Ünïcode — “{kind}” ✓ {n}",
                occurred_on=date(2026, 1, 1 + n % 4),  # ties: the id decides
                fields=required,
                links=tuple(Link(code) for code in codes[n % len(codes)]),
                tags=("ward", f"tag {n}"),
                private=n % 3 == 0,
            )
        )
        if n % 4 == 3:
            portfolio.evidence.delete(made.uuid)
        elif n % 4 == 1:
            portfolio.evidence.submit([made.uuid])
    return portfolio


@pytest.fixture
def signed(portfolio: Portfolio, tmp_path: Path) -> Portfolio:
    """Sign-offs of every status: valid and vouched for by a trusted directory (one with an
    attachment, one asking for changes, one in the trash), pinned, edited after sign-off, its
    attachment's bytes replaced, its signature's bytes changed, its key vouched for by nobody,
    its key revoked by the directory; beside an item not reviewed."""
    portfolio.profile.save(ProfileData(name="Alex Morgan", gmc_number="7000001"))
    shah, kaur, hughes, stranger = (
        supervisor(f"Dr {name}", f"40000{n}")
        for n, name in enumerate(("Shah", "Kaur", "Hughes", "Roe"), 10)
    )
    with open_portfolio(resolve_location(tmp_path / "office")) as own:
        info = own.signoffs.create_identity("Dr Helen Ward", "4999999", "other", "office pass")
        office = own.signoffs.unlock(info.fingerprint, "office pass")
    publishing = DirectoryService(None)  # type: ignore[arg-type]
    first, second = tmp_path / "v1.gpcdirectory", tmp_path / "v2.gpcdirectory"
    publishing.create("North West supervisors", first, [shah.identity, kaur.identity], office)
    publishing.revoke(first, second, [kaur.identity.fingerprint], office)
    portfolio.directories.import_directory(first, office.identity.fingerprint)
    portfolio.directories.import_directory(second)
    portfolio.signoffs.pin_card(hughes.identity)
    portfolio.evidence.create(reflection("Not reviewed yet", 9))
    signers = {
        "vouched": shah, "attached": shah, "changes": shah, "trashed": shah, "pinned": hughes,
        "edited": hughes, "bytes replaced": shah, "signature changed": shah,
        "not vouched": stranger, "revoked": kaur,
    }  # fmt: skip
    uuids: dict[str, str] = {}
    for day, (title, signer) in enumerate(signers.items()):
        uuid = uuids[title] = portfolio.evidence.create(
            reflection(title, day, codes=("GPC5", "GPC6.1"))
        ).uuid
        if title in ("attached", "bytes replaced"):
            portfolio.evidence.attach_bytes(uuid, "audit.txt", f"{title} audit".encode())
        portfolio.evidence.submit([uuid])
        decision = "changes_requested" if title == "changes" else "signed_off"
        portfolio.signoffs.sign_in_meeting(signer, uuid, decision, "Seen.")
    portfolio.evidence.delete(uuids["trashed"])
    with raw_database(portfolio.location) as connection:
        drop_trigger(connection, "signoff", "signoff_append_only_update")
        where = "WHERE uuid = :uuid"
        connection.execute(
            text(f"UPDATE evidence SET title = 'edited!' {where}"), {"uuid": uuids["edited"]}
        )
        connection.execute(
            text("UPDATE blob SET data = :data WHERE sha256 IN (SELECT sha256 FROM attachment "
                 "JOIN evidence ON evidence.id = attachment.evidence_id WHERE uuid = :uuid)"),
            {"data": b"another audit", "uuid": uuids["bytes replaced"]},
        )  # fmt: skip
        connection.execute(
            text(
                "UPDATE signoff SET signature = 'A' || substr(signature, 2) WHERE evidence_uuid = :uuid"
            ),
            {"uuid": uuids["signature changed"]},
        )
    return portfolio


SHOWN = {
    "vouched": "signed_off", "attached": "signed_off", "changes": "changes_requested",
    "pinned": "signed_off", "edited!": "edited", "bytes replaced": "edited",
    "signature changed": "invalid", "not vouched": "unvouched", "revoked": "revoked",
    "Not reviewed yet": "draft",
}  # fmt: skip


def printed(portfolio: Portfolio, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What the command prints by precompiled SQL, checked to be what Core's path prints, and
    what the command run as a user runs it prints."""
    args = build_parser().parse_args(list(argv))
    quick, core = PATHS[argv[0]]
    read_only = open_read_only(portfolio.location, None)
    try:
        assert quick(read_only.connection, args) == 0
    finally:
        read_only.close()
    fast = capsys.readouterr()
    database = open_database(portfolio.location, write=False)
    try:
        with database.engine.connect() as connection:
            assert core(connection, args) == 0
    finally:
        database.close()
    assert capsys.readouterr() == fast
    run = run_cli_at(portfolio.location, *argv)
    assert (run.returncode, run.stdout, run.stderr) == (0, fast.out, fast.err)
    return fast.out


@pytest.mark.parametrize(
    "argv",
    [
        ("list", "--json"),
        ("list",),
        ("list", "--json", "--kind", "teaching"),
        ("list", "--status", "ready", "--sort", "title", "--ascending"),
        ("list", "--json", "--trash", "--sort", "updated"),
        ("list", "--sort", "domains"),
        ("list", "--json", "--sort", "kind", "--ascending"),
        ("coverage", "--json"),
        ("coverage",),
    ],
    ids=" ".join,
)
def test_precompiled_reads_print_what_core_prints(
    varied: Portfolio, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    assert printed(varied, capsys, *argv).strip()


def test_the_quick_path_hands_over_what_only_core_reads(
    varied: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    """Filters not precompiled, and an empty list (Core tells an empty portfolio from a damaged
    one): the quick path prints nothing and says so."""
    read_only = open_read_only(varied.location, None)
    try:
        for argv in (
            ("list", "--domain", "GPC6"),
            ("list", "--tag", "ward"),
            ("list", "--kind", "course", "--trash"),
        ):
            assert (
                evidence.quick_list(read_only.connection, build_parser().parse_args(argv)) is None
            )
    finally:
        read_only.close()
    assert capsys.readouterr().out == ""


def test_an_encrypted_portfolio_is_read_through_sqlcipher_alone(tmp_path: Path) -> None:
    """SQLCipher's DB-API connection serves the precompiled reads as sqlite3's does: the same
    output as before encrypting, and no SQLAlchemy imported."""
    data = tmp_path / "portfolio"
    assert run_cli(data, "init", "--name", "Alex Morgan", "--gmc", "7000003").returncode == 0
    added = run_cli(
        data,
        *("add", "--kind", "course", "--title", "ALS", "--date", "2026-01-10"),
        *("--domain", "GPC6.2"),
    )
    assert added.returncode == 0, added.stderr
    commands = (("list", "--json"), ("list",), ("coverage", "--json"))
    plain = [run_cli(data, *command).stdout for command in commands]
    passphrase = {"GPC_PORTFOLIO_PASSPHRASE": "night shift coffee"}
    assert run_cli(data, "encrypt", env=passphrase).returncode == 0
    for command, before in zip(commands, plain, strict=True):
        run = run_cli(data, *command, env={**passphrase, "PYTHONPROFILEIMPORTTIME": "1"})
        assert (run.returncode, run.stdout) == (0, before), run.stderr[-2000:]
        modules = {line.rpartition("|")[2].strip() for line in run.stderr.splitlines()}
        assert "sqlcipher3" in modules and "portfolio.services.quick_reads" in modules
        assert sorted(m for m in modules if m.split(".")[0] == "sqlalchemy") == []


@pytest.mark.parametrize(
    "argv",
    [
        ("list", "--json"),
        ("list",),
        ("list", "--json", "--trash"),
        ("list", "--sort", "title", "--ascending"),
        ("coverage", "--json"),
        ("coverage",),
    ],
    ids=" ".join,
)
def test_signed_portfolios_verify_on_the_quick_path_as_on_core(
    signed: Portfolio, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """Valid, pinned, edited, forged, unvouched and revoked sign-offs: the quick path's statuses and
    counts are Core's, byte for byte."""
    assert printed(signed, capsys, *argv).strip()


def test_a_signed_portfolio_shows_each_sign_off_as_verified(
    signed: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = {
        item["title"]: item["status"]
        for item in json.loads(printed(signed, capsys, "list", "--json"))
    }
    assert shown == SHOWN
    gpc5 = next(
        d
        for d in json.loads(printed(signed, capsys, "coverage", "--json"))["domains"]
        if d["code"] == "GPC5"
    )
    assert (gpc5["items"], gpc5["signed"]) == (len(SHOWN), 3)


def test_a_signed_portfolio_is_listed_without_sqlalchemy(signed: Portfolio) -> None:
    """Verifying the sign-offs imports ``cryptography`` for the signatures, and no SQLAlchemy."""
    for argv in (("list", "--json"), ("coverage", "--json")):
        run = run_cli_at(signed.location, *argv, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert run.returncode == 0, run.stderr[-2000:]
        modules = {line.rpartition("|")[2].strip() for line in run.stderr.splitlines()}
        assert "portfolio.services.quick_reads" in modules and "cryptography" in modules
        assert sorted(m for m in modules if m.split(".")[0] == "sqlalchemy") == []


@pytest.mark.parametrize("made", ["varied", "signed"])
def test_the_windows_dashboard_reads_the_coverage_core_reads(
    made: str, request: pytest.FixtureRequest
) -> None:
    """The dashboard reads the GPC coverage by the precompiled SQL on SQLite, through its own
    connection (SQLAlchemy compiles and runs none of the coverage's statements): the counts are
    Core's ``coverage_of``, sign-offs of every status and an imported curriculum among them."""
    portfolio: Portfolio = request.getfixturevalue(made)
    engine = portfolio.database.engine
    with engine.connect() as connection:
        core = coverage_of(connection)
    through_sqlalchemy: list[str] = []

    def executed(*args: Any) -> None:
        through_sqlalchemy.append(args[2])  # (connection, cursor, statement, …)

    event.listen(engine, "before_cursor_execute", executed)
    try:
        assert portfolio.dashboard.read(8).coverage == core
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    if engine.dialect.name == "sqlite":
        assert [sql for sql in through_sqlalchemy if "group_concat" in sql] == []
