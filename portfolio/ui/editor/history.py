"""The revision history of one item: each save listed, and what it changed.

``historyDialog`` holds ``revisionList`` (newest first: number, local time, reason) and
``revisionDiff`` (the changes from the revision before, field by field; long texts as a word diff
with added words underlined and removed words struck through — no colours needed, so it reads the
same in light and dark palettes).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from portfolio.kinds import KindTemplate
from portfolio.services.dto import RevisionData
from portfolio.ui.editor.diff import revision_changes, word_diff_html
from portfolio.ui.editor.form import caption
from portfolio.ui.widgets import word

_STYLE = """
<style>
  h3 { margin: 0 0 4px 0; }
  .label { font-weight: 600; margin-top: 12px; }
  ins.added { text-decoration: underline; font-weight: 600; }
  del.removed { text-decoration: line-through; }
  .was { text-decoration: line-through; }
  .quiet { font-style: italic; }
</style>
"""


def _translate(text: str) -> str:
    return QCoreApplication.translate("RevisionDiff", text)


def local_time(saved_at: datetime) -> str:
    """A stored (naive UTC) time as local time, e.g. '14 Mar 2025, 21:04'."""
    moment = saved_at.replace(tzinfo=UTC) if saved_at.tzinfo is None else saved_at
    moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}"


class HistoryDialog(QDialog):
    def __init__(
        self,
        revisions: Sequence[RevisionData],
        kind_template: KindTemplate | None,
        *,
        domain_titles: Mapping[str, str] | None = None,
        placement_names: Mapping[int, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("History"))
        self.resize(860, 560)
        self._revisions = sorted(revisions, key=lambda r: r.number)
        self._template = kind_template
        self._titles = domain_titles or {}
        self._places = placement_names or {}

        layout = QVBoxLayout(self)
        layout.addWidget(
            caption(self.tr("Every save is kept. Choose a revision to see what it changed."), self)
        )
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(splitter)
        self.list.setObjectName("revisionList")
        self.list.setAccessibleName(self.tr("Revisions"))
        self.diff = QTextBrowser(splitter)
        self.diff.setObjectName("revisionDiff")
        self.diff.setAccessibleName(self.tr("Changes in the selected revision"))
        self.diff.setOpenLinks(False)
        splitter.setSizes([260, 600])
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        for revision in reversed(self._revisions):
            item = QListWidgetItem(
                self.tr("Revision {number}\n{time} · {reason}").format(
                    number=revision.number,
                    time=local_time(revision.saved_at),
                    reason=self._reason(revision.reason),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, revision.number)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.diff.setHtml(f"<p>{html.escape(self.tr('This item has not been saved yet.'))}</p>")

    def _reason(self, reason: str) -> str:
        names = {
            "created": self.tr("created"),
            "edited": self.tr("edited"),
            "submitted": self.tr("submitted for review"),
            "attachment added": self.tr("attachment added"),
            "attachment removed": self.tr("attachment removed"),
            "moved to trash": self.tr("moved to the trash"),
            "restored": self.tr("restored"),
        }
        return names.get(reason, reason)

    def select_revision(self, number: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == number:
                self.list.setCurrentRow(row)
                return

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.diff.clear()
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        index = next(i for i, r in enumerate(self._revisions) if r.number == number)
        current = self._revisions[index]
        previous = self._revisions[index - 1] if index > 0 else None
        self.diff.setHtml(self.changes_html(previous, current))

    def changes_html(self, previous: RevisionData | None, current: RevisionData) -> str:
        changes = revision_changes(
            previous.snapshot if previous else None,
            current.snapshot,
            self._template,
            domain_titles=self._titles,
            placement_names=self._places,
            translate=_translate,
            word=word,
        )
        if previous is None:
            heading = self.tr("Revision {number}: the first version").format(number=current.number)
        else:
            heading = self.tr("Revision {number}: changes since revision {before}").format(
                number=current.number, before=previous.number
            )
        parts = [
            _STYLE,
            f"<h3>{html.escape(heading)}</h3>",
            f"<p class='quiet'>{html.escape(local_time(current.saved_at))} · "
            f"{html.escape(self._reason(current.reason))}</p>",
        ]
        if not changes:
            parts.append(f"<p>{html.escape(self.tr('No change to the content.'))}</p>")
        for change in changes:
            parts.append(f"<p class='label'>{html.escape(change.label)}</p>")
            if previous is None:
                parts.append(f"<p>{html.escape(change.after).replace(chr(10), '<br>')}</p>")
            elif change.long:
                parts.append(f"<p>{word_diff_html(change.before, change.after)}</p>")
            elif not change.before:
                parts.append(f"<p><ins class='added'>{html.escape(change.after)}</ins></p>")
            elif not change.after:
                parts.append(
                    f"<p><del class='removed'>{html.escape(change.before)}</del> "
                    f"{html.escape(self.tr('(removed)'))}</p>"
                )
            else:
                parts.append(
                    f"<p><span class='was'>{html.escape(change.before)}</span> → "
                    f"{html.escape(change.after)}</p>"
                )
        return "".join(parts)

    def changed_labels(self) -> list[str]:
        """The labels listed for the selected revision (for tests and accessibility)."""
        item = self.list.currentItem()
        if item is None:
            return []
        number = item.data(Qt.ItemDataRole.UserRole)
        index = next(i for i, r in enumerate(self._revisions) if r.number == number)
        previous = self._revisions[index - 1].snapshot if index > 0 else None
        return [
            c.label
            for c in revision_changes(
                previous,
                self._revisions[index].snapshot,
                self._template,
                domain_titles=self._titles,
                placement_names=self._places,
                translate=_translate,
                word=word,
            )
        ]
