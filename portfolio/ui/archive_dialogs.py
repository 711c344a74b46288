"""Long file work with a progress dialog and Cancel (export and import of a whole portfolio),
and the item-by-item report of an import.

The work runs on the task runner's thread. Progress comes back by a queued signal; Cancel sets a
``threading.Event`` the service asks between steps, and a cancelled service raises
``OperationCancelled`` having changed nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.errors import OperationCancelled, PortfolioError
from portfolio.ui.operations import Operations
from portfolio.ui.translations import counted
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.services.archive import ImportReport

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
"""work(progress, cancelled) -> result, run off the GUI thread."""


class _Relay(QObject):
    moved = Signal(int, int)


class ProgressDialog(QDialog):
    """A label, a progress bar and Cancel; window-modal, opened with ``open()``."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("archiveProgress")
        self.setWindowTitle(title)
        self.cancel_event = threading.Event()
        self.relay = _Relay(self)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("archiveProgressBar")
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelArchiveButton")
        buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.relay.moved.connect(self._moved)
        self.steps_seen = 0

    def _moved(self, done: int, total: int) -> None:
        self.steps_seen += 1
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def cancel(self) -> None:
        """Ask the work to stop; the dialog closes when it has (nothing was changed)."""
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling…"))

    def reject(self) -> None:  # Esc or the window's close button: cancel, do not hide yet
        self.cancel()


def run_with_progress(
    parent: QWidget,
    ops: Operations,
    title: str,
    text: str,
    work: Work,
    done: Callable[[Any], None],
    failed: Callable[[PortfolioError], None],
    cancelled: Callable[[], None],
    changes: Sequence[ChangeKind] = (),
) -> ProgressDialog:
    """Run ``work`` on the database thread behind a ProgressDialog owned by ``parent``."""
    dialog = ProgressDialog(title, text, parent)
    relay, event = dialog.relay, dialog.cancel_event

    def finish() -> None:
        dialog.done(QDialog.DialogCode.Accepted)
        dialog.deleteLater()

    def succeeded(result: Any) -> None:
        finish()
        done(result)

    def went_wrong(error: PortfolioError) -> None:
        finish()
        if isinstance(error, OperationCancelled):
            cancelled()
        else:
            failed(error)

    ops.database(parent, lambda: work(relay.moved.emit, event.is_set)).success(succeeded).failure(
        went_wrong
    ).changes(*changes).run()
    dialog.open()
    return dialog


class ImportReportDialog(QDialog):
    """What an import did, item by item."""

    def __init__(self, source: Path, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("archiveImportReport")
        self.setWindowTitle(self.tr("Portfolio imported"))
        outcomes = {
            "added": self.tr("Added"),
            "updated": self.tr("Updated"),
            "merged": self.tr("Merged: both copies had changed; both histories kept"),
            "unchanged": self.tr("Unchanged"),
        }
        lines = [
            self.tr(
                "{file}: {added} added, {updated} updated, {merged} merged, {unchanged} unchanged. "
                "{signoffs}, {attachments} and {placements} brought in."
            ).format(
                file=source.name,
                added=report.count("added"),
                updated=report.count("updated"),
                merged=report.count("merged"),
                unchanged=report.count("unchanged"),
                signoffs=counted("%n sign-off(s)", report.signoffs_added),
                attachments=counted("%n attachment(s)", report.attachments_added),
                placements=counted("%n placement(s)", report.placements_added),
            )
        ]
        if report.profile == "kept_local":
            lines.append(
                self.tr("Your profile here was kept; the archive's differs in: {what}.").format(
                    what=", ".join(report.profile_differences)
                )
            )
        elif report.profile == "added":
            lines.append(self.tr("The profile came from the archive."))
        if report.backup is not None:
            lines.append(
                self.tr("A backup was taken first: {name} (File ▸ Backups…).").format(
                    name=report.backup.name
                )
            )
        summary = QLabel("\n".join(lines), self)
        summary.setObjectName("archiveImportSummary")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("archiveOutcomes")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [
                self.tr("Item"),
                self.tr("What happened"),
                self.tr("Revisions added"),
                self.tr("Sign-offs added"),
            ]
        )
        for item in report.items:
            row = QTreeWidgetItem(
                [
                    item.title,
                    outcomes.get(item.outcome, item.outcome),
                    str(item.revisions_added),
                    str(item.signoffs_added),
                ]
            )
            row.setToolTip(0, item.title)
            self.tree.addTopLevelItem(row)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
