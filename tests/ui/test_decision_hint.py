"""The decision box's hint in pack mode (issue 14.5): at 1200×860 its full text shows, the moment
it changes and after the page has laid itself out again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton

from tests.ui.test_reviews import (
    WAIT,
    choose_row,
    click,
    create_identity_in_page,
    decide,
    reviews_of,
    unlock,
)


def fits(label: QLabel) -> bool:
    """Every wrapped line of the label's text lies inside the part of it on screen."""
    needed = label.fontMetrics().boundingRect(
        label.contentsRect(), Qt.TextFlag.TextWordWrap, label.text()
    )
    shown = label.visibleRegion().boundingRect()
    return needed.height() <= label.contentsRect().height() and shown == label.rect()


def test_the_pack_hint_is_never_cut_off(qtbot, portfolio, supervisor, tmp_path) -> None:
    pack = tmp_path / "pack.gpcreview"
    portfolio.signoffs.export_review_pack(pack, ready=True)
    _, window, _ = supervisor
    window.resize(1200, 860)
    page = reviews_of(qtbot, window)
    create_identity_in_page(qtbot, page, passphrase=None)
    unlock(qtbot, page, None)
    with qtbot.waitSignal(page.signing.opened, timeout=WAIT):
        page.signing.open_review_pack(pack)
    hint = page.findChild(QLabel, "decisionHint")
    assert window.size().width() == 1200 and window.size().height() == 860

    def check(expected: str) -> None:
        assert expected in hint.text()
        assert fits(hint), f"cut off as it changed: {hint.text()!r}"
        QApplication.processEvents()  # the page lays itself out again
        assert fits(hint), f"cut off once laid out: {hint.text()!r}"

    choose_row(qtbot, page, 0)
    check("Choose sign off or request changes.")
    click(qtbot, page, QRadioButton, "signOffRadio")
    check("0 decisions recorded; all are signed together when you save the sign-off file.")
    decide(qtbot, page, "signOffRadio", "Good work.")
    click(qtbot, page, QRadioButton, "changesRadio")
    check("1 decision recorded; all are signed together when you save the sign-off file.")
    decide(qtbot, page, "changesRadio", "Add the outcome of the audit.")
    check("2 decisions recorded; all are signed together when you save the sign-off file.")
    page.identity.lock()
    check("Unlock your identity to save.")
    window.grab().save("/tmp/polish-pack-hint.png")
