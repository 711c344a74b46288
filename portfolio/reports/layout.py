"""Pieces both documents share: the page furniture ("Page x of y", running header and footer),
the document template with its metadata, and the blocks that print one item."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm as MM
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portfolio.reports import ReportCancelled
from portfolio.reports.attach import PageMark, PagesSeen, embed
from portfolio.reports.flowables import Panel, Para
from portfolio.reports.model import (
    EmbeddedFile,
    Field,
    Item,
    SignOffLine,
    dates_of,
    decision_text,
    role_text,
)
from portfolio.reports.styles import (
    ACCENT,
    EDITED,
    MONO,
    MUTED,
    PAGE_MARGIN_BOTTOM,
    PAGE_MARGIN_TOP,
    PAGE_MARGIN_X,
    PAPER_TINT,
    RULE,
    SANS,
    STATE_COLOURS,
    VALID,
    WAITING,
    hex_of,
    styles,
    text,
)
from portfolio.vocabulary import status_label

PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * PAGE_MARGIN_X

KEEP_LABEL = 16 * MM
"""A label never ends a page: it moves on when less than this is left below it.
(CondPageBreak rather than keepWithNext, which wraps every pair in a KeepTogether: slow.)"""

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Attach = Callable[[Mapping[str, tuple[int, ...]]], Sequence[EmbeddedFile]]
"""Given the pages each marked item was printed on, the files to embed in the PDF."""


@dataclass(frozen=True)
class Furniture:
    """What the running header and footer say; the first page may go without a header."""

    header_left: str
    header_right: str
    footer_left: str
    plain_first_page: bool = True


class _NumberedCanvas(Canvas):
    """Holds each page until the end so the footer can say "Page x of y" in one pass."""

    def __init__(
        self, *args: Any, furniture: Furniture, attach: Attach | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._attach = attach
        self._held: list[dict[str, Any]] = []
        self.pages_seen: PagesSeen = {}

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._draw_furniture(total)
            super().showPage()
        if self._attach is not None:
            embed(self, self._attach({k: tuple(sorted(v)) for k, v in self.pages_seen.items()}))
        super().save()

    def _draw_furniture(self, total: int) -> None:
        page = self._pageNumber
        f = self._furniture
        self.saveState()
        self.setFont(SANS, 7.2)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        left, right = PAGE_MARGIN_X, PAGE_WIDTH - PAGE_MARGIN_X
        if page > 1 or not f.plain_first_page:
            y = PAGE_HEIGHT - PAGE_MARGIN_TOP + 9 * MM
            self.drawString(left, y, f.header_left)
            self.drawRightString(right, y, f.header_right)
            self.line(left, y - 4, right, y - 4)
        y = PAGE_MARGIN_BOTTOM - 11 * MM
        self.line(left, y + 9, right, y + 9)
        self.drawString(left, y, f.footer_left)
        self.drawRightString(right, y, f"Page {page} of {total}")
        self.restoreState()


def build(
    flowables: list[Flowable],
    out: str | BinaryIO,
    *,
    furniture: Furniture,
    title: str,
    author: str,
    subject: str,
    keywords: Sequence[str],
    creator: str,
    invariant: bool,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    attach: Attach | None = None,
) -> None:
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=PAGE_MARGIN_X,
        rightMargin=PAGE_MARGIN_X,
        topMargin=PAGE_MARGIN_TOP,
        bottomMargin=PAGE_MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        keywords=list(keywords),
        creator=creator,
        lang="en-GB",
        invariant=1 if invariant else 0,
        initialFontName=SANS,
    )
    frame = Frame(
        PAGE_MARGIN_X,
        PAGE_MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - PAGE_MARGIN_TOP - PAGE_MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    if progress is not None or cancelled is not None:
        total, reached = [len(flowables)], [0]

        def report(kind: str, value: int) -> None:
            # ReportLab counts flowables left; a split puts its remainder back, so the count
            # can step back: report the furthest point reached.
            if kind == "SIZE_EST":
                total[0] = max(value, 1)
            elif kind == "PROGRESS":
                if cancelled is not None and cancelled():
                    raise ReportCancelled("The report was cancelled; nothing was written.")
                if progress is not None and value > reached[0]:
                    reached[0] = min(value, total[0])
                    progress(reached[0], total[0])

        doc.setProgressCallBack(report)
    # Streams Flate-compressed and written as binary, not also ASCII85-encoded (ReportLab's
    # default, for 7-bit channels a PDF no longer passes through): smaller streams, no encoding
    # pass. ReportLab reads this setting per process, so it is set for this build only.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(
            flowables, canvasmaker=partial(_NumberedCanvas, furniture=furniture, attach=attach)
        )
    finally:
        rl_config.useA85 = a85


# -- markup of a sign-off --------------------------------------------------------------------------


def _coloured(label: str, colour: Any) -> str:
    return f'<font name="GPCSans-Bold" color="{hex_of(colour)}">{label}</font>'


def status_markup(item: Item, *, fingerprint: bool = True) -> str:
    """The sign-off cell: the verified status, then signer and key fingerprint."""
    s = item.signoff
    if s is None:
        colour = WAITING if item.status == "ready" else MUTED
        return _coloured(text(status_label(item.status)), colour)
    if s.trusted:
        head = _coloured(
            decision_text(s.decision) + " · valid", VALID if s.decision == "signed_off" else EDITED
        )
    else:
        head = _coloured(text(s.verdict), _colour(s))
    return head + "<br/>" + signer_markup(s, fingerprint=fingerprint)


def _colour(s: SignOffLine) -> Any:
    return EDITED if s.state == "valid" else STATE_COLOURS[s.state]


def verification_markup(s: SignOffLine) -> str:
    """The verdict in its colour, then (small) who vouches for the signer or why nobody does."""
    why = s.reason or (s.vouch if s.vouched else "")
    small = f'<br/><font size="6.8" color="{hex_of(MUTED)}">{text(why)}</font>' if why else ""
    if s.warning:
        small += f'<br/><font size="6.8" color="{hex_of(MUTED)}">{text(s.warning)}</font>'
    return _coloured(text(s.verdict), VALID if s.trusted else _colour(s)) + small


def signer_markup(s: SignOffLine, *, fingerprint: bool = True) -> str:
    line = f'<font color="{hex_of(MUTED)}">{text(s.signer_name)}, {text(role_text(s.signer_role))}'
    if s.vouch:
        line += f"<br/>{text(s.vouch)}"
    if fingerprint and s.fingerprint:
        line += f'<br/><font name="{MONO}" size="6.1">{text(s.fingerprint)}</font>'
    return line + "</font>"


def table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = False,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A ruled table; with ``header`` its first row repeats on every page it runs onto.

    Long lists use LongTable, which measures only as many rows as fit when it splits (a plain
    Table re-measures every remaining row at each page break).
    """
    kind = LongTable if header and len(rows) > 30 else Table
    t = kind(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT))
    t.setStyle(TableStyle([*commands, *extra]))
    return t


# -- one item in full ----------------------------------------------------------------------------


def _short_fields(fields: Sequence[Field], width: float) -> Table:
    st = styles()
    rows = [
        [Para(text(f.label).upper(), st.inline_label), Para(text(f.text), st.body)] for f in fields
    ]
    grid = Table(rows, colWidths=[44 * MM, width - 44 * MM])
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return grid


def field_blocks(fields: Sequence[Field], width: float = CONTENT_WIDTH) -> list[Flowable]:
    """Short values beside their labels; prose under its label; repeat entries as panels."""
    st = styles()
    out: list[Flowable] = []
    short: list[Field] = []
    for field in [*fields, None]:
        if field is not None and not field.long:
            short.append(field)
            continue
        if short:
            out += [Spacer(1, 3), _short_fields(short, width)]
            short = []
        if field is None:
            break
        out += [CondPageBreak(KEEP_LABEL), Para(text(field.label).upper(), st.label)]
        if field.entries:
            for entry in field.entries:
                rows: list[list[Any]] = [[Para(text(entry.caption), st.cell_bold), ""]]
                rows += [
                    [
                        Para(text(part.label), st.cell_small),
                        Para(text(part.text), st.cell),
                    ]
                    for part in entry.fields
                ]
                panel = table(
                    rows,
                    [22 * MM, width - 22 * MM],
                    extra=[
                        ("SPAN", (0, 0), (-1, 0)),
                        ("BACKGROUND", (0, 0), (-1, 0), PAPER_TINT),
                        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
                        ("LINEBELOW", (0, -1), (-1, -1), 0, colors.white),
                    ],
                )
                panel.repeatRows = 1  # the caption never ends a page alone; it repeats instead
                out += [panel, Spacer(1, 5)]
        else:
            out.append(Para(text(field.text), st.prose))
    return out


def item_meta(item: Item) -> str:
    parts = [dates_of(item), text(item.kind_title)]
    if item.links:
        parts.append(text(", ".join(item.links)))
    if item.private:
        parts.append(_coloured("private — included by the trainee", EDITED))
    return " · ".join(parts)


def signoff_box(item: Item) -> Flowable:
    st = styles()
    s = item.signoff
    if s is None:
        body = Para(
            status_markup(item) + f'<font color="{hex_of(MUTED)}"> — not yet '
            "signed by a supervisor.</font>",
            st.cell,
        )
        colour = RULE
    else:
        lines = [
            status_markup(item, fingerprint=False)
            + f'<font color="{hex_of(MUTED)}"> · {text(s.signed_at[:10])}</font>',
            f'<font color="{hex_of(MUTED)}">Key </font><font name="{MONO}" size="7">'
            f"{text(s.fingerprint)}</font>",
        ]
        if s.comment:
            lines.append(f"<i>“{text(s.comment)}”</i>")
        lines.append(_coloured(text(s.trust), VALID if s.trusted else _colour(s)))
        if s.warning:
            lines.append(_coloured(text(s.warning), EDITED))
        body = Para("<br/>".join(lines), st.cell)
        colour = VALID if s.trusted else _colour(s)
    return Panel(body, colour, 2, (8, 6, 5, 6), CONTENT_WIDTH)


def item_in_full(item: Item, *, heading: bool = True) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [CondPageBreak(60 * MM), PageMark(item.uuid)]
    if heading:
        out += [
            Para(text(item.title), st.h3),
            Para(item_meta(item), st.note),
            Spacer(1, 2),
        ]
    out.extend(field_blocks(item.fields))
    if item.text:
        out += [
            CondPageBreak(KEEP_LABEL),
            Para(text(item.text_label or "Text").upper(), st.label),
        ]
        out.append(Para(text(item.text), st.prose))
    out.append(Spacer(1, 4))
    out.append(signoff_box(item))
    out.append(Spacer(1, 10))
    return out


def callout(markup: str, colour: Any) -> Flowable:
    return Panel(Para(markup, styles().body), colour, 2.5, (10, 10, 7, 8), CONTENT_WIDTH)


def headline_figures(values: Sequence[tuple[str, str]]) -> Table:
    """A row of large figures, each over its label, under a rule (the summaries' first page)."""
    st = styles()
    grid = Table(
        [
            [Para(text(value), st.figure) for value, _ in values],
            [Para(text(label), st.figure_label) for _, label in values],
        ],
        colWidths=[CONTENT_WIDTH / len(values)] * len(values),
    )
    grid.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return grid
