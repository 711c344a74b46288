"""The ARCP summary, read back from the PDF: complete, private by default, trustworthy."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portfolio.curriculum import gpc
from portfolio.errors import NotFound
from portfolio.reports import ReportCancelled
from portfolio.reports.gather import arcp_file_name, build_arcp_report
from portfolio.reports.service import PROGRESS_TOTAL
from portfolio.services.evidence import EvidenceQuery
from tests.reports.conftest import NAME, SUPERVISOR, Signed, pdf_text, qpdf_check


@pytest.fixture(scope="module")
def summary(signed: Signed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "arcp.pdf"
    return signed.portfolio.reports.write_arcp(out)


def test_every_gpc_domain_title_is_printed(summary: Path) -> None:
    text = pdf_text(summary)
    for node in gpc().top_level():
        assert f"{node.code} {node.title}" in text


def _printed_counts(text: str, code: str, title: str) -> tuple[int, ...]:
    match = re.search(re.escape(f"{code} {title}") + r" (\S+) (\S+) (\S+) (\S+)", text)
    assert match, f"no coverage row for {code}"
    return tuple(0 if cell == "–" else int(cell) for cell in match.groups())


def test_coverage_counts_match_the_coverage_service(signed: Signed, summary: Path) -> None:
    coverage = signed.portfolio.coverage.coverage(include_private=False)
    text = pdf_text(summary)
    assert any(d.by_status.get("edited") for d in coverage.domains)
    for domain in coverage.domains:
        printed = _printed_counts(text, domain.code, domain.title)
        assert printed == (
            domain.total,
            domain.signed,
            domain.awaiting_review,
            domain.by_status.get("edited", 0),
        ), domain.code


def test_counts_follow_the_period(signed: Signed) -> None:
    start, end = date(2025, 9, 1), date(2025, 12, 31)
    report = build_arcp_report(signed.portfolio, date_from=start, date_to=end)
    in_period = signed.portfolio.evidence.list(
        EvidenceQuery(date_from=start, date_to=end, include_private=False)
    )
    assert {i.uuid for i in report.items} == {s.uuid for s in in_period}
    assert all(start <= i.occurred_on <= end for i in report.items)
    for row in report.domains:
        assert row.items == sum(1 for i in report.items if row.code in i.domains)


def test_domains_without_signed_evidence_are_called_out(signed: Signed, summary: Path) -> None:
    gaps = signed.portfolio.coverage.coverage(include_private=False).without_signed_evidence
    assert gaps
    text = pdf_text(summary)
    assert "Domains with no validly signed evidence" in text
    callout = text.split("Domains with no validly signed evidence", 1)[1][:600]
    for code in gaps:
        assert code in callout


def test_sign_off_states_are_verified_and_shown(signed: Signed, summary: Path) -> None:
    report = build_arcp_report(signed.portfolio)
    states = {e.item_uuid: e.signoff.state for e in report.register}
    assert states[signed.valid] == "valid"
    assert states[signed.edited] == "edited"
    text = pdf_text(summary)
    fingerprint = signed.portfolio.signoffs.identities()[0].fingerprint
    register = text.split("Register of sign-offs", 1)[1]
    assert "Edited since sign-off" in register and "Valid" in register
    assert fingerprint in text
    assert "Tom Hughes" in register
    edited_title = signed.portfolio.evidence.get(signed.edited).title
    row = register.split(" ".join(edited_title.split()), 1)[1][:200]
    assert "Edited since sign-off" in row


def test_unicode_names_extract_exactly(summary: Path) -> None:
    text = pdf_text(summary)
    assert NAME in text
    assert SUPERVISOR in text
    reader = PdfReader(summary)
    assert reader.metadata is not None
    assert reader.metadata.author == NAME
    assert NAME in (reader.metadata.title or "")
    assert "GMC 7000001" in (reader.metadata.subject or "")


def test_pages_are_numbered_x_of_y(summary: Path) -> None:
    reader = PdfReader(summary)
    total = len(reader.pages)
    assert total > 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_private_items_never_appear_unless_included(
    signed: Signed, summary: Path, tmp_path: Path
) -> None:
    titles = [signed.portfolio.evidence.get(u).title for u in signed.private]
    text = pdf_text(summary)
    for title in titles:
        assert " ".join(title.split()) not in text
    chosen = signed.private[0]
    with_one = signed.portfolio.reports.write_arcp(tmp_path / "with.pdf", include_private=[chosen])
    text = pdf_text(with_one)
    assert " ".join(titles[0].split()) in text
    for title in titles[1:]:
        assert " ".join(title.split()) not in text
    assert "(private)" in text


def test_reflections_are_included_only_as_chosen(signed: Signed) -> None:
    every = build_arcp_report(signed.portfolio)
    reflections = [i for i in every.items if i.kind == "reflection"]
    assert {i.uuid for i in every.reflections} == {i.uuid for i in reflections}
    assert build_arcp_report(signed.portfolio, reflections=()).reflections == ()
    one = build_arcp_report(signed.portfolio, reflections=[reflections[0].uuid])
    assert [i.uuid for i in one.reflections] == [reflections[0].uuid]


def test_qi_projects_and_leadership_roles_print_in_full(signed: Signed, summary: Path) -> None:
    text = pdf_text(summary)
    for label in (
        "What are we trying to accomplish?",
        "PDSA cycle 1",
        "Outcome",
        "Organisation",
        "What changed",
    ):
        assert label.upper() in text.upper()


def test_qpdf_finds_the_file_sound(summary: Path) -> None:
    qpdf_check(summary)


def test_same_bytes_twice_with_source_date_epoch(
    signed: Signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    first = signed.portfolio.reports.write_arcp(tmp_path / "first.pdf").read_bytes()
    second = signed.portfolio.reports.write_arcp(tmp_path / "second.pdf").read_bytes()
    assert first == second
    text = pdf_text(tmp_path / "first.pdf")
    assert "Generated 1 January 2026" in text
    reader = PdfReader(tmp_path / "first.pdf")
    assert reader.metadata is not None
    assert str(reader.metadata.get("/CreationDate", "")).startswith("D:20260101000000")
    attached = reader.attachments  # the credentials and manifest are part of the same bytes
    assert "gpc-portfolio-manifest.json" in attached
    assert any(name.startswith("credential-") for name in attached)


def test_progress_is_reported_and_cancel_writes_nothing(signed: Signed, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    signed.portfolio.reports.write_arcp(
        tmp_path / "done.pdf",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (PROGRESS_TOTAL, PROGRESS_TOTAL)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    calls = [0]

    def cancel_midway() -> bool:
        calls[0] += 1
        return calls[0] > 20

    with pytest.raises(ReportCancelled):
        signed.portfolio.reports.write_arcp(tmp_path / "cancelled.pdf", cancelled=cancel_midway)
    assert list(tmp_path.glob("*cancelled*")) == []


def test_a_period_that_ends_before_it_starts_is_refused(signed: Signed, tmp_path: Path) -> None:
    from portfolio.errors import InvalidInput

    with pytest.raises(InvalidInput, match="starts"):
        signed.portfolio.reports.write_arcp(
            tmp_path / "x.pdf",
            date_from=date(2026, 1, 2),
            date_to=date(2026, 1, 1),
        )
    assert not (tmp_path / "x.pdf").exists()


def test_importing_the_report_service_does_not_load_reportlab() -> None:
    code = (
        "import sys, portfolio.reports.service, portfolio.reports.gather, portfolio.reports.model\n"
        "print(any(m.startswith('reportlab') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


SECTIONS = (
    "Coverage of the GPC domains",
    "Evidence by domain",
    "Quality improvement and leadership",
    "Reflections",
    "Register of sign-offs",
)


def _section_numbers(path: Path) -> dict[str, int]:
    """Each section heading's number, read from the start of a page's text."""
    numbers: dict[str, int] = {}
    for page in PdfReader(path).pages:
        for line in (page.extract_text() or "").splitlines():
            match = re.fullmatch(r"(\d+)\s+(.+?)\s*", line)
            if match and match.group(2) in SECTIONS:
                numbers[match.group(2)] = int(match.group(1))
    return numbers


def test_sections_are_numbered_without_gaps(signed: Signed, summary: Path, tmp_path: Path) -> None:
    assert _section_numbers(summary) == {title: n for n, title in enumerate(SECTIONS, start=1)}
    without = signed.portfolio.reports.write_arcp(tmp_path / "none.pdf", reflections=())
    assert _section_numbers(without) == {
        "Coverage of the GPC domains": 1,
        "Evidence by domain": 2,
        "Quality improvement and leadership": 3,
        "Register of sign-offs": 4,
    }


def test_cover_counters_read_as_label_then_figure_and_count_private_items_left_out(
    signed: Signed, summary: Path
) -> None:
    report = build_arcp_report(signed.portfolio)
    cover = " ".join((PdfReader(summary).pages[0].extract_text() or "").split())
    every = signed.portfolio.evidence.list(EvidenceQuery(include_private=True))
    left_out = len(signed.private)
    assert report.private_left_out == left_out
    signed_off = sum(1 for i in report.items if i.status == "signed_off")
    waiting = sum(1 for i in report.items if i.status == "ready")
    assert (
        f"Evidence items in the period {len(every) - left_out} "
        f"Signed off, valid and vouched for {signed_off} "
        f"Awaiting review {waiting} Edited since sign-off 1 Private items not included {left_out}"
    ) in cover
    assert f"the app counts {len(every)} items" in cover


def test_private_items_chosen_are_not_counted_as_left_out(signed: Signed) -> None:
    report = build_arcp_report(signed.portfolio, include_private=signed.private[:1])
    assert report.private_left_out == len(signed.private) - 1
    assert report.private_included == 1


def test_the_file_name_offered_names_the_trainee_and_the_period() -> None:
    today = date(2026, 7, 31)
    assert (
        arcp_file_name("Dr A Khan", date(2025, 8, 1), date(2026, 7, 31), today)
        == "ARCP summary - Dr A Khan - 2025-08-01 to 2026-07-31.pdf"
    )
    assert arcp_file_name(NAME, None, None, today) == (
        f"ARCP summary - {NAME} - start to 2026-07-31.pdf"
    )
    assert arcp_file_name('A/B: "C"?', None, None, today).startswith("ARCP summary - AB C - ")


def test_the_register_reads_every_history_in_one_pass(signed: Signed) -> None:
    signoffs = signed.portfolio.signoffs
    uuids = [s.uuid for s in signed.portfolio.evidence.list()]
    together = signoffs.histories([*uuids, "no-such-item"])
    assert "no-such-item" not in together
    assert together == {u: signoffs.history(u) for u in uuids}
    assert together[signed.valid] and together[signed.edited]
    with pytest.raises(NotFound):
        signoffs.history("no-such-item")


def test_the_summary_reads_and_digests_each_item_once(signed: Signed) -> None:
    """The items' content is read once for the whole summary: the sign-offs' statuses and the
    register's histories are verified against the digests of what was read, not of a second
    and third read of the items (and the states stay those verified from scratch)."""
    reads: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "evidence.text" in statement:
            reads.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        report = build_arcp_report(signed.portfolio)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert len(reads) == 1, reads
    signoffs = signed.portfolio.signoffs
    assert {e.item_uuid for e in report.register} >= {signed.valid, signed.edited}
    for entry in report.register:
        assert entry.signoff.state in {s.state for s in signoffs.history(entry.item_uuid)}
    states = {e.item_uuid: e.signoff.state for e in report.register}
    assert states[signed.valid] == "valid" and states[signed.edited] == "edited"
