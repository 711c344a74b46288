"""Opportunity catalogues: a CLM publishes a signed catalogue; a trainee imports it, filters it,
records progress and turns participation into evidence; forged files change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput, NotFound
from portfolio.formats.catalogue import catalogue_payload, read_catalogue, write_catalogue
from portfolio.paths import resolve_location
from portfolio.security.signing import fingerprint_of
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.services.opportunities import OpportunityDraft, OpportunityQuery, OpportunityService
from portfolio.services.signoffs import Unlocked

PASS = "correct horse battery staple"
TRUST = "Royal Devon University Healthcare NHS Foundation Trust"

DRAFTS = (
    OpportunityDraft(
        "Junior doctors' forum representative",
        "role",
        TRUST,
        "clm@example.nhs.uk",
        "Represent foundation doctors at the forum.",
        ("GPC5",),
        date(2026, 9, 1),
        date(2027, 7, 31),
        date(2026, 8, 15),
    ),
    OpportunityDraft(
        "Sepsis QI project with the Trust QI lead",
        "project",
        TRUST,
        "qi.lead@example.nhs.uk",
        "Join the sepsis bundle project.",
        ("GPC6.2", "GPC5"),
        date(2026, 10, 1),
        None,
        None,
    ),
    OpportunityDraft(
        "Leadership teaching: giving feedback",
        "teaching",
        TRUST,
        "",
        "",
        ("GPC8",),
        date(2026, 11, 5),
        None,
        date(2020, 1, 1),
    ),
    OpportunityDraft("Patient safety summit", "event", TRUST, "", "", ("GPC6.1",)),
)


@dataclass
class Mentor:
    portfolio: Portfolio
    service: OpportunityService
    unlocked: Unlocked
    catalogue_id: str
    ids: list[str]


@pytest.fixture
def mentor(tmp_path: Path) -> Iterator[Mentor]:
    """The CLM's own copy of the app: an identity (role "other") and a catalogue."""
    with open_portfolio(resolve_location(tmp_path / "clm")) as own:
        info = own.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
        unlocked = own.signoffs.unlock(info.fingerprint, PASS)
        service = own.opportunities
        catalogue = service.create_catalogue("Leadership opportunities 2026–27", TRUST)
        ids = [service.add_opportunity(catalogue.catalogue_id, d).uuid for d in DRAFTS]
        yield Mentor(own, service, unlocked, catalogue.catalogue_id, ids)


@pytest.fixture
def trainee(portfolio: Portfolio) -> Portfolio:
    portfolio.profile.save(
        ProfileData(name="Zoë Ørsted-Łukasiewicz", gmc_number="7000001", grade="FY2", trust=TRUST)
    )
    return portfolio


def publish(mentor: Mentor, path: Path) -> Path:
    mentor.service.publish(mentor.catalogue_id, path, mentor.unlocked)
    return path


def test_a_published_catalogue_imports_with_its_publisher(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    path = publish(mentor, tmp_path / "catalogue.gpcopportunities")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "gpc-portfolio-opportunities"
    assert document["format_version"] == 1 and document["version"] == 1
    assert document["publisher"]["name"] == "Dr Ada Mentor"
    assert mentor.service.catalogue(mentor.catalogue_id).version == 1

    service = trainee.opportunities
    imported = service.import_catalogue(path)
    assert imported.previous_version is None and imported.added == 4
    info = imported.catalogue
    assert info.title == "Leadership opportunities 2026–27" and not info.own
    assert info.publisher is not None and info.publisher.name == "Dr Ada Mentor"
    assert info.publisher.fingerprint == mentor.unlocked.identity.fingerprint
    listed = service.find()
    assert [o.uuid for o in listed] == mentor.ids
    first = listed[0]
    assert first.title == DRAFTS[0].title and first.domains == ("GPC5",)
    assert first.closes_on == date(2026, 8, 15) and first.contact == "clm@example.nhs.uk"
    assert listed[1].gpc_domains == ("GPC6", "GPC5")


def test_a_forged_catalogue_is_refused_and_changes_nothing(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    path = publish(mentor, tmp_path / "catalogue.gpcopportunities")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["opportunities"][0]["title"] = "Paid fellowship — apply at evil.example"
    forged = tmp_path / "forged.gpcopportunities"
    forged.write_text(json.dumps(document), encoding="utf-8")
    service = trainee.opportunities
    with pytest.raises(InvalidInput, match=r"signature does not match.*Nothing was imported"):
        service.import_catalogue(forged)
    assert service.catalogues() == [] and service.find() == []


def test_a_newer_version_signed_by_another_key_is_refused(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    service.import_catalogue(publish(mentor, tmp_path / "v1.gpcopportunities"))
    impostor_info = trainee.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
    impostor = trainee.signoffs.unlock(impostor_info.fingerprint, PASS)
    original = read_catalogue(tmp_path / "v1.gpcopportunities")
    payload = catalogue_payload(
        original.catalogue_id,
        2,
        original.title,
        original.trust,
        "2026-12-01T10:00:00Z",
        impostor.identity,
        original.opportunities[:1],
    )
    fake = write_catalogue(tmp_path / "v2.gpcopportunities", payload, impostor)
    with pytest.raises(InvalidInput, match="signed by another key"):
        service.import_catalogue(fake)
    assert len(service.find()) == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "gpc-portfolio-opp', "not complete JSON"),
        (b'{"format": "gpc-portfolio-review"}', "not a GPC Portfolio opportunity catalogue"),
        (b'{"format": "gpc-portfolio-opportunities", "format_version": 9}', "version 9"),
        (b'{"format": "gpc-portfolio-opportunities", "format_version": 1}', "malformed"),
    ],
)
def test_malformed_catalogues_get_one_clear_sentence(
    trainee: Portfolio, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.gpcopportunities"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        trainee.opportunities.import_catalogue(path)
    assert trainee.opportunities.catalogues() == []


def test_a_newer_version_replaces_the_opportunities_and_keeps_progress(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    service.import_catalogue(publish(mentor, tmp_path / "v1.gpcopportunities"))
    forum, project, teaching, _event = mentor.ids
    service.record_status(forum, "interested", date(2026, 8, 1))
    service.record_status(project, "participating", date(2026, 10, 2))

    mentor.service.remove_opportunity(forum)
    renamed = OpportunityDraft(
        "Sepsis bundle QI project",
        "project",
        TRUST,
        domains=("GPC6.2",),
        starts_on=date(2026, 10, 1),
    )
    mentor.service.update_opportunity(project, renamed)
    mentor.service.add_opportunity(
        mentor.catalogue_id, OpportunityDraft("Rota lead", "role", TRUST, domains=("GPC5",))
    )
    assert mentor.service.catalogue(mentor.catalogue_id).changed
    v2 = publish(mentor, tmp_path / "v2.gpcopportunities")
    assert mentor.service.catalogue(mentor.catalogue_id).version == 2

    imported = service.import_catalogue(v2)
    assert (imported.previous_version, imported.catalogue.version) == (1, 2)
    assert (imported.added, imported.removed, imported.kept_progress) == (1, 1, 1)
    listed = {o.uuid: o for o in service.find()}
    assert forum not in listed and teaching in listed
    assert listed[project].title == "Sepsis bundle QI project"
    assert listed[project].progress is not None
    assert listed[project].progress.participating_on == date(2026, 10, 2)
    tracked = {t.opportunity_uuid: t for t in service.tracked()}
    assert tracked[forum].listed is False and tracked[forum].progress.status == "interested"
    assert tracked[project].title == "Sepsis bundle QI project"

    again = service.import_catalogue(v2)
    assert again.unchanged
    with pytest.raises(InvalidInput, match="already have the newer version 2"):
        service.import_catalogue(tmp_path / "v1.gpcopportunities")


def test_only_the_publisher_changes_a_catalogue(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    info = service.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities")).catalogue
    with pytest.raises(InvalidInput, match="only its publisher can change it"):
        service.add_opportunity(info.catalogue_id, DRAFTS[0])
    with pytest.raises(InvalidInput, match="your own catalogue"):
        mentor.service.import_catalogue(tmp_path / "c.gpcopportunities")


def test_drafts_are_checked(mentor: Mentor) -> None:
    with pytest.raises(InvalidInput, match="Unknown kind"):
        mentor.service.add_opportunity(mentor.catalogue_id, OpportunityDraft("X", "party"))
    with pytest.raises(InvalidInput, match="Unknown domain code 'GPC12'"):
        mentor.service.add_opportunity(
            mentor.catalogue_id, OpportunityDraft("X", "role", domains=("GPC12",))
        )
    with pytest.raises(InvalidInput, match="must not be empty"):
        mentor.service.add_opportunity(mentor.catalogue_id, OpportunityDraft(" ", "role"))
    empty = mentor.service.create_catalogue("Empty")
    with pytest.raises(InvalidInput, match="no opportunities"):
        mentor.service.publish(empty.catalogue_id, Path("never.json"), mentor.unlocked)
    lower = mentor.service.add_opportunity(
        mentor.catalogue_id, OpportunityDraft("Y", "role", domains=("gpc6.2",))
    )
    assert lower.domains == ("GPC6.2",)


def test_filters_by_domain_kind_status_and_the_trainees_gaps(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    trainee.evidence.create(
        EvidenceDraft(
            kind="teamwork",
            title="Handover huddle",
            occurred_on=date(2026, 5, 1),
            links=(Link("GPC5"), Link("GPC8")),
        )
    )
    service = trainee.opportunities
    service.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities"))
    forum, project, teaching, event = mentor.ids

    def uuids(**query: object) -> list[str]:
        return [o.uuid for o in service.find(OpportunityQuery(**query))]  # type: ignore[arg-type]

    assert uuids(domain="GPC5") == [forum, project]
    assert uuids(domain="GPC6") == [project, event]
    assert uuids(domain="gpc6.2") == [project]
    assert uuids(gaps=True) == [project, event]  # no evidence in GPC6 yet
    assert uuids(kind="teaching") == [teaching]
    assert teaching not in uuids(open_only=True)  # it closed in 2020
    assert {project, event} <= set(uuids(open_only=True))  # no closing date
    service.record_status(project, "applied")
    assert uuids(status="applied") == [project]
    assert uuids(status="none") == [forum, teaching, event]
    with pytest.raises(InvalidInput, match="Unknown domain code"):
        uuids(domain="GPC10")


def test_progress_is_recorded_with_dates(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    service.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities"))
    forum = mentor.ids[0]
    service.record_status(forum, "interested", date(2026, 7, 1))
    service.record_status(forum, "applied", date(2026, 7, 20))
    service.record_status(forum, "participating", date(2026, 9, 1))
    view = service.record_status(forum, "completed", date(2027, 7, 31))
    assert view.progress is not None
    assert (
        view.progress.status,
        view.progress.interested_on,
        view.progress.applied_on,
        view.progress.participating_on,
        view.progress.completed_on,
    ) == ("completed", date(2026, 7, 1), date(2026, 7, 20), date(2026, 9, 1), date(2027, 7, 31))
    back = service.record_status(forum, "applied", date(2026, 7, 21))
    assert back.progress is not None and back.progress.participating_on is None
    assert back.progress.completed_on is None
    with pytest.raises(InvalidInput, match="before the date of an earlier step"):
        service.record_status(forum, "participating", date(2026, 6, 1))
    with pytest.raises(InvalidInput, match="Unknown status"):
        service.record_status(forum, "bored")
    with pytest.raises(NotFound):
        service.record_status("00000000-0000-4000-8000-000000000000", "interested")
    service.clear_status(forum)
    assert service.get(forum).progress is None


def test_participation_becomes_a_linked_evidence_item(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    service.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities"))
    forum, project, teaching, _ = mentor.ids
    with pytest.raises(InvalidInput, match="participating in"):
        service.create_evidence(forum)
    service.record_status(forum, "participating", date(2026, 9, 1))
    service.record_status(forum, "completed", date(2027, 7, 31))
    item = service.create_evidence(forum)
    assert item.kind == "leadership_role" and item.status == "draft"
    assert item.title == DRAFTS[0].title and item.domains == ("GPC5",)
    assert item.occurred_on == date(2026, 9, 1) and item.occurred_until == date(2027, 7, 31)
    assert item.fields["role"] == DRAFTS[0].title and item.fields["organisation"] == TRUST
    assert item.fields["started_on"] == "2026-09-01" and item.fields["ended_on"] == "2027-07-31"
    assert item.tags == ("opportunity",)
    assert service.get(forum).progress.evidence_uuid == item.uuid  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="already the evidence"):
        service.create_evidence(forum)
    with pytest.raises(InvalidInput, match="has an evidence item"):
        service.clear_status(forum)

    service.record_status(project, "participating", date(2026, 10, 3))
    qi = service.create_evidence(project)
    assert qi.kind == "qi_project" and qi.domains == ("GPC5", "GPC6.2")
    assert qi.occurred_on == date(2026, 10, 3)
    service.record_status(teaching, "completed", date(2026, 11, 5))
    course = service.create_evidence(teaching)
    assert course.kind == "course" and course.fields == {"provider": TRUST}
    assert trainee.coverage.coverage().without_evidence == (
        "GPC1",
        "GPC2",
        "GPC3",
        "GPC4",
        "GPC7",
        "GPC9",
    )

    trainee.evidence.delete(item.uuid)  # in the trash: participation may make a new one
    assert service.create_evidence(forum).uuid != item.uuid


def test_the_publisher_key_fingerprint_is_the_identitys(mentor: Mentor, tmp_path: Path) -> None:
    document = read_catalogue(publish(mentor, tmp_path / "c.gpcopportunities"))
    assert document.publisher.fingerprint == fingerprint_of(mentor.unlocked.identity.public_key)
    assert len(document.opportunities) == 4


def test_removing_a_catalogue_keeps_the_trainees_records(
    mentor: Mentor, trainee: Portfolio, tmp_path: Path
) -> None:
    service = trainee.opportunities
    info = service.import_catalogue(publish(mentor, tmp_path / "c.gpcopportunities")).catalogue
    service.record_status(mentor.ids[1], "interested")
    service.remove_catalogue(info.catalogue_id)
    assert service.find() == [] and service.catalogues() == []
    assert [t.listed for t in service.tracked()] == [False]
    service.import_catalogue(tmp_path / "c.gpcopportunities")
    assert service.get(mentor.ids[1]).progress is not None
