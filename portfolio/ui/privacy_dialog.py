"""The portfolio-wide privacy check in the window, and the check that runs before anything
leaves the laptop (a review pack, an exported portfolio, a report).

Findings are guidance, not a verdict: the trainee opens the item to anonymise it, marks a
finding "not patient data" (remembered for that item), or carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.ui.operations import Operations
from portfolio.ui.translations import counted
from portfolio.ui.widgets import FieldError, icon
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.errors import PortfolioError
    from portfolio.services.privacy import Gathered, ItemFinding

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


class FindingsView(QTreeWidget):
    """Findings, one per row: the item, where in it, the text, why, and a suggested wording."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyFindings")
        self.setAccessibleName(self.tr("Possible patient-identifiable data"))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setHeaderLabels(
            [
                self.tr("Item"),
                self.tr("Where"),
                self.tr("Text"),
                self.tr("Why"),
                self.tr("Suggested wording"),
            ]
        )
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 220)
        self.setColumnWidth(1, 110)
        self.setColumnWidth(2, 140)
        self.setColumnWidth(4, 150)
        self.findings: list[ItemFinding] = []

    def set_findings(self, findings: list[ItemFinding]) -> None:
        self.clear()
        self.findings = list(findings)
        for index, found in enumerate(self.findings):
            row = QTreeWidgetItem(
                [
                    found.evidence_title,
                    found.label,
                    found.finding.text,
                    found.finding.message,
                    found.finding.suggestion,
                ]
            )
            row.setData(0, INDEX_ROLE, index)
            for column in range(5):
                row.setToolTip(column, row.text(column))
            self.addTopLevelItem(row)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def current_finding(self) -> ItemFinding | None:
        row = self.currentItem()
        if row is None:
            return None
        return self.findings[row.data(0, INDEX_ROLE)]

    def remove_like(self, found: ItemFinding) -> None:
        """Drop every row the dismissal of ``found`` covers (same item, kind and text)."""
        keep = [
            f
            for f in self.findings
            if (f.evidence_uuid, f.finding.kind, f.finding.text)
            != (found.evidence_uuid, found.finding.kind, found.finding.text)
        ]
        current = self.currentItem()
        position = self.indexOfTopLevelItem(current) if current is not None else 0
        self.set_findings(keep)
        row = self.topLevelItem(min(position, len(keep) - 1))
        if row is not None:
            self.setCurrentItem(row)


def _summary(findings: list[ItemFinding]) -> str:
    items = len({f.evidence_uuid for f in findings})
    return QCoreApplication.translate(
        "privacy",
        "{findings} of patient-identifiable data in {items}. Anonymise them in the item, or mark "
        "what is not patient data.",
    ).format(
        findings=counted("%n possible piece(s)", len(findings)), items=counted("%n item(s)", items)
    )


class PrivacyDialog(QDialog):
    """Tools ▸ Check privacy…: every finding across the portfolio."""

    open_requested = Signal(str)
    checked = Signal(int)
    """A check finished; the argument is the number of findings shown."""

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("privacyDialog")
        self.setWindowTitle(self.tr("Privacy check"))
        self._portfolio = portfolio
        self._ops = ops
        intro = QLabel(
            self.tr(
                "Things in your evidence that look like they could identify a patient: NHS numbers, "
                "names, dates of birth, addresses, postcodes, phone numbers. GMC guidance asks you "
                "to anonymise reflections. This is guidance, not a guarantee."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.summary = QLabel(self.tr("Checking…"), self)
        self.summary.setObjectName("privacySummary")
        self.summary.setWordWrap(True)
        self.view = FindingsView(self)
        self.error = FieldError("privacyError", self)
        self.open_button = QPushButton(self.tr("&Open item"), self)
        self.open_button.setObjectName("openFindingItem")
        self.dismiss_button = QPushButton(self.tr("&Not patient data"), self)
        self.dismiss_button.setObjectName("dismissFinding")
        self.dismiss_button.setToolTip(
            self.tr("Remember that this text in this item is not patient data")
        )
        self.recheck_button = QPushButton(self.tr("Check &again"), self)
        self.recheck_button.setObjectName("recheckPrivacy")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.dismiss_button)
        row.addStretch(1)
        row.addWidget(self.recheck_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.open_button.clicked.connect(self.open_current)
        self.dismiss_button.clicked.connect(self.dismiss_current)
        self.recheck_button.clicked.connect(self.recheck)
        self.view.itemActivated.connect(lambda *_: self.open_current())
        self.view.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.resize(860, 460)
        self._update_buttons()
        self.recheck()

    def recheck(self) -> None:
        self.summary.setText(self.tr("Checking…"))
        self.recheck_button.setEnabled(False)
        privacy = self._portfolio.privacy
        run_check(self, self._ops, privacy.gather, self._show, self._failed)

    def _show(self, findings: list[ItemFinding]) -> None:
        self.recheck_button.setEnabled(True)
        self.view.set_findings(findings)
        self._summarise()
        self.checked.emit(len(findings))

    def _summarise(self) -> None:
        findings = self.view.findings
        self.summary.setText(
            _summary(findings)
            if findings
            else self.tr("Nothing found that looks like patient-identifiable data.")
        )
        self._update_buttons()

    def _failed(self, error: Exception) -> None:
        self.recheck_button.setEnabled(True)
        self.error.show_error(str(error))

    def _update_buttons(self) -> None:
        has = self.view.current_finding() is not None
        self.open_button.setEnabled(has)
        self.dismiss_button.setEnabled(has)

    def open_current(self) -> None:
        found = self.view.current_finding()
        if found is not None:
            self.open_requested.emit(found.evidence_uuid)

    def dismiss_current(self) -> None:
        found = self.view.current_finding()
        if found is None:
            return
        privacy = self._portfolio.privacy

        def done(_: Any) -> None:
            self.view.remove_like(found)
            self._summarise()

        self._ops.database(
            self, lambda: privacy.dismiss(found.evidence_uuid, found.finding)
        ).success(done).failure(lambda error: self.error.show_error(str(error))).changes(
            ChangeKind.PRIVACY, uuids=[found.evidence_uuid]
        ).run()


class PrivacyGateDialog(QDialog):
    """Shown before something leaves the laptop when the check found something."""

    open_requested = Signal(str)

    def __init__(
        self, what: str, findings: list[ItemFinding], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("privacyGate")
        self.setWindowTitle(self.tr("Check before it leaves your laptop"))
        self.setWindowIcon(icon("privacy"))
        heading = QLabel(
            self.tr("<b>Before {what}: this may identify a patient.</b>").format(what=what), self
        )
        heading.setWordWrap(True)
        summary = QLabel(_summary(findings), self)
        summary.setObjectName("privacyGateSummary")
        summary.setWordWrap(True)
        self.view = FindingsView(self)
        self.view.set_findings(findings)
        buttons = QDialogButtonBox(self)
        self.back_button = buttons.addButton(
            self.tr("&Go back"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.back_button.setObjectName("goBack")
        self.open_button = buttons.addButton(
            self.tr("&Open item"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setObjectName("openFindingItem")
        self.continue_button = buttons.addButton(
            self.tr("&Continue anyway"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setObjectName("continueAnyway")
        self.back_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(820, 400)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _open(self) -> None:
        found = self.view.current_finding()
        if found is not None:
            self.open_requested.emit(found.evidence_uuid)
            self.reject()


def run_check(
    owner: QObject,
    ops: Operations,
    gather: Callable[[], Gathered],
    found: Callable[[list[ItemFinding]], object],
    failed: Callable[[PortfolioError], object] | None = None,
) -> None:
    """``gather`` on the database thread, then the scan beside it (it needs no database)."""

    def scan(gathered: Gathered) -> None:
        operation = ops.render(owner, gathered.findings).success(found)
        if failed is not None:
            operation.failure(failed)
        operation.run()

    operation = ops.database(owner, gather).success(scan)
    if failed is not None:
        operation.failure(failed)
    operation.run()


def check_privacy_first(
    parent: QWidget,
    ops: Operations,
    gather: Callable[[], Gathered],
    proceed: Callable[[], None],
    *,
    what: str,
    open_item: Callable[[str], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Check what ``gather`` reads, off the GUI thread; with nothing found go on, else let the
    trainee choose.

    ``proceed`` runs only when nothing was found or the trainee chose "Continue anyway".
    """

    def checked(findings: list[ItemFinding]) -> None:
        if not findings:
            proceed()
            return
        gate = PrivacyGateDialog(what, findings, parent)
        gate.accepted.connect(proceed)
        if open_item is not None:
            gate.open_requested.connect(open_item)
        gate.open()

    run_check(parent, ops, gather, checked, on_error)
