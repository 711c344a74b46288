"""The ARCP summary: 2,000 items laid out in process, and a realistic year as a whole process.

Ours: ``render_arcp`` (furniture, "Page x of y", chart, styles, the embedded credentials and
manifest); then the ``gpc-portfolio report`` command on a realistic year of 150 items (44
pages: its kinds and text lengths are a trainee's year, see ``YEAR_MIX``). Baseline, in the
same run and in turn: ReportLab alone laying out the same content, built here with none of our
code: the same fonts, styles, spacing, paddings, frame, texts and chart, so both print the same
pages (the page counts are printed and checked equal); for the whole process, a ``python``
process that reads the same content from JSON, registers the fonts and lays it out. The time to
gather the 2,000 items from the services is printed on its own (it is not layout). The package
is byte-compiled first, as installing it does (see ``bench_cli.py``).

    .venv/bin/python benchmarks/bench_report.py [--items N] [--year-items N] [--repeat R]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _child import ROOT, run_as_child  # the baseline's child imports no more

FONTS = {
    "GPCSans": "DejaVuSans.ttf",
    "GPCSans-Bold": "DejaVuSans-Bold.ttf",
    "GPCSans-Oblique": "DejaVuSans-Oblique.ttf",
    "GPCSerif": "DejaVuSerif.ttf",
    "GPCSerif-Bold": "DejaVuSerif-Bold.ttf",
    "GPCSerif-Italic": "DejaVuSerif-Italic.ttf",
    "GPCMono": "DejaVuSansMono.ttf",
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


SUMMARY_MIX = ("qi_project", "leadership_role", *("reflection",) * 8)
"""The 2,000-item summary's kinds, in turn: all of them printed in full."""
YEAR_MIX = (
    "qi_project",
    "leadership_role",
    *("reflection",) * 6,
    *("assessment",) * 10,
    *("teaching",) * 5,
    *("course",) * 4,
    *("supervisor_meeting",) * 3,
)
"""A trainee's year, near the proportions of the demo's FY2 year: a fifth reflections and one
in fifteen a project or role (printed in full), the rest assessments, teaching, courses and
meetings (listed under their domains only)."""
YEAR_LENGTH = 0.3
"""The year's texts, as a share of the summary's: with ``YEAR_MIX`` its 150 items print the 44
pages of the issue's year (shorter texts alone cannot: with every item in full, as in the
summary, a tenth of the words still printed 87 pages)."""


def drafts(count: int, kinds: Sequence[str] = SUMMARY_MIX, length: float = 1.0) -> list[Any]:
    """``count`` items over a year, of ``kinds`` in turn (QI projects with two PDSA cycles),
    every text ``length`` times its full number of words."""
    from portfolio.services.dto import EvidenceDraft, Link

    def words(n: int, full: int) -> str:
        return " ".join(WORDS[(n * 3 + k) % 20] for k in range(max(1, round(full * length))))

    def content(kind: str, n: int) -> tuple[str, str, dict[str, Any]]:
        """An item's title, text and fields."""
        if kind == "qi_project":
            cycles = [
                {
                    "plan": words(n + k, 20),
                    "do": words(n, 15),
                    "study": words(n, 20),
                    "act": words(n, 10),
                }
                for k in range(2)
            ]
            fields = {
                "role": "Project lead",
                "aim": words(n, 30),
                "measures": words(n, 25),
                "pdsa_cycles": cycles,
                "outcome": words(n, 30),
            }
            return f"Improving {WORDS[n % 20]} on the ward {n}", words(n, 60), fields
        if kind == "leadership_role":
            fields = {
                "role": "Rota lead",
                "organisation": "Royal Devon University Hospital",
                "responsibilities": words(n, 30),
                "what_changed": words(n, 30),
            }
            return f"Rota lead {n}", words(n, 50), fields
        if kind == "reflection":
            fields = {
                "model": "what_so_what_now_what",
                "what": words(n, 30),
                "so_what": words(n, 30),
                "now_what": words(n, 25),
            }
            return f"{WORDS[n % 20].title()} on call {n}", words(n, 80), fields
        if kind == "assessment":
            form = ("mini-CEX", "CBD", "DOPS")[n % 3]
            fields = {
                "form": form,
                "assessor": "Tom Hughes",
                "assessor_role": "Consultant in acute medicine",
                "outcome": "Meets expectations for FY2",
            }
            return f"{form}: {WORDS[n % 20]} on the acute take {n}", words(n, 40), fields
        if kind == "teaching":
            fields = {
                "topic": words(n, 6),
                "audience": "FY1 doctors",
                "format": "small_group",
                "learners": 8,
                "feedback": words(n, 30),
            }
            return f"Teaching: {WORDS[n % 20]} {n}", words(n, 40), fields
        if kind == "course":
            fields = {"provider": "Royal College of Physicians", "certificate": True, "hours": 7}
            return f"Course: {WORDS[n % 20]} update {n}", words(n, 40), fields
        fields = {
            "supervisor": "Nguyen Thi Minh",
            "supervisor_role": "educational",
            "meeting_type": ("initial", "midpoint", "end_of_placement")[n % 3],
            "agreed_actions": words(n, 30),
        }
        return f"Supervisor meeting {n}", words(n, 40), fields

    start = date(2025, 8, 1)
    out = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        title, text, fields = content(kind, n)
        out.append(
            EvidenceDraft(
                kind=kind,
                title=title,
                occurred_on=start + timedelta(days=n % 360),
                links=(Link(DOMAINS[n % 10]), Link(DOMAINS[(n * 7 + 3) % 10])),
                text=text,
                fields=fields,
            )
        )
    return out


def make_portfolio(folder: Path, items: int, signed: int, **how: Any) -> Any:
    """A portfolio of ``items``, ``signed`` of them signed off (``how``: the kinds and length
    of ``drafts``); returns its ARCP report model."""
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
        portfolio.evidence.bulk_create(drafts(items, **how))
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
    """What the baseline lays out, as plain JSON: the report's texts with every label resolved
    (so the baseline looks nothing up), the embedded files left out."""
    from portfolio.reports.model import decision_text, role_text
    from portfolio.vocabulary import status_label

    assert not report.private_included and not report.capabilities, "the baseline prints neither"
    content = {k: v for k, v in asdict(report).items() if k != "embedded"}
    content["period_text"] = report.period_text()
    signoffs = [i["signoff"] for i in content["items"] if i["signoff"]]
    signoffs += [e["signoff"] for e in content["register"]]
    signoffs += [
        i["signoff"] for i in (*content["projects"], *content["reflections"]) if i["signoff"]
    ]
    for s in signoffs:
        s["decision_text"] = decision_text(s["decision"])
        s["role_text"] = role_text(s["signer_role"])
        s["trusted"] = s["state"] == "valid" and s["vouched"]
    for i in (*content["items"], *content["projects"], *content["reflections"]):
        i["status_text"] = status_label(i["status"])
    return json.dumps(content, default=str)


def read_content(text: str) -> Any:
    return json.loads(text, object_hook=lambda values: SimpleNamespace(**values))


def register_plain_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(ROOT / "resources" / "fonts" / filename)))
    for family in ("GPCSans", "GPCSerif"):
        italic = f"{family}-{'Oblique' if family == 'GPCSans' else 'Italic'}"
        pdfmetrics.registerFontFamily(
            family, normal=family, bold=f"{family}-Bold", italic=italic, boldItalic=f"{family}-Bold"
        )


def child_plain(content_path: str, out: str) -> None:
    """The whole-process baseline: read the content, register the fonts, lay it out."""
    register_plain_fonts()
    plain_reportlab(read_content(Path(content_path).read_text()), Path(out))


def plain_reportlab(report: Any, out: Path) -> None:
    """The same content laid out with ReportLab alone, written as its manual shows: the same
    fonts, sizes, spacing, paddings and texts, so the pages break where ours do; named
    styles, the cookbook's "Page x of y" canvas, a one-cell Table for each boxed note. Not
    laid out: our PDF's attached files (credentials and the manifest, written at the end)."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        LongTable,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
    )

    ink, muted, accent = colors.HexColor("#1f2933"), "#5b6775", colors.HexColor("#1d4e6b")
    rule, tint = colors.HexColor("#cfd6dd"), colors.HexColor("#f3f6f8")
    valid, edited, invalid, waiting = "#2e6b3f", "#9a6200", "#a12222", "#6d7f8f"
    state_colour = {"valid": valid, "edited": edited, "invalid": invalid, "revoked": invalid}

    def style(name: str, parent: Any = None, **values: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **values)

    base = style("base", fontName="GPCSans", fontSize=9, leading=12.5, textColor=ink)
    cell = style("cell", base, fontSize=8.2, leading=10.6)
    head = style("head", cell, fontName="GPCSans-Bold", textColor=muted, fontSize=7.4, leading=9.5)
    head_right = style("head_right", head, alignment=TA_RIGHT)
    cell_right = style("cell_right", cell, alignment=TA_RIGHT)
    cell_bold = style("cell_bold", cell, fontName="GPCSans-Bold")
    cell_small = style("cell_small", cell, fontSize=7.2, leading=9.4, textColor=muted)
    kicker = style(
        "kicker",
        base,
        fontName="GPCSans-Bold",
        fontSize=8.5,
        leading=11,
        textColor=accent,
        spaceAfter=6,
    )
    title = style("title", base, fontName="GPCSerif", fontSize=26, leading=31, spaceAfter=4)
    name = style(
        "name",
        base,
        fontName="GPCSerif-Bold",
        fontSize=17,
        leading=22,
        spaceBefore=18,
        spaceAfter=2,
    )
    h1 = style(
        "h1", base, fontName="GPCSerif", fontSize=17, leading=22, spaceAfter=10, textColor=accent
    )
    h2 = style(
        "h2",
        base,
        fontName="GPCSerif-Bold",
        fontSize=11.5,
        leading=15,
        spaceBefore=14,
        spaceAfter=5,
    )
    h3 = style(
        "h3",
        base,
        fontName="GPCSerif-Bold",
        fontSize=10.5,
        leading=14,
        spaceBefore=12,
        spaceAfter=3,
    )
    prose = style("prose", base, fontName="GPCSerif", fontSize=9.4, leading=13.6, spaceAfter=5)
    label = style(
        "label",
        base,
        fontName="GPCSans-Bold",
        fontSize=7.6,
        leading=10,
        textColor=muted,
        spaceBefore=5,
        spaceAfter=1,
    )
    inline_label = style(
        "inline_label", base, fontName="GPCSans-Bold", fontSize=7.6, leading=12.5, textColor=muted
    )
    note = style("note", base, fontSize=8, leading=11, textColor=muted)
    counter = style(
        "counter", base, fontName="GPCSerif", fontSize=14, leading=17, alignment=TA_RIGHT
    )

    width = A4[0] - 48 * mm

    def esc(value: str) -> str:
        return escape(value).replace("\n", "<br/>")

    def day(value: str) -> str:
        d = date.fromisoformat(value)
        return f"{d.day} {d:%b %Y}"

    def paint(markup: str, colour: str, bold: bool = True) -> str:
        return f'<font name="GPCSans{"-Bold" if bold else ""}" color="{colour}">{markup}</font>'

    def grid(rows: list[Any], widths: list[float], header: bool = False, extra: Any = ()) -> Any:
        kind = LongTable if header and len(rows) > 30 else Table
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, rule),
        ]
        if header:
            commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, accent))
        return kind(
            rows, colWidths=widths, repeatRows=1 if header else 0, style=[*commands, *extra]
        )

    def box(flowable: Any, colour: Any, line: float, pads: tuple[float, ...]) -> Any:
        left, right, top, bottom = pads
        return Table(
            [[flowable]],
            colWidths=[width],
            style=[
                ("BACKGROUND", (0, 0), (-1, -1), tint),
                ("LINEBEFORE", (0, 0), (0, -1), line, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), left),
                ("RIGHTPADDING", (0, 0), (-1, -1), right),
                ("TOPPADDING", (0, 0), (-1, -1), top),
                ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            ],
        )

    def colour_of(s: Any) -> str:
        return edited if s.state == "valid" else state_colour[s.state]

    def signer(s: Any, fingerprint: bool = True) -> str:
        line = f'<font color="{muted}">{esc(s.signer_name)}, {esc(s.role_text)}'
        if s.vouch:
            line += f"<br/>{esc(s.vouch)}"
        if fingerprint and s.fingerprint:
            line += f'<br/><font name="GPCMono" size="6.1">{esc(s.fingerprint)}</font>'
        return line + "</font>"

    def status(i: Any, fingerprint: bool = True) -> str:
        s = i.signoff
        if s is None:
            return paint(esc(i.status_text), waiting if i.status == "ready" else muted)
        if s.trusted:
            ok = valid if s.decision == "signed_off" else edited
            head = paint(s.decision_text + " · valid", ok)
        else:
            head = paint(esc(s.verdict), colour_of(s))
        return head + "<br/>" + signer(s, fingerprint)

    t = report.trainee
    details = [
        ("GMC number", t.gmc_number),
        ("Grade", t.grade),
        ("Specialty", t.specialty),
        ("Programme", t.programme),
        ("Region", t.region),
        ("Trust", t.trust),
        ("Educational supervisor", t.educational_supervisor),
        ("Period", report.period_text),
        ("Generated", f"{report.generated_at[:10]}"),
    ]
    generated = date.fromisoformat(report.generated_at[:10])
    details[-1] = ("Generated", f"{generated.day} {generated:%B %Y}")
    items = report.items
    trusted = [i for i in items if i.signoff and i.signoff.trusted]
    counters = [
        ("Evidence items in the period", len(items)),
        (
            "Signed off, valid and vouched for",
            sum(i.signoff.decision == "signed_off" for i in trusted),
        ),
        ("Awaiting review", sum(i.status == "ready" for i in items)),
        ("Edited since sign-off", sum(i.status == "edited" for i in items)),
    ]
    if report.private_left_out:
        counters.append(("Private items not included", report.private_left_out))
    story: list[Any] = [
        Spacer(1, 26 * mm),
        Paragraph("GENERIC PROFESSIONAL CAPABILITIES · ARCP", kicker),
        Paragraph("Evidence summary for the Annual Review of Competence Progression", title),
        Paragraph(esc(t.name), name),
        Spacer(1, 10 * mm),
        Table(
            [[Paragraph(k.upper(), label), Paragraph(esc(v or "—"), prose)] for k, v in details],
            colWidths=[48 * mm, width - 48 * mm],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, rule),
            ],
        ),
        Spacer(1, 10 * mm),
        Table(
            [[Paragraph(esc(k), prose), Paragraph(f"{v:,}", counter)] for k, v in counters],
            colWidths=[70 * mm, 22 * mm],
            hAlign="LEFT",
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, rule),
            ],
        ),
    ]
    if report.private_left_out:
        n = report.private_left_out
        story.append(
            Paragraph(
                f"The trainee marked {n} item{'' if n == 1 else 's'} in the period private; "
                f"{'it is' if n == 1 else 'they are'} not in this summary or its counts (the app "
                f"counts {len(items) + n:,} items, private ones included).",
                note,
            )
        )
    story += [
        Spacer(1, 12 * mm),
        Paragraph(VERIFY_TEXT, note),
        Spacer(1, 6 * mm),
        box(Paragraph(TRUST_TEXT, base), accent, 2.5, (10, 10, 7, 8)),
    ]

    def section(number: int, heading: str, intro: str) -> list[Any]:
        return [
            PageBreak(),
            Paragraph(f'<font color="{muted}">{number}</font>&nbsp;&nbsp;{esc(heading)}', h1),
            Paragraph(intro, note),
            Spacer(1, 6),
        ]

    def count(value: int, colour: str = "") -> Any:
        shown = str(value) if value else "–"
        return Paragraph(
            f'<font color="{colour}">{shown}</font>' if value and colour else shown, cell_right
        )

    number = 1
    story += section(
        number,
        "Coverage of the GPC domains",
        "Each item counts once towards every domain it is linked to, so the domain totals add up "
        "to more than the number of items.",
    )
    heads = ["ITEMS", "VALIDLY SIGNED", "AWAITING REVIEW", "EDITED SINCE SIGN-OFF"]
    story.append(
        grid(
            [
                [Paragraph("DOMAIN", head), *(Paragraph(h, head_right) for h in heads)],
                *(
                    [
                        Paragraph(f"<b>{esc(r.code)}</b>&nbsp;&nbsp;{esc(r.title)}", cell),
                        count(r.items),
                        count(r.signed),
                        count(r.awaiting_review),
                        count(r.edited, edited),
                    ]
                    for r in report.domains
                ),
            ],
            [width - 76 * mm, 14 * mm, 19 * mm, 19 * mm, 24 * mm],
            header=True,
            extra=[("VALIGN", (1, 1), (-1, -1), "TOP")],
        )
    )
    bars = Drawing(width, len(report.domains) * 17 + 30)
    longest = max([r.items for r in report.domains] + [1])
    for n, r in enumerate(report.domains):
        y = bars.height - 11 - n * 17
        bars.add(String(0, y + 2.5, r.code, fontName="GPCSans-Bold", fontSize=7.5))
        bars.add(
            Rect(34, y, r.items * (width - 98) / longest, 11, fillColor=accent, strokeColor=None)
        )
        bars.add(
            String(
                40 + r.items * (width - 98) / longest,
                y + 2.5,
                f"{r.signed} signed of {r.items}",
                fontName="GPCSans",
                fontSize=7,
            )
        )
    story += [Spacer(1, 9 * mm), bars, Spacer(1, 8 * mm)]
    gaps = [r for r in report.domains if r.signed == 0]
    if gaps:
        listed = "<br/>".join(
            f"<b>{esc(r.code)}</b>&nbsp;&nbsp;{esc(r.title)}"
            + ("" if r.items else f' <font color="{muted}">(no evidence at all)</font>')
            for r in gaps
        )
        gap_text = f'<font name="GPCSerif-Bold" size="10.5">Domains with no validly signed evidence</font><br/>{listed}'
        story.append(box(Paragraph(gap_text, base), colors.HexColor(invalid), 2.5, (10, 10, 7, 8)))
    else:
        gap_text = "Every GPC domain has validly signed evidence in this period."
        story.append(box(Paragraph(gap_text, base), colors.HexColor(valid), 2.5, (10, 10, 7, 8)))

    number += 1
    story += section(
        number,
        "Evidence by domain",
        "Every item in the period under each domain it counts towards, oldest first, with the "
        "verified state of its latest sign-off.",
    )
    titles = {r.code: r.title for r in report.domains}
    groups: dict[str, list[Any]] = {r.code: [] for r in report.domains}
    for i in items:
        for code in i.domains:
            groups.setdefault(code, []).append(i)
    unlinked = [i for i in items if not i.domains]
    sections = [(code, titles.get(code, ""), members) for code, members in groups.items()]
    if unlinked:
        sections.append(("", "Not linked to a domain", unlinked))
    header = [Paragraph(h, head) for h in ("DATE", "ITEM", "SIGN-OFF")]
    for code, heading, members in sections:
        text = f"{esc(code)}&nbsp;&nbsp;{esc(heading)}" if code else esc(heading)
        if members:
            many = "" if len(members) == 1 else "s"
            text += f'<font name="GPCSans" size="8" color="{muted}">&nbsp;&nbsp;{len(members)} item{many}</font>'
        story += [CondPageBreak(40 * mm), Paragraph(text, h2)]
        if not members:
            story.append(
                Paragraph(f'<font color="{invalid}">No evidence in this period.</font>', note)
            )
            continue
        rows = [header]
        for i in members:
            kind = f'<br/><font size="7.2" color="{muted}">{esc(i.kind_title)}</font>'
            rows.append(
                [
                    Paragraph(day(i.occurred_on).replace(" ", "&nbsp;"), cell),
                    Paragraph(esc(i.title) + kind, cell),
                    Paragraph(status(i), cell),
                ]
            )
        story.append(grid(rows, [22 * mm, width - 80 * mm, 58 * mm], header=True))

    def in_full(i: Any) -> list[Any]:
        dates = day(i.occurred_on)
        if i.occurred_until and i.occurred_until != i.occurred_on:
            dates += f" – {day(i.occurred_until)}"
        meta = " · ".join(
            [dates, esc(i.kind_title), *([esc(", ".join(i.links))] if i.links else [])]
        )
        out: list[Any] = [
            CondPageBreak(60 * mm),
            Paragraph(esc(i.title), h3),
            Paragraph(meta, note),
            Spacer(1, 2),
        ]
        short: list[Any] = []
        for f in [*i.fields, None]:
            if f is not None and not f.long:
                short.append(f)
                continue
            if short:
                out += [
                    Spacer(1, 3),
                    Table(
                        [
                            [
                                Paragraph(esc(s.label).upper(), inline_label),
                                Paragraph(esc(s.text), base),
                            ]
                            for s in short
                        ],
                        colWidths=[44 * mm, width - 44 * mm],
                        style=[
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                        ],
                    ),
                ]
                short = []
            if f is None:
                break
            out += [CondPageBreak(16 * mm), Paragraph(esc(f.label).upper(), label)]
            if not f.entries:
                out.append(Paragraph(esc(f.text), prose))
            for e in f.entries:
                rows = [[Paragraph(esc(e.caption), cell_bold), ""]]
                rows += [
                    [Paragraph(esc(p.label), cell_small), Paragraph(esc(p.text), cell)]
                    for p in e.fields
                ]
                panel = grid(
                    rows,
                    [22 * mm, width - 22 * mm],
                    extra=[
                        ("SPAN", (0, 0), (-1, 0)),
                        ("BACKGROUND", (0, 0), (-1, 0), tint),
                        ("LINEBELOW", (0, 0), (-1, -2), 0.4, rule),
                        ("LINEBELOW", (0, -1), (-1, -1), 0, colors.white),
                    ],
                )
                panel.repeatRows = 1
                out += [panel, Spacer(1, 5)]
        if i.text:
            out += [
                CondPageBreak(16 * mm),
                Paragraph(esc(i.text_label or "Text").upper(), label),
                Paragraph(esc(i.text), prose),
            ]
        s = i.signoff
        if s is None:
            signed = status(i) + f'<font color="{muted}"> — not yet signed by a supervisor.</font>'
            colour = rule
        else:
            lines = [
                status(i, fingerprint=False)
                + f'<font color="{muted}"> · {esc(s.signed_at[:10])}</font>',
                f'<font color="{muted}">Key </font><font name="GPCMono" size="7">{esc(s.fingerprint)}</font>',
            ]
            if s.comment:
                lines.append(f"<i>“{esc(s.comment)}”</i>")
            lines.append(paint(esc(s.trust), valid if s.trusted else colour_of(s)))
            if s.warning:
                lines.append(paint(esc(s.warning), edited))
            signed = "<br/>".join(lines)
            colour = colors.HexColor(valid if s.trusted else colour_of(s))
        return [
            *out,
            Spacer(1, 4),
            box(Paragraph(signed, cell), colour, 2, (8, 6, 5, 6)),
            Spacer(1, 10),
        ]

    for heading, intro, chosen in (
        (
            "Quality improvement and leadership",
            "Quality improvement projects and leadership roles in the period, in full.",
            report.projects,
        ),
        ("Reflections", "Reflections the trainee chose to include.", report.reflections),
    ):
        if chosen:
            number += 1
            story += section(number, heading, intro)
            for i in chosen:
                story += in_full(i)

    signoffs = [e.signoff for e in report.register]
    states = {state: sum(s.state == state for s in signoffs) for state in state_colour}
    vouched = sum(s.trusted for s in signoffs)
    number += 1
    story += section(
        number,
        "Register of sign-offs",
        "Every sign-off of the items in this summary, oldest first, with the result of verifying "
        f"it: {vouched} valid and vouched for, {states['valid'] - vouched} with a valid signature "
        f"by a signer nobody vouches for, {states['edited']} edited since sign-off, "
        f"{states['revoked']} revoked, {states['invalid']} invalid. Only the first count as "
        "signed off.",
    )
    rows = [
        [
            Paragraph(h, head)
            for h in ("ITEM", "DECISION", "SIGNED BY", "KEY FINGERPRINT", "VERIFICATION")
        ]
    ]
    flagged = []
    for n, e in enumerate(report.register, start=1):
        s = e.signoff
        why = s.reason or (s.vouch if s.vouched else "")
        small = f'<br/><font size="6.8" color="{muted}">{esc(why)}</font>' if why else ""
        if s.warning:
            small += f'<br/><font size="6.8" color="{muted}">{esc(s.warning)}</font>'
        if not s.trusted:
            flagged.append(("BACKGROUND", (0, n), (-1, n), tint))
        rows.append(
            [
                Paragraph(esc(e.item_title), cell),
                Paragraph(
                    f"{s.decision_text}<br/><font size='6.8' color='{muted}'>{esc(s.signed_at[:10])}</font>",
                    cell,
                ),
                Paragraph(
                    f"{esc(s.signer_name)}<br/><font size='6.8' color='{muted}'>{esc(s.role_text)}</font>",
                    cell,
                ),
                Paragraph(f'<font name="GPCMono" size="6.6">{esc(s.fingerprint)}</font>', cell),
                Paragraph(
                    paint(esc(s.verdict), valid if s.trusted else colour_of(s)) + small, cell
                ),
            ]
        )
    story.append(
        grid(
            rows, [width - 115 * mm, 25 * mm, 34 * mm, 31 * mm, 25 * mm], header=True, extra=flagged
        )
    )

    header_left = f"ARCP evidence summary · {t.name}"
    header_right = f"GMC {t.gmc_number} · {report.period_text}"
    footer_left = (
        f"Generated {details[-1][1]} by GPC Portfolio {report.app_version} · sign-offs verified "
        "at generation"
    )

    class NumberedCanvas(Canvas):
        """The cookbook's "Page x of y": keep every page, then draw the furniture."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self.held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self.held:
                self.__dict__.update(state)
                self.setFont("GPCSans", 7.2)
                self.setFillColor(muted)
                self.setStrokeColor(rule)
                self.setLineWidth(0.5)
                left, right = 24 * mm, A4[0] - 24 * mm
                if self._pageNumber > 1:
                    y = A4[1] - 15 * mm
                    self.drawString(left, y, header_left)
                    self.drawRightString(right, y, header_right)
                    self.line(left, y - 4, right, y - 4)
                self.line(left, 11 * mm + 9, right, 11 * mm + 9)
                self.drawString(left, 11 * mm, footer_left)
                self.drawRightString(right, 11 * mm, f"Page {self._pageNumber} of {len(self.held)}")
                super().showPage()
            super().save()

    doc = BaseDocTemplate(
        str(out), pagesize=A4, title="ARCP summary", author=t.name, initialFontName="GPCSans"
    )
    frame = Frame(
        24 * mm,
        22 * mm,
        width,
        A4[1] - 46 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=NumberedCanvas)


VERIFY_TEXT = (
    "<b>This PDF carries its own proof:</b> each sign-off as a signed credential, and the "
    "supervisor directories that vouch for the signers, as attached files. To check them, "
    "offline and without the trainee’s portfolio, run "
    '<font name="GPCMono">gpc-portfolio&nbsp;verify</font> on this file.'
)
TRUST_TEXT = (
    "Every sign-off in this summary was verified when it was generated. The supervisor’s "
    "Ed25519 signature is checked against their public key, and the digest of the item as it "
    "is now is compared with the digest the supervisor signed. "
    "<b>Valid</b>: the signature is good and the item has not changed since. "
    "<b>Edited since sign-off</b>: the signature is good but the item was changed afterwards, "
    "so the sign-off does not cover what it says now. "
    "<b>Invalid</b>: the signature does not verify or the key is unknown. "
    "A good signature proves only that <i>a</i> key signed; each sign-off also says who "
    "vouches that the key is the supervisor’s: a supervisor directory published by a "
    "postgraduate education office (named, with its publisher’s key fingerprint), or the "
    "trainee’s own pin of the supervisor’s card (which the trainee alone attests). "
    "<b>Not vouched for</b>: nobody this portfolio trusts vouches for the key. "
    "<b>Revoked</b>: a directory revoked the key, or it was used outside its validity dates. "
    "Only valid sign-offs by vouched-for signers count as signed off."
)


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    if run_as_child({"plain": child_plain}):
        return
    import tempfile

    from _common import (
        Target,
        alternate,
        arguments,
        byte_compile,
        program,
        report,
        report_processes,
        run_child,
        wall_and_cpu,
    )

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
            lambda: wall_and_cpu(render_arcp, model, str(ours_out)),
            lambda: wall_and_cpu(plain_reportlab, content, plain_out),
            args.repeat,
            args.warmup,
        )
        report(
            f"ARCP summary, {args.items:,} items ({pages(ours_out)} pages; the baseline's "
            f"{pages(plain_out)})",
            [wall for wall, _ in ours],
            [wall for wall, _ in base],
            cpu=([cpu for _, cpu in ours], [cpu for _, cpu in base]),
            baseline="ReportLab alone laying out the same content: fonts, styles, spacing, texts",
            target=Target(
                "≤ 1.15x, same page count",
                ratio=1.15,
                also=pages(ours_out) == pages(plain_out),
            ),
        )

        year = root / "year"
        content_path = root / "year.json"
        content_path.write_text(
            content_json(
                make_portfolio(
                    year, args.year_items, args.year_items // 3, kinds=YEAR_MIX, length=YEAR_LENGTH
                )
            )
        )
        byte_compile()
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
            target=Target("≤ 0.6 s", at_most=0.6, issue_baseline=0.43),
        )


if __name__ == "__main__":
    main()
