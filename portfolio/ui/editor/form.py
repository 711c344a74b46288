"""The form built from a kind's template: one widget per field, ``when`` conditions applied live.

:class:`FieldForm` knows nothing of the database. It hands out two views of what was typed:

* :meth:`FieldForm.state` — every field, hidden ones included (what the autosave stashes, so
  switching the reflection model back and forth loses nothing);
* :meth:`FieldForm.values` — only the fields that apply (what is saved; the validator refuses
  values in fields hidden by ``when``).

Widgets are named ``field_<key>``; a repeat entry's fields ``field_<key>_<index>_<subkey>``
(index from 0), its Remove button ``field_<key>_<index>_remove`` and the Add button
``field_<key>_add``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette, QResizeEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from portfolio.kinds import FieldSpec
from portfolio.ui.editor.diff import singular
from portfolio.ui.widgets import mark_required

EMPTY_DATE = QDate(1900, 1, 1)
_INT_FLOOR = -(2**31) + 1


def caption(text: str, parent: QWidget | None = None) -> QLabel:
    """Quiet secondary text in the palette's placeholder colour (right in light and dark)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setObjectName("caption")
    return label


def is_empty(value: object) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(
            is_empty(item)
            if not isinstance(item, Mapping)
            else all(is_empty(v) for v in item.values())
            for item in value
        )
    return False


# ---------------------------------------------------------------------------------------------
# Field widgets
# ---------------------------------------------------------------------------------------------


class GrowingTextEdit(QPlainTextEdit):
    """Plain text that wraps at word boundaries and grows with its content (no inner scroll
    bar until ``max_lines``). Dropped files pass through to the window (they become attachments).
    """

    def __init__(
        self, parent: QWidget | None = None, *, min_lines: int = 3, max_lines: int = 16
    ) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        lines = int(self.document().documentLayout().documentSize().height())
        lines = max(self._min_lines, min(self._max_lines, lines))
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + 2 * self.document().documentMargin()
            + margins.top()
            + margins.bottom()
            + 4
        )
        self.setFixedHeight(int(height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(400, self.height())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if source.hasUrls() and all(url.isLocalFile() for url in source.urls()):
            return False
        return super().canInsertFromMimeData(source)


class OptionalDateEdit(QDateEdit):
    """A date that may be blank ("Not set"); Delete or Backspace clears it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText(self.tr("Not set"))
        self.setDate(EMPTY_DATE)
        self.setMaximumWidth(220)

    def is_blank(self) -> bool:
        return self.date() == EMPTY_DATE

    def value(self) -> str:
        return "" if self.is_blank() else self.date().toString(Qt.DateFormat.ISODate)

    def set_value(self, text: object) -> None:
        day = QDate.fromString(str(text or ""), Qt.DateFormat.ISODate)
        self.setDate(day if day.isValid() else EMPTY_DATE)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.is_blank():  # open the calendar on this month, not on 1900
            self.setDate(QDate.currentDate())
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.is_blank() or self.lineEdit().selectedText() == self.lineEdit().text()
        ):
            self.setDate(EMPTY_DATE)
            return
        if self.is_blank() and key in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Space,
        ):
            self.setDate(QDate.currentDate())
            return
        super().keyPressEvent(event)


class OptionalSpinBox(QSpinBox):
    """A whole number that may be blank: one below the minimum reads "Not set"."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        low = spec.minimum if spec.minimum is not None else _INT_FLOOR
        high = spec.maximum if spec.maximum is not None else 2**31 - 1
        self.setRange(low - 1, high)
        self.setSpecialValueText(self.tr("Not set"))
        self.setValue(self.minimum())
        self.setMaximumWidth(220)

    def value_or_none(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_value(self, value: object) -> None:
        ok = isinstance(value, int) and not isinstance(value, bool)
        self.setValue(value if isinstance(value, int) and ok else self.minimum())


class ChoiceList(QListWidget):
    """A list field whose items come from a fixed set: one checkable row per choice."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, label in spec.choices:
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        rows = max(1, self.count())
        self.setFixedHeight(rows * (self.sizeHintForRow(0) or 22) + 2 * self.frameWidth() + 2)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def value(self) -> list[str]:
        return [
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_value(self, values: object) -> None:
        wanted = set(values) if isinstance(values, list | tuple) else set()
        for row in range(self.count()):
            item = self.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class _Field:
    """One field: its block (label, editor, caption), and how to read and write its value."""

    def __init__(
        self,
        spec: FieldSpec,
        block: QWidget,
        editor: QWidget,
        get: Callable[[], Any],
        set_: Callable[[Any], None],
    ) -> None:
        self.spec = spec
        self.block = block
        self.editor = editor
        self.get = get
        self.set = set_


# ---------------------------------------------------------------------------------------------
# Repeat fields
# ---------------------------------------------------------------------------------------------


class _RepeatEntry(QFrame):
    remove_requested = Signal(object)

    def __init__(self, spec: FieldSpec, name: str, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("repeatEntry")
        self._spec = spec
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 14)
        header = QHBoxLayout()
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        header.addWidget(self.heading)
        header.addStretch(1)
        header.addWidget(self.remove_button)
        layout.addLayout(header)
        self.form = FieldForm(spec.fields, prefix="", parent=self)
        layout.addWidget(self.form)
        self.rename(name, index)

    def rename(self, name: str, index: int) -> None:
        noun = singular(self._spec.label)
        self.heading.setText(self.tr("{noun} {number}").format(noun=noun, number=index + 1))
        self.remove_button.setObjectName(f"{name}_{index}_remove")
        self.remove_button.setAccessibleName(
            self.tr("Remove {noun} {number}").format(noun=noun, number=index + 1)
        )
        self.form.rename(f"{name}_{index}_")


class RepeatField(QWidget):
    """A repeat field (e.g. PDSA cycles): a sub-form per entry, with Add and Remove buttons."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._spec = spec
        self._name = name
        self.entries: list[_RepeatEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self._list = QVBoxLayout()
        self._list.setSpacing(10)
        layout.addLayout(self._list)
        self._empty = caption(self.tr("None yet."), self)
        layout.addWidget(self._empty)
        row = QHBoxLayout()
        noun = singular(spec.label)
        self.add_button = QPushButton(self.tr("Add {noun}").format(noun=noun), self)
        self.add_button.setObjectName(f"{name}_add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._add_clicked)
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._update()

    def _add_clicked(self) -> None:
        entry = self.add_entry()
        entry.form.focus_first()
        self.changed.emit()

    def add_entry(self, values: Mapping[str, Any] | None = None) -> _RepeatEntry:
        entry = _RepeatEntry(self._spec, self._name, len(self.entries), self)
        entry.form.set_state(values or {})
        entry.form.changed.connect(self.changed)
        entry.remove_requested.connect(self._remove_requested)
        self.entries.append(entry)
        self._list.addWidget(entry)
        self._update()
        return entry

    def _remove_requested(self, entry: _RepeatEntry) -> None:
        if not is_empty(list(entry.form.state().values())):
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Remove entry"),
                self.tr("Remove “{title}” and what you wrote in it?").format(
                    title=entry.heading.text()
                ),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            box.setObjectName("removeEntryPrompt")
            remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is not remove:
                return
        self.remove_entry(self.entries.index(entry))
        self.changed.emit()

    def remove_entry(self, index: int) -> None:
        entry = self.entries.pop(index)
        self._list.removeWidget(entry)
        entry.hide()
        entry.setParent(None)  # out of the widget tree (and findChild) at once
        entry.deleteLater()
        for number, later in enumerate(self.entries):
            later.rename(self._name, number)
        self._update()

    def _update(self) -> None:
        self._empty.setVisible(not self.entries)
        limit = self._spec.max_items
        self.add_button.setEnabled(limit is None or len(self.entries) < limit)

    def state(self) -> list[dict[str, Any]]:
        return [entry.form.state() for entry in self.entries]

    def values(self) -> list[dict[str, Any]]:
        return [entry.form.values() for entry in self.entries]

    def set_state(self, value: object) -> None:
        while self.entries:
            self.remove_entry(len(self.entries) - 1)
        for item in value if isinstance(value, list | tuple) else []:
            self.add_entry(item if isinstance(item, Mapping) else {})

    def rename(self, name: str) -> None:
        self._name = name
        self.setObjectName(name)
        self.add_button.setObjectName(f"{name}_add")
        for number, entry in enumerate(self.entries):
            entry.rename(name, number)

    def hidden_with_content(self) -> list[str]:
        found = []
        for entry in self.entries:
            found += [
                f"{entry.heading.text()}: {label}" for label in entry.form.hidden_with_content()
            ]
        return found


# ---------------------------------------------------------------------------------------------
# The form
# ---------------------------------------------------------------------------------------------


class FieldForm(QWidget):
    """Widgets for a sequence of :class:`FieldSpec`; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(
        self, specs: Sequence[FieldSpec], *, prefix: str = "field_", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._specs = tuple(specs)
        self._fields: dict[str, _Field] = {}
        self._applicable: set[str] = set()
        self._setting = False
        self._controls = {key for spec in self._specs for key, _ in spec.when}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        for spec in self._specs:
            field = self._make(spec)
            self._fields[spec.key] = field
            layout.addWidget(field.block)
        self.rename(prefix)
        self._refresh()

    # -- building ------------------------------------------------------------------------------

    def _make(self, spec: FieldSpec) -> _Field:
        block = QWidget(self)
        block.setObjectName("fieldBlock")
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(5)
        editor, get, set_ = self._editor(spec, block)
        help_text = spec.help
        if spec.type != "bool":
            label = QLabel(spec.label, block)
            label.setObjectName("fieldLabel")
            label.setWordWrap(True)
            label.setBuddy(editor)
            layout.addWidget(label)
        if help_text and spec.type in ("choice", "date", "integer", "list", "repeat", "bool"):
            layout.addWidget(caption(help_text, block))
        layout.addWidget(editor)
        editor.setAccessibleName(spec.label)
        if help_text:
            editor.setToolTip(help_text)
            editor.setAccessibleDescription(help_text)
        if spec.required:
            mark_required(editor)
        return _Field(spec, block, editor, get, set_)

    def _editor(
        self, spec: FieldSpec, parent: QWidget
    ) -> tuple[QWidget, Callable[[], Any], Callable[[Any], None]]:
        notify = lambda *_: self._edited(spec.key)  # noqa: E731
        kind = spec.type
        if kind == "text":
            line = QLineEdit(parent)
            line.setPlaceholderText(spec.help)
            if spec.max_length:
                line.setMaxLength(spec.max_length)
            line.textChanged.connect(notify)
            return line, line.text, lambda v: line.setText(str(v or ""))
        if kind == "longtext":
            text = GrowingTextEdit(parent)
            text.setPlaceholderText(spec.help)
            text.textChanged.connect(notify)
            return text, text.toPlainText, lambda v: text.setPlainText(str(v or ""))
        if kind == "date":
            day = OptionalDateEdit(parent)
            day.dateChanged.connect(notify)
            return day, day.value, day.set_value
        if kind == "choice":
            combo = QComboBox(parent)
            for value, label in spec.choices:
                combo.addItem(label, value)
            combo.setPlaceholderText(self.tr("Choose…"))

            def set_choice(value: object) -> None:
                index = combo.findData(value or spec.default or "")
                combo.setCurrentIndex(index)

            set_choice(None)
            combo.currentIndexChanged.connect(notify)
            return combo, lambda: combo.currentData() or "", set_choice
        if kind == "bool":
            check = QCheckBox(spec.label, parent)
            check.toggled.connect(notify)
            return check, check.isChecked, lambda v: check.setChecked(bool(v))
        if kind == "integer":
            spin = OptionalSpinBox(spec, parent)
            spin.valueChanged.connect(notify)
            return spin, spin.value_or_none, spin.set_value
        if kind == "list" and spec.choices:
            choices = ChoiceList(spec, parent)
            choices.itemChanged.connect(notify)
            return choices, choices.value, choices.set_value
        if kind == "list":
            line = QLineEdit(parent)
            line.setPlaceholderText(spec.help or self.tr("Separate items with commas"))

            def list_value() -> list[str]:
                return [part.strip() for part in line.text().split(",") if part.strip()]

            def set_list(value: object) -> None:
                line.setText(", ".join(value) if isinstance(value, list | tuple) else "")

            line.textChanged.connect(notify)
            return line, list_value, set_list
        if kind == "repeat":
            repeat = RepeatField(spec, spec.key, parent)
            repeat.changed.connect(notify)
            return repeat, repeat.state, repeat.set_state
        raise ValueError(f"unknown field type {kind!r}")

    def rename(self, prefix: str) -> None:
        """Name each widget ``<prefix><key>`` (repeat entries renumber through this)."""
        self._prefix = prefix
        for key, field in self._fields.items():
            if isinstance(field.editor, RepeatField):
                field.editor.rename(f"{prefix}{key}")
            else:
                field.editor.setObjectName(f"{prefix}{key}")

    # -- live conditions -----------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        if key in self._controls:
            self._refresh()
        if not self._setting:
            self.changed.emit()

    def _refresh(self) -> None:
        earlier: dict[str, object] = {}
        applicable: set[str] = set()
        for spec in self._specs:
            if all(_as_condition(earlier.get(key)) == wanted for key, wanted in spec.when):
                applicable.add(spec.key)
                value = self._fields[spec.key].get()
                if spec.type != "repeat":
                    if not is_empty(value) or spec.type == "bool":
                        earlier[spec.key] = value
                    elif spec.default is not None:
                        earlier[spec.key] = spec.default
        self._applicable = applicable
        for key, field in self._fields.items():
            field.block.setHidden(key not in applicable)

    def applies(self, key: str) -> bool:
        return key in self._applicable

    # -- values --------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Every field's value, hidden ones included."""
        return {key: field.get() for key, field in self._fields.items()}

    def values(self) -> dict[str, Any]:
        """The values that apply (hidden fields dropped): what is saved."""
        result: dict[str, Any] = {}
        for key, field in self._fields.items():
            if key not in self._applicable:
                continue
            if isinstance(field.editor, RepeatField):
                result[key] = field.editor.values()
            else:
                result[key] = field.get()
        return result

    def set_state(self, values: Mapping[str, Any]) -> None:
        """Show ``values`` (fields missing from it go back to their defaults)."""
        self._setting = True
        try:
            for key, field in self._fields.items():
                if key in values:
                    field.set(values[key])
                elif field.spec.type == "repeat":
                    field.set([])
                else:
                    field.set(field.spec.default)
        finally:
            self._setting = False
        self._refresh()

    def hidden_with_content(self) -> list[str]:
        """Labels of hidden fields that hold something (saving would drop it)."""
        found = []
        for key, field in self._fields.items():
            if key not in self._applicable:
                if not is_empty(field.get()):
                    found.append(field.spec.label)
            elif isinstance(field.editor, RepeatField):
                found += field.editor.hidden_with_content()
        return found

    # -- finding widgets -----------------------------------------------------------------------

    def text_widgets(
        self, path: str = "", label: str = ""
    ) -> list[tuple[str, str, QLineEdit | QPlainTextEdit]]:
        """(path, label, widget) of every free-text field that applies, repeat entries included.

        Paths and labels follow :func:`portfolio.kinds.free_texts` ("pdsa_cycles.2.plan",
        "PDSA cycles 2: Plan"); a list field is one line edit holding every item.
        """
        found: list[tuple[str, str, QLineEdit | QPlainTextEdit]] = []
        for key, field in self._fields.items():
            if key not in self._applicable:
                continue
            spec, editor = field.spec, field.editor
            where, called = f"{path}{key}", f"{label}{spec.label}"
            if isinstance(editor, QLineEdit | QPlainTextEdit) and (
                spec.type in ("text", "longtext") or spec.type == "list"
            ):
                found.append((where, called, editor))
            elif isinstance(editor, RepeatField):
                for number, entry in enumerate(editor.entries, start=1):
                    found += entry.form.text_widgets(f"{where}.{number}.", f"{called} {number}: ")
        return found

    def editor(self, key: str) -> QWidget:
        return self._fields[key].editor

    def find_by_path(self, path: str) -> QWidget | None:
        """The visible editor of the field at ``path`` (``key``, or ``key.<entry>.<key>`` in a
        repeat; an error's ``field`` without its ``fields.``); the repeat itself when the
        entry is not there."""
        key, _, rest = path.partition(".")
        field = self._fields.get(key)
        if field is None or key not in self._applicable:
            return None
        index, _, inner = rest.partition(".")
        if isinstance(field.editor, RepeatField) and index.isdigit():
            entries = field.editor.entries
            if int(index) < len(entries):
                return entries[int(index)].form.find_by_path(inner) or field.editor
        return field.editor

    def focus_first(self) -> None:
        for key, field in self._fields.items():
            if key in self._applicable:
                field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return


def _as_condition(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
