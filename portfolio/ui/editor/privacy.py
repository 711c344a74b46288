"""Inline privacy warnings: what the trainee types is scanned for patient identifiers.

:class:`PrivacyGuard` scans every free-text widget the editor hands it (title, the kind's text,
long-text and list fields, repeat entries such as PDSA cycles, the main text and the domain
justifications) with :func:`portfolio.privacy.find_identifiers` — pure and fast (about 15 ms for
5,000 words), so it runs on the GUI thread, 400 ms after the last keystroke and on load.

* In a :class:`QPlainTextEdit` each finding is underlined (wavy) on an amber tint through
  ``QTextEdit.ExtraSelection``; a :class:`QLineEdit` cannot mark a range, so it gets a warning
  icon (``privacyMark``) at its end whose tooltip says what was found.
* :class:`PrivacyPanel` (``privacyPanel``) lists each finding: where, the text, why, with
  "Replace with …" (``replaceFinding``: one click replaces exactly that span through the widget,
  so Ctrl+Z undoes it), "Not patient data" (``dismissFinding``), and ``replaceAllFindings``.
  The panel is hidden when there is nothing to say.

Dismissals are keyed like the service's: (kind, text) for the item. The guard only filters;
remembering them is the window's job (``dismissed`` signal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from portfolio.privacy import Finding, find_identifiers
from portfolio.ui.editor.form import caption
from portfolio.ui.editor.widgets import is_dark, warning_colour, warning_icon

SCAN_DELAY_MS = 400
MOST_ROWS = 40
"""Rows the panel lists (the count in its heading is always complete)."""

TextWidget = QLineEdit | QPlainTextEdit


@dataclass(frozen=True)
class TextSource:
    """One piece of text the trainee wrote, and the widget that edits it."""

    key: str
    """Where, like the service's paths: "title", "text", "fields.what", "links.GPC1"."""
    label: str
    widget: TextWidget
    text: str
    show: Callable[[], None] | None = None
    """Brings this text into ``widget`` first (a justification of another domain), else None."""


@dataclass(frozen=True)
class EditorFinding:
    source: TextSource
    finding: Finding

    @property
    def key(self) -> tuple[str, str]:
        return self.finding.kind, self.finding.text


def widget_text(widget: TextWidget) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()


def utf16(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 code units; Python in code points."""
    head = text[:index]
    return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)


def select_span(widget: TextWidget, text: str, start: int, end: int) -> None:
    """Select ``text[start:end]`` in ``widget`` (which shows ``text``)."""
    first, last = utf16(text, start), utf16(text, end)
    if isinstance(widget, QLineEdit):
        widget.setSelection(first, last - first)
    else:
        cursor = widget.textCursor()
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        widget.setTextCursor(cursor)
        widget.ensureCursorVisible()


def _replace_span(widget: TextWidget, text: str, start: int, end: int, new: str) -> None:
    """Replace through the widget's own editing, so the trainee can undo it."""
    first, last = utf16(text, start), utf16(text, end)
    if isinstance(widget, QLineEdit):
        if widget.maxLength() < len(text) - (last - first) + len(new):
            widget.setMaxLength(len(text) - (last - first) + len(new))
        widget.setSelection(first, last - first)
        widget.insert(new)
    else:
        cursor = QTextCursor(widget.document())
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new)


# ---------------------------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------------------------


class PrivacyPanel(QFrame):
    """Findings, one row each, with Replace and Not patient data; hidden when empty."""

    replace_requested = Signal(object)
    """An :class:`EditorFinding`."""
    dismiss_requested = Signal(object)
    show_requested = Signal(object)
    replace_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyPanel")
        self.setAccessibleName(self.tr("Possible patient-identifiable data"))
        self.findings: list[EditorFinding] = []
        self._signature: tuple[object, ...] = ()
        self._tab_anchor: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(6)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(warning_icon(QApplication.palette()).pixmap(20, 20))
        self.heading = QLabel(self)
        self.heading.setObjectName("privacyHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        layout.addLayout(top)
        self.explanation = caption(
            self.tr(
                "Record what you learned, not who it happened to: GMC and AoMRC guidance asks you "
                "to leave out anything that could identify a patient. These are suggestions; you "
                "decide."
            ),
            self,
        )
        self.explanation.setObjectName("privacyExplanation")
        layout.addWidget(self.explanation)

        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("privacyScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._rows_host = QWidget(self._scroll)
        self._rows_host.setObjectName("privacyRows")
        self._rows = QVBoxLayout(self._rows_host)
        self._rows.setContentsMargins(0, 4, 0, 0)
        self._rows.setSpacing(8)
        self._rows.addStretch(1)
        self._scroll.setWidget(self._rows_host)
        layout.addWidget(self._scroll, 1)

        bottom = QHBoxLayout()
        self.more_label = caption("", self)
        self.more_label.setObjectName("privacyMore")
        self.replace_all_button = QPushButton(self.tr("Replace &all"), self)
        self.replace_all_button.setObjectName("replaceAllFindings")
        self.replace_all_button.setAutoDefault(False)
        self.replace_all_button.setToolTip(
            self.tr("Replace every finding listed with its suggested wording (Ctrl+Z undoes each).")
        )
        self.replace_all_button.clicked.connect(self.replace_all_requested)
        bottom.addWidget(self.more_label, 1)
        bottom.addWidget(self.replace_all_button)
        layout.addLayout(bottom)
        self.setStyleSheet(self._style())
        self.hide()

    def _style(self) -> str:
        palette = QApplication.palette()  # not ours: the tint below becomes our Window colour
        amber = warning_colour(palette)
        tint = QColor(amber)
        tint.setAlpha(34 if is_dark(palette) else 22)
        border = QColor(amber)
        border.setAlpha(150)
        rgba = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
        edge = f"rgba({border.red()}, {border.green()}, {border.blue()}, {border.alpha()})"
        return (
            f"QFrame#privacyPanel {{ background: {rgba}; border: 1px solid {edge}; "
            "border-radius: 10px; }\n"
            "QScrollArea#privacyScroll, QWidget#privacyRows { background: transparent; }\n"
            "QFrame#privacyFinding { background: palette(base); "
            "border: 1px solid palette(midlight); border-radius: 7px; }\n"
        )

    def set_tab_anchor(self, widget: QWidget) -> None:
        """Rows come after ``widget`` in the Tab order (they are built later than the form)."""
        self._tab_anchor = widget

    def set_findings(self, findings: list[EditorFinding]) -> None:
        signature = tuple(
            (f.source.key, f.finding.kind, f.finding.start, f.finding.text) for f in findings
        )
        self.findings = list(findings)
        parent = self.parentWidget()
        shown = parent is not None and self.isVisibleTo(parent)
        if signature == self._signature and shown == bool(findings):
            return
        self._signature = signature
        while self._rows.count() > 1:
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        count = len(findings)
        self.heading.setText(
            self.tr(
                "This could identify a patient"
                if count == 1
                else "{count} things here could identify a patient"
            ).format(count=count)
        )
        buttons: list[QWidget] = []
        for index, found in enumerate(findings[:MOST_ROWS]):
            row = self._row(index, found)
            self._rows.insertWidget(index, row)
            row.show()  # at once, not on the next event-loop pass (the panel may be visible)
            buttons += row.findChildren(QPushButton)
        more = count - MOST_ROWS
        self.more_label.setText(
            self.tr("… and {count} more").format(count=more) if more > 0 else ""
        )
        self.replace_all_button.setVisible(count > 1)
        if self._tab_anchor is not None and buttons:
            chain = [self._tab_anchor, *buttons]
            if self.replace_all_button.isVisibleTo(self):
                chain.append(self.replace_all_button)
            for before, after in pairwise(chain):
                QWidget.setTabOrder(before, after)
        self.setVisible(bool(findings))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Show up to three rows without scrolling; more scroll inside the panel."""
        width = max(200, self._scroll.viewport().width())
        heights = []
        for i in range(min(3, self._rows.count() - 1)):
            layout_item = self._rows.itemAt(i)
            row = layout_item.widget() if layout_item is not None else None
            if row is None:
                continue
            heights.append(
                row.heightForWidth(width) if row.hasHeightForWidth() else row.sizeHint().height()
            )
        wanted = sum(heights) + self._rows.spacing() * max(0, len(heights) - 1) + 6
        self._scroll.setFixedHeight(wanted if heights else 0)

    def _row(self, index: int, found: EditorFinding) -> QFrame:
        """One finding. Its buttons act on ``self.findings[index]``, which a later scan with the
        same result refreshes (e.g. a justification now shown in the box) without new rows."""
        row = QFrame(self._rows_host)
        row.setObjectName("privacyFinding")
        layout = QVBoxLayout(row)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        text = (
            found.finding.text if len(found.finding.text) <= 60 else (found.finding.text[:57] + "…")
        )
        where = QLabel(row)
        where.setObjectName("findingText")
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.RichText)
        # the app's palette, not the panel's (its tint is its Window colour), and not the link
        # colour, which some dark palettes leave dark
        colour = warning_colour(QApplication.palette()).name()
        where.setText(
            f"<b>{_html(found.source.label)}</b> · "
            f"<a href='#show' style='text-decoration:none; color:{colour}'>"
            f"“{_html(text)}”</a>"
        )
        where.setToolTip(self.tr("Show it in the text"))
        where.linkActivated.connect(lambda _=None: self._emit(self.show_requested, index))
        message = caption(found.finding.message, row)
        message.setObjectName("findingMessage")
        replace = QPushButton(
            self.tr("Replace with “{suggestion}”").format(suggestion=found.finding.suggestion), row
        )
        replace.setObjectName("replaceFinding")
        replace.setAutoDefault(False)
        replace.setAccessibleName(
            self.tr("Replace “{text}” with “{suggestion}”").format(
                text=found.finding.text, suggestion=found.finding.suggestion
            )
        )
        replace.clicked.connect(lambda _=False: self._emit(self.replace_requested, index))
        dismiss = QPushButton(self.tr("Not patient data"), row)
        dismiss.setObjectName("dismissFinding")
        dismiss.setAutoDefault(False)
        dismiss.setToolTip(
            self.tr("Stop flagging “{text}” in this item.").format(text=found.finding.text)
        )
        dismiss.clicked.connect(lambda _=False: self._emit(self.dismiss_requested, index))
        # "Not patient data" beside the heading, the replacement on a line of its own: both
        # fit the side column's width, however long the suggested wording.
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(where, 1)
        top.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(replace)
        bottom.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(message)
        layout.addLayout(bottom)
        return row

    def _emit(self, signal: Any, index: int) -> None:
        if index < len(self.findings):
            signal.emit(self.findings[index])


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------
# The guard
# ---------------------------------------------------------------------------------------------


class PrivacyGuard(QObject):
    """Scans the editor's texts, marks what it finds, and feeds the panel."""

    scanned = Signal(int)
    """After each scan: how many findings are shown."""
    dismissed = Signal(object)
    """A :class:`Finding` the trainee marked "not patient data" (the window remembers it)."""

    def __init__(
        self,
        sources: Callable[[], list[TextSource]],
        make_panel: Callable[[], PrivacyPanel],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sources = sources
        self._make_panel = make_panel
        self.panel: PrivacyPanel | None = None
        """Built on the first finding (most items never need it)."""
        self.dismissals: set[tuple[str, str]] = set()
        self.findings: list[EditorFinding] = []
        self._highlighted: list[QPlainTextEdit] = []
        self._marks: dict[int, tuple[QLineEdit, QAction]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SCAN_DELAY_MS)
        self._timer.timeout.connect(self.scan_now)

    def _panel(self) -> PrivacyPanel:
        if self.panel is None:
            panel = self._make_panel()
            panel.replace_requested.connect(self.replace)
            panel.dismiss_requested.connect(self.dismiss)
            panel.show_requested.connect(self.show)
            panel.replace_all_requested.connect(self.replace_all)
            self.panel = panel
        return self.panel

    def schedule(self) -> None:
        """Scan once the trainee pauses (each call restarts the wait)."""
        self._timer.start()

    def set_dismissals(self, keys: set[tuple[str, str]]) -> None:
        self.dismissals = set(keys)

    def scan_now(self) -> None:
        self._timer.stop()
        sources = self._sources()
        findings = [
            EditorFinding(source, finding)
            for source in sources
            for finding in find_identifiers(source.text)
            if (finding.kind, finding.text) not in self.dismissals
        ]
        self.findings = findings
        self._mark(sources, findings)
        if findings or self.panel is not None:
            self._panel().set_findings(findings)
        self.scanned.emit(len(findings))

    # -- marking -------------------------------------------------------------------------------

    def _mark(self, sources: list[TextSource], findings: list[EditorFinding]) -> None:
        palette = QApplication.palette()
        amber = warning_colour(palette)
        tint = QColor(amber)
        tint.setAlpha(70 if is_dark(palette) else 45)
        char = QTextCharFormat()
        char.setBackground(tint)
        char.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        char.setUnderlineColor(amber)

        spans: dict[int, tuple[QPlainTextEdit, list[QTextEdit.ExtraSelection]]] = {}
        tips: dict[int, tuple[QLineEdit, list[str]]] = {}
        for source in sources:  # every widget shown is (re)marked, even with nothing to mark
            if source.show is None and isinstance(source.widget, QPlainTextEdit):
                spans.setdefault(id(source.widget), (source.widget, []))
        for found in findings:
            source, finding = found.source, found.finding
            if source.show is not None:
                continue  # not in the widget now (another domain's justification)
            widget = source.widget
            if isinstance(widget, QLineEdit):
                tips.setdefault(id(widget), (widget, []))[1].append(
                    f"“{finding.text}”: {finding.message}"
                )
                continue
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(widget.document())
            cursor.setPosition(utf16(source.text, finding.start))
            cursor.setPosition(utf16(source.text, finding.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = char
            spans[id(widget)][1].append(selection)

        for widget in self._highlighted:
            if shiboken6.isValid(widget) and id(widget) not in spans:
                widget.setExtraSelections([])
        for widget, selections in spans.values():
            widget.setExtraSelections(selections)
        self._highlighted = [widget for widget, selections in spans.values() if selections]

        for key, (line, action) in list(self._marks.items()):
            if key not in tips or not shiboken6.isValid(line):
                if shiboken6.isValid(line):
                    line.removeAction(action)
                action.deleteLater()
                del self._marks[key]
        icon = warning_icon(palette)
        for key, (line, messages) in tips.items():
            if key not in self._marks:
                action = QAction(icon, "", line)
                action.setObjectName("privacyMark")
                line.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
                action.triggered.connect(lambda _=False, w=line: self._show_first_in(w))
                self._marks[key] = (line, action)
            action = self._marks[key][1]
            tip = self.tr("Could identify a patient:") + "\n" + "\n".join(messages)
            action.setToolTip(tip)
            action.setText(tip)

    def _show_first_in(self, widget: QWidget) -> None:
        for found in self.findings:
            if found.source.widget is widget:
                self.show(found)
                return

    def marked_line_edits(self) -> list[QLineEdit]:
        """Line edits that carry the warning icon (for tests and screenshots)."""
        return [line for line, _ in self._marks.values() if shiboken6.isValid(line)]

    # -- acting on a finding ---------------------------------------------------------------------

    def _current(self, found: EditorFinding) -> tuple[TextWidget, str] | None:
        """The widget showing the finding's text, if the text there still holds it."""
        if found.source.show is not None:
            found.source.show()
        widget = found.source.widget
        text = widget_text(widget)
        finding = found.finding
        if text[finding.start : finding.end] != finding.text:
            return None
        return widget, text

    def show(self, found: EditorFinding) -> None:
        """Select the finding in its widget and give it focus."""
        current = self._current(found)
        if current is None:
            self.scan_now()
            return
        widget, text = current
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        select_span(widget, text, found.finding.start, found.finding.end)

    def replace(self, found: EditorFinding) -> bool:
        """Put the suggested wording in place of exactly that span (undoable in the widget)."""
        current = self._current(found)
        if current is None:  # edited since the scan: look again rather than guess
            self.scan_now()
            return False
        widget, text = current
        finding = found.finding
        _replace_span(widget, text, finding.start, finding.end, finding.suggestion)
        self.scan_now()
        return True

    def replace_all(self) -> int:
        """Replace every finding shown, back to front within each text."""
        done = 0
        by_source: dict[str, list[EditorFinding]] = {}
        for found in self.findings:
            by_source.setdefault(found.source.key, []).append(found)
        for group in by_source.values():
            for found in sorted(group, key=lambda f: f.finding.start, reverse=True):
                current = self._current(found)
                if current is None:
                    continue
                widget, text = current
                finding = found.finding
                _replace_span(widget, text, finding.start, finding.end, finding.suggestion)
                done += 1
        self.scan_now()
        return done

    def dismiss(self, found: EditorFinding) -> None:
        """Not patient data: stop flagging this text (of this kind) in this item."""
        self.dismissals.add(found.key)
        self.scan_now()
        self.dismissed.emit(found.finding)
