"""The Mentor page: the cohort's figures and the mentor's catalogue, one tab each."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from portfolio.app import Portfolio
from portfolio.ui.mentor.catalogue_editor import CatalogueEditor
from portfolio.ui.mentor.cohort_view import CohortView
from portfolio.ui.operations import Operations
from portfolio.ui.widgets import bold


class MentorPage(QWidget):
    def __init__(
        self,
        portfolio: Portfolio,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mentorPage")
        title = bold(QLabel(self.tr("Clinical Leadership Mentor"), self), 1.4)
        intro = QLabel(
            self.tr(
                "For the mentor of a cohort: see what your trainees' anonymised summaries add up "
                "to, and publish the opportunities they can take up."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.cohort = CohortView(portfolio, ops, self, settings=settings)
        self.catalogue = CatalogueEditor(portfolio, ops, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mentorTabs")
        self.tabs.addTab(self.cohort, self.tr("Cohort figures"))
        self.tabs.addTab(self.catalogue, self.tr("Catalogue of opportunities"))
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)

    def showEvent(self, event: QShowEvent) -> None:
        """The catalogues are read when the page is first shown, not at start-up."""
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.catalogue.reload()
