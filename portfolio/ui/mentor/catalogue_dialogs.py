"""The mentor's forms: a new catalogue (title, Trust), one opportunity (every field the
catalogue format has), and signing a catalogue to publish it (identity and passphrase).

Each form only collects; the editor sends what it collects to the service and shows the
service's message in the form's ``error`` when it refuses, so a bad entry changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio.ui.widgets import FieldError, OptionalDateEdit
from portfolio.vocabulary import OPPORTUNITY_KIND_LABELS

if TYPE_CHECKING:  # the services are imported when a form is first used, not at start-up
    from portfolio.services.opportunities import OpportunityDraft, OpportunityView
    from portfolio.services.signoffs import IdentityInfo


class Form(QDialog):
    """A form over OK / Cancel with an inline error under it."""

    def __init__(self, name: str, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = FieldError(f"{name}Error", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def line(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, edit)
        return edit

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)


class NewCatalogueDialog(Form):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("newCatalogueDialog", self.tr("New catalogue"), self.tr("&Create"), parent)
        self.title = self.line(
            "catalogueTitleEdit", self.tr("&Title"), self.tr("e.g. Leadership opportunities 2026")
        )
        self.trust = self.line("catalogueTrustEdit", self.tr("T&rust"), self.tr("optional"))
        self.setMinimumWidth(420)


class OpportunityDialog(Form):
    """Add or edit one opportunity; ``draft()`` is what the mentor typed."""

    def __init__(self, view: OpportunityView | None, parent: QWidget | None = None) -> None:
        super().__init__(
            "opportunityDialog",
            self.tr("Edit opportunity") if view else self.tr("Add an opportunity"),
            self.tr("&Save") if view else self.tr("&Add"),
            parent,
        )
        self.title = self.line("opportunityTitleEdit", self.tr("&Title"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("opportunityKindCombo")
        self.kind.setAccessibleName(self.tr("Kind"))
        for value, label in OPPORTUNITY_KIND_LABELS.items():
            self.kind.addItem(label, value)
        self.form.addRow(self.tr("&Kind"), self.kind)
        self.domains = self.line(
            "opportunityDomainsEdit",
            self.tr("&Develops"),
            self.tr("GPC domains or sub-headings, e.g. GPC5, GPC6.2"),
        )
        self.trust = self.line("opportunityTrustEdit", self.tr("T&rust"), self.tr("optional"))
        self.contact = self.line(
            "opportunityContactEdit", self.tr("&Contact"), self.tr("who to ask, optional")
        )
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("opportunityDescriptionEdit")
        self.description.setAccessibleName(self.tr("Description"))
        self.form.addRow(self.tr("D&escription"), self.description)
        self.starts = OptionalDateEdit(self.tr("no start date"), self)
        self.starts.setObjectName("opportunityStartsEdit")
        self.ends = OptionalDateEdit(self.tr("no end date"), self)
        self.ends.setObjectName("opportunityEndsEdit")
        self.closes = OptionalDateEdit(self.tr("no closing date"), self)
        self.closes.setObjectName("opportunityClosesEdit")
        for label, edit in (
            (self.tr("&Starts"), self.starts),
            (self.tr("E&nds"), self.ends),
            (self.tr("Applications c&lose"), self.closes),
        ):
            edit.setAccessibleName(label.replace("&", ""))
            self.form.addRow(label, edit)
        if view is not None:
            self.title.setText(view.title)
            self.kind.setCurrentIndex(max(self.kind.findData(view.kind), 0))
            self.domains.setText(", ".join(view.domains))
            self.trust.setText(view.trust)
            self.contact.setText(view.contact)
            self.description.setPlainText(view.description)
            self.starts.set_value(view.starts_on)
            self.ends.set_value(view.ends_on)
            self.closes.set_value(view.closes_on)
        self.setMinimumWidth(520)

    def draft(self) -> OpportunityDraft:
        from portfolio.services.opportunities import OpportunityDraft

        codes = self.domains.text().replace(";", ",").split(",")
        return OpportunityDraft(
            title=self.title.text(),
            kind=str(self.kind.currentData()),
            trust=self.trust.text(),
            contact=self.contact.text(),
            description=self.description.toPlainText(),
            domains=tuple(code.strip() for code in codes if code.strip()),
            starts_on=self.starts.value(),
            ends_on=self.ends.value(),
            closes_on=self.closes.value(),
        )


class PublishDialog(Form):
    """Sign with one of this copy's identities; the passphrase only where the key is in a file."""

    def __init__(
        self,
        catalogue_title: str,
        destination: str,
        identities: Sequence[IdentityInfo],
        needs_passphrase: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "publishDialog", self.tr("Sign and publish"), self.tr("Sign and &publish"), parent
        )
        intro = QLabel(
            self.tr(
                "Publishing signs the next version of “{title}” with your key and writes it to "
                "{path}. Send that file to trainees and supervisors: they import it from their "
                "Opportunities page, and the app shows them your name and key fingerprint."
            ).format(title=catalogue_title, path=destination),
            self,
        )
        intro.setWordWrap(True)
        self.form.insertRow(0, intro)
        self.identity = QComboBox(self)
        self.identity.setObjectName("publishIdentityCombo")
        self.identity.setAccessibleName(self.tr("Sign as"))
        for info in identities:
            self.identity.addItem(
                f"{info.identity.name} (GMC {info.identity.gmc_number}) · {info.fingerprint}",
                info.fingerprint,
            )
        self.form.addRow(self.tr("Sign &as"), self.identity)
        self.passphrase = self.line("publishPassphraseEdit", self.tr("&Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        if not needs_passphrase:
            self.form.setRowVisible(self.passphrase, False)
        self._needs_passphrase = needs_passphrase
        self.setMinimumWidth(520)

    def fingerprint(self) -> str:
        return str(self.identity.currentData())

    def passphrase_text(self) -> str | None:
        return self.passphrase.text() if self._needs_passphrase else None
