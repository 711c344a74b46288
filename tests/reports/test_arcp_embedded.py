"""What the ARCP summary carries so it can be verified by itself: each item's credentials as
stored, the trusted directories, and a manifest whose pages are where the item is printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.services.pdf_verification import verify_pdf
from tests.reports.conftest import Signed

MANIFEST = "gpc-portfolio-manifest.json"


@pytest.fixture(scope="module")
def summary(signed: Signed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed.portfolio.reports.write_arcp(tmp_path_factory.mktemp("embedded") / "arcp.pdf")


def manifest_items(pdf: Path) -> dict[str, dict[str, object]]:
    manifest = json.loads(PdfReader(pdf).attachments[MANIFEST][0])
    return {item["uuid"]: item for item in manifest["items"]}


def test_each_item_is_listed_with_the_pages_it_is_printed_on(signed: Signed, summary: Path) -> None:
    reader = PdfReader(summary)
    items = manifest_items(summary)
    title = signed.portfolio.evidence.get(signed.valid).title
    pages = items[signed.valid]["pages"]
    assert isinstance(pages, list) and pages
    for page in pages:
        assert title[:30] in " ".join(reader.pages[page - 1].extract_text().split())
    assert all(not i["pages"] for u, i in items.items() if u in signed.private)  # none printed
    assert set(items).isdisjoint(signed.private)


def test_credentials_are_embedded_exactly_as_stored(signed: Signed, summary: Path) -> None:
    attached = PdfReader(summary).attachments
    detail = signed.portfolio.evidence.get(signed.valid)
    assert detail.signoff is not None
    (stored,) = signed.portfolio.credentials.stored_for([detail.signoff.signature]).values()
    names = manifest_items(summary)[signed.valid]["credentials"]
    assert isinstance(names, list) and len(names) == 2
    assert sorted(attached[n][0] for n in names) == sorted(d.encode() for d in stored)


def test_the_app_s_own_summary_verifies_item_by_item(signed: Signed, summary: Path) -> None:
    check = verify_pdf(summary)
    states = {c.item.uuid: c.state for c in check.items}
    assert states[signed.valid] == "valid"
    assert states[signed.edited] == "edited"
    # the demo's supervisor key was made on this computer and pinned: no pin travels in a PDF
    valid = next(c for c in check.items if c.item.uuid == signed.valid)
    assert valid.vouched_by is None and "cannot travel in a PDF" in valid.reason
    assert not check.passes
