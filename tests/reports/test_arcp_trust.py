"""The ARCP summary counts only sign-offs whose signer someone vouches for, and its register
says who vouches for each one, or why nobody does (issue 11)."""

from __future__ import annotations

from pathlib import Path

from portfolio.app import Portfolio
from portfolio.reports.gather import build_arcp_report
from portfolio.services.dto import ProfileData
from tests.reports.conftest import pdf_text
from tests.services.archive_helpers import reflection, supervisor

PASS = "correct horse battery staple"


def test_only_vouched_sign_offs_count_and_the_register_says_why(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    portfolio.profile.save(ProfileData(name="Alex Morgan", gmc_number="7000001"))
    trusted = portfolio.evidence.create(reflection("Handover audit", codes=("GPC5",)))
    forged = portfolio.evidence.create(reflection("Sepsis teaching", 1, codes=("GPC6",)))
    portfolio.evidence.submit([trusted.uuid, forged.uuid])
    info = portfolio.signoffs.create_identity("Tom Hughes", "4000002", "clinical_supervisor", PASS)
    portfolio.signoffs.sign_in_meeting(
        portfolio.signoffs.unlock(info.fingerprint, PASS), trusted.uuid, "signed_off", "Good."
    )
    nobody = supervisor("Dr Priya Shah", "7654321")  # a key no directory or pin vouches for
    portfolio.signoffs.sign_in_meeting(nobody, forged.uuid, "signed_off", "Excellent.")

    report = build_arcp_report(portfolio)
    by_title = {e.item_title: e.signoff for e in report.register}
    assert by_title["Handover audit"].trusted and not by_title["Sepsis teaching"].trusted
    rows = {row.code: row for row in report.domains}
    assert (rows["GPC5"].signed, rows["GPC6"].signed) == (1, 0)

    text = pdf_text(portfolio.reports.write_arcp(tmp_path / "arcp.pdf"))
    assert "Evidence items in the period 2 Signed off, valid and vouched for 1" in text
    by_domain = text.split("Evidence by domain", 1)[1]
    assert "Tom Hughes, clinical supervisor key made on the trainee's computer" in by_domain
    assert "Dr Priya Shah, clinical supervisor nobody vouches for the signer" in by_domain
    register = text.rsplit("Register of sign-offs", 1)[1]
    assert (
        "1 valid and vouched for, 1 with a valid signature by a signer nobody vouches" in register
    )
    forged_row = register.split("Sepsis teaching", 1)[1]
    assert "Valid signature, signer not vouched for" in forged_row
    assert "no trusted directory lists this key" in forged_row
    assert nobody.identity.fingerprint in forged_row
    trusted_row = register.split("Handover audit", 1)[1].split("Sepsis teaching", 1)[0]
    assert "Valid and vouched for" in trusted_row
    assert "key made on the trainee's computer" in trusted_row
