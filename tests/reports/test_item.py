"""One item printed on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.services.evidence import EvidenceQuery
from tests.reports.conftest import NAME, Signed, pdf_text, qpdf_check


def test_one_item_prints_with_its_sign_off_history(signed: Signed, tmp_path: Path) -> None:
    detail = signed.portfolio.evidence.get(signed.edited)
    out = signed.portfolio.reports.write_item(signed.edited, tmp_path / "item.pdf")
    text = pdf_text(out)
    assert " ".join(detail.title.split()) in text
    assert NAME in text
    assert "Sign-off history" in text
    assert "Edited since sign-off" in text
    assert detail.digest in text
    assert "Page 1 of" in text
    reader = PdfReader(out)
    assert reader.metadata is not None and reader.metadata.title == detail.title
    qpdf_check(out)


def test_a_qi_project_prints_its_template_labels(signed: Signed, tmp_path: Path) -> None:
    project = signed.portfolio.evidence.list(EvidenceQuery(kind="qi_project"))[0]
    text = pdf_text(signed.portfolio.reports.write_item(project.uuid, tmp_path / "qi.pdf"))
    assert "WHAT ARE WE TRYING TO ACCOMPLISH?" in text


def test_same_bytes_twice_with_source_date_epoch(
    signed: Signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = signed.portfolio.reports.write_item(signed.valid, tmp_path / "a.pdf").read_bytes()
    second = signed.portfolio.reports.write_item(signed.valid, tmp_path / "b.pdf").read_bytes()
    assert first == second
