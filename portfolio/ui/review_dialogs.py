"""Pieces of the Reviews page: an item rendered read-only for a supervisor, the dialog that
creates a signing identity (the Mentor page opens it too), and the report of an imported
sign-off file.

Nothing here touches the database: the page runs service calls on the task runner and hands the
results in.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portfolio.curriculum import gpc
from portfolio.kinds import FieldSpec, template
from portfolio.services.dto import EvidenceDetail, SignOffStatus
from portfolio.services.signoff_words import trust_words
from portfolio.services.verification import shown_status
from portfolio.ui.translations import counted
from portfolio.ui.widgets import (
    FieldError,
    decision_label,
    kind_title,
    role_label,
    status_icon,
    status_label,
)
from portfolio.vocabulary import Role, is_gmc_number

if TYPE_CHECKING:
    from portfolio.services.signoffs import ImportOutcome

ATTACHMENT_SCHEME = "attachment"


def _tr(text: str) -> str:
    return QCoreApplication.translate("review", text)


# -- an item, read-only ----------------------------------------------------------------------


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size = size / 1024  # type: ignore[assignment]
    return str(size)


def _paragraphs(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines()) or "&nbsp;"


def _value_html(spec: FieldSpec, value: Any) -> str:
    if spec.type == "bool":
        return _tr("Yes") if value else _tr("No")
    if spec.type == "choice":
        return html.escape(spec.choice_label(str(value)))
    if spec.type == "list" and isinstance(value, list | tuple):
        words = [spec.choice_label(str(v)) if spec.choices else str(v) for v in value]
        return "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in words) + "</ul>"
    if spec.type == "repeat" and isinstance(value, list | tuple):
        parts = []
        for number, entry in enumerate(value, start=1):
            rows = _fields_html(spec.fields, entry if isinstance(entry, Mapping) else {})
            parts.append(f"<div style='margin-left:16px'><p><i>{number}.</i></p>{rows}</div>")
        return "".join(parts)
    return _paragraphs(str(value))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _row(label: str, value: str) -> str:
    """A label above its value, as in the editor; reads well however narrow the pane."""
    if value.startswith(("<ul>", "<div")):
        return f"<p style='margin-bottom:0'><b>{html.escape(label)}</b></p>{value}"
    return f"<p><b>{html.escape(label)}</b><br>{value}</p>"


def _fields_html(specs: Sequence[FieldSpec], values: Mapping[str, Any]) -> str:
    rows = []
    known = set()
    for spec in specs:
        known.add(spec.key)
        value = values.get(spec.key)
        if _empty(value) or (spec.type != "bool" and value is False):
            continue
        rows.append(_row(spec.label, _value_html(spec, value)))
    for key, value in values.items():  # anything the template does not know: shown, not hidden
        if key not in known and not _empty(value):
            rows.append(_row(key, _paragraphs(str(value))))
    return "".join(rows)


def signoff_text(signoff: SignOffStatus) -> str:
    """ "Signed off by Dr X (Educational supervisor) on …: Valid, vouched for by …" in words."""
    text = _tr("{decision} by {name} ({role}) on {when}: {state}.").format(
        decision=decision_label(signoff.decision),
        name=signoff.signer_name,
        role=role_label(signoff.signer_role),
        when=signoff.signed_at[:10],
        state=trust_words(signoff),
    )
    for warning in (signoff.warning, signoff.chain_warning):
        if warning:
            text += " " + warning
    return text


def item_html(item: EvidenceDetail, *, show_status: bool = True) -> str:
    """Everything a supervisor needs to judge an item, every field under its template label."""
    spec = template(item.kind)
    when = item.occurred_on.isoformat()
    if item.occurred_until:
        when += f" – {item.occurred_until.isoformat()}"
    parts = [
        f"<h2>{html.escape(item.title)}</h2>",
        f"<p>{html.escape(kind_title(item.kind))} · {when}",
    ]
    if item.private:
        parts.append(" · <i>" + html.escape(_tr("private")) + "</i>")
    parts.append("</p>")
    if show_status:
        parts.append(
            f"<p><b>{html.escape(_tr('Status'))}:</b> {html.escape(status_label(item.status))}</p>"
        )
        if item.signoff is not None:
            comment = f" “{html.escape(item.signoff.comment)}”" if item.signoff.comment else ""
            parts.append(f"<p>{html.escape(signoff_text(item.signoff))}{comment}</p>")
    fields = _fields_html(spec.fields, item.fields)
    if fields:
        parts.append(fields)
    if item.text:
        label = spec.text_label or _tr("Text")
        parts.append(f"<h3>{html.escape(label)}</h3><p>{_paragraphs(item.text)}</p>")
    parts.append(f"<h3>{html.escape(_tr('GPC domains'))}</h3>")
    if item.links:
        curriculum = gpc()
        rows = []
        for link in item.links:
            node = curriculum.find(link.code)
            title = f"{link.code} {node.title}" if node is not None else link.code
            why = f"<br><i>{_paragraphs(link.justification)}</i>" if link.justification else ""
            rows.append(f"<li><b>{html.escape(title)}</b>{why}</li>")
        parts.append("<ul>" + "".join(rows) + "</ul>")
    else:
        parts.append(f"<p>{html.escape(_tr('None linked.'))}</p>")
    if item.attachments:
        parts.append(f"<h3>{html.escape(_tr('Attachments'))}</h3><ul>")
        for attachment in item.attachments:
            parts.append(
                f"<li><a href='{ATTACHMENT_SCHEME}:{attachment.sha256}'>"
                f"{html.escape(attachment.filename)}</a> ({_size(attachment.size)}, "
                f"{html.escape(attachment.mime_type)})</li>"
            )
        parts.append("</ul>")
    if item.tags:
        parts.append(
            f"<p><b>{html.escape(_tr('Tags'))}:</b> {html.escape(', '.join(item.tags))}</p>"
        )
    return "".join(parts)


# -- creating an identity --------------------------------------------------------------------


Purpose = Literal["supervisor", "mentor"]
"""Who the identity is for: a supervisor's sign-offs, or a mentor's catalogues."""


class CreateIdentityDialog(QDialog):
    """Name, GMC number, role and (where the key is kept in a file) a passphrase typed twice."""

    def __init__(
        self,
        needs_passphrase: bool,
        key_location: str,
        parent: QWidget | None = None,
        *,
        purpose: Purpose = "supervisor",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("createIdentityDialog")
        self.setWindowTitle(self.tr("Create a signing identity"))
        self._needs_passphrase = needs_passphrase
        self._purpose = purpose
        if purpose == "mentor":
            words = self.tr(
                "To publish, you sign the catalogue with your own identity: your name and key "
                "fingerprint are what trainees see when they import it. A new signing key is "
                "made for you and kept {where}."
            )
        else:
            words = self.tr(
                "For the supervisor: your name, GMC number and role go on every sign-off you make. "
                "A new signing key is made for you and kept {where}."
            )
        intro = QLabel(words.format(where=key_location), self)
        intro.setObjectName("identityIntro")
        intro.setWordWrap(True)
        self.name = self._line("identityNameEdit", self.tr("e.g. Dr Alex Morgan"))
        self.gmc = self._line("identityGmcEdit", self.tr("7 digits"))
        self.gmc.setMaxLength(7)
        self.role = QComboBox(self)
        self.role.setObjectName("identityRoleCombo")
        for value in Role:
            self.role.addItem(role_label(value), str(value))
        if purpose == "mentor":  # a mentor signs as neither kind of supervisor
            self.role.setCurrentIndex(self.role.findData(str(Role.OTHER)))
        self.passphrase = self._line("newPassphraseEdit", self.tr("at least 8 characters"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self._line("repeatPassphraseEdit", self.tr("the same again"))
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError("identityError", self)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&GMC number:"), self.gmc)
        form.addRow(self.tr("&Role:"), self.role)
        if needs_passphrase:
            form.addRow(self.tr("&Passphrase:"), self.passphrase)
            form.addRow(self.tr("Passphrase &again:"), self.repeat)
            note = QLabel(
                self.tr(
                    "Only you should know this passphrase: it unlocks your key each time you sign. "
                    "It cannot be recovered."
                ),
                self,
            )
            note.setWordWrap(True)
            form.addRow("", note)
        else:
            self.passphrase.hide()
            self.repeat.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Create identity"))
        self.ok_button.setObjectName("createIdentityOk")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def problem(self) -> str:
        """What is wrong with the form, in one sentence; empty when it can be sent."""
        if not self.name.text().strip():
            if self._purpose == "mentor":
                return self.tr("Enter your name as trainees should see it.")
            return self.tr("Enter the supervisor's name.")
        gmc = self.gmc.text().strip()
        if not is_gmc_number(gmc):
            return self.tr("The GMC number is exactly 7 digits.")
        if self._needs_passphrase:
            if len(self.passphrase.text()) < 8:
                return self.tr("Choose a passphrase of at least 8 characters.")
            if self.passphrase.text() != self.repeat.text():
                return self.tr("The two passphrases differ; type them again.")
        return ""

    def values(self) -> tuple[str, str, str, str | None]:
        passphrase = self.passphrase.text() if self._needs_passphrase else None
        return (
            self.name.text().strip(),
            self.gmc.text().strip(),
            self.role.currentData(),
            passphrase,
        )

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)


# -- what a sign-off file brought ------------------------------------------------------------


class SignOffImportDialog(QDialog):
    """One row per sign-off in the file: the item, the decision, new or already here, its state."""

    def __init__(
        self, source: str, outcomes: Sequence[ImportOutcome], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signoffImportReport")
        self.setWindowTitle(self.tr("Sign-offs imported"))
        new = sum(1 for o in outcomes if o.new)
        summary = QLabel(
            self.tr(
                "{source}: every signature verified. {new} imported; {old} already here."
            ).format(
                source=source,
                new=counted("%n new sign-off(s)", new),
                old=len(outcomes) - new,
            ),
            self,
        )
        summary.setObjectName("signoffImportSummary")
        summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("signoffOutcomes")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("Item"), self.tr("Decision"), self.tr("Imported"), self.tr("Status now")]
        )
        for outcome in outcomes:
            shown = _shown(outcome.status)
            row = QTreeWidgetItem(
                [
                    outcome.evidence_title,
                    decision_label(outcome.decision),
                    self.tr("Imported") if outcome.new else self.tr("Already had"),
                    status_label(shown),
                ]
            )
            row.setIcon(3, status_icon(shown, self.palette()))
            row.setToolTip(3, trust_words(outcome.status))
            row.setToolTip(0, outcome.evidence_title)
            comment = outcome.status.comment
            row.setToolTip(1, comment or self.tr("No comment"))
            self.tree.addTopLevelItem(row)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def _shown(status: SignOffStatus) -> str:
    return shown_status(status.decision, status)
