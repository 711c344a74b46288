"""The ARCP summary of 2,000 items against plain ReportLab laying out the same content.

Ours: ``portfolio.reports.arcp.render_arcp`` (furniture, "Page x of y", chart, styles).
Baseline, in the same run: ReportLab's SimpleDocTemplate with the same fonts, the same
paragraph texts and the same tables, built inline here with none of our code. The time to
gather the data from the services is printed on its own (it is not layout).

    .venv/bin/python benchmarks/bench_report.py [--items N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.reports.gather import build_arcp_report
from portfolio.reports.model import ArcpReport
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from portfolio.services.evidence import EvidenceQuery

WORDS = (
    "sepsis",
    "handover",
    "escalation",
    "audit",
    "teaching",
    "rota",
    "delirium",
    "discharge",
    "feedback",
    "falls",
    "consent",
    "safeguarding",
    "prescribing",
    "insulin",
    "anticoagulation",
    "leadership",
    "committee",
    "deterioration",
    "communication",
    "simulation",
)
DOMAINS = ("GPC1", "GPC2.2", "GPC3.1", "GPC4", "GPC5", "GPC6.1", "GPC6.2", "GPC7", "GPC8", "GPC9")


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _words(n: int, count: int) -> str:
    return " ".join(WORDS[(n * 3 + k) % 20] for k in range(count))


def drafts(count: int) -> list[EvidenceDraft]:
    start = date(2025, 8, 1)
    out = []
    for n in range(count):
        links = (Link(DOMAINS[n % 10]), Link(DOMAINS[(n * 7 + 3) % 10]))
        when = start + timedelta(days=n % 360)
        if n % 10 == 0:
            out.append(
                EvidenceDraft(
                    kind="qi_project",
                    title=f"Improving {WORDS[n % 20]} on the ward {n}",
                    occurred_on=when,
                    links=links,
                    text=_words(n, 60),
                    fields={
                        "role": "Project lead",
                        "aim": _words(n, 30),
                        "measures": _words(n, 25),
                        "pdsa_cycles": [
                            {
                                "plan": _words(n + k, 20),
                                "do": _words(n, 15),
                                "study": _words(n, 20),
                                "act": _words(n, 10),
                            }
                            for k in range(2)
                        ],
                        "outcome": _words(n, 30),
                    },
                )
            )
        elif n % 10 == 1:
            out.append(
                EvidenceDraft(
                    kind="leadership_role",
                    title=f"Rota lead {n}",
                    occurred_on=when,
                    links=links,
                    text=_words(n, 50),
                    fields={
                        "role": "Rota lead",
                        "organisation": "Royal Devon University Hospital",
                        "responsibilities": _words(n, 30),
                        "what_changed": _words(n, 30),
                    },
                )
            )
        else:
            out.append(
                EvidenceDraft(
                    kind="reflection",
                    title=f"{WORDS[n % 20].title()} on call {n}",
                    occurred_on=when,
                    links=links,
                    text=_words(n, 80),
                    fields={
                        "model": "what_so_what_now_what",
                        "what": _words(n, 30),
                        "so_what": _words(n, 30),
                        "now_what": _words(n, 25),
                    },
                )
            )
    return out


def make_portfolio(folder: Path, items: int, signed: int) -> ArcpReport:
    keyring.set_keyring(_MemoryKeyring())
    with open_portfolio(resolve_location(folder)) as portfolio:
        portfolio.profile.save(
            ProfileData(
                name="Zoë Ørsted-Łukasiewicz",
                gmc_number="7000001",
                grade="FY2",
                programme="Foundation Programme",
                trust="Royal Devon University Healthcare NHS Foundation Trust",
                educational_supervisor="Nguyễn Thị Minh",
            )
        )
        portfolio.evidence.bulk_create(drafts(items))
        uuids = [s.uuid for s in portfolio.evidence.list(EvidenceQuery(sort="date"))]
        portfolio.evidence.submit(uuids[: signed + 200])
        info = portfolio.signoffs.create_identity(
            "Tom Hughes", "4000002", "clinical_supervisor", "bench passphrase"
        )
        unlocked = portfolio.signoffs.unlock(info.fingerprint, "bench passphrase")
        for uuid in uuids[:signed]:
            portfolio.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Good.")
        started = time.perf_counter()
        report = build_arcp_report(portfolio)
        print(f"gathering {items:,} items from the services: {time.perf_counter() - started:.2f} s")
        return report


def plain_reportlab(report: ArcpReport, out: Path) -> None:
    """The same content with ReportLab alone: same fonts, paragraphs and tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        LongTable,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    body = ParagraphStyle("b", fontName="GPCSans", fontSize=8.2, leading=10.6)
    prose = ParagraphStyle("p", fontName="GPCSerif", fontSize=9.4, leading=13.6)
    head = ParagraphStyle("h", fontName="GPCSerif-Bold", fontSize=11.5, leading=15)
    ruled = TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey)]
    )
    width = A4[0] - 48 * mm
    story: list[object] = [Paragraph(report.trainee.name, head)]
    story.append(
        Table(
            [
                [Paragraph(k, body), Paragraph(v, prose)]
                for k, v in (
                    ("GMC number", report.trainee.gmc_number),
                    ("Programme", report.trainee.programme),
                    ("Trust", report.trainee.trust),
                    ("Period", report.period_text()),
                )
            ],
            colWidths=[48 * mm, width - 48 * mm],
        )
    )
    story += [
        PageBreak(),
        Table(
            [
                [
                    Paragraph(f"{r.code} {r.title}", body),
                    *(
                        Paragraph(str(v), body)
                        for v in (r.items, r.signed, r.awaiting_review, r.edited)
                    ),
                ]
                for r in report.domains
            ],
            colWidths=[width - 76 * mm, 14 * mm, 19 * mm, 19 * mm, 24 * mm],
            style=ruled,
        ),
        PageBreak(),
    ]
    for row in report.domains:
        items = [i for i in report.items if row.code in i.domains]
        story.append(Paragraph(f"{row.code} {row.title}", head))
        rows = [[Paragraph("DATE", body), Paragraph("ITEM", body), Paragraph("SIGN-OFF", body)]]
        for i in items:
            s = i.signoff
            status = (
                f"<b>Signed off · valid</b><br/>{s.signer_name}, {s.signer_role}<br/>"
                f"{s.fingerprint}"
                if s
                else i.status
            )
            rows.append(
                [
                    Paragraph(f"{i.occurred_on:%d %b %Y}", body),
                    Paragraph(f"{i.title}<br/>{i.kind_title}", body),
                    Paragraph(status, body),
                ]
            )
        story.append(
            LongTable(
                rows, colWidths=[22 * mm, width - 80 * mm, 58 * mm], repeatRows=1, style=ruled
            )
        )
    story.append(PageBreak())
    for i in (*report.projects, *report.reflections):
        story.append(Paragraph(i.title, head))
        for f in i.fields:
            story.append(Paragraph(f.label.upper(), body))
            if f.entries:
                for e in f.entries:
                    story.append(
                        Table(
                            [
                                [Paragraph(e.caption, body), ""],
                                *(
                                    [Paragraph(p.label, body), Paragraph(p.text, body)]
                                    for p in e.fields
                                ),
                            ],
                            colWidths=[22 * mm, width - 22 * mm],
                            style=ruled,
                        )
                    )
            else:
                story.append(Paragraph(f.text, prose))
        story += [
            Paragraph(i.text_label.upper(), body),
            Paragraph(i.text, prose),
            Table([[Paragraph(i.status, body)]], colWidths=[width]),
            Spacer(1, 10),
        ]
    story.append(PageBreak())
    rows = [[Paragraph(h, body) for h in ("ITEM", "DECISION", "SIGNED BY", "KEY", "STATE")]]
    rows += [
        [
            Paragraph(e.item_title, body),
            Paragraph(e.signoff.decision, body),
            Paragraph(e.signoff.signer_name, body),
            Paragraph(e.signoff.fingerprint, body),
            Paragraph(e.signoff.state, body),
        ]
        for e in report.register
    ]
    story.append(
        LongTable(
            rows,
            colWidths=[width - 115 * mm, 25 * mm, 34 * mm, 31 * mm, 25 * mm],
            repeatRows=1,
            style=ruled,
        )
    )

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont("GPCSans", 7.2)  # type: ignore[attr-defined]
        canvas.drawRightString(
            A4[0] - 24 * mm,
            12 * mm,  # type: ignore[attr-defined]
            f"Page {doc.page}",
        )  # type: ignore[attr-defined]

    SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=24 * mm,
        rightMargin=24 * mm,
        topMargin=24 * mm,
        bottomMargin=22 * mm,
        title="ARCP summary",
        author=report.trainee.name,
    ).build(story, onFirstPage=footer, onLaterPages=footer)  # type: ignore[arg-type]


def best_of(repeat: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) if repeat < 3 else statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--signed", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from portfolio.reports.arcp import render_arcp
    from portfolio.reports.styles import register_fonts, styles

    register_fonts()
    styles()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        report = make_portfolio(root / "data", args.items, args.signed)
        ours_out, plain_out = root / "ours.pdf", root / "plain.pdf"
        plain = best_of(args.repeat, lambda: plain_reportlab(report, plain_out))
        ours = best_of(args.repeat, lambda: render_arcp(report, str(ours_out)))
        from pypdf import PdfReader

        print(
            f"plain ReportLab, same content: {plain:.2f} s "
            f"({len(PdfReader(plain_out).pages)} pages)"
        )
        print(
            f"ours (render_arcp):            {ours:.2f} s ({len(PdfReader(ours_out).pages)} pages)"
        )
        print(f"ratio: {ours / plain:.2f}x (target ≤ 1.2x)")


if __name__ == "__main__":
    main()
