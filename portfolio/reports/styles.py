"""Type, colour and paragraph styles shared by the documents.

DejaVu Serif sets headings and the trainee's own prose; DejaVu Sans sets tables, labels and
the running header and footer. Both are embedded (subset) from ``resources/fonts`` so any name
prints and extracts: Zoë Ørsted-Łukasiewicz, Nguyễn Thị Minh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from portfolio.resource_files import resource

SANS = "GPCSans"
SANS_BOLD = "GPCSans-Bold"
SANS_ITALIC = "GPCSans-Oblique"
SERIF = "GPCSerif"
SERIF_BOLD = "GPCSerif-Bold"
SERIF_ITALIC = "GPCSerif-Italic"
MONO = "GPCMono"

_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
    MONO: "DejaVuSansMono.ttf",
}

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5b6775")
ACCENT = colors.HexColor("#1d4e6b")
ACCENT_LIGHT = colors.HexColor("#8fb3c9")
RULE = colors.HexColor("#cfd6dd")
PAPER_TINT = colors.HexColor("#f3f6f8")
VALID = colors.HexColor("#2e6b3f")
EDITED = colors.HexColor("#9a6200")
INVALID = colors.HexColor("#a12222")
WAITING = colors.HexColor("#6d7f8f")

STATE_COLOURS = {"valid": VALID, "edited": EDITED, "invalid": INVALID, "revoked": INVALID}

PAGE_MARGIN_X = 24 * mm
PAGE_MARGIN_TOP = 24 * mm
PAGE_MARGIN_BOTTOM = 22 * mm

_lock = threading.Lock()


def register_fonts() -> None:
    """Register the embedded fonts once per process (thread-safe; reports run off the GUI)."""
    with _lock:
        if SANS in pdfmetrics.getRegisteredFontNames():
            return
        for name, filename in _FONT_FILES.items():
            with as_file(resource("fonts", filename)) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD
        )
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD
        )


@dataclass(frozen=True)
class Styles:
    kicker: ParagraphStyle
    title: ParagraphStyle
    name: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    prose: ParagraphStyle
    label: ParagraphStyle
    inline_label: ParagraphStyle
    note: ParagraphStyle
    note_invalid: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_right: ParagraphStyle
    cell_right_edited: ParagraphStyle
    cell_mono: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle(
        "base", fontName=SANS, fontSize=9, leading=12.5, textColor=INK, alignment=TA_LEFT
    )
    cell = ParagraphStyle("cell", parent=base, fontSize=8.2, leading=10.6)
    head = ParagraphStyle(
        "head", parent=cell, fontName=SANS_BOLD, textColor=MUTED, fontSize=7.4, leading=9.5
    )
    return Styles(
        kicker=ParagraphStyle(
            "kicker",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=8.5,
            leading=11,
            textColor=ACCENT,
            spaceAfter=6,
        ),
        title=ParagraphStyle(
            "title", parent=base, fontName=SERIF, fontSize=26, leading=31, spaceAfter=4
        ),
        name=ParagraphStyle(
            "name",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=17,
            leading=22,
            spaceBefore=18,
            spaceAfter=2,
        ),
        h1=ParagraphStyle(
            "h1",
            parent=base,
            fontName=SERIF,
            fontSize=17,
            leading=22,
            spaceAfter=10,
            textColor=ACCENT,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=14,
            spaceAfter=5,
        ),
        h3=ParagraphStyle(
            "h3",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=12,
            spaceAfter=3,
        ),
        body=base,
        prose=ParagraphStyle(
            "prose", parent=base, fontName=SERIF, fontSize=9.4, leading=13.6, spaceAfter=5
        ),
        label=ParagraphStyle(
            "label",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=7.6,
            leading=10,
            textColor=MUTED,
            spaceBefore=5,
            spaceAfter=1,
        ),
        inline_label=ParagraphStyle(
            "inline_label",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=7.6,
            leading=12.5,
            textColor=MUTED,
        ),
        note=ParagraphStyle("note", parent=base, fontSize=8, leading=11, textColor=MUTED),
        note_invalid=ParagraphStyle(
            "note_invalid", parent=base, fontSize=8, leading=11, textColor=INVALID
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=SANS_BOLD),
        cell_small=ParagraphStyle(
            "cell_small", parent=cell, fontSize=7.2, leading=9.4, textColor=MUTED
        ),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_right_edited=ParagraphStyle(
            "cell_right_edited", parent=cell, alignment=TA_RIGHT, textColor=EDITED
        ),
        cell_mono=ParagraphStyle("cell_mono", parent=cell, fontName=MONO, fontSize=6.6),
        head=head,
        head_right=ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        figure=ParagraphStyle(
            "figure", parent=base, fontName=SERIF, fontSize=20, leading=24, textColor=INK
        ),
        figure_label=ParagraphStyle(
            "figure_label", parent=base, fontSize=7.6, leading=10, textColor=MUTED
        ),
    )


def text(value: str) -> str:
    """Plain text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def hex_of(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]
