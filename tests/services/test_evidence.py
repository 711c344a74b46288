from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portfolio.app import Portfolio
from portfolio.errors import InvalidInput, NotFound
from portfolio.services.attachments import MAX_ATTACHMENT_BYTES
from portfolio.services.dto import EvidenceDraft, Link
from portfolio.services.evidence import EvidenceQuery
from tests.raw_database import indexes, raw_database


def reflection(title: str = "Handover on a busy night", **changes: object) -> EvidenceDraft:
    draft = EvidenceDraft(
        kind="reflection",
        title=title,
        occurred_on=date(2026, 3, 1),
        fields={"model": "what_so_what_now_what", "what": "Handover was rushed."},
        text="I learned to use a structured handover.",
        links=(Link("GPC5"), Link("GPC6.1")),
        tags=("nights",),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def revision_count(portfolio: Portfolio) -> int:
    with portfolio.database.engine.connect() as c:
        return c.execute(text("SELECT count(*) FROM revision")).scalar_one()


def test_create_keeps_a_revision_and_reads_back(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    again = portfolio.evidence.get(item.uuid)
    assert again == item
    assert again.status == "draft"
    assert again.domains == ("GPC5", "GPC6.1")
    assert again.fields["what"] == "Handover was rushed."
    assert [r.reason for r in portfolio.evidence.revisions(item.uuid)] == ["created"]


def test_every_edit_keeps_the_previous_version(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    portfolio.evidence.update(item.uuid, reflection(title="Second title"))
    portfolio.evidence.update(item.uuid, reflection(title="Third title"))
    history = portfolio.evidence.revisions(item.uuid)
    assert [r.snapshot["title"] for r in history] == [
        "Handover on a busy night",
        "Second title",
        "Third title",
    ]
    assert len({r.digest for r in history}) == 3


def test_saving_unchanged_content_adds_no_revision(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    portfolio.evidence.update(item.uuid, item.as_draft())
    assert len(portfolio.evidence.revisions(item.uuid)) == 1


REFUSED = "revisions are append-only"


def test_revisions_are_append_only_in_the_database(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    for statement in ("UPDATE revision SET reason = 'tampered'", "DELETE FROM revision"):
        with raw_database(portfolio.location) as c, pytest.raises(IntegrityError, match=REFUSED):
            c.execute(text(statement))
    assert [r.reason for r in portfolio.evidence.revisions(item.uuid)] == ["created"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "poem"}, "Unknown kind 'poem'"),
        ({"title": "   "}, "title must not be empty"),
        ({"links": (Link("GPC10"),)}, "Unknown domain code 'GPC10'"),
        ({"occurred_until": date(2026, 2, 1)}, "ends"),
        ({"fields": {"model": "freud"}}, "Reflection model"),
        ({"placement_id": 42}, "no placement 42"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    portfolio: Portfolio, changes: dict[str, object], message: str
) -> None:
    item = portfolio.evidence.create(reflection())
    before = revision_count(portfolio)
    with pytest.raises((InvalidInput, NotFound), match=message):
        portfolio.evidence.create(reflection(**changes))
    if "kind" not in changes:
        with pytest.raises((InvalidInput, NotFound), match=message):
            portfolio.evidence.update(item.uuid, reflection(**changes))
    assert revision_count(portfolio) == before
    assert portfolio.evidence.get(item.uuid) == item


def test_domain_codes_are_normalised(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection(links=(Link("gpc6.2", "audit"), Link("GPC1"))))
    assert item.links == (Link("GPC1"), Link("GPC6.2", "audit"))


def test_trash_and_restore(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    portfolio.evidence.delete(item.uuid)
    assert portfolio.evidence.list() == []
    assert [s.uuid for s in portfolio.evidence.list(EvidenceQuery(trash=True))] == [item.uuid]
    assert portfolio.evidence.search("handover") == []
    portfolio.evidence.undelete(item.uuid)
    assert [s.uuid for s in portfolio.evidence.list()] == [item.uuid]
    reasons = [r.reason for r in portfolio.evidence.revisions(item.uuid)]
    assert reasons == ["created", "moved to trash", "restored"]


def test_submit_marks_ready_and_unknown_uuid_is_refused(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    with pytest.raises(NotFound):
        portfolio.evidence.submit([item.uuid, "00000000-0000-0000-0000-000000000000"])
    assert portfolio.evidence.get(item.uuid).status == "draft"
    (done,) = portfolio.evidence.submit([item.uuid])
    assert done.status == "ready"


def test_filters_run_in_the_database(portfolio: Portfolio) -> None:
    a = portfolio.evidence.create(reflection("Audit of VTE", links=(Link("GPC6.2"),), tags=("qi",)))
    b = portfolio.evidence.create(
        reflection("Teaching juniors", occurred_on=date(2025, 9, 1), links=(Link("GPC8"),), tags=())
    )
    c = portfolio.evidence.create(
        EvidenceDraft(
            kind="course", title="ALS", occurred_on=date(2026, 1, 5), links=(Link("GPC2.4"),)
        )
    )
    portfolio.evidence.submit([b.uuid])

    def uuids(**query: object) -> set[str]:
        return {s.uuid for s in portfolio.evidence.list(EvidenceQuery(**query))}  # type: ignore[arg-type]

    assert uuids(domain="GPC6") == {a.uuid}
    assert uuids(domain="gpc6.2") == {a.uuid}
    assert uuids(domain="GPC2") == {c.uuid}
    assert uuids(kind="course") == {c.uuid}
    assert uuids(status="ready") == {b.uuid}
    assert uuids(tag="QI") == {a.uuid}
    assert uuids(date_from=date(2026, 1, 1)) == {a.uuid, c.uuid}
    assert uuids(date_to=date(2025, 12, 31)) == {b.uuid}
    assert uuids(text="juni") == {b.uuid}
    with pytest.raises(InvalidInput, match="Unknown domain"):
        uuids(domain="GPC12")


def test_sorting_by_every_column(portfolio: Portfolio) -> None:
    for title, day in (("b", 3), ("C", 1), ("a", 2)):
        portfolio.evidence.create(reflection(title, occurred_on=date(2026, 1, day)))
    titles = [
        s.title for s in portfolio.evidence.list(EvidenceQuery(sort="title", descending=False))
    ]
    assert titles == ["a", "b", "C"]
    dates = [s.occurred_on.day for s in portfolio.evidence.list(EvidenceQuery(sort="date"))]
    assert dates == [3, 2, 1]
    for key in ("kind", "status", "domains", "updated"):
        assert len(portfolio.evidence.list(EvidenceQuery(sort=key))) == 3
    with pytest.raises(InvalidInput, match="Cannot sort"):
        portfolio.evidence.list(EvidenceQuery(sort="colour"))


def test_search_is_ranked_with_prefixes_and_takes_any_input(portfolio: Portfolio) -> None:
    portfolio.evidence.create(reflection("Sepsis recognition", text="sepsis sepsis sepsis"))
    portfolio.evidence.create(reflection("Night shift", text="a patient with sepsis"))
    portfolio.evidence.create(reflection("Clinic letter", text="nothing relevant"))
    hits = portfolio.evidence.search("seps")
    assert [h.item.title for h in hits] == ["Sepsis recognition", "Night shift"]
    assert "sepsis" in hits[0].snippet.lower()
    for hostile in ('"', "AND OR NOT", "title:*", "(", "-", "'; DROP TABLE evidence; --", ""):
        portfolio.evidence.search(hostile)
    assert portfolio.evidence.search("Émile") == []
    portfolio.evidence.create(reflection("Café conversation"))
    assert [h.item.title for h in portfolio.evidence.search("cafe")] == ["Café conversation"]


def test_bulk_create_builds_the_index_once(portfolio: Portfolio) -> None:
    drafts = [reflection(f"Bulk item {n}", text=f"unique{n}") for n in range(50)]
    assert portfolio.evidence.bulk_create(drafts) == 50
    assert portfolio.evidence.count() == 50
    assert [h.item.title for h in portfolio.evidence.search("unique7")] == ["Bulk item 7"]
    item = portfolio.evidence.list(EvidenceQuery(text="unique3"))[0]
    assert len(portfolio.evidence.revisions(item.uuid)) == 1


def test_bulk_create_into_an_empty_portfolio_leaves_every_index_as_it_was(
    portfolio: Portfolio,
) -> None:
    """SQLite builds the secondary indexes after the rows when the portfolio is empty: they come
    back the same, and a load that fails part way leaves them, and the rows, as they were."""
    before = indexes(portfolio.location)
    bad = [reflection(f"Item {n}") for n in range(30)]
    bad[20] = reflection("Bad", links=(Link("GPC99", ""),))
    with pytest.raises(InvalidInput, match="Unknown domain"):
        portfolio.evidence.bulk_create(bad, batch=10)
    assert portfolio.evidence.count() == 0 and indexes(portfolio.location) == before
    assert portfolio.evidence.bulk_create([reflection(f"Item {n}") for n in range(30)], 10) == 30
    assert indexes(portfolio.location) == before
    assert portfolio.evidence.bulk_create([reflection("One more")]) == 1  # not empty: as it was
    assert indexes(portfolio.location) == before and portfolio.evidence.count() == 31
    with portfolio.database.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM revision")).scalar() == 31


def test_attachments_are_content_addressed_and_sniffed(portfolio: Portfolio, tmp_path) -> None:
    item = portfolio.evidence.create(reflection())
    pdf = tmp_path / "certificate.txt"
    pdf.write_bytes(b"%PDF-1.4 fake but typed by its bytes")
    first = portfolio.evidence.attach(item.uuid, pdf)
    assert first.mime_type == "application/pdf"
    assert portfolio.evidence.attach(item.uuid, pdf) == first
    assert portfolio.evidence.get(item.uuid).attachments == (first,)
    portfolio.evidence.detach(item.uuid, first.sha256)
    assert portfolio.evidence.get(item.uuid).attachments == ()
    assert portfolio.evidence.attachment_content(first.sha256).startswith(b"%PDF")
    with pytest.raises(InvalidInput, match="at most 25 MiB"):
        portfolio.evidence.attach_bytes(item.uuid, "huge.bin", b"x" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(NotFound, match="no attachment file"):
        portfolio.evidence.attach(item.uuid, tmp_path / "missing.pdf")


def test_digest_covers_content_not_workflow(portfolio: Portfolio) -> None:
    item = portfolio.evidence.create(reflection())
    submitted = portfolio.evidence.submit([item.uuid])[0]
    retagged = portfolio.evidence.update(item.uuid, reflection(tags=("other",)))
    assert item.digest == submitted.digest == retagged.digest
    edited = portfolio.evidence.update(item.uuid, reflection(text="Changed learning."))
    assert edited.digest != item.digest


def test_coverage_counts_each_item_once_per_domain(portfolio: Portfolio) -> None:
    a = portfolio.evidence.create(reflection(links=(Link("GPC6.1"), Link("GPC6.2"), Link("GPC5"))))
    portfolio.evidence.create(reflection(links=(Link("GPC6"),)))
    portfolio.evidence.create(reflection(links=(Link("GPC1"),), private=True))
    portfolio.evidence.submit([a.uuid])
    coverage = portfolio.coverage.coverage()
    by_code = {d.code: d for d in coverage.domains}
    assert [d.code for d in coverage.domains] == [f"GPC{n}" for n in range(1, 10)]
    assert by_code["GPC6"].total == 2
    assert by_code["GPC6"].by_status == {"ready": 1, "draft": 1}
    assert by_code["GPC5"].awaiting_review == 1
    assert coverage.awaiting_review == 1
    assert "GPC9" in coverage.without_evidence
    assert portfolio.coverage.coverage(include_private=False).domains[0].total == 0


def test_capabilities_of_other_curricula_count_towards_gpc(portfolio: Portfolio) -> None:
    from portfolio.curriculum import builtin_curricula

    foundation = next(c for c in builtin_curricula() if c.id != "gpc-2017")
    capability = next(n for n in foundation.nodes if n.maps_to)
    portfolio.evidence.create(reflection(links=(Link(capability.code),)))
    totals = {d.code: d.total for d in portfolio.coverage.coverage().domains}
    for target in capability.maps_to:
        assert totals[target.split(".")[0]] == 1


def test_coverage_counts_an_item_once_across_curricula_and_lists_statuses_in_order(
    portfolio: Portfolio,
) -> None:
    """Counted in SQL per set of linked codes: a GPC sub-heading and another curriculum's
    capability mapping to the same domain still make one item for that domain."""
    from portfolio.curriculum import builtin_curricula

    foundation = next(c for c in builtin_curricula() if c.id != "gpc-2017")
    capability = next(n for n in foundation.nodes if n.maps_to)
    domain = capability.maps_to[0].split(".")[0]
    portfolio.evidence.create(reflection(links=(Link(capability.code), Link(domain))))
    ready = portfolio.evidence.create(reflection(links=(Link(domain),)))
    portfolio.evidence.submit([ready.uuid])
    gone = portfolio.evidence.create(reflection(links=(Link(domain),)))
    portfolio.evidence.delete(gone.uuid)
    row = next(d for d in portfolio.coverage.coverage().domains if d.code == domain)
    assert row.total == 2
    assert list(row.by_status.items()) == [("draft", 1), ("ready", 1)]
    (counted,) = [r for r in portfolio.coverage.capability_coverage(foundation.id) if r.total]
    assert (counted.code, counted.by_status) == (capability.code, {"draft": 1})


@pytest.mark.parametrize(
    "query",
    [
        EvidenceQuery(),
        EvidenceQuery(sort="title", descending=False),
        EvidenceQuery(sort="domains"),
        EvidenceQuery(text="handover"),
        EvidenceQuery(domain="GPC6", kind="reflection"),
        EvidenceQuery(status="ready"),
        EvidenceQuery(trash=True),
        EvidenceQuery(tag="nights"),
    ],
    ids=repr,
)
def test_the_list_in_one_query_is_the_rows_of_its_ids(
    portfolio: Portfolio, query: EvidenceQuery
) -> None:
    """``list`` reads rows and links in one pass; the window pages through ``query_ids`` and
    ``summaries``: both give the same rows in the same order."""
    first = portfolio.evidence.create(reflection(links=(Link("GPC6.2"), Link("GPC1"))))
    portfolio.evidence.create(reflection("Teaching juniors", tags=("nights",)))
    third = portfolio.evidence.create(reflection("Audit", links=(Link("GPC6"),)))
    portfolio.evidence.create(reflection("Handover again"))
    portfolio.evidence.submit([first.uuid])
    portfolio.evidence.delete(third.uuid)
    listed = portfolio.evidence.list(query)
    assert listed == portfolio.evidence.summaries(portfolio.evidence.query_ids(query))
    assert listed  # every query above finds something


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"occurred_until": date(2023, 1, 1)}, "occurred_until"),
        ({"text": "x" * 100_001}, "text"),
        ({"tags": ("t" * 101,)}, "tags"),
        ({"links": (Link("GPC1", "j" * 5_001),)}, "links.GPC1"),
        ({"links": (Link("GPC42"),)}, "links"),
        ({"fields": {"model": "gibbs", "feelings": 3}}, "fields.feelings"),
        ({"fields": {"model": "gibbs", "what": "hidden"}}, "fields.what"),
        ({"fields": {"nonsense": "x"}}, "fields"),
    ],
)
def test_a_rejected_draft_names_the_field_it_concerns(
    portfolio: Portfolio, changes: dict[str, object], field: str
) -> None:
    """The editor focuses ``InvalidInput.field``; nothing is saved."""
    with pytest.raises(InvalidInput) as caught:
        portfolio.evidence.create(replace(reflection(), **changes))
    assert caught.value.field == field
    assert portfolio.evidence.count() == 0


def test_the_list_and_coverage_read_the_same_on_postgresql(postgres_url: str) -> None:
    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location

    with open_portfolio(resolve_location(None, postgres_url)) as portfolio:
        first = portfolio.evidence.create(reflection(links=(Link("GPC6.2"), Link("GPC6.1"))))
        portfolio.evidence.create(reflection("Teaching juniors", links=(Link("GPC6"),)))
        portfolio.evidence.submit([first.uuid])
        for query in (EvidenceQuery(), EvidenceQuery(domain="GPC6", sort="domains")):
            listed = portfolio.evidence.list(query)
            assert listed == portfolio.evidence.summaries(portfolio.evidence.query_ids(query))
            assert sorted(item.domains for item in listed) == [("GPC6",), ("GPC6.1", "GPC6.2")]
        gpc6 = portfolio.coverage.coverage().domains[5]
        assert (gpc6.code, gpc6.by_status) == ("GPC6", {"draft": 1, "ready": 1})


def test_list_rows_show_what_the_summaries_say_in_the_order_asked(portfolio: Portfolio) -> None:
    """The list's compact rows: the same item, status (sign-offs verified), codes and privacy as
    the summaries, the date as shown, for any ids in the order given; a missing id is left out."""
    from portfolio.demo import fill_demo

    fill_demo(portfolio)
    ids = portfolio.evidence.query_ids(EvidenceQuery(sort="title"))
    summaries = portfolio.evidence.summaries(ids)
    assert {s.status for s in summaries} >= {"draft", "ready", "signed_off"}
    rows = portfolio.evidence.list_rows([*reversed(ids), 10**9])
    assert [row.id for row in rows] == list(reversed(ids))
    for row, summary in zip(reversed(rows), summaries, strict=True):
        assert isinstance(row, tuple)
        assert row.uuid == summary.uuid and row.kind == summary.kind
        assert row.title == summary.title and row.private == summary.private
        assert row.occurred_on == summary.occurred_on.isoformat()
        assert row.domains == ", ".join(summary.domains)
        assert row.status == summary.status and row.signoff == summary.signoff


@pytest.mark.sqlite_only  # SQLite's progress handler: on PostgreSQL a query runs to its end
def test_a_query_cancelled_mid_way_stops_and_says_so(portfolio: Portfolio) -> None:
    """The list's search as you type: SQLite stops the query it is running once ``cancelled``
    turns true (asked between steps of the query), and ``query_ids_unless`` answers None."""
    portfolio.evidence.bulk_create(
        reflection(f"Session {n} on handover", occurred_on=date(2023, 1, 1 + n % 28))
        for n in range(400)
    )
    query = EvidenceQuery(text="handover", sort="title")
    asked: list[bool] = []

    def after_the_first_look() -> bool:  # false before the query starts, true once it runs
        asked.append(True)
        return len(asked) > 1

    assert portfolio.evidence.query_ids_unless(query, after_the_first_look) is None
    assert len(asked) > 1  # it was asked while the query ran, and stopped it
    whole = portfolio.evidence.query_ids_unless(query, lambda: False)
    assert whole == portfolio.evidence.query_ids(query) and len(whole) == 400
    assert portfolio.evidence.query_ids_unless(query, lambda: False, 10) == whole[:10]
    assert portfolio.evidence.query_ids(query) == whole  # the handler is gone afterwards
