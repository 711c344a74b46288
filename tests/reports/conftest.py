"""A real portfolio for the report tests: the demo data, a Unicode trainee, some items signed
off in a meeting and one of them edited afterwards. Built once per module; closed after."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from portfolio.app import Portfolio, open_portfolio
from portfolio.demo import fill_demo
from portfolio.demo.signoffs import EDITED_AFTER
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData
from portfolio.services.evidence import EvidenceQuery

PASS = "correct horse battery staple"
NAME = "Zoë Ørsted-Łukasiewicz"
SUPERVISOR = "Nguyễn Thị Minh"


@dataclass(frozen=True)
class Signed:
    portfolio: Portfolio
    valid: str
    """uuid of an item signed off and unchanged since."""
    edited: str
    """uuid of an item signed off and then edited."""
    private: tuple[str, ...]


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    folder = tmp_path_factory.mktemp("report-portfolio")
    with open_portfolio(resolve_location(folder / "data")) as portfolio:
        portfolio.profile.save(
            ProfileData(
                name=NAME,
                gmc_number="7000001",
                grade="FY2",
                specialty="Foundation",
                programme="Foundation Programme",
                region="South West",
                trust="Royal Devon University Healthcare NHS Foundation Trust",
                educational_supervisor=SUPERVISOR,
            )
        )
        fill_demo(portfolio)
        info = portfolio.signoffs.create_identity(
            "Tom Hughes", "4000002", "clinical_supervisor", PASS
        )
        unlocked = portfolio.signoffs.unlock(info.fingerprint, PASS)
        ready = portfolio.evidence.list(
            EvidenceQuery(status="ready", sort="date", descending=False)
        )
        unsigned_gpc8, valid = ready  # the demo leaves two items for review
        assert "GPC8" in {code[:4] for code in portfolio.evidence.get(unsigned_gpc8.uuid).domains}
        portfolio.signoffs.sign_in_meeting(unlocked, valid.uuid, "signed_off", "Good.")
        (edited,) = [s for s in portfolio.evidence.list() if s.title == EDITED_AFTER]
        private = tuple(s.uuid for s in portfolio.evidence.list() if s.private)
        assert private, "the demo data should hold private items"
        yield Signed(portfolio, valid.uuid, edited.uuid, private)


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace folded to single spaces."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def qpdf_check(path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.fail("qpdf is not installed (Debian: apt-get install qpdf); it checks the PDFs.")
    result = subprocess.run(
        [qpdf, "--check", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
