"""The ARCP summary: 2,000 items laid out in process, and a realistic year as a whole process.

Ours: ``render_arcp`` (furniture, "Page x of y", chart, styles); then the ``gpc-portfolio
report`` command on a year of 150 items. Baseline, in the same run and in turn: ReportLab's
SimpleDocTemplate with the same fonts, the same paragraph texts and the same tables, built here
with none of our code (for the whole process, a ``python`` process that reads the same content
from JSON, registers the fonts and lays it out). The time to gather the 2,000 items from the
services is printed on its own (it is not layout).

    .venv/bin/python benchmarks/bench_report.py [--items N] [--year-items N] [--repeat R]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    Target,
    alternate,
    arguments,
    program,
    report,
    report_processes,
    run_as_child,
    run_child,
    seconds,
)

FONTS = {
    "GPCSans": "DejaVuSans.ttf",
    "GPCSans-Bold": "DejaVuSans-Bold.ttf",
    "GPCSerif": "DejaVuSerif.ttf",
    "GPCSerif-Bold": "DejaVuSerif-Bold.ttf",
}
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


def _words(n: int, count: int) -> str:
    return " ".join(WORDS[(n * 3 + k) % 20] for k in range(count))


def drafts(count: int) -> list[Any]:
    """Reflections, QI projects (two PDSA cycles) and leadership roles over a year."""
    from portfolio.services.dto import EvidenceDraft, Link

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


def make_portfolio(folder: Path, items: int, signed: int) -> Any:
    """A portfolio of ``items``, ``signed`` of them signed off; returns its ARCP report model."""
    import keyring

    from portfolio.app import open_portfolio
    from portfolio.paths import resolve_location
    from portfolio.reports.gather import build_arcp_report
    from portfolio.services.dto import ProfileData
    from portfolio.services.evidence import EvidenceQuery
    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
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
        portfolio.evidence.submit(uuids[: signed + items // 10])
        info = portfolio.signoffs.create_identity(
            "Tom Hughes", "4000002", "clinical_supervisor", "bench passphrase"
        )
        unlocked = portfolio.signoffs.unlock(info.fingerprint, "bench passphrase")
        for uuid in uuids[:signed]:
            portfolio.signoffs.sign_in_meeting(unlocked, uuid, "signed_off", "Good.")
        started = time.perf_counter()
        report = build_arcp_report(portfolio)
        print(
            f"(gathering {items:,} items from the services: {time.perf_counter() - started:.2f} s)"
        )
        return report


def content_json(report: Any) -> str:
    """What the baseline lays out, as plain JSON (the embedded files left out)."""
    content = {k: v for k, v in asdict(report).items() if k != "embedded"}
    content["period_text"] = report.period_text()
    return json.dumps(content, default=str)


def read_content(text: str) -> Any:
    return json.loads(text, object_hook=lambda values: SimpleNamespace(**values))


def register_plain_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(ROOT / "resources" / "fonts" / filename)))
    for family in ("GPCSans", "GPCSerif"):
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, f"{family}-Bold")


def child_plain(content_path: str, out: str) -> None:
    """The whole-process baseline: read the content, register the fonts, lay it out."""
    register_plain_fonts()
    plain_reportlab(read_content(Path(content_path).read_text()), Path(out))


def plain_reportlab(report: Any, out: Path) -> None:
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
                    ("Period", report.period_text),
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
                    Paragraph(f"{date.fromisoformat(i.occurred_on):%d %b %Y}", body),
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


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    if run_as_child({"plain": child_plain}):
        return
    args = arguments(__doc__, repeat=3, items=(2000, 40), signed=(600, 10), year_items=(150, 20))
    from portfolio.reports.arcp import render_arcp
    from portfolio.reports.styles import register_fonts, styles

    register_fonts()
    styles()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        model = make_portfolio(root / "data", args.items, args.signed)
        content = read_content(content_json(model))
        ours_out, plain_out = root / "ours.pdf", root / "plain.pdf"
        ours, base = alternate(
            lambda: seconds(render_arcp, model, str(ours_out)),
            lambda: seconds(plain_reportlab, content, plain_out),
            args.repeat,
            args.warmup,
        )
        report(
            f"ARCP summary, {args.items:,} items ({pages(ours_out)} pages; the baseline's "
            f"{pages(plain_out)})",
            ours,
            base,
            baseline="plain ReportLab laying out the same content: fonts, texts, tables",
            target=Target(
                "≤ 1.15x, same page count",
                ratio=1.15,
                also=pages(ours_out) == pages(plain_out),
            ),
        )

        year = root / "year"
        content_path = root / "year.json"
        content_path.write_text(
            content_json(make_portfolio(year, args.year_items, args.year_items // 3))
        )
        ours_argv = [program(), "--data-dir", str(year), "report", "--out", str(ours_out)]
        base_argv = [
            sys.executable,
            __file__,
            "--child",
            "plain",
            str(content_path),
            str(plain_out),
        ]
        mine, theirs = alternate(
            lambda: run_child(ours_argv), lambda: run_child(base_argv), args.repeat, args.warmup
        )
        report_processes(
            f"`report`, a year of {args.year_items} items, whole process ({pages(ours_out)} "
            f"pages; the baseline's {pages(plain_out)})",
            mine,
            theirs,
            baseline="a python process reading the same content as JSON and laying it out "
            "with plain ReportLab",
            target=Target("≤ 0.6 s", at_most=0.6),
        )


if __name__ == "__main__":
    main()
