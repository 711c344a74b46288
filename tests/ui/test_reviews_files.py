"""The Reviews page reads and writes its files off the GUI thread (issue 13.6).

A slow read is made by holding the render lane, where file work runs, with real operations
that wait on an event: the page must stay usable meanwhile, the result must arrive only through
the event loop (never during ``Operations.wait``), and a page closed before its file was read
must hear nothing of it. Nothing sleeps.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTextBrowser
from shiboken6 import isValid

from portfolio.app import Portfolio, open_portfolio
from portfolio.formats.card import read_card_file
from portfolio.paths import resolve_location
from portfolio.services.directories import DirectoryService
from portfolio.services.evidence import EvidenceQuery
from portfolio.ui.main_window import MainWindow
from portfolio.ui.operations import RENDER_THREADS, Operations
from portfolio.ui.reviews import ReviewsPage
from tests.services.archive_helpers import supervisor as in_memory
from tests.ui.test_reviews import PASSPHRASE, WAIT, choose_row, reviews_of, unlock

ATTACHMENT_BYTES = 3 * 2**20


@contextmanager
def render_lane_held(ops: Operations) -> Iterator[None]:
    """Every render thread busy until the block ends: work queued meanwhile waits its turn,
    as behind a slow disk."""
    owner = QObject()
    gate = threading.Event()
    running = [threading.Event() for _ in range(RENDER_THREADS)]
    for started in running:
        ops.render(owner, lambda started=started: (started.set(), gate.wait(WAIT / 1000))).run()
    assert all(started.wait(WAIT / 1000) for started in running)
    try:
        yield
    finally:
        gate.set()


def large_pack(portfolio: Portfolio, path: Path) -> int:
    """A review pack of every ready item, each carrying a few megabytes of attachment."""
    noise = random.Random(13)
    ready = portfolio.evidence.list(EvidenceQuery(status="ready"))
    for item in ready:
        portfolio.evidence.attach_bytes(item.uuid, "scan.bin", noise.randbytes(ATTACHMENT_BYTES))
    portfolio.signoffs.export_review_pack(path, ready=True)
    return len(ready)


def confirm_boxes(name: str) -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def test_a_slow_pack_read_leaves_the_page_working_and_arrives_through_the_event_loop(
    qtbot, trainee_window: MainWindow, demo: Portfolio, ops: Operations, tmp_path, settle
) -> None:
    demo.signoffs.create_identity("Dr Alex Morgan", "7654321", "clinical_supervisor", PASSPHRASE)
    pack_path = tmp_path / "large.gpcreview"
    items = large_pack(demo, pack_path)
    assert pack_path.stat().st_size > items * ATTACHMENT_BYTES
    page = reviews_of(qtbot, trainee_window)
    page.identity.reload()
    settle()
    shown: list[int] = []
    page.signing.opened.connect(shown.append)

    with render_lane_held(ops):
        page.signing.open_review_pack(pack_path)
        assert page.signing.pack is None and ops.busy  # queued, not read on this thread
        unlock(qtbot, page, PASSPHRASE)  # the database lane and the page go on meanwhile
        first = choose_row(qtbot, page, 0)
        assert (
            demo.evidence.get(first).title
            in page.findChild(QTextBrowser, "reviewDetail").toPlainText()
        )
        assert page.signing.pack is None
    assert ops.wait(WAIT)
    assert shown == [] and page.signing.pack is None  # the result waits for the event loop
    qtbot.waitUntil(lambda: shown == [items], timeout=WAIT)
    assert page.signing.pack is not None
    assert page.findChild(QPushButton, "closePackButton").isVisible()


def test_a_card_is_read_off_the_gui_thread_then_asked_about(
    qtbot, trainee_window: MainWindow, ops: Operations, tmp_path, settle
) -> None:
    with open_portfolio(resolve_location(tmp_path / "supervisor")) as theirs:
        info = theirs.signoffs.create_identity("Dr Alex Morgan", "7654321", "other", None)
    card = tmp_path / "card.json"
    card.write_text(json.dumps(info.identity.to_card()))
    page = reviews_of(qtbot, trainee_window)
    asked: list[QMessageBox] = []
    page.trainee.pin_asked.connect(asked.append)

    with render_lane_held(ops):
        page.trainee.pin_card_from(card)
        assert asked == [] and confirm_boxes("pinCardConfirm") == []
    assert ops.wait(WAIT)
    assert asked == []
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=WAIT)
    assert info.fingerprint in asked[0].informativeText()
    asked[0].close()
    settle()


def test_the_supervisors_card_is_written_off_the_gui_thread(
    qtbot, supervisor, tmp_path, settle
) -> None:
    theirs, window, ops = supervisor
    theirs.signoffs.create_identity("Dr Sam Lee", "4000009", "educational_supervisor", None)
    page = reviews_of(qtbot, window)
    page.identity.reload()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    unlock(qtbot, page, None)
    card = tmp_path / "cards" / "Sam Lee card.json"

    with qtbot.waitSignal(page.identity.card_saved, timeout=WAIT) as saved, render_lane_held(ops):
        page.identity.save_card_to(card)
        assert not card.exists()  # written on the render lane, not here
    assert saved.args == [str(card)]
    assert read_card_file(card) == page.identity.unlocked.identity
    assert card.read_text().endswith("}\n") and "private" not in card.read_text()
    assert sorted(p.name for p in card.parent.iterdir()) == [card.name]  # no temporary left

    folder = tmp_path / "a folder"
    folder.mkdir()
    with qtbot.waitSignal(page.failed, timeout=WAIT) as refused:
        page.identity.save_card_to(folder)
    assert "is a folder" in refused.args[0]
    box = page.findChild(QMessageBox, "saveCardError")
    assert box is not None and box.text() == refused.args[0]
    assert list(folder.iterdir()) == []
    box.close()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)


def test_a_page_closed_before_its_files_were_read_hears_nothing_of_them(
    qtbot, demo: Portfolio, ops: Operations, tmp_path
) -> None:
    """No confirmation pops up for a page that is gone, and no callback touches its widgets."""
    with open_portfolio(resolve_location(tmp_path / "supervisor")) as theirs:
        info = theirs.signoffs.create_identity("Dr Alex Morgan", "7654321", "other", None)
    card = tmp_path / "card.json"
    card.write_text(json.dumps(info.identity.to_card()))
    pack_path = tmp_path / "large.gpcreview"
    large_pack(demo, pack_path)
    office = in_memory("Dr Helen Ward", "4999999")
    directory = tmp_path / "North West supervisors.gpcdirectory"
    DirectoryService(None).create("North West supervisors", directory, [info.identity], office)  # type: ignore[arg-type]
    page = ReviewsPage(demo, ops)
    page.show()
    qtbot.waitUntil(lambda: page.identity.keys_known, timeout=WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    errors: list[str] = []
    ops.known_error.connect(errors.append)

    with render_lane_held(ops):
        page.signing.open_review_pack(pack_path)
        page.trainee.pin_card_from(card)
        page.trainee.trust_directory_from(directory)
        page.close()
        page.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not isValid(page)
    assert ops.wait(WAIT)
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)  # both results reached this thread
    assert confirm_boxes("pinCardConfirm") == confirm_boxes("trustDirectoryConfirm") == []
    assert errors == []
