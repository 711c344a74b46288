"""Two flowables the documents print everywhere, cheaper than ReportLab's general ones.

``Para`` is a Paragraph that parses its markup once per distinct text and style (a summary
repeats the same sign-off cell hundreds of times) and breaks its lines once per width (a table
wraps every cell to measure it, then again to draw it). ``Panel`` is one paragraph on a tinted
box with a coloured rule at its left: what a one-cell Table drew, without a table's layout.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from portfolio.reports.styles import PAPER_TINT


@lru_cache(maxsize=4096)
def _parsed(text: str, style: ParagraphStyle) -> list[Any]:
    """The fragments of ``text`` (ReportLab's parse, as Paragraph does it). Shared between
    paragraphs: ReportLab reads them and builds each paragraph's lines anew."""
    frags = ParaParser().parse(cleanBlockQuotedText(text), style)[1]
    if frags is None:
        raise ValueError(f"bad paragraph markup: {text[:40]!r}")
    textTransformFrags(frags, style)
    return frags


class Para(Paragraph):
    """A Paragraph whose markup is parsed once per (text, style) and whose lines are broken
    once per width it is given (ReportLab's own wrap runs again on every call)."""

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
    ) -> None:
        if frags is None:
            frags = _parsed(text or "", style)
        super().__init__(text, style, bulletText, frags)
        self._wrapped_at: float | None = None
        self._size = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._wrapped_at or not hasattr(self, "blPara"):  # split drops it
            self._size = super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self._size


class Panel(Flowable):
    """``content`` on a tinted box ``width`` wide, a ``rule`` of ``rule_width`` at its left;
    ``padding`` is (left, right, top, bottom). It never splits: it moves to the next page."""

    def __init__(
        self,
        content: Paragraph,
        rule: Color,
        rule_width: float,
        padding: tuple[float, float, float, float],
        width: float,
    ) -> None:
        super().__init__()
        self._content = content
        self._rule = rule
        self._rule_width = rule_width
        self._padding = padding
        self.width = width
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        left, right, top, bottom = self._padding
        _, height = self._content.wrap(self.width - left - right, availHeight - top - bottom)
        self.height = height + top + bottom
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(PAPER_TINT)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setStrokeColor(self._rule)
        canvas.setLineWidth(self._rule_width)
        canvas.setLineCap(1)
        canvas.line(0, 0, 0, self.height)
        canvas.restoreState()
        left, _, _, bottom = self._padding
        self._content.drawOn(canvas, left, bottom)
