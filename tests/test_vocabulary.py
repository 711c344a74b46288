"""One vocabulary (issue 13.1): each code and its label defined once, the same word everywhere,
translatable by the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QLineEdit

from portfolio import vocabulary
from portfolio.cli.reports import STATE_WORDS
from portfolio.reports.model import decision_text, role_text
from portfolio.services.dto import SignOffStatus
from portfolio.services.signoff_words import verdict_words
from portfolio.ui import widgets
from portfolio.ui.review_dialogs import CreateIdentityDialog
from portfolio.vocabulary import (
    SHOWN_STATUSES,
    STATUS_DESCRIPTIONS,
    STATUS_LABELS,
    STATUSES,
    Decision,
    Role,
    SignOffState,
    Status,
    is_gmc_number,
)


def test_every_status_has_one_label_and_one_description() -> None:
    assert SHOWN_STATUSES[: len(STATUSES)] == STATUSES
    assert set(STATUS_LABELS) == set(STATUS_DESCRIPTIONS) == set(Status)
    assert len(set(STATUS_LABELS.values())) == len(STATUS_LABELS)
    assert STATUS_LABELS[Status.INVALID] == "Sign-off invalid"


def test_codes_are_their_strings() -> None:
    assert Status.SIGNED_OFF == "signed_off" and f"{Status.SIGNED_OFF}" == "signed_off"
    assert Decision.WITHDRAWN == "withdrawn" and Role("other") is Role.OTHER
    assert [str(s) for s in SignOffState] == ["valid", "edited", "invalid", "revoked"]


def test_the_window_the_report_and_the_command_line_use_the_same_words() -> None:
    for status, label in STATUS_LABELS.items():
        assert widgets.status_label(status) == label
    for role, label in vocabulary.ROLE_LABELS.items():
        assert widgets.role_label(role) == label and role_text(role) == label.lower()
    assert widgets.decision_label("signed_off") == decision_text("signed_off") == "Signed off"
    assert decision_text("withdrawn").startswith(widgets.decision_label("withdrawn"))
    for state, words in vocabulary.SIGNOFF_STATE_LABELS.items():
        assert STATE_WORDS[state] == words
    invalid = SignOffStatus(SignOffState.INVALID, "signed_off", "", "Dr A", "other", "", "")
    assert verdict_words(invalid) == "Invalid signature"


class Shouting(QTranslator):
    """A translation of the vocabulary's context only: every label in capitals."""

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[override]
        return source.upper() if context == vocabulary.TRANSLATION_CONTEXT else None


def test_the_window_translates_the_labels(qapp) -> None:
    translator = Shouting()
    assert QCoreApplication.installTranslator(translator)
    try:
        assert widgets.status_label("ready") == "READY FOR REVIEW"
        assert widgets.status_description("draft") == STATUS_DESCRIPTIONS["draft"].upper()
        assert widgets.role_label("clinical_supervisor") == "CLINICAL SUPERVISOR"
        assert widgets.decision_label("changes_requested") == "CHANGES REQUESTED"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert widgets.status_label("ready") == "Ready for review"


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1234567", True),
        ("123456", False),
        ("12345678", False),
        ("١٢٣٤٥٦٧", False),  # Arabic-Indic digits: str.isdigit() and \d accept them
        ("123456²", False),  # a superscript two: str.isdigit() accepts it
        ("１２３４５６７", False),  # fullwidth
        ("1234567\n", False),  # re.match with $ accepts a trailing newline
        (" 1234567", False),
    ],
)
def test_a_gmc_number_is_seven_ascii_digits(text: str, valid: bool) -> None:
    assert is_gmc_number(text) is valid


@pytest.mark.parametrize("typed", ["123456²", "١٢٣٤٥٦٧"])
def test_the_identity_dialog_refuses_digits_that_are_not_0_to_9(qtbot, typed: str) -> None:
    dialog = CreateIdentityDialog(False, "in the system keyring")
    qtbot.addWidget(dialog)
    dialog.findChild(QLineEdit, "identityNameEdit").setText("Dr Alex Morgan")
    dialog.findChild(QLineEdit, "identityGmcEdit").setText(typed)
    assert dialog.problem() == "The GMC number is exactly 7 digits."
    dialog.findChild(QLineEdit, "identityGmcEdit").setText("7654321")
    assert dialog.problem() == ""
