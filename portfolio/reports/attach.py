"""What lets a summary verify itself: marks that note the pages an item is printed on, and the
PDF's embedded files (the catalog's ``/Names /EmbeddedFiles`` name tree, PDF 32000-1 §7.11.4).

ReportLab has no API for embedded files, so they are written with its low-level PDF objects
when the document is saved, once every page, and so every mark, has been laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.platypus import Flowable

from portfolio.reports.model import EmbeddedFile

PagesSeen = dict[str, set[int]]


class PageMark(Flowable):
    """Takes no space; notes on the canvas the page where the item ``uuid`` is drawn."""

    def __init__(self, uuid: str) -> None:
        super().__init__()
        self.uuid = uuid

    def wrap(self, *_args: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        seen: PagesSeen | None = getattr(self.canv, "pages_seen", None)
        if seen is not None:
            seen.setdefault(self.uuid, set()).add(self.canv.getPageNumber())


def _name(mime: str) -> str:
    """A MIME type (a plain ASCII token) as a PDF name, its "/" written #2F."""
    return "/" + mime.replace("/", "#2F")


def embed(canvas: Any, files: Sequence[EmbeddedFile]) -> None:
    """Attach ``files`` to the document ``canvas`` writes, listed by name (a name tree's keys
    are sorted); each stream is compressed and carries its size, and no date."""
    if not files:
        return
    entries: list[Any] = []
    for file in sorted(files, key=lambda f: f.name):
        stream = PDFStream(
            PDFDictionary(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": _name(file.mime),
                    "Params": PDFDictionary({"Size": len(file.data)}),
                }
            ),
            file.data,
            filters=[PDFZCompress],
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(file.name),
                "UF": PDFString(file.name),
                "Desc": PDFString(file.description),
                "EF": PDFDictionary({"F": stream}),
            }
        )
        entries += [PDFString(file.name), canvas._doc.Reference(spec)]
    tree = PDFDictionary({"Names": PDFArray(entries)})
    canvas._doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": canvas._doc.Reference(tree)})
