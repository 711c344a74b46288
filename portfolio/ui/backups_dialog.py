"""File ▸ Backups…: the backups kept in the data folder, a backup now, restore, and a check.

Restoring backs up the current state first (``BackupService.restore``), so a restore can itself
be undone from this list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.errors import PortfolioError
from portfolio.services.backups import BackupInfo
from portfolio.ui.operations import Operations
from portfolio.ui.translations import counted
from portfolio.ui.widgets import FieldError, icon, status_colour
from portfolio.vocabulary import EVERYTHING

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("backups", text)


def reason_text(reason: str) -> str:
    kind, _, target = reason.partition("-to-")
    words = {
        "daily": _tr("Automatic, first start of the day"),
        "manual": _tr("Made by you"),
        "before-import": _tr("Automatic, before an import"),
        "before-restore": _tr("Automatic, before a restore"),
        "before-upgrade": _tr("Automatic, before an upgrade"),
    }
    text = words.get(kind, reason)
    return f"{text} ({target})" if target and kind == "before-upgrade" else text


class BackupsDialog(QDialog):
    loaded = Signal(int)
    restored = Signal(str)
    """The backup restored (its path)."""
    checked = Signal(list)

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(self.tr("Backups"))
        self.setWindowIcon(icon("backup"))
        self._service = portfolio.backups
        self._ops = ops
        self._locale = QLocale()
        self.backups: list[BackupInfo] = []

        intro = QLabel(
            self.tr(
                "Backups are kept in {folder}. One is made on the first start of each day, before "
                "every upgrade, import and restore; your own are never removed."
            ).format(folder=portfolio.location.backups_dir),
            self,
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName(self.tr("Backups, newest first"))
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderLabels([self.tr("Date"), self.tr("Why"), self.tr("Size")])
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel(self.tr("No backups yet."), self)
        self.empty.setVisible(False)

        self.backup_button = QPushButton(icon("backup"), self.tr("&Back up now"), self)
        self.backup_button.setObjectName("backupNowButton")
        self.restore_button = QPushButton(icon("restore"), self.tr("&Restore…"), self)
        self.restore_button.setObjectName("restoreBackupButton")
        self.check_button = QPushButton(self.tr("&Check portfolio"), self)
        self.check_button.setObjectName("checkPortfolioButton")
        self.check_button.setToolTip(
            self.tr("Check the database, the search index and every attachment")
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setObjectName("backupsStatus")
        self.status.setAccessibleName(self.tr("Backup status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_results = QLabel(self)
        self.check_results.setObjectName("checkResults")
        self.check_results.setWordWrap(True)
        self.check_results.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_results.setVisible(False)
        self.error = FieldError("backupsError", self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addWidget(self.check_results)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.confirm_restore)
        self.check_button.clicked.connect(self.check)
        self.resize(640, 420)
        self._update_buttons()
        self.reload()

    # -- the list ----------------------------------------------------------------------------

    def reload(self) -> None:
        self._ops.database(self, self._service.list).success(self._show).failure(self._failed).run()

    def _show(self, backups: list[BackupInfo]) -> None:
        self.backups = list(backups)
        self.list.clear()
        for backup in backups:
            when = backup.created_at.astimezone()
            row = QTreeWidgetItem(
                [
                    when.strftime("%d %b %Y  %H:%M"),
                    reason_text(backup.reason),
                    self._locale.formattedDataSize(
                        backup.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
                    ),
                ]
            )
            row.setData(0, PATH_ROLE, str(backup.path))
            row.setToolTip(0, str(backup.path))
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(row)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self.empty.setVisible(not backups)
        self._update_buttons()
        self.loaded.emit(len(backups))

    def current_backup(self) -> Path | None:
        row = self.list.currentItem()
        return Path(row.data(0, PATH_ROLE)) if row is not None else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.current_backup() is not None)

    def _failed(self, error: PortfolioError) -> None:
        self._busy(False)
        self.error.show_error(str(error))

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.restore_button, self.check_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    # -- actions -----------------------------------------------------------------------------

    def back_up_now(self) -> None:
        self._busy(True)
        self.error.show_error("")

        def done(path: Path) -> None:
            self._busy(False)
            self.status.setText(self.tr("Backed up to {name}.").format(name=path.name))
            self.reload()

        service = self._service
        self._ops.database(self, lambda: service.backup(reason="manual")).success(done).failure(
            self._failed
        ).run()

    def confirm_restore(self) -> QMessageBox | None:
        path = self.current_backup()
        row = self.list.currentItem()
        if path is None or row is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Restore this backup?"),
            self.tr("Put the portfolio back as it was on {when}?").format(when=row.text(0)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("restoreConfirm")
        box.setInformativeText(
            self.tr(
                "The current state is backed up first, so you can come back to it from this list. "
                "Anything changed since this backup is replaced."
            )
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Restore"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: self.restore(path) if result == QMessageBox.StandardButton.Yes else None
        )
        box.open()
        return box

    def restore(self, path: Path) -> None:
        self._busy(True)
        self.error.show_error("")

        def done(safety: Path) -> None:
            self._busy(False)
            self.status.setText(
                self.tr(
                    "Restored {name}. The state before the restore was backed up to {safety}."
                ).format(name=path.name, safety=safety.name)
            )
            self.reload()
            self.restored.emit(str(path))

        service = self._service
        self._ops.database(self, lambda: service.restore(path)).success(done).failure(
            self._failed
        ).changes(*EVERYTHING).run()

    def check(self) -> None:
        self._busy(True)
        self.check_results.setText(self.tr("Checking…"))
        self.check_results.setVisible(True)

        def done(problems: list[str]) -> None:
            self._busy(False)
            palette = self.check_results.palette()
            if problems:
                text = (
                    counted("%n problem(s) found:", len(problems))
                    + "\n"
                    + "\n".join(f"• {problem}" for problem in problems)
                )
                colour = status_colour("invalid", palette)
            else:
                text = self.tr(
                    "✓ All well: the database, the search index and every attachment check out."
                )
                colour = status_colour("signed_off", palette)
            palette.setColor(self.check_results.foregroundRole(), colour)
            self.check_results.setPalette(palette)
            self.check_results.setText(text)
            self.checked.emit(problems)

        self._ops.database(self, self._service.check).success(done).failure(self._failed).run()
