"""The Dashboard: coverage of the nine GPC domains and of the trainee's own curriculum, the gaps,
what awaits review, recent items."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.curriculum import gpc
from portfolio.services.dashboard import CurriculumCoverage, DashboardData
from portfolio.services.read_models import Coverage, DomainCoverage, EvidenceSummary
from portfolio.ui.operations import Changes, Operations
from portfolio.ui.widgets import (
    Connections,
    bold,
    kind_title,
    page_scroll,
    status_colour,
    status_description,
    status_icon,
    status_label,
)
from portfolio.vocabulary import SHOWN_STATUSES, STATUSES, UNCOUNTED_SIGNOFF, ChangeKind

RECENT_COUNT = 8
UUID_ROLE = Qt.ItemDataRole.UserRole + 1


def _coloured(label: QLabel, status: str) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, status_colour(status, palette))
    label.setPalette(palette)


class DomainCard(QPushButton):
    """One GPC domain: items by status and any gap. Click, Enter or Space opens its items.

    A push button holding labels, so screen readers meet a named button with a press action.
    """

    activated = Signal(str)

    def __init__(self, code: str, number: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName(f"domainCard_{code}")
        self.setProperty("domainCard", True)
        self.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)  # repainted as the mouse comes and goes
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._title_text = title
        heading = bold(QLabel(f"{number}. {title}", self))
        heading.setWordWrap(True)
        self.total = bold(QLabel(self), 1.6)
        self.total.setObjectName("domainTotal")
        self.counts: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        counts = QGridLayout()
        counts.setHorizontalSpacing(12)
        counts.setVerticalSpacing(2)
        for position, status in enumerate(SHOWN_STATUSES):
            name = QLabel(status_label(status), self)
            name.setToolTip(status_description(status))
            value = bold(QLabel("0", self))
            value.setObjectName(f"count_{status}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            _coloured(name, status)
            _coloured(value, status)
            counts.addWidget(name, position // 2, (position % 2) * 2)
            counts.addWidget(value, position // 2, (position % 2) * 2 + 1)
            self.counts[status] = value
            self._names[status] = name
            if status not in STATUSES:  # edited / invalid: shown only when there are some
                name.setVisible(False)
                value.setVisible(False)
        self.gap = bold(QLabel(self))
        self.gap.setObjectName("gapLabel")
        _coloured(self.gap, "gap")
        self.gap.setVisible(False)
        self.clicked.connect(lambda: self.activated.emit(self.code))

        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.total, 0, Qt.AlignmentFlag.AlignTop)
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(counts)
        layout.addWidget(self.gap)
        layout.addStretch(1)

    def show_coverage(self, domain: DomainCoverage) -> None:
        self.total.setText(str(domain.total))
        self.total.setToolTip(self.tr("%n item(s) in this domain", "", domain.total))
        for status, label in self.counts.items():
            number = domain.by_status.get(status, 0)
            label.setText(str(number))
            if status not in STATUSES:
                label.setVisible(number > 0)
                self._names[status].setVisible(number > 0)
        if domain.total == 0:
            gap = self.tr("⚠ No evidence yet")
        elif domain.signed == 0:
            stale = sum(domain.by_status.get(s, 0) for s in UNCOUNTED_SIGNOFF)
            gap = (
                self.tr("⚠ No valid, vouched-for sign-off: %n need(s) attention", "", stale)
                if stale
                else self.tr("⚠ Nothing signed off yet")
            )
        else:
            gap = ""
        self.gap.setText(gap)
        self.gap.setVisible(bool(gap))
        counts = ", ".join(
            f"{status_label(s)} {domain.by_status.get(s, 0)}"
            for s in SHOWN_STATUSES
            if s in STATUSES or domain.by_status.get(s)
        )
        self.setAccessibleName(
            self.tr("{code} {title}: {n} items").format(
                code=self.code, title=self._title_text, n=domain.total
            )
        )
        self.setAccessibleDescription(f"{counts}. {gap}".strip(" ."))
        self.setToolTip(self.tr("Show the evidence for {code}").format(code=self.code))

    def paintEvent(self, event: QPaintEvent) -> None:
        """The card: its base colour in a rounded border, highlighted under the mouse and
        thicker in focus. Drawn here: a style sheet would polish each label of every card."""
        focused = self.hasFocus()
        palette = self.palette()
        role = QPalette.ColorRole
        edge = palette.color(role.Highlight if focused or self.underMouse() else role.Mid)
        width = 2 if focused else 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, width))
        painter.setBrush(palette.color(role.Base))
        inset = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 8, 8)

    def sizeHint(self) -> QSize:  # the labels' layout, not a button's text
        return self._layout.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._layout.minimumSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Space: the button's own
            self.click()
            return
        super().keyPressEvent(event)


class DashboardPage(QWidget):
    """The coverage grid, the summary line and the recent items."""

    domain_chosen = Signal(str)
    open_requested = Signal(str)
    loaded = Signal(object)

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._portfolio = portfolio
        self._ops = ops
        self._connections = Connections(self)
        self._loading = False
        self._again = False
        self.coverage: Coverage | None = None
        self.refresh()  # first: the query runs while the page (and the window) is built

        heading = bold(QLabel(self.tr("Your coverage of the GPC domains"), self), 1.4)
        heading.setAccessibleName(heading.text())
        self.summary = QLabel(self)
        self.summary.setObjectName("coverageSummary")
        self.summary.setWordWrap(True)
        self.awaiting = bold(QLabel(self))
        self.awaiting.setObjectName("awaitingReview")
        _coloured(self.awaiting, "ready")
        self.gaps = QLabel(self)
        self.gaps.setObjectName("gapSummary")
        self.gaps.setWordWrap(True)
        _coloured(self.gaps, "gap")

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        self.cards: dict[str, DomainCard] = {}
        for number, node in enumerate(gpc().top_level(), start=1):
            card = DomainCard(node.code, number, node.title, grid_host)
            card.activated.connect(self.domain_chosen)
            grid.addWidget(card, (number - 1) // 3, (number - 1) % 3)
            self.cards[node.code] = card
        for column in range(3):
            grid.setColumnStretch(column, 1)

        self.curriculum_heading = bold(QLabel(self), 1.15)
        self.curriculum_heading.setObjectName("curriculumHeading")
        self.curriculum_heading.hide()
        self.curriculum_table: QTableWidget | None = None
        """Made below its heading when a curriculum of the trainee's own is first shown."""

        recent_heading = bold(QLabel(self.tr("Recently changed"), self), 1.15)
        self.recent = QListWidget(self)
        self.recent.setObjectName("recentItems")
        self.recent.setAccessibleName(self.tr("Recently changed items"))
        self.recent.setAlternatingRowColors(True)
        self.recent.setMinimumHeight(self.recent.fontMetrics().height() * 6)
        self.recent.itemActivated.connect(self._recent_activated)
        recent_heading.setBuddy(self.recent)

        body = QWidget(self)
        body_layout = self._body_layout = QVBoxLayout(body)
        body_layout.addWidget(heading)
        body_layout.addWidget(self.summary)
        body_layout.addWidget(self.awaiting)
        body_layout.addWidget(self.gaps)
        body_layout.addWidget(grid_host)
        body_layout.addSpacing(8)
        body_layout.addWidget(self.curriculum_heading)
        body_layout.addWidget(recent_heading)
        body_layout.addWidget(self.recent, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_scroll(body, "dashboardScroll", self.tr("Dashboard"), self))

        self._connections.connect(ops.changed, self._data_changed)

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        dashboard = self._portfolio.dashboard
        self._ops.database(self, lambda: dashboard.read(RECENT_COUNT)).success(self._show).failure(
            self._failed
        ).run()

    def _failed(self, error: Exception) -> None:
        self._loading = False
        self._ops.known_error.emit(str(error))

    def _show(self, result: DashboardData) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
            return
        coverage = self.coverage = result.coverage
        for domain in coverage.domains:
            card = self.cards.get(domain.code)
            if card is not None:
                card.show_coverage(domain)
        self.summary.setText(
            self.tr(
                "%Ln item(s) in your portfolio; {covered} of 9 domains have evidence.",
                "",
                coverage.total_items,
            ).format(covered=9 - len(coverage.without_evidence))
        )
        self.awaiting.setText(
            self.tr("%Ln item(s) awaiting review by a supervisor", "", coverage.awaiting_review)
        )
        self.gaps.setText(self._gap_text(coverage))
        self.gaps.setVisible(bool(self.gaps.text()))
        self._show_recent(result.recent)
        self._show_capabilities(result.curriculum)
        self.loaded.emit(coverage)

    def _show_capabilities(self, own: CurriculumCoverage | None) -> None:
        """The chosen curriculum's capabilities: items linked to each, and how many are signed."""
        self.curriculum_heading.setVisible(own is not None)
        if own is None:
            if self.curriculum_table is not None:
                self.curriculum_table.hide()
            return
        table = self._capability_table()
        table.show()
        title, rows = own.title, own.capabilities
        covered = sum(1 for capability in rows if capability.total)
        self.curriculum_heading.setText(
            self.tr(
                "Your curriculum: {title} ({covered} of {n} capabilities have evidence)"
            ).format(title=title, covered=covered, n=len(rows))
        )
        table.setAccessibleName(self.curriculum_heading.text())
        table.setRowCount(len(rows))
        for row, capability in enumerate(rows):
            cells = (f"{capability.code}  {capability.title}", capability.total, capability.signed)
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(str(value))
                if column:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if capability.total == 0:
                    cell.setToolTip(self.tr("No evidence yet"))
                table.setItem(row, column, cell)
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(len(rows))
        )
        table.setFixedHeight(height + 2 * table.frameWidth())

    def _capability_table(self) -> QTableWidget:
        """The table of the own curriculum's capabilities, made the first time it is shown (most
        trainees choose none: the first screen then makes no table)."""
        if self.curriculum_table is None:
            table = self.curriculum_table = QTableWidget(0, 3, self)
            table.setObjectName("curriculumCoverage")
            table.setHorizontalHeaderLabels(
                [self.tr("Capability"), self.tr("Items"), self.tr("Signed off")]
            )
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setWordWrap(True)
            table.verticalHeader().setVisible(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in (1, 2):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.curriculum_heading.setBuddy(table)
            below = self._body_layout.indexOf(self.curriculum_heading) + 1
            self._body_layout.insertWidget(below, table)
        return self.curriculum_table

    def _gap_text(self, coverage: Coverage) -> str:
        parts = []
        if coverage.without_evidence:
            parts.append(
                self.tr("No evidence yet in {codes}.").format(
                    codes=", ".join(coverage.without_evidence)
                )
            )
        unsigned = [
            c for c in coverage.without_signed_evidence if c not in coverage.without_evidence
        ]
        if unsigned:
            parts.append(
                self.tr("Evidence but nothing signed off in {codes}.").format(
                    codes=", ".join(unsigned)
                )
            )
        return " ".join(parts)

    def _show_recent(self, recent: tuple[EvidenceSummary, ...]) -> None:
        self.recent.clear()
        if not recent:
            placeholder = QListWidgetItem(self.tr("Nothing yet. Press Ctrl+N to add evidence."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
            return
        for item in recent:
            text = (
                f"{item.occurred_on.isoformat()}   {item.title}   ·   {kind_title(item.kind)}"
                f"   ·   {status_label(item.status)}"
            )
            row = QListWidgetItem(status_icon(item.status, self.palette(), at_once=True), text)
            row.setData(UUID_ROLE, item.uuid)
            row.setToolTip(self.tr("Double-click or press Enter to open"))
            self.recent.addItem(row)

    def _recent_activated(self, row: QListWidgetItem) -> None:
        item_uuid = row.data(UUID_ROLE)
        if item_uuid:
            self.open_requested.emit(item_uuid)

    def _data_changed(self, changes: Changes) -> None:
        if changes.kind in (ChangeKind.EVIDENCE, ChangeKind.PROFILE):
            self.refresh()
