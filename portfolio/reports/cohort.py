"""The mentor's view as a PDF: the cohort's headline shares, coverage of the GPC domains as a
distribution, kinds of evidence and leadership roles, opportunity uptake, differences between
Trusts, and the summaries that were skipped.

Built from ``portfolio.services.cohort.CohortFigures`` only; importing this module imports
ReportLab, so callers import it when a report is wanted.
"""

from __future__ import annotations

from pathlib import Path
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

from portfolio import __version__
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
from portfolio.services.cohort import BANDS, CohortFigures, GroupFigures, Share, is_small, shown
from portfolio.services.cohort_format import ROLE_TYPE_LABELS
from portfolio.vocabulary import OPPORTUNITY_KIND_LABELS

BAND_COLOURS = (colors.HexColor("#e9c3bd"), ACCENT_LIGHT, colors.HexColor("#4f84a6"), ACCENT)

ANONYMITY_NOTE = (
    "Each trainee sent a summary of counts only: items per GPC domain and per kind, whether "
    "they have a quality improvement activity, how many leadership roles they held (by type "
    "from a fixed list), which catalogue opportunities they took up, their Trust, grade and "
    "period. No titles, reflections or other free text leave a trainee’s portfolio, and names "
    "appear only when a trainee chose to include theirs. Each summary carries a random id, so "
    "a summary sent twice is counted once."
)


def render_cohort(figures: CohortFigures, out: str | BinaryIO, *, invariant: bool = False) -> None:
    flowables: list[Flowable] = [
        *_cover(figures),
        PageBreak(),
        *_coverage(figures),
        *_evidence(figures),
        *_opportunities(figures),
    ]
    if figures.trusts:
        flowables += _trusts(figures)
    if figures.skipped:
        flowables += _skipped(figures)
    generated = long_date(figures.generated_at.date())
    furniture = Furniture(
        header_left="Cohort summary · leadership and quality improvement",
        header_right=f"{shown(figures.trainees)} trainee{'s' if figures.trainees != 1 else ''} · "
        f"{_period(figures)}",
        footer_left=f"Generated {generated} by GPC Portfolio {__version__} from anonymised "
        "trainee summaries",
    )
    build(
        flowables,
        out,
        furniture=furniture,
        title=f"Cohort summary ({_period(figures)})",
        author="GPC Portfolio",
        subject="Clinical Leadership Mentor cohort figures",
        keywords=("GPC", "cohort", "leadership", "quality improvement"),
        creator=f"GPC Portfolio {__version__}",
        invariant=invariant,
    )


def _period(figures: CohortFigures) -> str:
    start, end = figures.period_from, figures.period_to
    if start and end:
        return f"{long_date(start)} to {long_date(end)}"
    if start:
        return f"from {long_date(start)}"
    if end:
        return f"to {long_date(end)}"
    return "all dates"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _section(number: str, title: str, intro: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [
        CondPageBreak(60 * MM),
        Spacer(1, 4 * MM),
        Paragraph(f'<font color="{hex_of(MUTED)}">{number}</font>&nbsp;&nbsp;{text(title)}', st.h1),
    ]
    if intro:
        out += [Paragraph(intro, st.note), Spacer(1, 5)]
    return out


def _share(share: Share) -> str:
    return share.shown_percent


def _cell(count: int) -> str:
    """A count in a narrow table cell: "<5" for 1 to 4 (explained under each table)."""
    return "<5" if is_small(count) else str(count) if count else "–"


SMALL_NOTE = (
    "<5: fewer than 5. Counts from 1 to 4, and shares or spreads computed from them, are not "
    "shown, so that no trainee can be picked out of a small group."
)


def _cover(figures: CohortFigures) -> list[Flowable]:
    st = styles()
    g = figures.overall
    details = [
        ("Period", _period(figures)),
        ("Trusts", str(len(figures.trusts)) if figures.trusts else "One Trust"),
        ("Grades", ", ".join(f"{name} ({shown(n)})" for name, n in figures.grades.items())),
        ("Named by choice", f"{shown(figures.named)} of {shown(g.trainees)}"),
        ("Summaries skipped", str(len(figures.skipped))),
        ("Generated", long_date(figures.generated_at.date())),
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
                (shown(g.trainees), "trainees"),
                (_share(g.qi_activity), f"with a QI activity ({shown(g.qi_activity.count)})"),
                (_share(g.leadership), f"with a leadership role ({shown(g.leadership.count)})"),
                (_share(g.taken_up), f"took up an opportunity ({shown(g.taken_up.count)})"),
            ]
        ),
        Spacer(1, 6 * MM),
        grid,
        Spacer(1, 5 * MM),
        callout(ANONYMITY_NOTE, ACCENT),
    ]


def _band_chart(figures: CohortFigures, width: float) -> Drawing:
    bar, gap, label_width, legend = 10.0, 5.0, 34.0, 22.0
    rows = figures.domains
    height = len(rows) * (bar + gap) + legend
    drawing = Drawing(width, height)
    span = width - label_width - 4
    total = max(figures.trainees, 1)
    top = height - bar
    for index, row in enumerate(rows):
        y = top - index * (bar + gap)
        drawing.add(String(0, y + 2.2, row.code, fontName=SANS_BOLD, fontSize=7.5, fillColor=INK))
        x = label_width
        if any(is_small(count) for count in row.bands):
            # The widths would give the small counts away: one plain bar instead.
            drawing.add(
                Rect(x, y, span, bar, fillColor=colors.HexColor("#eeeeee"), strokeColor=None)
            )
            note = "counts of fewer than 5 not shown"
            drawing.add(String(x + 4, y + 2.4, note, fontName=SANS, fontSize=6.6, fillColor=MUTED))
            continue
        for colour, count in zip(BAND_COLOURS, row.bands, strict=True):
            if count:
                w = span * count / total
                drawing.add(
                    Rect(x, y, w, bar, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5)
                )
                if w > 14:
                    drawing.add(
                        String(
                            x + w / 2 - stringWidth(_cell(count), SANS, 6.6) / 2,
                            y + 2.4,
                            _cell(count),
                            fontName=SANS,
                            fontSize=6.6,
                            fillColor=INK if colour != ACCENT else colors.white,
                        )
                    )
                x += w
    x = label_width
    for label, colour in zip(BANDS, BAND_COLOURS, strict=True):
        caption = f"{label} items"
        drawing.add(Rect(x, 4, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 10, 4.8, caption, fontName=SANS, fontSize=6.8, fillColor=MUTED))
        x += 22 + stringWidth(caption, SANS, 6.8)
    return drawing


def _coverage(figures: CohortFigures) -> list[Flowable]:
    st = styles()
    head = [Paragraph("DOMAIN", st.head)] + [
        Paragraph(h, st.head_right) for h in ("MIN", "Q1", "MEDIAN", "Q3", "MAX", *BANDS)
    ]
    rows: list[list[Any]] = [head]
    flagged: list[tuple[Any, ...]] = []
    for number, d in enumerate(figures.domains, start=1):
        cells = [Paragraph(f"<b>{text(d.code)}</b>&nbsp;&nbsp;{text(d.title)}", st.cell)]
        cells += [
            Paragraph("–" if is_small(figures.trainees) else _number(v), st.cell_right)
            for v in (d.minimum, d.lower_quartile, d.median, d.upper_quartile, d.maximum)
        ]
        for band, count in enumerate(d.bands):
            value = text(_cell(count))
            if band == 0 and count:
                value = f'<font color="{hex_of(INVALID)}"><b>{value}</b></font>'
            cells.append(Paragraph(value, st.cell_right))
        if d.without * 2 > figures.trainees:
            flagged.append(("BACKGROUND", (0, number), (-1, number), colors.HexColor("#fbf1ef")))
        rows.append(cells)
    spread = [10 * MM, 10 * MM, 15 * MM, 10 * MM, 10 * MM]
    widths = [CONTENT_WIDTH - sum(spread) - 40 * MM, *spread, *([10 * MM] * 4)]
    out = _section(
        "1",
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
        _band_chart(figures, CONTENT_WIDTH),
    ]
    return out


def _evidence(figures: CohortFigures) -> list[Flowable]:
    st = styles()
    n = figures.trainees
    rows: list[list[Any]] = [
        [
            Paragraph("KIND OF EVIDENCE", st.head),
            Paragraph("TRAINEES WITH ONE OR MORE", st.head_right),
            Paragraph("ITEMS", st.head_right),
        ]
    ]
    for k in figures.kinds:
        rows.append(
            [
                Paragraph(text(k.title), st.cell),
                Paragraph(
                    f"{text(_cell(k.trainees))} <font color='{hex_of(MUTED)}'>"
                    f"({Share(k.trainees, n).shown_percent})</font>",
                    st.cell_right,
                ),
                Paragraph(text(_cell(k.items)), st.cell_right),
            ]
        )
    kinds = table(rows, [CONTENT_WIDTH - 70 * MM, 45 * MM, 25 * MM], header=True)
    roles: list[list[Any]] = [
        [Paragraph("LEADERSHIP ROLE", st.head), Paragraph("ROLES HELD", st.head_right)]
    ]
    for role, count in figures.role_types.items():
        roles.append(
            [
                Paragraph(text(ROLE_TYPE_LABELS[role]), st.cell),
                Paragraph(text(_cell(count)), st.cell_right),
            ]
        )
    return [
        *_section(
            "2",
            "Kinds of evidence and leadership roles",
            f"Leadership role held by {figures.overall.leadership}; a QI activity "
            f"(a QI project, or a project opportunity taken up) by "
            f"{figures.overall.qi_activity}.",
        ),
        kinds,
        Spacer(1, 5 * MM),
        table(roles, [CONTENT_WIDTH - 25 * MM, 25 * MM], header=True),
    ]


def _opportunities(figures: CohortFigures) -> list[Flowable]:
    st = styles()
    out = _section(
        "3",
        "Opportunity uptake",
        f"Opportunities from published catalogues that trainees recorded; "
        f"{figures.overall.taken_up} took part in at least one.",
    )
    if not figures.opportunities:
        return [*out, Paragraph("No trainee recorded an opportunity from a catalogue.", st.body)]
    head = [Paragraph("OPPORTUNITY", st.head), Paragraph("KIND", st.head)] + [
        Paragraph(h, st.head_right) for h in ("INTERESTED", "APPLIED", "TAKING PART", "COMPLETED")
    ]
    rows: list[list[Any]] = [head]
    for o in figures.opportunities:
        name = (
            text(o.title)
            if o.title
            else (
                f'<font color="{hex_of(MUTED)}">Not in a catalogue held here</font><br/>'
                f'<font size="6.2" color="{hex_of(MUTED)}">{text(o.opportunity_id)}</font>'
            )
        )
        rows.append(
            [
                Paragraph(name, st.cell),
                Paragraph(OPPORTUNITY_KIND_LABELS.get(o.kind, o.kind), st.cell),
            ]
            + [
                Paragraph(text(_cell(o.by_status.get(s, 0))), st.cell_right)
                for s in ("interested", "applied", "participating", "completed")
            ]
        )
    col = 19 * MM
    return [
        *out,
        table(rows, [CONTENT_WIDTH - 4 * col - 18 * MM, 18 * MM, col, col, col, col], header=True),
    ]


def _trusts(figures: CohortFigures) -> list[Flowable]:
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
    groups: list[GroupFigures] = [*figures.trusts, figures.overall]
    for g in groups:
        style = st.cell_bold if g is figures.overall else st.cell
        rows.append(
            [Paragraph(text(g.name), style), Paragraph(text(_cell(g.trainees)), st.cell_right)]
            + [
                Paragraph(
                    f"{s.shown_percent} <font size='6.6' color='{hex_of(MUTED)}'>"
                    f"({text(_cell(s.count))})</font>",
                    st.cell_right,
                )
                for s in (g.qi_activity, g.leadership, g.taken_up)
            ]
            + [
                Paragraph("–" if is_small(g.trainees) else _number(v), st.cell_right)
                for v in (g.median_items, g.median_domains_covered)
            ]
        )
    col = 18 * MM
    widths = [CONTENT_WIDTH - 6 * col, *([col] * 6)]
    gaps: list[list[Any]] = [
        [Paragraph("TRAINEES WITH NO EVIDENCE IN", st.head)]
        + [Paragraph(d.code, st.head_right) for d in figures.domains]
    ]
    for g in groups:
        style = st.cell_bold if g is figures.overall else st.cell
        gaps.append(
            [Paragraph(text(g.name), style)]
            + [
                Paragraph(_gap(g.without[d.code], g.trainees), st.cell_right)
                for d in figures.domains
            ]
        )
    small = 11 * MM
    return [
        *_section(
            "4",
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


def _gap(count: int, total: int) -> str:
    if not count:
        return "–"
    colour = INVALID if count * 2 > total else EDITED
    return f'<font color="{hex_of(colour)}">{text(_cell(count))}</font>'


def _skipped(figures: CohortFigures) -> list[Flowable]:
    st = styles()
    rows: list[list[Any]] = [[Paragraph("FILE", st.head), Paragraph("WHY IT WAS SKIPPED", st.head)]]
    rows += [
        [Paragraph(text(Path(s.source).name), st.cell), Paragraph(text(s.reason), st.cell)]
        for s in figures.skipped
    ]
    return [
        *_section(
            "5",
            "Summaries skipped",
            "Files that were malformed or repeated a summary already counted. None "
            "of them is in any figure above.",
        ),
        table(rows, [50 * MM, CONTENT_WIDTH - 50 * MM], header=True),
    ]
