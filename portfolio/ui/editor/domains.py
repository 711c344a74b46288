"""Linking an item to GPC domains and sub-headings, each with an optional justification.

A checkable tree (``domainTree``) of the nine domains and their sub-headings, then the
capabilities of the trainee's own curriculum (each saying which GPC codes its file maps it to,
which is what the one domain map counts it towards); the kind's suggested codes are shown in bold. A domain not ticked itself
shows partly ticked while some of its sub-headings are (clicking it ticks the domain itself).
Links to codes the tree does not show (another curriculum's) are kept, and listed under the tree
(``otherLinks``). The justification box (``justificationEdit``) below edits the reason for
the current checked node. Justifications typed for a node survive unticking it until the editor
closes; only ticked nodes are saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.curriculum import Curriculum
from portfolio.services.dto import Link
from portfolio.ui.editor.form import GrowingTextEdit, caption

_CODE = Qt.ItemDataRole.UserRole


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights that fit long domain titles wrapped to the tree's width (no eliding)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        style = self._tree.style()
        check = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, opt, self._tree)
        width = self._tree.viewport().width() - self._tree.indentation() * (depth + 1) - check - 16
        if width <= 40:
            return base
        bounds = opt.fontMetrics.boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), opt.text
        )
        return QSize(base.width(), max(base.height(), bounds.height() + 6))


class DomainLinker(QWidget):
    changed = Signal()

    def __init__(
        self,
        curriculum: Curriculum,
        suggested: Iterable[str],
        parent: QWidget | None = None,
        *,
        own: Curriculum | None = None,
    ) -> None:
        super().__init__(parent)
        self._suggested = set(suggested)
        self._justifications: dict[str, str] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._kept: list[str] = []
        """Linked codes the tree does not show: saved again unchanged."""
        self._setting = False
        self.titles: dict[str, str] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("domainTree")
        self.tree.setAccessibleName(self.tr("GPC domains"))
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.setMinimumHeight(230)
        self.tree.header().sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        suggested_tip = self.tr("Suggested for this kind of evidence.")
        guidance_note = self.tr("The app's own guidance, not GMC text.")
        for node in curriculum.top_level():
            top = self._make_item(
                node.code, node.title, node.guidance, suggested_tip, guidance_note
            )
            self.tree.addTopLevelItem(top)
            for child in curriculum.children(node.code):
                top.addChild(
                    self._make_item(
                        child.code, child.title, child.guidance, suggested_tip, guidance_note
                    )
                )
            if node.code in self._suggested or any(
                c.code in self._suggested for c in curriculum.children(node.code)
            ):
                top.setExpanded(True)
        if own is not None:
            self._add_own(own, suggested_tip, guidance_note)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_justification())
        layout.addWidget(self.tree, 1)
        self.other_links = QLabel(self)
        self.other_links.setObjectName("otherLinks")
        self.other_links.setWordWrap(True)
        self.other_links.hide()
        layout.addWidget(self.other_links)

        self.justification_label = QLabel(self)
        self.justification_label.setWordWrap(True)
        layout.addWidget(self.justification_label)
        self.justification = GrowingTextEdit(self, min_lines=2, max_lines=6)
        self.justification.setObjectName("justificationEdit")
        self.justification.setAccessibleName(self.tr("Justification"))
        self.justification_label.setBuddy(self.justification)
        self.justification.textChanged.connect(self._justification_edited)
        layout.addWidget(self.justification)
        self._show_justification()

    def _add_own(self, own: Curriculum, suggested_tip: str, guidance_note: str) -> None:
        """The own curriculum's capabilities under unticked headings: its title, its groups."""
        counts = self.tr("Counts towards {codes}.")
        heading = QTreeWidgetItem([own.title])
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.tree.addTopLevelItem(heading)
        groups: dict[str | None, QTreeWidgetItem] = {None: heading}
        for node in own:
            if node.kind != "capability":
                group = QTreeWidgetItem([node.title])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[node.parent_code].addChild(group)
                groups[node.code] = group
                continue
            towards = counts.format(codes=", ".join(node.maps_to))
            guidance = f"{node.guidance} {towards}".strip()
            groups[node.parent_code].addChild(
                self._make_item(node.code, node.title, guidance, suggested_tip, guidance_note)
            )

    def _make_item(
        self, code: str, title: str, guidance: str, suggested_tip: str, guidance_note: str
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"{code}  {title}"])
        item.setData(0, _CODE, code)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(0, Qt.CheckState.Unchecked)
        tip = f"<b>{code} {title}</b>"
        if guidance:
            tip += f"<p>{guidance}</p><p><i>{guidance_note}</i></p>"
        if code in self._suggested:
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            tip += f"<p>{suggested_tip}</p>"
        item.setToolTip(0, tip)
        self._items[code] = item
        self.titles[code] = title
        return item

    # -- events --------------------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._setting:
            return
        self._show_partial()
        self.tree.setCurrentItem(item)
        self._show_justification()
        self.changed.emit()

    def _show_partial(self) -> None:
        """Partly ticked: a domain, not linked itself, with some of its sub-headings linked."""
        self._setting = True
        try:
            tops = [item for item in self._items.values() if item.parent() is None]
            for top in tops:
                if top.checkState(0) == Qt.CheckState.Checked:
                    continue
                some = any(
                    item.parent() is top and item.checkState(0) == Qt.CheckState.Checked
                    for item in self._items.values()
                )
                top.setCheckState(
                    0, Qt.CheckState.PartiallyChecked if some else Qt.CheckState.Unchecked
                )
        finally:
            self._setting = False

    def _show_justification(self) -> None:
        item = self.tree.currentItem()
        self._setting = True
        try:
            if item is None or item.checkState(0) != Qt.CheckState.Checked:
                self.justification.setPlainText("")
                self.justification.setEnabled(False)
                self.justification.setPlaceholderText(
                    self.tr("Tick a domain, then say here why this item shows it.")
                )
                self.justification_label.setText(self.tr("Justification (optional)"))
            else:
                code = item.data(0, _CODE)
                self.justification.setEnabled(True)
                self.justification.setPlaceholderText(
                    self.tr("Why does this item show {code}? (optional)").format(code=code)
                )
                self.justification_label.setText(
                    self.tr("Justification for {code} (optional)").format(code=code)
                )
                self.justification.setPlainText(self._justifications.get(code, ""))
        finally:
            self._setting = False

    def _justification_edited(self) -> None:
        if self._setting:
            return
        item = self.tree.currentItem()
        if item is None or item.checkState(0) != Qt.CheckState.Checked:
            return
        self._justifications[item.data(0, _CODE)] = self.justification.toPlainText()
        self.changed.emit()

    # -- values --------------------------------------------------------------------------------

    def checked_codes(self) -> list[str]:
        """The ticked codes, then the linked codes the tree does not show."""
        ticked = [
            code
            for code, item in self._items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]
        return ticked + self._kept

    def set_checked(self, code: str, checked: bool = True) -> None:
        self._items[code].setCheckState(
            0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        )

    def item(self, code: str) -> QTreeWidgetItem:
        return self._items[code]

    def current_code(self) -> str | None:
        """The ticked node whose justification the box shows, if any."""
        item = self.tree.currentItem()
        if item is None or item.checkState(0) != Qt.CheckState.Checked:
            return None
        return str(item.data(0, _CODE))

    def justification_for(self, code: str) -> str:
        if code == self.current_code():
            return self.justification.toPlainText()
        return self._justifications.get(code, "")

    def show_code(self, code: str) -> None:
        """Make ``code`` current, so the justification box shows (and edits) its reason."""
        item = self._items[code]
        parent = item.parent()
        if parent is not None:
            parent.setExpanded(True)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)

    def links(self) -> tuple[Link, ...]:
        return tuple(
            Link(code, self._justifications.get(code, "").strip()) for code in self.checked_codes()
        )

    def state(self) -> dict[str, Any]:
        return {
            "checked": self.checked_codes(),
            "justifications": {k: v for k, v in self._justifications.items() if v},
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        checked = set(state.get("checked") or [])
        justifications = state.get("justifications") or {}
        self._setting = True
        try:
            self._justifications = {str(k): str(v) for k, v in justifications.items()}
            self._kept = sorted(code for code in checked if code not in self._items)
            for code, item in self._items.items():
                item.setCheckState(
                    0, Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked
                )
                parent = item.parent()
                if code in checked and parent is not None:
                    parent.setExpanded(True)
        finally:
            self._setting = False
        self.other_links.setText(
            self.tr("Also linked (kept; not in your curriculum): {codes}").format(
                codes=", ".join(self._kept)
            )
        )
        self.other_links.setVisible(bool(self._kept))
        self._show_partial()
        self._show_justification()


def suggested_caption(codes: Iterable[str], parent: QWidget) -> QLabel:
    codes = list(codes)
    if codes:
        text = parent.tr("Suggested for this kind: {codes} (in bold).").format(
            codes=", ".join(codes)
        )
    else:
        text = parent.tr("Tick each domain this item shows; hover for guidance.")
    return caption(text, parent)
