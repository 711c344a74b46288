"""The coverage chart: one horizontal bar per GPC domain, split by verified status."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from portfolio.reports.model import DomainRow
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
)

SEGMENTS = (
    ("Validly signed", ACCENT),
    ("Awaiting review", ACCENT_LIGHT),
    ("Edited since sign-off", EDITED),
    ("Invalid signature", INVALID),
    ("Draft or changes requested", RULE),
)


def _parts(row: DomainRow) -> tuple[int, ...]:
    other = max(row.items - row.signed - row.awaiting_review - row.edited - row.invalid, 0)
    return (row.signed, row.awaiting_review, row.edited, row.invalid, other)


def coverage_chart(rows: Sequence[DomainRow], width: float) -> Drawing:
    bar_height, gap, label_width, legend_height = 11.0, 6.0, 34.0, 26.0
    height = len(rows) * (bar_height + gap) + legend_height + 4
    drawing = Drawing(width, height)
    longest = max((row.items for row in rows), default=0) or 1
    scale = (width - label_width - 64) / longest
    top = height - bar_height
    for index, row in enumerate(rows):
        y = top - index * (bar_height + gap)
        drawing.add(String(0, y + 2.5, row.code, fontName=SANS_BOLD, fontSize=7.5, fillColor=INK))
        x = label_width
        for (_, colour), count in zip(SEGMENTS, _parts(row), strict=True):
            if count:
                drawing.add(
                    Rect(x, y, count * scale, bar_height, fillColor=colour, strokeColor=None)
                )
                x += count * scale
        if row.items == 0:
            drawing.add(
                Line(
                    label_width, y, label_width, y + bar_height, strokeColor=INVALID, strokeWidth=1
                )
            )
        caption = f"{row.signed} signed of {row.items}" if row.items else "no evidence"
        drawing.add(
            String(
                x + 5,
                y + 2.5,
                caption,
                fontName=SANS,
                fontSize=7,
                fillColor=MUTED if row.items else INVALID,
            )
        )
    x = label_width
    for label, colour in SEGMENTS:
        drawing.add(Rect(x, 6, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 10, 6.8, label, fontName=SANS, fontSize=6.8, fillColor=MUTED))
        x += 22 + stringWidth(label, SANS, 6.8)
    return drawing
