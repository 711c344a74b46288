from __future__ import annotations

import json
from datetime import date

from portfolio.app import Portfolio
from portfolio.services.dto import EvidenceDraft, Link
from tests.conftest import run_cli_at

LEAKY = EvidenceDraft(
    kind="qi_project",
    title="Audit after Mrs Jones fell",
    occurred_on=date(2026, 1, 8),
    fields={
        "aim": "Fewer falls",
        "pdsa_cycles": [
            {
                "plan": "Ask about falls",
                "do": "Called 07700 900123 to follow up",
                "study": "",
                "act": "",
            }
        ],
    },
    text="Her NHS number 943 476 5919 was on the board. Amoxicillin 500 mg.",
    links=(Link("GPC6.2", "Reviewed falls at EX2 5DW practice"),),
)


def test_every_free_text_is_checked_and_dismissals_are_remembered(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(LEAKY)
    findings = portfolio.privacy.check()
    found = {(f.path, f.finding.kind) for f in findings}
    assert found == {
        ("title", "name"),
        ("pdsa_cycles.1.do", "phone"),
        ("text", "nhs_number"),
        ("links.GPC6.2", "postcode"),
    }
    name = next(f for f in findings if f.finding.kind == "name")
    assert name.label == "Title"
    portfolio.privacy.dismiss(item.uuid, name.finding)
    assert len(portfolio.privacy.check()) == 3
    assert len(portfolio.privacy.scan(portfolio.evidence.get(item.uuid))) == 3


def test_privacy_check_on_the_command_line(portfolio: Portfolio, location) -> None:
    portfolio.evidence.create(LEAKY)
    portfolio.close()
    result = run_cli_at(location, "privacy-check", "--json")
    assert result.returncode == 1
    kinds = sorted(f["kind"] for f in json.loads(result.stdout))
    assert kinds == ["name", "nhs_number", "phone", "postcode"]
    nhs = next(f for f in json.loads(result.stdout) if f["kind"] == "nhs_number")
    assert nhs["suggestion"] == "[NHS number removed]" and nhs["where"] == "text"
