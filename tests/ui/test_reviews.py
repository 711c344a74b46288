"""The Reviews page driven like a person: sign in a meeting, sign by file, refuse forgeries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QTreeWidget,
)

from portfolio.app import Portfolio, open_portfolio
from portfolio.demo import fill_demo
from portfolio.paths import resolve_location
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.review_files import read_review_pack
from portfolio.ui.evidence_model import COL_STATUS, COL_TITLE
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import Operations
from portfolio.ui.reviews import ReviewsPage
from portfolio.vocabulary import ChangeKind

PASSPHRASE = "correct horse battery staple"
WAIT = 10_000


@pytest.fixture
def demo(empty_portfolio: Portfolio) -> Portfolio:
    fill_demo(empty_portfolio)
    return empty_portfolio


def waiting(portfolio: Portfolio) -> int:
    """Items ready for review (the demo's supervisor leaves a few for the next meeting)."""
    count = len(portfolio.evidence.list(EvidenceQuery(status="ready")))
    assert count >= 2
    return count


@pytest.fixture
def trainee_window(qtbot, demo, ops, settle) -> Iterator[MainWindow]:
    window = MainWindow(demo, ops)  # closed here, after its work is drained
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        window.show()
    settle()
    yield window
    settle()
    window.close()
    settle()


@pytest.fixture
def supervisor(qtbot, tmp_path) -> Iterator[tuple[Portfolio, MainWindow, Operations]]:
    """The supervisor's own copy of the app: no profile, no trainee evidence."""
    portfolio = open_portfolio(resolve_location(tmp_path / "supervisor"))
    ops = Operations()
    try:
        window = MainWindow(portfolio, ops)
        with qtbot.waitSignal(window.ready, timeout=WAIT):
            window.show()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        yield portfolio, window, ops
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        window.close()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    finally:
        ops.wait()
        portfolio.close()


def reviews_of(qtbot, window: MainWindow) -> ReviewsPage:
    page = window.reviews
    window.show_page("reviews")  # the page reads identities and its queue when first shown
    qtbot.waitUntil(lambda: page.identity.keys_known, timeout=WAIT)
    return page


def click(qtbot, page, cls, name: str) -> None:
    widget = page.findChild(cls, name)
    assert widget is not None, name
    assert widget.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def create_identity_in_page(qtbot, page: ReviewsPage, *, passphrase: str | None) -> None:
    click(qtbot, page, QPushButton, "createIdentityButton")
    dialog = page.findChild(QDialog, "createIdentityDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "identityNameEdit"), "Dr Alex Morgan")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "identityGmcEdit"), "7654321")
    role = dialog.findChild(QComboBox, "identityRoleCombo")
    role.setCurrentIndex(role.findData("educational_supervisor"))
    if passphrase is not None:
        qtbot.keyClicks(dialog.findChild(QLineEdit, "newPassphraseEdit"), passphrase)
        qtbot.keyClicks(dialog.findChild(QLineEdit, "repeatPassphraseEdit"), passphrase)
    with qtbot.waitSignal(page.identity.identities_loaded, timeout=WAIT):
        click(qtbot, dialog, QPushButton, "createIdentityOk")
    combo = page.findChild(QComboBox, "identityCombo")
    assert "Dr Alex Morgan" in combo.currentText()


def unlock(qtbot, page: ReviewsPage, passphrase: str | None) -> None:
    if passphrase is not None:
        qtbot.keyClicks(page.findChild(QLineEdit, "passphraseEdit"), passphrase)
    with qtbot.waitSignal(page.identity.lock_changed, timeout=WAIT):
        click(qtbot, page, QPushButton, "unlockButton")
    assert page.identity.unlocked is not None


def choose_row(qtbot, page: ReviewsPage, row: int) -> str:
    queue = page.findChild(QListWidget, "reviewQueue")
    item = queue.item(row)
    rect = queue.visualItemRect(item)
    item_uuid = item.data(Qt.ItemDataRole.UserRole + 1)
    if page.board.current is not None and page.board.current.uuid == item_uuid:
        qtbot.mouseClick(queue.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        with qtbot.waitSignal(page.board.detail_shown, timeout=WAIT):
            qtbot.mouseClick(queue.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert queue.currentRow() == row
    assert page.board.current is not None and page.board.current.uuid == item_uuid
    return item_uuid


def decide(qtbot, page: ReviewsPage, radio: str, comment: str) -> None:
    click(qtbot, page, QRadioButton, radio)
    qtbot.keyClicks(page.findChild(QPlainTextEdit, "reviewComment"), comment)
    with qtbot.waitSignal(page.signed, timeout=WAIT):
        click(qtbot, page, QPushButton, "signButton")


def shown_status(qtbot, window: MainWindow, title: str) -> str:
    model = window.evidence.model
    for row in range(model.rowCount()):
        if model.index(row, COL_TITLE).data() == title:
            return model.index(row, COL_STATUS).data()
    raise AssertionError(f"{title} is not in the list")


def test_meeting_round_trip(qtbot, trainee_window, demo, ops, settle) -> None:
    page = reviews_of(qtbot, trainee_window)
    create_identity_in_page(qtbot, page, passphrase=PASSPHRASE)
    note = page.findChild(QLabel, "identityNote").text()
    assert "encrypted file" in note and str(demo.location.data_dir / "keys") in note
    unlock(qtbot, page, PASSPHRASE)
    signer = page.findChild(QLabel, "signerLabel").text()
    assert "Dr Alex Morgan" in signer and page.identity.unlocked.identity.fingerprint in signer

    queue = page.findChild(QListWidget, "reviewQueue")
    ready = waiting(demo)
    qtbot.waitUntil(lambda: queue.count() == ready, timeout=WAIT)
    first = choose_row(qtbot, page, 0)
    item = demo.evidence.get(first)
    detail = page.findChild(QTextBrowser, "reviewDetail").toPlainText()
    assert item.title in detail
    for link in item.links:
        assert link.code in detail
    assert item.text.splitlines()[0][:40] in detail

    decide(qtbot, page, "signOffRadio", "Thoughtful reflection; well evidenced.")
    settle()
    assert queue.count() == ready - 1
    assert page.findChild(QTextBrowser, "reviewDetail").toPlainText()  # the next is shown
    assert queue.currentRow() == 0

    trainee_window.show_page("evidence")
    qtbot.waitUntil(
        lambda: shown_status(qtbot, trainee_window, item.title) == "Signed off", timeout=WAIT
    )
    signed = demo.evidence.get(first)
    assert signed.status == "signed_off" and signed.signoff.comment.startswith("Thoughtful")

    demo.evidence.update(first, replace(signed.as_draft(), title=signed.title + " (revised)"))
    ops.announce(ChangeKind.EVIDENCE, [first])
    qtbot.waitUntil(
        lambda: (
            shown_status(qtbot, trainee_window, item.title + " (revised)")
            == "Edited since sign-off"
        ),
        timeout=WAIT,
    )

    click(qtbot, page, QPushButton, "lockButton")
    assert page.identity.unlocked is None
    assert not page.findChild(QPushButton, "signButton").isEnabled()


def test_changes_requested_needs_a_comment(qtbot, trainee_window, demo, settle) -> None:
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    page = reviews_of(qtbot, trainee_window)
    page.identity.reload()
    settle()
    unlock(qtbot, page, PASSPHRASE)
    item_uuid = choose_row(qtbot, page, 0)
    click(qtbot, page, QRadioButton, "changesRadio")
    click(qtbot, page, QPushButton, "signButton")
    assert "comment" in page.findChild(QLabel, "decisionError").text()
    decide(qtbot, page, "changesRadio", "Please add what you would do differently.")
    settle()
    assert demo.evidence.get(item_uuid).status == "changes_requested"


def test_wrong_passphrase_is_refused_with_a_clear_message(
    qtbot, trainee_window, demo, settle
) -> None:
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "educational_supervisor", PASSPHRASE)
    page = reviews_of(qtbot, trainee_window)
    page.identity.reload()
    settle()
    qtbot.keyClicks(page.findChild(QLineEdit, "passphraseEdit"), "not the passphrase")
    with qtbot.waitSignal(page.failed, timeout=WAIT):
        click(qtbot, page, QPushButton, "unlockButton")
    message = page.findChild(QLabel, "unlockMessage")
    assert message.isVisible()
    assert "Wrong passphrase" in message.text() and "Dr Alex Morgan" in message.text()
    assert page.identity.unlocked is None
    assert not page.findChild(QPushButton, "signButton").isEnabled()


def test_review_by_file_round_trip(
    qtbot, trainee_window, demo, supervisor, tmp_path, settle
) -> None:
    pack_path = tmp_path / "for supervisor.gpcreview"
    trainee = reviews_of(qtbot, trainee_window)
    with qtbot.waitSignal(trainee.trainee.pack_exported, timeout=WAIT):
        trainee_window.export_review_pack_to(pack_path)
    assert len(read_review_pack(pack_path).items) == waiting(demo)

    _, window, _ = supervisor
    page = reviews_of(qtbot, window)
    create_identity_in_page(qtbot, page, passphrase=None)  # their own keyring: no passphrase
    assert not page.findChild(QLineEdit, "passphraseEdit").isVisible()
    unlock(qtbot, page, None)
    with qtbot.waitSignal(page.signing.opened, timeout=WAIT) as opened:
        page.signing.open_review_pack(pack_path)
    assert opened.args == [waiting(demo)]
    assert demo.profile.get().name in page.findChild(QLabel, "reviewSource").text()
    first = choose_row(qtbot, page, 0)
    decide(qtbot, page, "signOffRadio", "Good work.")
    queue = page.findChild(QListWidget, "reviewQueue")
    assert queue.currentRow() == 1  # moved on to the next undecided item
    second = queue.currentItem().data(Qt.ItemDataRole.UserRole + 1)
    decide(qtbot, page, "changesRadio", "Add the outcome of the second PDSA cycle.")
    save = page.findChild(QPushButton, "saveSignoffButton")
    assert save.isVisible() and save.isEnabled()
    reply = tmp_path / "reply.gpcsignoff"
    with qtbot.waitSignal(page.signing.signoff_saved, timeout=WAIT):
        page.signing.save_signoff_file_to(reply)
    assert reply.exists()
    page.findChild(QMessageBox, "signoffSaved").close()
    card = tmp_path / "card.json"
    with qtbot.waitSignal(page.identity.card_saved, timeout=WAIT):
        page.identity.save_card_to(card)
    with qtbot.waitSignal(trainee.trainee.pin_asked, timeout=WAIT) as asked:
        trainee.trainee.pin_card_from(card)  # checked in person against the supervisor's device
    box = asked.args[0]
    box.checkBox().setChecked(True)
    with qtbot.waitSignal(trainee.identity.identities_loaded, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()

    with qtbot.waitSignal(trainee.trainee.signoffs_imported, timeout=WAIT):
        trainee.trainee.import_signoff_file_from(reply)
    report = trainee.findChild(QDialog, "signoffImportReport")
    tree = report.findChild(QTreeWidget, "signoffOutcomes")
    rows = [
        [tree.topLevelItem(i).text(c) for c in range(4)] for i in range(tree.topLevelItemCount())
    ]
    assert [r[2] for r in rows] == ["Imported", "Imported"]
    assert sorted(r[3] for r in rows) == ["Changes requested", "Signed off"]
    vouched = "in a meeting, checked against the supervisor's own device"
    assert vouched in tree.topLevelItem(0).toolTip(3)
    report.close()
    settle()
    assert demo.evidence.get(first).status == "signed_off"
    assert demo.evidence.get(second).status == "changes_requested"

    with qtbot.waitSignal(trainee.trainee.signoffs_imported, timeout=WAIT):  # again: nothing new
        trainee.trainee.import_signoff_file_from(reply)
    tree = trainee.findChild(QDialog, "signoffImportReport").findChild(
        QTreeWidget, "signoffOutcomes"
    )
    assert {tree.topLevelItem(i).text(2) for i in range(2)} == {"Already had"}


def test_a_forged_reply_is_refused_and_nothing_imported(
    qtbot, trainee_window, demo, tmp_path, settle
) -> None:
    pack_path = tmp_path / "pack.gpcreview"
    signed_before, ready_before = demo.signoffs.verify_all(), waiting(demo)
    demo.signoffs.export_review_pack(pack_path, ready=True)
    with open_portfolio(resolve_location(tmp_path / "supervisor")) as theirs:
        info = theirs.signoffs.create_identity("Dr Alex Morgan", "7654321", "other", PASSPHRASE)
        unlocked = theirs.signoffs.unlock(info.fingerprint, PASSPHRASE)
        pack = read_review_pack(pack_path)
        reply = tmp_path / "reply.gpcsignoff"
        theirs.signoffs.sign_pack(
            pack,
            unlocked,
            {pack.items[0].detail.uuid: ("changes_requested", "Needs more reflection.")},
            reply,
        )
    document = json.loads(reply.read_text())
    document["records"][0]["decision"] = "signed_off"  # the trainee "improves" the verdict
    document["records"][0]["comment"] = "Excellent."
    forged = tmp_path / "forged.gpcsignoff"
    forged.write_text(json.dumps(document))

    page = reviews_of(qtbot, trainee_window)
    with qtbot.waitSignal(page.failed, timeout=WAIT) as failed:
        page.trainee.import_signoff_file_from(forged)
    box = page.findChild(QMessageBox, "signoffImportError")
    assert box is not None and box.isVisible()
    assert "altered or forged" in box.text() and "Nothing was imported" in box.text()
    assert failed.args[0] == box.text()
    box.close()
    settle()
    assert demo.signoffs.verify_all() == signed_before
    assert waiting(demo) == ready_before


def test_pin_a_supervisor_card(qtbot, trainee_window, demo, tmp_path, settle) -> None:
    with open_portfolio(resolve_location(tmp_path / "supervisor")) as theirs:
        info = theirs.signoffs.create_identity("Dr Alex Morgan", "7654321", "other", None)
    card = tmp_path / "card.json"
    card.write_text(json.dumps(info.identity.to_card()))
    page = reviews_of(qtbot, trainee_window)
    with qtbot.waitSignal(page.trainee.pin_asked, timeout=WAIT) as asked:
        page.trainee.pin_card_from(card)
    box = asked.args[0]
    assert box.objectName() == "pinCardConfirm"
    assert "Dr Alex Morgan" in box.text() and info.fingerprint in box.informativeText()
    with qtbot.waitSignal(page.identity.identities_loaded, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()
    pinned = [i for i in demo.signoffs.identities() if i.fingerprint == info.fingerprint]
    assert pinned and pinned[0].pinned_how == "file" and not pinned[0].has_private_key

    bad = tmp_path / "not a card.json"
    bad.write_text("{}")
    with qtbot.waitSignal(page.failed, timeout=WAIT):
        page.trainee.pin_card_from(bad)
    assert "not a GPC Portfolio identity card" in page.findChild(QMessageBox, "pinCardError").text()


def test_trust_a_supervisor_directory_from_the_reviews_page(
    qtbot, trainee_window, demo, tmp_path, settle
) -> None:
    from portfolio.services.directories import DirectoryService
    from tests.services.archive_helpers import supervisor as in_memory

    office, shah = in_memory("Dr Helen Ward", "4999999"), in_memory("Dr Priya Shah", "7654321")
    path = tmp_path / "North West supervisors.gpcdirectory"
    DirectoryService(None).create("North West supervisors", path, [shah.identity], office)  # type: ignore[arg-type]
    item = demo.evidence.details(EvidenceQuery(status="ready"))[0]
    demo.signoffs.sign_in_meeting(shah, item.uuid, "signed_off", "Good.")
    trainee_window.show_page("evidence")
    trainee_window.evidence.model.refresh()
    qtbot.waitUntil(
        lambda: shown_status(qtbot, trainee_window, item.title) == "Signer not vouched for",
        timeout=WAIT,
    )

    page = reviews_of(qtbot, trainee_window)
    with qtbot.waitSignal(page.trainee.trust_asked, timeout=WAIT) as asked:
        page.trainee.trust_directory_from(path)
    box = asked.args[0]
    assert box.objectName() == "trustDirectoryConfirm"
    assert "North West supervisors" in box.text()
    assert office.identity.fingerprint in box.informativeText()
    page.window().grab().save("/tmp/trust-reviews-page.png")
    box.grab().save("/tmp/trust-directory-confirm.png")
    with qtbot.waitSignal(page.message, timeout=WAIT) as said:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert "North West supervisors" in said.args[0] and office.identity.fingerprint in said.args[0]
    assert "North West supervisors" in [d.name for d in demo.directories.directories()]
    trainee_window.show_page("evidence")
    qtbot.waitUntil(
        lambda: shown_status(qtbot, trainee_window, item.title) == "Signed off", timeout=WAIT
    )

    path.write_text(path.read_text().replace("Dr Priya Shah", "Dr Priya Shaw"))
    with qtbot.waitSignal(page.failed, timeout=WAIT):
        page.trainee.trust_directory_from(path)
    assert "altered" in page.findChild(QMessageBox, "trustDirectoryError").text()


def test_signing_a_pack_says_which_earlier_signoffs_got_no_credential(
    qtbot, supervisor, tmp_path, settle
) -> None:
    """A pack carrying an earlier version 1 sign-off that the supervisor's log does not hold for
    this trainee (it may be another trainee's, copied): the window says it got no credential."""
    from sqlalchemy import insert

    from portfolio.models import SignOff
    from portfolio.services.dto import ProfileData
    from portfolio.services.signoffs import Unlocked
    from portfolio.services.verification import signoff_row
    from tests.services.archive_helpers import reflection, version_1

    own, window, _ = supervisor
    info = own.signoffs.create_identity("Dr Sam Lee", "4000009", "educational_supervisor", None)
    key = own.signoffs.unlock(info.fingerprint, None).private_key
    with open_portfolio(resolve_location(tmp_path / "trainee")) as trainee:
        trainee.profile.save(ProfileData(name="Bea Jones", gmc_number="7000002"))
        trainee.signoffs.pin_card(info.identity, "meeting")
        copied = trainee.evidence.create(reflection("Copied audit", codes=("GPC5",)))
        record = version_1(
            Unlocked(info.identity, key), copied.uuid, copied.digest, "2026-11-01T10:00:00Z"
        )
        with trainee.database.sessions.begin() as session:
            session.execute(insert(SignOff), [signoff_row(record, "file")])
        new = trainee.evidence.create(reflection("Bea's teaching", codes=("GPC5",)))
        trainee.evidence.submit([new.uuid])
        pack_path = tmp_path / "bea.gpcreview"
        trainee.signoffs.export_review_pack(pack_path, [new.uuid])
    assert len(read_review_pack(pack_path).earlier) == 1

    page = reviews_of(qtbot, window)
    page.identity.reload()
    settle()
    unlock(qtbot, page, None)
    with qtbot.waitSignal(page.signing.opened, timeout=WAIT):
        page.signing.open_review_pack(pack_path)
    choose_row(qtbot, page, 0)
    decide(qtbot, page, "signOffRadio", "Good work.")
    with qtbot.waitSignal(page.signing.signoff_saved, timeout=WAIT):
        page.signing.save_signoff_file_to(tmp_path / "reply.gpcsignoff")
    box = page.findChild(QMessageBox, "signoffSaved")
    assert "No credential for 1 earlier sign-off: nothing shows it was signed for Bea Jones" in (
        box.text()
    )
    box.grab().save("/tmp/binding-signoff-saved.png")
    box.close()
