"""Small pieces shared by the pages: settings, icons, status colours, owned connections, messages.

Nothing here holds state between windows: every helper takes what it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDate,
    QEvent,
    QMetaObject,
    QObject,
    QRect,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QFrame,
    QLabel,
    QScrollArea,
    QWidget,
)

from portfolio import vocabulary
from portfolio.kinds import kind_templates
from portfolio.resource_files import resource

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QMessageBox

    from portfolio.services.dto import PlacementData

ORGANISATION = "GPC Portfolio"
APPLICATION = "gpc-portfolio"
DISPLAY_NAME = "GPC Portfolio"


def app_settings() -> QSettings:
    """The app's settings, always an INI file (tests point ``QSettings.setPath`` at a temp dir)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def word(label: str) -> str:
    """A label of ``portfolio.vocabulary`` in the window's language."""
    return QCoreApplication.translate(vocabulary.TRANSLATION_CONTEXT, label)


def status_label(status: str) -> str:
    return word(vocabulary.status_label(status))


def status_description(status: str) -> str:
    """One sentence for tooltips and screen readers: what the status means for the trainee."""
    text = vocabulary.STATUS_DESCRIPTIONS.get(status, "")
    return word(text) if text else ""


def role_label(role: str) -> str:
    return word(vocabulary.ROLE_LABELS.get(role, role))


def decision_label(decision: str) -> str:
    return word(vocabulary.DECISION_LABELS.get(decision, decision))


# Light and dark variants, each with a contrast ratio of at least 4.5:1 against the window colour
# of a typical light (white) or dark (#1e1e1e … #353535) palette. Text never relies on colour alone.
_STATUS_COLOURS = {
    "draft": ("#5f6368", "#bdc1c6"),
    "ready": ("#1a5fb4", "#8fb8f0"),
    "changes_requested": ("#9a4d00", "#f6b26b"),
    "signed_off": ("#26734d", "#7fd1a1"),
    "edited": ("#6a3d9a", "#c9a7f2"),
    "invalid": ("#a51d2d", "#ff9a9a"),
    "unvouched": ("#9a4d00", "#f6b26b"),
    "revoked": ("#a51d2d", "#ff9a9a"),
    "gap": ("#a51d2d", "#ff9a9a"),
}
_STATUS_ICONS = {
    "draft": "status-draft",
    "ready": "status-ready",
    "changes_requested": "status-changes",
    "signed_off": "status-signed",
    "edited": "status-edited",
    "invalid": "status-invalid",
    "unvouched": "status-changes",
    "revoked": "status-invalid",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_colour(status: str, palette: QPalette) -> QColor:
    light, dark = _STATUS_COLOURS.get(status, _STATUS_COLOURS["draft"])
    return QColor(dark if is_dark(palette) else light)


def status_icon(status: str, palette: QPalette | None = None, *, at_once: bool = False) -> QIcon:
    """The status's shape (check, pencil, warning …) drawn in its colour: never colour alone.

    ``at_once``: drawn now, for a view that paints it in every row at every paint (an icon drawn
    when asked costs three calls into Python each time it is painted); it looks the same."""
    palette = palette or QApplication.palette()
    name, colour = _STATUS_ICONS.get(status, "status-draft"), status_colour(status, palette).name()
    return _drawn_now_or_when_asked(name, colour, at_once)


@cache
def kind_titles() -> dict[str, str]:
    return {kind: t.title for kind, t in kind_templates().items()}


def kind_title(kind: str) -> str:
    return kind_titles().get(kind, kind)


def icon(name: str, palette: QPalette | None = None, *, at_once: bool = False) -> QIcon:
    """An SVG icon from ``resources/icons``, drawn in the palette's text colour.

    The SVGs use ``currentColor``; rendered at several sizes (``_sides``), each when first
    needed, they stay sharp at any scale a menu, toolbar or side bar uses. ``at_once``: drawn
    now at every size, as ``status_icon``'s, for a widget repainted at every key typed.
    """
    palette = palette or QApplication.palette()
    colour = palette.color(QPalette.ColorRole.WindowText).name()
    return _drawn_now_or_when_asked(name, colour, at_once)


def _drawn_now_or_when_asked(name: str, colour: str, at_once: bool) -> QIcon:
    return QIcon(_draw(name, colour)) if at_once else _icon(name, colour)


ICON_SIZES = (16, 20, 24, 32, 48, 64)


@cache
def _icon(name: str, colour: str) -> QIcon:
    return QIcon(_DrawnWhenAsked(name, colour))


class _DrawnWhenAsked(QIconEngine):
    """An icon drawn at each of its sizes only when Qt first asks for a size that one serves
    (a menu's icons when the menu opens; a side bar's at the one size it shows).

    It answers as the icon drawn at every size does: Qt serves a size with the smallest pixmap
    at least as large (by area), else the largest, and that pixmap is drawn before Qt is asked,
    for the size asked both as given and times the screen's scale.
    """

    def __init__(self, name: str, colour: str) -> None:
        super().__init__()
        self._name, self._colour = name, colour
        self._drawn = QIcon()
        self._sides: set[int] = set()

    def _serving(self, size: QSize, scale: float = 1.0) -> QIcon:
        sides = _sides(self._name)
        area = size.width() * size.height()
        for wanted in {area, area * scale * scale}:
            side = min((s for s in sides if s * s >= wanted), default=sides[-1])
            if side not in self._sides:
                self._sides.add(side)
                self._drawn.addPixmap(_drawn_at(self._name, self._colour, side))
        return self._drawn

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._serving(size).pixmap(size, 1.0, mode, state)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        return self._serving(size, scale).pixmap(size, scale, mode, state)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatio()
        self._serving(rect.size(), scale).paint(
            painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state
        )

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return self._serving(size).actualSize(size, mode, state)

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        """Every size the SVG is drawn at (drawn or not yet), then any a caller added."""
        added = self._drawn.availableSizes(mode, state)
        if mode is not QIcon.Mode.Normal or state is not QIcon.State.Off:
            return added
        sizes = [QSize(side, side) for side in _sides(self._name)]
        return sizes + [size for size in added if size not in sizes]

    def addPixmap(self, pixmap: QPixmap | QImage, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._drawn.addPixmap(pixmap, mode, state)

    def clone(self) -> QIconEngine:
        """A copy for an icon that a caller changes. PySide6 does not hand the returned engine
        to Qt, so it is kept here (the app changes no icon: this is Qt's contract, not a leak)."""
        copy = _DrawnWhenAsked(self._name, self._colour)
        copy._drawn = QIcon(self._drawn)
        copy._sides = set(self._sides)
        _CLONES.append(copy)
        return copy


_CLONES: list[_DrawnWhenAsked] = []


def _sides(name: str) -> tuple[int, ...]:
    """The sizes an icon is drawn at, smallest first (the app's own icon also at the large
    sizes a task switcher asks for: the rest would cost start-up time and memory for nothing)."""
    return (*ICON_SIZES, 128, 256) if name == "app" else ICON_SIZES


@cache
def _draw(name: str, colour: str) -> QIcon:
    """Drawn at once at every size, once for each name and colour; callers hold copies (a
    change to one detaches it)."""
    result = QIcon()
    for side in _sides(name):
        result.addPixmap(_drawn_at(name, colour, side))
    return result


def _drawn_at(name: str, colour: str, side: int) -> QPixmap:
    pixmap = QPixmap(QSize(side, side))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name, colour).render(painter)
    painter.end()
    return pixmap


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    from PySide6.QtSvg import QSvgRenderer  # only when the first icon is drawn

    svg = resource("icons", f"{name}.svg").read_text(encoding="utf-8")
    return QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))


class Connections:
    """Signal connections a widget makes to objects that outlive it, undone when it goes.

    (After Vorta's ``BaseTab``.) Connecting to ``Operations.changed`` through this keeps a
    closed page from receiving signals after its C++ side is deleted.
    """

    def __init__(self, owner: QObject) -> None:
        self._made: list[QMetaObject.Connection] = []
        owner.destroyed.connect(self.disconnect_all)

    def connect(self, signal: Any, slot: Callable[..., Any]) -> None:
        self._made.append(signal.connect(slot))

    def disconnect_all(self, *_: object) -> None:
        while self._made:
            QObject.disconnect(self._made.pop())


class OptionalDateEdit(QDateEdit):
    """A date field with an "any date" state (its minimum date), for filters and open ends.

    Tab and Shift+Tab always leave the field: Qt's date edit spends Tab on moving between its
    day, month and year, and in the "any date" state swallows it altogether, trapping a keyboard
    user. The arrow keys still move between and change the parts of the date.
    """

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(QDate(1900, 1, 1))
        self.setSpecialValueText(empty_text)
        self.clear_date()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                backwards = key == Qt.Key.Key_Backtab or bool(
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
                )
                QWidget.focusNextPrevChild(self, not backwards)
                return True
        return super().event(event)

    def clear_date(self) -> None:
        self.setDate(self.minimumDate())

    def value(self) -> date | None:
        current = self.date()
        if current == self.minimumDate():
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.clear_date()
        else:
            self.setDate(QDate(value.year, value.month, value.day))


def announce(widget: QWidget, message: str, *, urgent: bool = False) -> None:
    """Has a screen reader speak ``message`` now (an accessibility announcement from ``widget``).

    For what appears without focus moving: saved, submitted, a validation message. Urgent
    messages interrupt; the others wait for the reader to finish. Nothing happens while no
    assistive technology is listening.
    """
    if not message:
        return
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent  # made when first used

    event = QAccessibleAnnouncementEvent(widget, message)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QAccessible.updateAccessibility(event)


def mark_required(widget: QWidget) -> None:
    """Says a field must be filled in to screen readers, before any description it has.

    Qt Widgets has no "required" accessible state to set (AT-SPI's STATE_REQUIRED is never
    sent), so the description carries it; the visible label carries an asterisk.
    """
    widget.setProperty("required", True)
    description = widget.accessibleDescription()
    required = QCoreApplication.translate("widgets", "Required.")
    widget.setAccessibleDescription(f"{required} {description}".strip())


class FieldError(QLabel):
    """An inline validation message under a field; empty and hidden when the field is fine.

    A message is announced; with a ``field`` it also becomes the field's accessible description,
    so a screen reader reads it again on reaching the field (its own description comes back when
    the message is cleared).
    """

    def __init__(
        self, name: str, parent: QWidget | None = None, *, field: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setAccessibleName(name)
        self._field = field
        self._field_description = field.accessibleDescription() if field is not None else ""
        self._recolouring = False
        self._recolour()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))
        if self._field is not None:
            self._field.setAccessibleDescription(message or self._field_description)
        announce(self, message, urgent=True)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        if self._recolouring:
            return
        self._recolouring = True
        try:
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.WindowText, status_colour("gap", palette))
            self.setPalette(palette)
        finally:
            self._recolouring = False


def show_message(
    parent: QWidget,
    title: str,
    text: str,
    *,
    name: str = "message",
    icon_kind: QMessageBox.Icon | None = None,
    details: str = "",
) -> QMessageBox:
    """A window-modal message that does not block the caller (tests can find and close it);
    a warning unless ``icon_kind`` says otherwise."""
    from PySide6.QtWidgets import QMessageBox  # made when first shown, never before the paint

    kind = QMessageBox.Icon.Warning if icon_kind is None else icon_kind
    box = QMessageBox(kind, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.setDetailedText(details)
    box.open()
    return box


def page_scroll(body: QWidget, name: str, accessible: str, parent: QWidget) -> QScrollArea:
    """A frameless scroll area around a page's ``body`` that is no Tab stop of its own.

    Qt's scroll areas take focus, showing no focus ring and reading as an unnamed pane; the
    controls inside are the stops, and the area scrolls to whichever has focus.
    """
    scroll = QScrollArea(parent)
    scroll.setObjectName(name)
    scroll.setAccessibleName(accessible)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    return scroll


def placement_text(placement: PlacementData) -> str:
    where = " — ".join(part for part in (placement.trust, placement.department) if part)
    until = placement.ends_on.isoformat() if placement.ends_on else "…"
    return f"{where} ({placement.starts_on.isoformat()} to {until})"


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    """The label in bold, optionally scaled from the system font (never a fixed size)."""
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label
