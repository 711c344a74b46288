"""The cohort summary a trainee sends (counts only, exactly as previewed) and the mentor's
figures over many summaries (exact shares, duplicates and malformed files never counted)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput
from portfolio.formats.cohort_summary import (
    DOMAINS,
    ROLE_TYPES,
    CohortSummary,
    Uptake,
    parse_summary,
    read_summary,
    role_type,
)
from portfolio.kinds import KINDS
from portfolio.services.cohort import (
    CohortFigures,
    Share,
    SummaryOptions,
    cohort_csv,
    cohort_figures,
)
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.services.test_opportunities import Mentor, publish

SECRET_WORDS = ("Quixotic", "marmalade", "Thistlewood", "zeppelin", "Okonkwo", "Wrexham")


@pytest.fixture
def trainee(portfolio: Portfolio) -> Portfolio:
    portfolio.profile.save(
        ProfileData(
            name="Zoë Thistlewood",
            gmc_number="7000001",
            grade="FY2",
            trust="North Trust",
            training_start=date(2026, 8, 1),
            training_end=date(2027, 7, 31),
        )
    )
    add = portfolio.evidence.create
    add(
        EvidenceDraft(
            kind="reflection",
            title="Quixotic night shift",
            occurred_on=date(2026, 9, 2),
            fields={
                "model": "what_so_what_now_what",
                "what": "Mr Okonkwo from Wrexham and the marmalade.",
            },
            text="I learned about the zeppelin of handover.",
            links=(Link("GPC1"), Link("GPC5")),
        )
    )
    add(
        EvidenceDraft(
            kind="qi_project",
            title="Marmalade audit",
            occurred_on=date(2026, 10, 1),
            fields={"aim": "Fewer zeppelin delays"},
            links=(Link("GPC6.2"),),
        )
    )
    add(
        EvidenceDraft(
            kind="leadership_role",
            title="Zeppelin rota",
            occurred_on=date(2026, 11, 1),
            fields={"role": "Rota lead for the quixotic ward"},
            links=(Link("GPC5"),),
        )
    )
    add(
        EvidenceDraft(
            kind="leadership_role",
            title="Forum",
            occurred_on=date(2026, 12, 1),
            fields={"role": "Junior doctors' forum representative"},
            links=(Link("GPC5"),),
        )
    )
    add(
        EvidenceDraft(
            kind="teaching",
            title="Thistlewood teaching",
            occurred_on=date(2027, 1, 5),
            links=(Link("GPC8"),),
            private=True,
        )
    )
    add(
        EvidenceDraft(
            kind="course",
            title="Before the period",
            occurred_on=date(2025, 1, 5),
            links=(Link("GPC9"),),
        )
    )
    return portfolio


def test_the_summary_holds_counts_only_and_no_free_text(trainee: Portfolio, tmp_path: Path) -> None:
    service = trainee.cohort
    preview = service.preview_summary()
    out = tmp_path / "me.gpccohort"
    written = service.write_summary(out, preview)
    assert out.read_bytes() == preview.data == written.data  # exactly what was shown
    text = out.read_text(encoding="utf-8")
    for word in (*SECRET_WORDS, "7000001", "Zoë", "night shift", "audit"):
        assert word.casefold() not in text.casefold()
    document = json.loads(text)
    assert document["format"] == "gpc-portfolio-cohort-summary"
    assert document["format_version"] == 1
    assert document["trainee"] is None
    assert document["trust"] == "North Trust" and document["grade"] == "FY2"
    assert document["period"] == {"from": "2026-08-01", "to": "2027-07-31"}
    assert document["evidence_items"] == 4  # the private one and the one before are left out
    assert document["domains"] == {
        "GPC1": 1,
        "GPC2": 0,
        "GPC3": 0,
        "GPC4": 0,
        "GPC5": 3,
        "GPC6": 1,
        "GPC7": 0,
        "GPC8": 0,
        "GPC9": 0,
    }
    assert document["kinds"]["leadership_role"] == 2 and document["kinds"]["teaching"] == 0
    assert set(document["kinds"]) == set(KINDS)
    assert document["qi_activity"] is True
    assert document["leadership_roles"] == {
        "count": 2,
        "types": {"junior_doctors_committee": 1, "rota_lead": 1},
    }
    assert document["opportunities"] == []
    assert read_summary(out).summary_id == preview.summary.summary_id


def test_the_trainee_may_choose_to_be_named(trainee: Portfolio) -> None:
    text = trainee.cohort.preview_summary(SummaryOptions(named=True)).text
    assert json.loads(text)["trainee"] == {"name": "Zoë Thistlewood", "gmc_number": "7000001"}
    other = trainee.cohort.preview_summary(SummaryOptions(date_from=date(2020, 1, 1)))
    assert other.summary.evidence_items == 5
    assert other.summary.summary_id != trainee.cohort.preview_summary().summary.summary_id


def test_opportunities_taken_up_travel_as_ids_and_status(
    mentor: Mentor,
    trainee: Portfolio,
    tmp_path: Path,
) -> None:
    opportunities = trainee.opportunities
    opportunities.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities"))
    forum, project, *_ = mentor.ids
    opportunities.record_status(forum, "applied")
    opportunities.record_status(project, "participating")
    summary = trainee.cohort.preview_summary().summary
    assert {(u.opportunity_id, u.kind, u.status) for u in summary.opportunities} == {
        (forum, "role", "applied"),
        (project, "project", "participating"),
    }
    assert all(u.catalogue_id == mentor.catalogue_id for u in summary.opportunities)
    assert "forum" not in trainee.cohort.preview_summary().text.casefold()


def test_a_summary_needs_a_profile(portfolio: Portfolio) -> None:
    with pytest.raises(InvalidInput, match="no profile"):
        portfolio.cohort.preview_summary()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Chief Registrar (medicine)", "chief_registrar"),
        ("Leadership fellow", "leadership_fellowship"),
        ("Rota lead", "rota_lead"),
        ("Foundation doctors' representative", "junior_doctors_committee"),
        ("Project lead (matched by the CLM)", "project_lead"),
        ("Mess treasurer", "other"),
    ],
)
def test_roles_are_typed_from_a_fixed_list(role: str, expected: str) -> None:
    assert role_type(role) == expected and expected in ROLE_TYPES


# -- the mentor's view -------------------------------------------------------------------------

CATALOGUE = "11111111-1111-4111-8111-111111111111"
FORUM = "22222222-2222-4222-8222-222222222222"
PROJECT = "33333333-3333-4333-8333-333333333333"


def summary(
    trust: str,
    *,
    qi: bool = False,
    roles: int = 0,
    domains: dict[str, int] | None = None,
    uptake: tuple[Uptake, ...] = (),
    grade: str = "FY1",
) -> CohortSummary:
    counts = {code: 0 for code in DOMAINS} | (domains or {})
    return CohortSummary(
        summary_id=str(uuid.uuid4()),
        created_on=date(2027, 6, 1),
        trust=trust,
        grade=grade,
        period_from=date(2026, 8, 1),
        period_to=date(2027, 7, 31),
        trainee_name=None,
        trainee_gmc=None,
        evidence_items=sum(counts.values()),
        domains=counts,
        kinds={k: 0 for k in KINDS} | {"qi_project": int(qi), "leadership_role": roles},
        qi_activity=qi,
        leadership_roles=roles,
        role_types={t: 0 for t in ROLE_TYPES} | {"rota_lead": roles},
        opportunities=uptake,
        app_version="test",
    )


def cohort_of_ten() -> list[CohortSummary]:
    """6 from North (3 QI-active, 2 with a role), 4 from South (1 QI-active, 1 with a role);
    GPC5 counts 0, 1, 2, 3, 4, 5, 6, 7, 8, 9."""
    north, south = "North Trust", "South Trust"
    took = (Uptake(CATALOGUE, FORUM, "role", "participating"),)
    applied = (Uptake(CATALOGUE, PROJECT, "project", "applied"),)
    specs = [
        (north, True, 1, took),
        (north, True, 1, ()),
        (north, True, 0, applied),
        (north, False, 0, ()),
        (north, False, 0, ()),
        (north, False, 0, took),
        (south, True, 2, ()),
        (south, False, 0, ()),
        (south, False, 0, ()),
        (south, False, 0, applied),
    ]
    return [
        summary(
            trust,
            qi=qi,
            roles=roles,
            uptake=uptake,
            grade="FY2" if i % 2 else "FY1",
            domains={"GPC5": i, "GPC1": 1},
        )
        for i, (trust, qi, roles, uptake) in enumerate(specs)
    ]


def write_all(folder: Path, summaries: list[CohortSummary]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, s in enumerate(summaries):
        path = folder / f"trainee-{number:02}.gpccohort"
        path.write_bytes(s.to_bytes())
        paths.append(path)
    return paths


def test_a_known_cohort_gives_its_proportions_exactly(portfolio: Portfolio, tmp_path: Path) -> None:
    paths = write_all(tmp_path / "inbox", cohort_of_ten())
    shutil.copy(paths[0], tmp_path / "inbox" / "trainee-00 (copy).gpccohort")  # sent twice
    (tmp_path / "inbox" / "broken.gpccohort").write_text('{"format": "gpc-portfolio-coh')
    (tmp_path / "inbox" / "notes.txt").write_text("not a summary")
    service = portfolio.cohort
    load = service.load([tmp_path / "inbox", paths[3]])  # paths[3] named again: counted once
    assert len(load.summaries) == 10
    assert len(load.skipped) == 3
    reasons = " ".join(s.reason for s in load.skipped)
    assert "not complete JSON" in reasons and reasons.count("repeats the summary") == 2

    figures = service.figures(load)
    g = figures.overall
    assert g.trainees == 10
    assert (g.qi_activity.count, g.qi_activity.percent) == (4, 40)
    # Exact inside; shown as a small number, without its share (SMALL_NUMBER).
    assert g.qi_activity.suppressed and str(g.qi_activity) == "fewer than 5 of 10"
    assert (g.leadership.count, g.leadership.percent) == (3, 30)
    assert (g.taken_up.count, g.taken_up.percent) == (2, 20)
    gpc5 = figures.domains[4]
    assert gpc5.code == "GPC5"
    assert (gpc5.minimum, gpc5.lower_quartile, gpc5.median, gpc5.upper_quartile, gpc5.maximum) == (
        0,
        2.25,
        4.5,
        6.75,
        9,
    )
    assert gpc5.bands == (1, 2, 3, 4)
    assert figures.domains[0].bands == (0, 10, 0, 0)
    assert figures.domains[8].bands == (10, 0, 0, 0)
    north, south = figures.trusts
    assert (north.name, north.trainees, north.qi_activity.percent, north.leadership.percent) == (
        "North Trust",
        6,
        50,
        33,
    )
    assert (south.name, south.trainees, south.qi_activity.percent, south.leadership.percent) == (
        "South Trust",
        4,
        25,
        25,
    )
    assert figures.role_types["rota_lead"] == 4
    assert figures.grades == {"FY1": 5, "FY2": 5}
    uptake = {o.opportunity_id: o for o in figures.opportunities}
    assert uptake[FORUM].by_status == {"participating": 2} and uptake[FORUM].taken_up == 2
    assert uptake[PROJECT].by_status == {"applied": 2} and uptake[PROJECT].taken_up == 0
    assert len(figures.skipped) == 3


def test_one_trust_has_no_trust_comparison() -> None:
    figures = cohort_figures([summary("North Trust", qi=True), summary("North Trust")])
    assert figures.trusts == () and figures.overall.qi_activity.percent == 50
    single = cohort_figures([summary("North Trust", domains={"GPC2": 4})])
    assert (single.domains[1].lower_quartile, single.domains[1].upper_quartile) == (4, 4)


def _csv_value(figures: CohortFigures) -> Callable[..., str]:
    rows = list(csv.DictReader(io.StringIO(cohort_csv(figures))))

    def value(scope: str, measure: str, category: str = "") -> str:
        return next(
            r["value"]
            for r in rows
            if (r["scope"], r["measure"], r["category"]) == (scope, measure, category)
        )

    return value


def test_the_csv_gives_the_same_figures() -> None:
    # Thirty trainees: each of the ten three times (cohort_figures counts what it is given).
    value = _csv_value(cohort_figures(cohort_of_ten() * 3))
    assert value("all", "trainees") == "30"
    assert value("all", "qi_activity_percent") == "40"
    assert value("all", "qi_activity_count") == "12"
    assert value("trust:North Trust", "qi_activity_percent") == "50"
    assert value("trust:South Trust", "trainees") == "12"
    assert value("all", "domain_items_median", "GPC5") == "4.5"
    assert value("all", "domain_trainees_with_6+_items", "GPC5") == "12"
    assert value("all", "opportunity_participating", f"{CATALOGUE}/{FORUM}") == "6"


def test_small_numbers_are_shown_as_fewer_than_5_and_give_no_share() -> None:
    """NHS statistical disclosure practice: a count from 1 to 4, of a Trust or of any group, is
    "fewer than 5" and no share is computed from it; 0 and 5 or more are shown."""
    value = _csv_value(cohort_figures(cohort_of_ten()))
    assert value("all", "trainees") == "10"
    assert value("all", "qi_activity_count") == "fewer than 5"
    assert value("all", "qi_activity_percent") == ""
    assert value("trust:North Trust", "trainees") == "6"
    assert value("trust:North Trust", "qi_activity_count") == "fewer than 5"
    assert value("trust:North Trust", "qi_activity_percent") == ""
    assert value("trust:South Trust", "trainees") == "fewer than 5"
    assert value("trust:South Trust", "median_items") == ""
    assert value("all", "domain_trainees_with_0_items", "GPC9") == "10"
    assert value("all", "domain_trainees_with_1–2_items", "GPC9") == "0"
    assert value("all", "domain_trainees_with_6+_items", "GPC5") == "fewer than 5"
    assert value("all", "opportunity_participating", f"{CATALOGUE}/{FORUM}") == "fewer than 5"
    tiny = _csv_value(cohort_figures(cohort_of_ten()[:3]))
    assert tiny("all", "trainees") == "fewer than 5"
    assert tiny("all", "domain_items_max", "GPC5") == ""
    assert str(Share(5, 10)) == "5 of 10 (50%)" and str(Share(0, 10)) == "0 of 10 (0%)"


def test_no_readable_summary_is_a_clear_error(portfolio: Portfolio, tmp_path: Path) -> None:
    (tmp_path / "a.gpccohort").write_text("[]")
    service = portfolio.cohort
    load = service.load([tmp_path])
    with pytest.raises(InvalidInput, match=r"No cohort summaries could be read \(1 skipped\)"):
        service.figures(load)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "gpc-portfolio-review"}, "not a GPC Portfolio cohort summary"),
        ({"format_version": 2}, "version 2 cohort summary"),
        ({"reflection": "free text sneaks in"}, "malformed"),
        ({"kinds": {"reflection": -1}}, "malformed"),
        ({"qi_activity": "yes"}, "malformed"),
        ({"summary_id": "not-a-uuid"}, "malformed"),
        ({"leadership_roles": {"count": 1, "types": {"Chief of everything": 1}}}, "malformed"),
        ({"domains": {"GPC1": 1}}, "every GPC domain"),
    ],
)
def test_malformed_summaries_are_refused(change: dict[str, object], message: str) -> None:
    document = json.loads(summary("North Trust").to_bytes()) | change
    with pytest.raises(InvalidInput, match=message):
        parse_summary(json.dumps(document).encode(), "x.gpccohort")


def test_a_written_summary_reads_back_the_same() -> None:
    original = summary(
        "North Trust", qi=True, roles=2, uptake=(Uptake(CATALOGUE, FORUM, "role", "completed"),)
    )
    assert parse_summary(original.to_bytes(), "x.gpccohort") == original
    named = replace(original, trainee_name="Zoë", trainee_gmc="7000001")
    assert parse_summary(named.to_bytes(), "x.gpccohort") == named
