"""The mentor's view as a PDF: the cohort's headline shares, coverage of the GPC domains as a
distribution, kinds of evidence and leadership roles, opportunity uptake, differences between
Trusts, and the summaries that were skipped.

Laid out from a ``portfolio.reports.cohort_model.CohortReport`` only (gathered by
``portfolio.reports.cohort_report``), with the page furniture the ARCP summary uses; importing
this module imports ReportLab, so callers import it when a report is wanted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm as MM
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from portfolio.reports.cohort_model import CohortReport, Count, Group, Share
from portfolio.reports.layout import (
    CONTENT_WIDTH,
    Furniture,
    build,
    callout,
    headline_figures,
    table,
)
from portfolio.reports.model import long_date
from portfolio.reports.styles import (
    ACCENT,
    ACCENT_LIGHT,
    EDITED,
    INK,
    INVALID,
    MUTED,
    RULE,
    SANS,
    SANS_BOLD,
    hex_of,
    styles,
    text,
)

BAND_COLOURS = (colors.HexColor("#e9c3bd"), ACCENT_LIGHT, colors.HexColor("#4f84a6"), ACCENT)

ANONYMITY_NOTE = (
    "Each trainee sent a summary of counts only: items per GPC domain and per kind, whether "
    "they have a quality improvement activity, how many leadership roles they held (by type "
    "from a fixed list), which catalogue opportunities they took up, their Trust, grade and "
    "period. No titles, reflections or other free text leave a trainee’s portfolio, and names "
    "appear only when a trainee chose to include theirs. Each summary carries a random id, so "
    "a summary sent twice is counted once."
)

Section = Callable[[CohortReport, int], list[Flowable]]


def render_cohort(report: CohortReport, out: str | BinaryIO, *, invariant: bool = False) -> None:
    """Lay out ``report`` as a PDF into ``out`` (a path or a binary file)."""
    sections: list[Section] = [_coverage, _evidence, _opportunities]
    if report.trusts:
        sections.append(_trusts)
    if report.skipped:
        sections.append(_skipped)
    flowables: list[Flowable] = [*_cover(report), PageBreak()]
    for number, section in enumerate(sections, start=1):  # numbered as printed: no gaps
        flowables += section(report, number)
    n = report.trainees
    furniture = Furniture(
        header_left="Cohort summary · leadership and quality improvement",
        header_right=f"{n.shown} trainee{'s' if n.value != 1 else ''} · {report.period}",
        footer_left=f"Generated {long_date(report.generated_at.date())} by GPC Portfolio "
        f"{report.app_version} from anonymised trainee summaries",
    )
    build(
        flowables,
        out,
        furniture=furniture,
        title=f"Cohort summary ({report.period})",
        author="GPC Portfolio",
        subject="Clinical Leadership Mentor cohort figures",
        keywords=("GPC", "cohort", "leadership", "quality improvement"),
        creator=f"GPC Portfolio {report.app_version}",
        invariant=invariant,
    )


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _section(number: int, title: str, intro: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [
        CondPageBreak(60 * MM),
        Spacer(1, 4 * MM),
        Paragraph(f'<font color="{hex_of(MUTED)}">{number}</font>&nbsp;&nbsp;{text(title)}', st.h1),
    ]
    if intro:
        out += [Paragraph(intro, st.note), Spacer(1, 5)]
    return out


SMALL_NOTE = (
    "<5: fewer than 5. Counts from 1 to 4, and shares or spreads computed from them, are not "
    "shown, so that no trainee can be picked out of a small group."
)


def _cover(report: CohortReport) -> list[Flowable]:
    st = styles()
    g = report.overall
    details = [
        ("Period", report.period),
        ("Trusts", str(len(report.trusts)) if report.trusts else "One Trust"),
        ("Grades", ", ".join(f"{name} ({n.shown})" for name, n in report.grades)),
        ("Named by choice", f"{report.named.shown} of {g.trainees.shown}"),
        ("Summaries skipped", str(len(report.skipped))),
        ("Generated", long_date(report.generated_at.date())),
    ]
    grid = Table(
        [
            [Paragraph(label.upper(), st.label), Paragraph(text(value), st.body)]
            for label, value in details
        ],
        colWidths=[42 * MM, CONTENT_WIDTH - 42 * MM],
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return [
        Spacer(1, 20 * MM),
        Paragraph("CLINICAL LEADERSHIP MENTOR · COHORT", st.kicker),
        Paragraph("Leadership and quality improvement in the cohort", st.title),
        Spacer(1, 6 * MM),
        Spacer(1, 4 * MM),
        headline_figures(
            [
                (g.trainees.shown, "trainees"),
                (g.qi_activity.shown_percent, f"with a QI activity ({g.qi_activity.count.shown})"),
                (
                    g.leadership.shown_percent,
                    f"with a leadership role ({g.leadership.count.shown})",
                ),
                (g.taken_up.shown_percent, f"took up an opportunity ({g.taken_up.count.shown})"),
            ]
        ),
        Spacer(1, 6 * MM),
        grid,
        Spacer(1, 5 * MM),
        callout(ANONYMITY_NOTE, ACCENT),
    ]


def _band_chart(report: CohortReport, width: float) -> Drawing:
    bar, gap, label_width, legend = 10.0, 5.0, 34.0, 22.0
    rows = report.domains
    height = len(rows) * (bar + gap) + legend
    drawing = Drawing(width, height)
    span = width - label_width - 4
    total = max(report.trainees.value, 1)
    top = height - bar
    for index, row in enumerate(rows):
        y = top - index * (bar + gap)
        drawing.add(String(0, y + 2.2, row.code, fontName=SANS_BOLD, fontSize=7.5, fillColor=INK))
        x = label_width
        if row.bands_hidden:
            # The widths would give the small counts away: one plain bar instead.
            drawing.add(
                Rect(x, y, span, bar, fillColor=colors.HexColor("#eeeeee"), strokeColor=None)
            )
            note = "counts of fewer than 5 not shown"
            drawing.add(String(x + 4, y + 2.4, note, fontName=SANS, fontSize=6.6, fillColor=MUTED))
            continue
        for colour, count in zip(BAND_COLOURS, row.bands, strict=True):
            if count.value:
                w = span * count.value / total
                drawing.add(
                    Rect(x, y, w, bar, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5)
                )
                if w > 14:
                    drawing.add(
                        String(
                            x + w / 2 - stringWidth(count.cell, SANS, 6.6) / 2,
                            y + 2.4,
                            count.cell,
                            fontName=SANS,
                            fontSize=6.6,
                            fillColor=INK if colour != ACCENT else colors.white,
                        )
                    )
                x += w
    x = label_width
    for label, colour in zip(report.bands, BAND_COLOURS, strict=True):
        caption = f"{label} items"
        drawing.add(Rect(x, 4, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 10, 4.8, caption, fontName=SANS, fontSize=6.8, fillColor=MUTED))
        x += 22 + stringWidth(caption, SANS, 6.8)
    return drawing


def _coverage(report: CohortReport, number: int) -> list[Flowable]:
    st = styles()
    head = [Paragraph("DOMAIN", st.head)] + [
        Paragraph(h, st.head_right) for h in ("MIN", "Q1", "MEDIAN", "Q3", "MAX", *report.bands)
    ]
    rows: list[list[Any]] = [head]
    flagged: list[tuple[Any, ...]] = []
    for row_number, d in enumerate(report.domains, start=1):
        cells = [Paragraph(f"<b>{text(d.code)}</b>&nbsp;&nbsp;{text(d.title)}", st.cell)]
        cells += [Paragraph(_number(v), st.cell_right) for v in (d.spread or (None,) * 5)]
        for band, count in enumerate(d.bands):
            value = text(count.cell)
            if band == 0 and count.value:
                value = f'<font color="{hex_of(INVALID)}"><b>{value}</b></font>'
            cells.append(Paragraph(value, st.cell_right))
        if d.mostly_without:
            flagged.append(
                ("BACKGROUND", (0, row_number), (-1, row_number), colors.HexColor("#fbf1ef"))
            )
        rows.append(cells)
    spread = [10 * MM, 10 * MM, 15 * MM, 10 * MM, 10 * MM]
    widths = [CONTENT_WIDTH - sum(spread) - 40 * MM, *spread, *([10 * MM] * 4)]
    out = _section(
        number,
        "Coverage of the GPC domains",
        "Evidence items per trainee in each domain: the spread (minimum, quartiles, "
        "maximum) and how many trainees hold 0, 1–2, 3–5 or 6 or more items. Rows "
        "where more than half the cohort has nothing are shaded. " + SMALL_NOTE,
    )
    out += [
        table(rows, widths, header=True, extra=flagged),
        Spacer(1, 6 * MM),
        Paragraph("TRAINEES BY NUMBER OF ITEMS IN EACH DOMAIN", st.label),
        Spacer(1, 2),
        _band_chart(report, CONTENT_WIDTH),
    ]
    return out


def _evidence(report: CohortReport, number: int) -> list[Flowable]:
    st = styles()
    rows: list[list[Any]] = [
        [
            Paragraph("KIND OF EVIDENCE", st.head),
            Paragraph("TRAINEES WITH ONE OR MORE", st.head_right),
            Paragraph("ITEMS", st.head_right),
        ]
    ]
    for k in report.kinds:
        rows.append(
            [
                Paragraph(text(k.title), st.cell),
                Paragraph(
                    f"{text(k.trainees.count.cell)} <font color='{hex_of(MUTED)}'>"
                    f"({k.trainees.shown_percent})</font>",
                    st.cell_right,
                ),
                Paragraph(text(k.items.cell), st.cell_right),
            ]
        )
    kinds = table(rows, [CONTENT_WIDTH - 70 * MM, 45 * MM, 25 * MM], header=True)
    roles: list[list[Any]] = [
        [Paragraph("LEADERSHIP ROLE", st.head), Paragraph("ROLES HELD", st.head_right)]
    ]
    for role in report.roles:
        roles.append(
            [Paragraph(text(role.label), st.cell), Paragraph(text(role.held.cell), st.cell_right)]
        )
    return [
        *_section(
            number,
            "Kinds of evidence and leadership roles",
            f"Leadership role held by {report.overall.leadership.sentence}; a QI activity "
            f"(a QI project, or a project opportunity taken up) by "
            f"{report.overall.qi_activity.sentence}.",
        ),
        kinds,
        Spacer(1, 5 * MM),
        table(roles, [CONTENT_WIDTH - 25 * MM, 25 * MM], header=True),
    ]


def _opportunities(report: CohortReport, number: int) -> list[Flowable]:
    st = styles()
    out = _section(
        number,
        "Opportunity uptake",
        f"Opportunities from published catalogues that trainees recorded; "
        f"{report.overall.taken_up.sentence} took part in at least one.",
    )
    if not report.opportunities:
        return [*out, Paragraph("No trainee recorded an opportunity from a catalogue.", st.body)]
    head = [Paragraph("OPPORTUNITY", st.head), Paragraph("KIND", st.head)] + [
        Paragraph(h, st.head_right) for h in ("INTERESTED", "APPLIED", "TAKING PART", "COMPLETED")
    ]
    rows: list[list[Any]] = [head]
    for o in report.opportunities:
        name = (
            text(o.title)
            if o.title
            else (
                f'<font color="{hex_of(MUTED)}">Not in a catalogue held here</font><br/>'
                f'<font size="6.2" color="{hex_of(MUTED)}">{text(o.opportunity_id)}</font>'
            )
        )
        rows.append(
            [Paragraph(name, st.cell), Paragraph(text(o.kind_label), st.cell)]
            + [Paragraph(text(count.cell), st.cell_right) for count in o.by_status]
        )
    col = 19 * MM
    return [
        *out,
        table(rows, [CONTENT_WIDTH - 4 * col - 18 * MM, 18 * MM, col, col, col, col], header=True),
    ]


def _trusts(report: CohortReport, number: int) -> list[Flowable]:
    st = styles()
    head = [Paragraph("TRUST", st.head)] + [
        Paragraph(h, st.head_right)
        for h in (
            "TRAINEES",
            "QI ACTIVITY",
            "LEADERSHIP ROLE",
            "TOOK UP AN OPPORTUNITY",
            "MEDIAN ITEMS",
            "MEDIAN DOMAINS COVERED",
        )
    ]
    rows: list[list[Any]] = [head]
    groups: list[Group] = [*report.trusts, report.overall]

    def share(s: Share) -> Paragraph:
        return Paragraph(
            f"{s.shown_percent} <font size='6.6' color='{hex_of(MUTED)}'>"
            f"({text(s.count.cell)})</font>",
            st.cell_right,
        )

    for g in groups:
        style = st.cell_bold if g is report.overall else st.cell
        rows.append(
            [Paragraph(text(g.name), style), Paragraph(text(g.trainees.cell), st.cell_right)]
            + [share(s) for s in (g.qi_activity, g.leadership, g.taken_up)]
            + [
                Paragraph(_number(v), st.cell_right)
                for v in (g.median_items, g.median_domains_covered)
            ]
        )
    col = 18 * MM
    widths = [CONTENT_WIDTH - 6 * col, *([col] * 6)]
    gaps: list[list[Any]] = [
        [Paragraph("TRAINEES WITH NO EVIDENCE IN", st.head)]
        + [Paragraph(d.code, st.head_right) for d in report.domains]
    ]
    for g in groups:
        style = st.cell_bold if g is report.overall else st.cell
        gaps.append(
            [Paragraph(text(g.name), style)]
            + [Paragraph(_gap(count, g.trainees), st.cell_right) for count in g.without]
        )
    small = 11 * MM
    return [
        *_section(
            number,
            "Differences between Trusts",
            "Summaries came from more than one Trust. Shares are of each Trust’s own "
            "trainees; small groups vary a lot by chance. " + SMALL_NOTE,
        ),
        table(rows, widths, header=True, extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]),
        Spacer(1, 5 * MM),
        table(
            gaps,
            [CONTENT_WIDTH - 9 * small, *([small] * 9)],
            header=True,
            extra=[("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)],
        ),
    ]


def _gap(count: Count, total: Count) -> str:
    if not count.value:
        return "–"
    colour = INVALID if count.value * 2 > total.value else EDITED
    return f'<font color="{hex_of(colour)}">{text(count.cell)}</font>'


def _skipped(report: CohortReport, number: int) -> list[Flowable]:
    st = styles()
    rows: list[list[Any]] = [[Paragraph("FILE", st.head), Paragraph("WHY IT WAS SKIPPED", st.head)]]
    rows += [
        [Paragraph(text(s.name), st.cell), Paragraph(text(s.reason), st.cell)]
        for s in report.skipped
    ]
    return [
        *_section(
            number,
            "Summaries skipped",
            "Files that were malformed or repeated a summary already counted. None "
            "of them is in any figure above.",
        ),
        table(rows, [50 * MM, CONTENT_WIDTH - 50 * MM], header=True),
    ]
