"""The command-line handlers, driven through their own argparse declarations on real
portfolios: publish → import → list → status → evidence → summary → cohort (PDF and CSV)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.cli.parser import COMMANDS
from portfolio.errors import InvalidInput
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData

PASS = "correct horse battery staple"


def runner(portfolio: Portfolio) -> Callable[..., int]:
    parser = argparse.ArgumentParser(prog="gpc-portfolio")
    sub = parser.add_subparsers(dest="command", required=True)

    def opening(
        handler: Callable[[Any, argparse.Namespace], int], *, write: bool
    ) -> Callable[[argparse.Namespace], int]:
        return lambda args: handler(portfolio, args)

    for name in ("catalogue", "opportunities", "opportunity", "summary", "cohort"):
        COMMANDS[name].arguments(sub.add_parser(name), opening)

    def run(*argv: str) -> int:
        args = parser.parse_args(argv)
        return int(args.handler(args))

    return run


def test_the_whole_round_by_command_line(
    tmp_path: Path, portfolio: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue_file = tmp_path / "devon.gpcopportunities"
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text(PASS)
    with open_portfolio(resolve_location(tmp_path / "clm")) as clm:
        clm.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
        run = runner(clm)
        assert run("catalogue", "create", "--title", "Devon 2026", "--trust", "RDUH") == 0
        catalogue_id = capsys.readouterr().out.strip()
        assert (
            run(
                "catalogue",
                "add",
                catalogue_id,
                "--title",
                "Rota lead",
                "--kind",
                "role",
                "--domain",
                "GPC5",
                "--start",
                "2026-09-01",
                "--closes",
                "2026-08-20",
            )
            == 0
        )
        rota = capsys.readouterr().out.strip()
        assert (
            run(
                "catalogue",
                "add",
                catalogue_id,
                "--title",
                "QI: sepsis",
                "--kind",
                "project",
                "--domain",
                "GPC6.2",
            )
            == 0
        )
        capsys.readouterr()
        assert (
            run(
                "catalogue",
                "publish",
                catalogue_id,
                "--out",
                str(catalogue_file),
                "--passphrase-file",
                str(passphrase),
            )
            == 0
        )
        assert "Published version 1" in capsys.readouterr().out

    portfolio.profile.save(
        ProfileData(name="Dr Trainee", gmc_number="7000001", trust="RDUH", grade="FY1")
    )
    run = runner(portfolio)
    assert run("catalogue", "import", str(catalogue_file)) == 0
    out = capsys.readouterr().out
    assert "Imported 'Devon 2026' version 1: 2 opportunities" in out
    assert "Dr Ada Mentor (GMC 5000001), key" in out
    assert run("opportunities", "--gaps", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [o["title"] for o in listed] == ["Rota lead", "QI: sepsis"]
    assert listed[0]["publisher"]["name"] == "Dr Ada Mentor"
    assert run("opportunity", "status", rota, "participating", "--date", "2026-09-01") == 0
    assert "participating on 2026-09-01" in capsys.readouterr().out
    assert run("opportunity", "evidence", rota) == 0
    evidence_uuid = capsys.readouterr().out.strip()
    assert portfolio.evidence.get(evidence_uuid).kind == "leadership_role"
    assert run("opportunities", "--domain", "GPC5") == 0
    assert "participating" in capsys.readouterr().out

    summary = tmp_path / "me.gpccohort"
    assert run("summary", "--preview", "--out", str(summary)) == 0
    preview = json.loads(capsys.readouterr().out)
    assert not summary.exists()  # a preview writes nothing
    assert preview["opportunities"][0]["status"] == "participating"
    assert run("summary", "--out", str(summary)) == 0
    capsys.readouterr()
    assert json.loads(summary.read_text())["leadership_roles"]["count"] == 1

    (tmp_path / "inbox").mkdir()
    summary.rename(tmp_path / "inbox" / "me.gpccohort")
    (tmp_path / "inbox" / "junk.gpccohort").write_text("nope")
    pdf, table = tmp_path / "cohort.pdf", tmp_path / "cohort.csv"
    assert run("cohort", str(tmp_path / "inbox"), "--out", str(pdf), "--csv", str(table)) == 0
    captured = capsys.readouterr()
    assert "fewer than 5 trainees (1 files skipped)" in captured.out  # one: SMALL_NUMBER
    assert "junk.gpccohort" in captured.err
    assert pdf.read_bytes().startswith(b"%PDF") and "qi_activity_percent" in table.read_text()
    assert run("cohort", str(tmp_path / "inbox"), "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["trainees"] == "fewer than 5"
    assert figures["qi_activity"] == {"count": 0, "percent": None}  # no share of a small group
    with pytest.raises(InvalidInput, match="No cohort summaries"):
        run("cohort", str(tmp_path / "inbox" / "junk.gpccohort"))
