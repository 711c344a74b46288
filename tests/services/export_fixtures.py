"""A small portfolio for the Leap2A and HTML export tests: a trainee whose name is markup, an
item written to break out of XML and HTML, a hostile attachment name, a signed-off item, a
QI project and a private item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import keyring
import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.conftest import MemoryKeyring

PASS = "correct horse battery staple"
NAME = 'Zoë <b>Ørsted</b> & "Łukasiewicz"'
HOSTILE_TITLE = '<script>alert("x")</script> & ]]> </title></entry><entry> \x07bell'
HOSTILE_TEXT = (
    "</content><script>alert(1)</script><img src=x onerror=alert(2)>\n"
    '<a href="javascript:alert(3)">click</a> &amp; \x1b[31m \x0c done'
)
HOSTILE_FILENAME = '../../<script>evil".html'
HOSTILE_ATTACHMENT = b"<html><script>alert('attachment')</script></html>"
CHART = b"%PDF-1.4 a run chart"


@dataclass(frozen=True)
class Filled:
    portfolio: Portfolio
    hostile: str
    signed: str
    qi: str
    private: str


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filled]:
    """Built once per module (the tests only read it), with a keyring of its own."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        location = resolve_location(tmp_path_factory.mktemp("export-portfolio") / "data")
        with open_portfolio(location) as portfolio:
            yield fill(portfolio)
    finally:
        keyring.set_keyring(previous)


def fill(portfolio: Portfolio) -> Filled:
    portfolio.profile.save(
        ProfileData(name=NAME, gmc_number="7000001", grade="FY2", trust="Royal Devon <NHS>")
    )
    evidence = portfolio.evidence
    hostile = evidence.create(
        EvidenceDraft(
            kind="reflection",
            title=HOSTILE_TITLE,
            occurred_on=date(2026, 2, 3),
            fields={"model": "what_so_what_now_what", "what": "<b>bold</b> & </dd>"},
            text=HOSTILE_TEXT,
            links=(Link("GPC2.2", 'because <i>"reasons"</i>'), Link("GPC5")),
            tags=("<tag>", "nights & weekends"),
        )
    )
    evidence.attach_bytes(hostile.uuid, HOSTILE_FILENAME, HOSTILE_ATTACHMENT)
    evidence.attach_bytes(hostile.uuid, "run chart.pdf", CHART)
    qi = evidence.create(
        EvidenceDraft(
            kind="qi_project",
            title="VTE risk assessment on AMU",
            occurred_on=date(2025, 8, 25),
            occurred_until=date(2025, 12, 12),
            fields={"role": "Project lead", "aim": "90% completion"},
            links=(Link("GPC6"), Link("GPC7")),
        )
    )
    evidence.attach_bytes(qi.uuid, "run chart.pdf", CHART)  # the same file on two items
    signed = evidence.create(
        EvidenceDraft(
            kind="course",
            title="Advanced Life Support",
            occurred_on=date(2026, 1, 5),
            links=(Link("GPC2.4"),),
        )
    )
    evidence.submit([signed.uuid])
    info = portfolio.signoffs.create_identity("Tom Hughes", "4000002", "clinical_supervisor", PASS)
    unlocked = portfolio.signoffs.unlock(info.fingerprint, PASS)
    portfolio.signoffs.sign_in_meeting(unlocked, signed.uuid, "signed_off", "Good <work>.")
    private = evidence.create(
        EvidenceDraft(
            kind="reflection",
            title="A difficult night (private)",
            occurred_on=date(2026, 3, 1),
            fields={"model": "gibbs"},
            text="Only for me.",
            links=(Link("GPC1"),),
            private=True,
        )
    )
    return Filled(portfolio, hostile.uuid, signed.uuid, qi.uuid, private.uuid)
