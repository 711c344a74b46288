"""The demo portfolio: a full, believable FY2 year, written only through the services."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.demo import NOT_EMPTY, fill_demo
from portfolio.demo.content import ITEMS
from portfolio.errors import InvalidInput
from portfolio.kinds import KINDS
from portfolio.paths import resolve_location
from portfolio.privacy import find_identifiers
from portfolio.services.dto import EvidenceDetail, EvidenceDraft, ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.privacy import texts_of

NHS_LIKE = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
TITLE_SURNAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.? [A-Z][a-z]+")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Portfolio, int]]:
    with open_portfolio(resolve_location(tmp_path_factory.mktemp("demo"))) as portfolio:
        yield portfolio, fill_demo(portfolio)


@pytest.fixture(scope="module")
def items(filled: tuple[Portfolio, int]) -> list[EvidenceDetail]:
    return filled[0].evidence.details()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def _free_text(item: EvidenceDetail) -> list[str]:
    """What the trainee wrote: title, main text, every field value and justifications."""
    return [
        item.title,
        item.text,
        *_strings(item.fields),
        *(link.justification for link in item.links),
    ]


def test_creates_at_least_sixty_items_of_every_kind(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    portfolio, count = filled
    assert count >= 60
    assert count == len(items) == portfolio.evidence.count()
    kinds = Counter(item.kind for item in items)
    assert set(kinds) == set(KINDS)
    models = {item.fields["model"] for item in items if item.kind == "reflection"}
    assert models == {"what_so_what_now_what", "gibbs", "kolb"}
    forms = {item.fields["form"] for item in items if item.kind == "assessment"}
    assert {"mini-CEX", "CBD", "DOPS", "TAB", "QIPAT", "LEADER", "DCT"} <= forms


def test_profile_and_three_placements(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    portfolio, _ = filled
    profile = portfolio.profile.get()
    assert profile is not None
    assert profile.name == "Alex Morgan"
    assert re.fullmatch(r"\d{7}", profile.gmc_number)
    assert (profile.grade, profile.programme, profile.region) == (
        "FY2",
        "Foundation Programme",
        "South West",
    )
    assert profile.educational_supervisor == "Dr Priya Shah"
    placements = {p.id: p for p in portfolio.placements.list()}
    assert len(placements) == 3
    assert all(p.clinical_supervisor and p.ends_on for p in placements.values())
    for item in items:
        placement = placements[item.placement_id]
        assert placement.ends_on is not None
        assert placement.starts_on <= item.occurred_on <= placement.ends_on, item.title
        assert date(2025, 8, 1) <= item.occurred_on <= date(2026, 7, 31), item.title
    assert {i.placement_id for i in items} == set(placements)


def test_every_gpc_domain_has_evidence(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    coverage = filled[0].coverage.coverage()
    assert coverage.without_evidence == ()
    assert len(coverage.domains) == 9
    codes = {link.code for item in items for link in item.links}
    assert {
        "GPC2.1",
        "GPC2.2",
        "GPC2.3",
        "GPC2.4",
        "GPC3.1",
        "GPC3.2",
        "GPC3.3",
        "GPC6.1",
        "GPC6.2",
    } <= codes
    assert sum(1 for i in items for link in i.links if link.justification) >= 5


def test_a_qi_project_with_three_full_pdsa_cycles(items: list[EvidenceDetail]) -> None:
    projects = [i for i in items if i.kind == "qi_project"]
    full = [p for p in projects if len(p.fields.get("pdsa_cycles", [])) >= 3]
    assert full
    project = full[0]
    for key in ("aim", "measures", "change_ideas", "outcome", "team", "spread"):
        assert project.fields[key].strip()
    for cycle in project.fields["pdsa_cycles"]:
        assert all(cycle[part].strip() for part in ("plan", "do", "study", "act"))
    assert project.attachments and project.status == "ready"


def test_statuses_privacy_tags_and_attachments(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    statuses = Counter(item.status for item in items)
    assert statuses["draft"] > 0 and statuses["ready"] > 0
    assert filled[0].coverage.coverage().awaiting_review == statuses["ready"]
    private = [item for item in items if item.private]
    assert private and all(item.status == "draft" for item in private)
    assert len(filled[0].evidence.list(EvidenceQuery(include_private=False))) == (
        len(items) - len(private)
    )
    assert sum(1 for item in items if item.tags) >= len(items) // 2
    attached = [a for item in items for a in item.attachments]
    assert len(attached) >= 2 and all(a.mime_type == "text/plain" for a in attached)


def test_reflections_hold_no_patient_identifiers(items: list[EvidenceDetail]) -> None:
    for item in items:
        for text in _free_text(item):
            assert not NHS_LIKE.search(text), (item.title, text)
            assert not TITLE_SURNAME.search(text), (item.title, text)
        # What the privacy check reads: the assessor's and supervisor's names are meant to be there.
        for _, _, text in texts_of(item):
            assert find_identifiers(text) == [], (item.title, find_identifiers(text))


def test_refuses_a_second_fill_and_changes_nothing(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    portfolio = filled[0]
    profile, placements = portfolio.profile.get(), portfolio.placements.list()
    with pytest.raises(InvalidInput, match=re.escape(NOT_EMPTY)):
        fill_demo(portfolio)
    assert portfolio.evidence.count() == len(items)
    assert portfolio.profile.get() == profile
    assert portfolio.placements.list() == placements


def test_refuses_a_portfolio_with_one_item_of_its_own(tmp_path: Path) -> None:
    with open_portfolio(resolve_location(tmp_path)) as portfolio:
        portfolio.evidence.create(
            EvidenceDraft(kind="course", title="My own course", occurred_on=date(2025, 9, 1))
        )
        with pytest.raises(InvalidInput, match="already has evidence"):
            fill_demo(portfolio)
        assert portfolio.evidence.count() == 1
        assert portfolio.profile.get() is None
        assert portfolio.placements.list() == []


def test_same_content_every_run_and_keeps_an_existing_profile(
    tmp_path: Path, items: list[EvidenceDetail]
) -> None:
    with open_portfolio(resolve_location(tmp_path)) as portfolio:
        mine = portfolio.profile.save(ProfileData(name="Sam Example", gmc_number="0000001"))
        assert fill_demo(portfolio) == len(ITEMS)
        assert portfolio.profile.get() == mine
        again = portfolio.evidence.details()

    def content(item: EvidenceDetail) -> tuple[Any, ...]:
        return (
            item.kind,
            item.title,
            item.occurred_on,
            item.occurred_until,
            item.fields,
            item.text,
            item.links,
            item.tags,
            item.private,
            item.status,
            tuple(a.sha256 for a in item.attachments),
        )

    assert sorted(map(content, again), key=repr) == sorted(map(content, items), key=repr)
