"""The attachment list with Add, Open and Remove (the window does the database work)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.services.dto import AttachmentData
from portfolio.ui.editor.form import caption

_SHA = Qt.ItemDataRole.UserRole


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


class AttachmentPanel(QWidget):
    add_requested = Signal()
    open_requested = Signal(str, str)  # sha256, file name
    remove_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setAccessibleName(self.tr("Attachments"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(64)
        self.list.setMaximumHeight(96)
        self.list.itemActivated.connect(lambda _: self._open())
        self.list.currentItemChanged.connect(lambda *_: self._update())
        layout.addWidget(self.list)
        self.hint = caption(self.tr("Drop files anywhere on this window to attach them."), self)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setObjectName("addAttachment")
        self.add_button.setToolTip(self.tr("Attach files (certificates, forms, slides)."))
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setObjectName("openAttachment")
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeAttachment")
        self.remove_button.setToolTip(self.tr("Remove from this item (earlier revisions keep it)."))
        for button in (self.add_button, self.open_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_requested)
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        self._update()

    def set_attachments(self, attachments: Iterable[AttachmentData]) -> None:
        current = self.current_sha()
        self.list.clear()
        for attachment in attachments:
            item = QListWidgetItem(f"{attachment.filename}  ·  {human_size(attachment.size)}")
            item.setData(_SHA, attachment.sha256)
            item.setData(Qt.ItemDataRole.UserRole + 1, attachment.filename)
            item.setToolTip(
                f"{attachment.filename}\n{attachment.mime_type}\nSHA-256 {attachment.sha256}"
            )
            self.list.addItem(item)
            if attachment.sha256 == current:
                self.list.setCurrentItem(item)
        self._update()

    def filenames(self) -> list[str]:
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole + 1)
            for row in range(self.list.count())
        ]

    def current_sha(self) -> str | None:
        item = self.list.currentItem()
        return item.data(_SHA) if item is not None else None

    def _current(self) -> tuple[str, str] | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return item.data(_SHA), item.data(Qt.ItemDataRole.UserRole + 1)

    def _open(self) -> None:
        current = self._current()
        if current is not None:
            self.open_requested.emit(*current)

    def _remove(self) -> None:
        current = self._current()
        if current is not None:
            self.remove_requested.emit(*current)

    def _update(self) -> None:
        selected = self.list.currentItem() is not None
        self.open_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
        self.hint.setVisible(self.list.count() == 0)
