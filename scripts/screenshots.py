"""Retake the documentation's screenshots from the demo portfolio (``gpc-portfolio demo``).

    .venv/bin/python scripts/screenshots.py docs/screenshots   (offscreen Qt, a 1440×900 screen)

Everything is made in a scratch folder that no screenshot shows: the demo's keys and dates are
fixed, so the pictures change only when the app does.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from portfolio.app import open_portfolio
from portfolio.demo import fill_demo
from portfolio.paths import resolve_location
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.main import make_application
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations

GENERATED = 1_784_894_400
"""2026-07-24 12:00 UTC, the week before the demo trainee's ARCP panel."""
WINDOW = (1280, 800)
EDITOR = (1100, 800)
REPORT_PAGES = {
    "report-cover.png": "Review of Competence",
    "report-coverage.png": "AWAITING",
    "report-qi.png": "PDSA CYCLE",
}
"""Pages of the demo's ARCP summary, each the first on which this text appears."""


def settle(app: QApplication, ops: Operations) -> None:
    """Let queued work finish and its results arrive, as a person waiting would."""
    for _ in range(20):
        ops.wait()
        app.processEvents()


def save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise SystemExit(f"Could not save {path}.")
    print(path)


def report_pages(pdf: bytes, out: Path) -> None:
    document = pdfium.PdfDocument(pdf)
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
        for name, text in REPORT_PAGES.items():
            number = next(n for n, page in enumerate(texts) if text in page)
            bitmap = document[number].render(scale=1.5, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            if not image.save(str(out / name)):
                raise SystemExit(f"Could not save {out / name}.")
            print(out / name)
    finally:
        document.close()


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        # a home of its own, so the key folder reads ~/data/keys; a screen the window fits
        os.environ["HOME"] = folder
        os.environ["SOURCE_DATE_EPOCH"] = str(GENERATED)  # the report's date, before the ARCP
        screen = {"name": "desktop", "x": 0, "y": 0, "width": 1440, "height": 900}
        config = Path(folder) / "screen.json"
        config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        app = make_application(sys.argv)  # as the app starts: icon, names, plural forms
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QCoreApplication.setOrganizationName("GPC Portfolio screenshots")
        with open_portfolio(resolve_location(Path(folder) / "data")) as portfolio:
            fill_demo(portfolio)
            ops = Operations()
            window = MainWindow(portfolio, ops)
            window.resize(*WINDOW)
            window.show()
            settle(app, ops)
            for page, name in (
                ("dashboard", "dashboard.png"),
                ("evidence", "evidence-list.png"),
                ("reviews", "reviews-page.png"),
                ("opportunities", "opportunities-page.png"),
            ):
                window.show_page(page)
                settle(app, ops)
                save(window, out / name)
            window.set_mentor_mode(True)  # the demo's cohort (27 trainees) opens by itself
            settle(app, ops)
            save(window, out / "mentor-cohort.png")
            window.mentor.tabs.setCurrentIndex(1)
            settle(app, ops)
            save(window, out / "mentor-catalogue.png")
            window.set_mentor_mode(False)
            reflection = portfolio.evidence.list(
                EvidenceQuery(kind="reflection", status="signed_off")
            )[0]
            editor = window.open_editor(item_uuid=reflection.uuid)
            editor.resize(*EDITOR)
            settle(app, ops)
            save(editor, out / "editor-reflection.png")
            editor.close()
            report_pages(portfolio.reports.arcp_pdf(), out)
            window.close()
            settle(app, ops)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
