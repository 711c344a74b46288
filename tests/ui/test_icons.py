"""Icons are drawn when Qt first asks for them (issue 17), and look exactly as the SVG drawn at
each size: at the sizes drawn, scaled between them, and greyed when disabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption

from portfolio.ui.widgets import ICON_SIZES, icon, status_icon

ICONS = sorted(p.stem for p in (Path(__file__).parents[2] / "resources" / "icons").glob("*.svg"))


def drawn(name: str, size: int) -> QPixmap:
    """The SVG in the palette's text colour, drawn at one size: what the icon must show."""
    return drawn_in(name, size, QApplication.palette().color(QPalette.ColorRole.WindowText).name())


def drawn_in(name: str, size: int, colour: str) -> QPixmap:
    svg = (Path(__file__).parents[2] / "resources" / "icons" / f"{name}.svg").read_text("utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return pixmap


def pixels(pixmap: QPixmap) -> QImage:
    return pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


@pytest.mark.parametrize("name", ICONS)
def test_an_icon_shows_its_svg_at_every_size_it_is_asked_for(qapp: QApplication, name: str) -> None:
    shown = icon(name)
    assert not shown.isNull()
    assert [s.width() for s in shown.availableSizes()] == [
        *ICON_SIZES,
        *((128, 256) if name == "app" else ()),
    ]
    for size in ICON_SIZES:
        assert pixels(shown.pixmap(QSize(size, size))) == pixels(drawn(name, size))
    between = drawn(name, 24).scaled(
        22, 22, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    assert pixels(shown.pixmap(QSize(22, 22))) == pixels(between)
    greyed = qapp.style().generatedIconPixmap(QIcon.Mode.Disabled, drawn(name, 16), QStyleOption())
    assert pixels(shown.pixmap(QSize(16, 16), QIcon.Mode.Disabled)) == pixels(greyed)


def test_a_copy_of_an_icon_changed_by_a_widget_keeps_its_drawing(qapp: QApplication) -> None:
    """Adding to a copy detaches it (Qt clones the engine): both still show the SVG."""
    copy = QIcon(icon("trash"))
    copy.addPixmap(drawn("search", 12))
    assert pixels(copy.pixmap(QSize(16, 16))) == pixels(drawn("trash", 16))
    assert pixels(icon("trash").pixmap(QSize(16, 16))) == pixels(drawn("trash", 16))


@pytest.mark.parametrize("status", ["draft", "ready", "signed_off", "changes_requested"])
def test_a_status_icon_drawn_at_once_looks_as_the_one_drawn_when_asked(
    qapp: QApplication, status: str
) -> None:
    """The evidence list paints status icons drawn at once (no call into Python per paint)."""
    palette = QApplication.palette()
    asked, at_once = status_icon(status, palette), status_icon(status, palette, at_once=True)
    assert at_once.availableSizes() == asked.availableSizes()
    for size in (*ICON_SIZES, 22):
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Selected):
            assert pixels(at_once.pixmap(QSize(size, size), mode)) == pixels(
                asked.pixmap(QSize(size, size), mode)
            )


def test_a_changed_copy_of_a_status_icon_drawn_at_once_leaves_the_others(
    qapp: QApplication,
) -> None:
    """Icons drawn at once share one drawing: a change to one detaches it."""
    changed = status_icon("draft", at_once=True)
    before = pixels(status_icon("draft", at_once=True).pixmap(QSize(16, 16)))
    changed.addPixmap(drawn("search", 16))
    assert pixels(status_icon("draft", at_once=True).pixmap(QSize(16, 16))) == before
    assert pixels(status_icon("draft").pixmap(QSize(16, 16))) == before


@pytest.mark.parametrize("name", ["dashboard", "app"])
def test_an_icon_asked_at_any_size_and_scale_first_looks_as_one_drawn_at_every_size(
    qapp: QApplication, name: str
) -> None:
    """Drawn only at the sizes asked for, in whatever order they are asked, the icon shows what
    the SVG drawn at every size would: in a colour no other test uses, so nothing is drawn yet."""
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.WindowText, f"#0{len(name)}1234")
    colour = palette.color(QPalette.ColorRole.WindowText).name()
    whole = QIcon()
    for side in [*ICON_SIZES, *((128, 256) if name == "app" else ())]:
        whole.addPixmap(drawn_in(name, side, colour))
    for size, scale in ((22, 1.0), (16, 2.0), (40, 1.5), (300, 1.0), (16, 1.0), (10, 1.0)):
        asked = icon(name, palette).pixmap(QSize(size, size), scale)
        assert pixels(asked) == pixels(whole.pixmap(QSize(size, size), scale)), (size, scale)
