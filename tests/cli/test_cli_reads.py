"""``list``, ``coverage`` and ``search`` read through Core on a bare connection (issue 17), on SQLite and on
PostgreSQL (``--database URL``) alike: a reviewed item shows its verified sign-off, never its
status column, and every filter still applies."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.conftest import ENGINES, run_cli_at
from tests.services.test_signoffs import item, meeting_identity


def read(portfolio: Portfolio, *args: str) -> Any:
    result = run_cli_at(portfolio.location, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("database_engine", ENGINES)
def test_list_and_coverage_show_verified_statuses(portfolio: Portfolio) -> None:
    portfolio.profile.save(ProfileData(name="Aoife Byrne", gmc_number="7123456"))
    edited = item(portfolio, "Led the handover audit")  # GPC5 and GPC6.2, ready for review
    signed = item(portfolio, "Taught sepsis recognition")
    draft = EvidenceDraft(
        kind="reflection",
        title="Ward round",
        occurred_on=date(2026, 1, 5),
        fields={"model": "gibbs"},
        links=(Link("GPC2.2"),),
        tags=("ward",),
    )
    portfolio.evidence.create(draft)
    gone = portfolio.evidence.create(draft)
    portfolio.evidence.delete(gone.uuid)
    supervisor = meeting_identity(portfolio)
    for uuid in (edited, signed):
        portfolio.signoffs.sign_in_meeting(supervisor, uuid, "signed_off", "Good.")
    current = portfolio.evidence.get(edited)
    changed = replace(current.as_draft(), text="Added the outcome.")
    portfolio.evidence.update(edited, changed, from_revision=current.revision)
    # The column still says signed_off; verifying finds the content changed since.
    assert portfolio.evidence.get(edited).status == "edited"

    listed = read(portfolio, "list")
    assert [(i["title"], i["status"], i["domains"]) for i in listed] == [
        ("Taught sepsis recognition", "signed_off", ["GPC5", "GPC6.2"]),  # same day: newest first
        ("Led the handover audit", "edited", ["GPC5", "GPC6.2"]),
        ("Ward round", "draft", ["GPC2.2"]),
    ]
    assert listed[0]["vouched_by"] is not None
    assert [i["uuid"] for i in listed] == [s.uuid for s in portfolio.evidence.list()]
    assert [i["uuid"] for i in read(portfolio, "list", "--status", "edited")] == [edited]
    assert [i["title"] for i in read(portfolio, "list", "--tag", "WARD")] == ["Ward round"]
    assert [i["title"] for i in read(portfolio, "list", "--domain", "GPC2")] == ["Ward round"]
    assert [i["uuid"] for i in read(portfolio, "list", "--trash")] == [gone.uuid]
    hits = read(portfolio, "search", "outcome")  # only the edited item says it
    assert [(h["uuid"], h["status"]) for h in hits] == [(edited, "edited")]
    assert "outcome" in hits[0]["snippet"]

    coverage = read(portfolio, "coverage")
    by_code = {d["code"]: d for d in coverage["domains"]}
    assert by_code["GPC5"]["by_status"] == {"signed_off": 1, "edited": 1}
    assert (by_code["GPC6"]["items"], by_code["GPC6"]["signed"]) == (2, 1)
    assert by_code["GPC2"]["by_status"] == {"draft": 1}
    assert (coverage["total_items"], coverage["awaiting_review"]) == (3, 0)
    assert "GPC5" not in coverage["without_signed_evidence"]
    assert "GPC2" in coverage["without_signed_evidence"]
    window = portfolio.coverage.coverage()  # what the dashboard shows, through its session
    assert [d["by_status"] for d in coverage["domains"]] == [d.by_status for d in window.domains]
