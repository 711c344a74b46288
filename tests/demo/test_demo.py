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
from portfolio.demo import DEMO_FOLDER, NOT_EMPTY, fill_demo
from portfolio.demo.cohort import peers
from portfolio.demo.content import ITEMS, TRUST
from portfolio.demo.opportunities import OPPORTUNITIES
from portfolio.demo.people import MENTOR, OTHER_TRUST, PGME_OFFICE, SUPERVISOR
from portfolio.demo.signoffs import CHANGES_REQUESTED, EDITED_AFTER, MEETINGS
from portfolio.errors import InvalidInput
from portfolio.kinds import KINDS
from portfolio.paths import resolve_location
from portfolio.privacy import find_identifiers
from portfolio.reports.cohort_report import gather_cohort
from portfolio.services.dto import EvidenceDetail, EvidenceDraft, ProfileData
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.opportunities import TAKEN_UP
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
    assert project.attachments and project.status == "signed_off"


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


# -- the year's other people: supervisor, deanery, mentor, cohort ------------------------------


def test_a_trusted_supervisor_signed_a_good_share(
    filled: tuple[Portfolio, int], items: list[EvidenceDetail]
) -> None:
    portfolio = filled[0]
    (directory,) = portfolio.directories.directories()
    assert directory.publisher_fingerprint == PGME_OFFICE.identity.fingerprint
    assert not directory.expired and not directory.altered
    (card,) = portfolio.signoffs.identities()
    assert card.identity == SUPERVISOR.identity and not card.has_private_key
    signed = {i.title: i.signoff for i in items if i.signoff is not None}
    states = Counter((s.decision, s.state) for s in signed.values())
    assert states[("signed_off", "valid")] >= 15
    assert signed[EDITED_AFTER].state == "edited"
    (requested,) = [t for t, s in signed.items() if s.decision == "changes_requested"]
    assert requested in CHANGES_REQUESTED and signed[requested].state == "valid"
    assert all(s.vouched_by for s in signed.values()), "every sign-off is vouched for"
    assert {s.signed_at[:10] for s in signed.values()} == {m.date().isoformat() for m in MEETINGS}
    assert [i for i in items if i.status == "ready"], "some items still await review"


def test_the_mentors_catalogue_with_some_taken_up(filled: tuple[Portfolio, int]) -> None:
    portfolio = filled[0]
    (catalogue,) = portfolio.opportunities.catalogues()
    assert catalogue.publisher is not None and not catalogue.own
    assert catalogue.publisher.fingerprint == MENTOR.identity.fingerprint
    assert catalogue.opportunities == len(OPPORTUNITIES)
    statuses = Counter(t.progress.status for t in portfolio.opportunities.tracked())
    assert statuses["completed"] and statuses["participating"] and statuses["interested"]


def test_a_cohort_for_the_mentors_view(filled: tuple[Portfolio, int]) -> None:
    portfolio = filled[0]
    folder = portfolio.location.data_dir / DEMO_FOLDER / "cohort"
    load = portfolio.cohort.load([folder])
    assert load.skipped == () and len(load.summaries) == 27
    assert all(s.trainee_name is None for s in load.summaries)
    assert Counter(s.trust for s in load.summaries) == {TRUST: 14, OTHER_TRUST: 13}
    figures = portfolio.cohort.figures(load)
    assert any(u.taken_up for u in figures.opportunities) and len(figures.trusts) == 2


def test_the_demo_cohort_shows_most_figures_and_hides_a_few(filled: tuple[Portfolio, int]) -> None:
    """Big enough that most counts are 5 or more (so the charts draw), with a few of "fewer than
    5" left so the mentor sees the suppression too."""
    portfolio = filled[0]
    gathered = gather_cohort(
        portfolio.cohort, [portfolio.location.data_dir / DEMO_FOLDER / "cohort"]
    )
    report = gathered.report
    assert report is not None
    shares = [
        s
        for g in (report.overall, *report.trusts)
        for s in (g.qi_activity, g.leadership, g.taken_up)
    ]
    hidden = [s for s in shares if s.percent is None]
    assert [s.sentence for s in hidden] == ["fewer than 5 of 13"]  # the other Trust's leaders
    domains = {d.code: d.bands_hidden for d in report.domains}
    assert [code for code, grey in domains.items() if grey] == ["GPC4"]
    uptake = [any(c.small for c in o.by_status) for o in report.opportunities]
    assert len(uptake) == len(OPPORTUNITIES) and uptake.count(True) == 1
    assert all(d.spread is not None for d in report.domains)


def test_the_demo_cohort_is_consistent_like_a_real_summary() -> None:
    """Each generated peer could have been written by the app: items add up by kind, roles
    match the leadership items, and a QI activity goes with a QI project or a project taken up."""
    for summary in peers():
        assert summary.evidence_items == sum(summary.kinds.values())
        assert max(summary.domains.values()) <= summary.evidence_items
        assert summary.leadership_roles == summary.kinds["leadership_role"]
        assert summary.leadership_roles == sum(summary.role_types.values())
        projects = any(u.kind == "project" and u.status in TAKEN_UP for u in summary.opportunities)
        assert summary.qi_activity == (summary.kinds["qi_project"] > 0 or projects)
        assert len({u.opportunity_id for u in summary.opportunities}) == len(summary.opportunities)


def test_files_and_keys_are_the_same_every_run(
    tmp_path: Path, filled: tuple[Portfolio, int]
) -> None:
    with open_portfolio(resolve_location(tmp_path)) as portfolio:
        fill_demo(portfolio)
    first, again = filled[0].location.data_dir / DEMO_FOLDER, tmp_path / DEMO_FOLDER
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert len(names) == 2 + 27  # the directory, the catalogue and the cohort
    for name in names:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
