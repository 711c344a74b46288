"""The Evidence page's Submit and Move to Trash actions, in their own module so the window can
put them in its menus and toolbar without importing the page (issue 17)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from portfolio.ui.widgets import icon


class ListActions:
    """Submit and Move to Trash: the page's, in the window's menus and toolbar before the page
    is built (a window builds it when first shown)."""

    def __init__(self, parent: QObject) -> None:
        tr = QCoreApplication.translate
        self.submit = QAction(tr("EvidenceListPage", "&Submit for review"), parent)
        self.submit.setObjectName("submitSelectedAction")
        self.submit.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.submit.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.submit.setStatusTip(
            tr("EvidenceListPage", "Mark the selected items ready for your supervisor's review")
        )
        self.submit.setEnabled(False)
        self.delete = QAction(icon("trash"), tr("EvidenceListPage", "Move to &Trash"), parent)
        self.delete.setObjectName("deleteAction")
        self.delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
