"""Operations owned by a widget: callbacks, what they announce, and the two lanes."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from portfolio.errors import InvalidInput
from portfolio.ui.operations import Changes, Operations
from portfolio.vocabulary import ChangeKind

WAIT = 10_000


@pytest.fixture
def owner(qapp: Any) -> Iterator[QWidget]:
    widget = QWidget()
    yield widget
    if isValid(widget):
        widget.deleteLater()


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds a lane's thread until set (always set at the end, so no thread is left waiting)."""
    event = threading.Event()
    yield event
    event.set()


def heard(ops: Operations) -> list[Changes]:
    found: list[Changes] = []
    ops.changed.connect(found.append)
    return found


def destroy(qtbot: Any, widget: QWidget) -> None:
    with qtbot.waitSignal(widget.destroyed, timeout=WAIT):
        widget.deleteLater()


def test_success_reaches_the_owner_and_the_change_is_announced(
    qtbot: Any, ops: Operations, owner: QWidget
) -> None:
    results: list[str] = []
    changes = heard(ops)
    ops.database(owner, lambda: "abc").success(results.append).changes(
        ChangeKind.EVIDENCE, uuids=lambda uuid: [uuid]
    ).run()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert results == ["abc"]
    assert changes == [Changes(ChangeKind.EVIDENCE, ("abc",), owner)]
    assert changes[0].touches(ChangeKind.EVIDENCE, "abc")
    assert not changes[0].touches(ChangeKind.EVIDENCE, "other")
    assert not changes[0].touches(ChangeKind.PRIVACY, "abc")


def test_work_in_the_background_shows_no_busy_and_what_is_asked_meanwhile_queues_behind_it(
    qtbot: Any, ops: Operations, owner: QWidget, gate: threading.Event
) -> None:
    order: list[str] = []
    shown: list[bool] = []
    ops.busy_changed.connect(shown.append)
    ops.database(owner, lambda: gate.wait(WAIT)).success(
        lambda _: order.append("background")
    ).in_background().run()
    assert not ops.busy and shown == []
    ops.database(owner, lambda: "saved").success(order.append).run()
    assert ops.busy and shown == [True]
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert order == ["background", "saved"] and shown == [True, False]


def test_a_destroyed_owner_hears_nothing_but_the_change_is_still_announced(
    qtbot: Any, ops: Operations, owner: QWidget, gate: threading.Event
) -> None:
    called: list[object] = []
    changes = heard(ops)
    ops.database(owner, lambda: gate.wait(WAIT)).success(called.append).changes(
        ChangeKind.PROFILE
    ).run()
    destroy(qtbot, owner)
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert called == []
    assert changes == [Changes(ChangeKind.PROFILE, (), None)]


def test_a_known_problem_goes_to_the_owner_or_else_to_the_window(
    qtbot: Any, ops: Operations, owner: QWidget, gate: threading.Event
) -> None:
    def refuse() -> None:
        gate.wait(WAIT)
        raise InvalidInput("That GMC number has 6 digits; it needs 7.")

    failures: list[str] = []
    shown: list[str] = []
    ops.known_error.connect(shown.append)
    ops.database(owner, refuse).failure(lambda error: failures.append(str(error))).run()
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert failures == ["That GMC number has 6 digits; it needs 7."] and shown == []

    gate.clear()
    ops.database(owner, refuse).failure(lambda error: failures.append(str(error))).run()
    destroy(qtbot, owner)
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert len(failures) == 1  # the owner is gone: the window says it instead
    assert shown == ["That GMC number has 6 digits; it needs 7."]


def test_a_bug_goes_to_the_excepthook(
    qtbot: Any, ops: Operations, owner: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: hooked.append(error))
    failures: list[object] = []
    ops.database(owner, lambda: 1 / 0).failure(failures.append).run()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert failures == [] and isinstance(hooked[0], ZeroDivisionError)


def test_database_work_runs_in_the_order_given(qtbot: Any, ops: Operations, owner: QWidget) -> None:
    done: list[int] = []
    for number in range(20):
        ops.database(owner, lambda n=number: n).success(done.append).run()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert done == list(range(20))


def test_waiting_for_the_work_keeps_the_database_thread(
    ops: Operations, owner: QWidget, gate: threading.Event
) -> None:
    """A thread started anew began a search only once the GUI thread had painted the key
    typed; waiting (tests, shutdown) must not end the one that is there."""
    threads: list[int] = []
    ops.database(owner, lambda: threads.append(threading.get_native_id())).run()
    assert ops.wait(WAIT)
    ops.database(owner, lambda: gate.wait(WAIT)).run()
    ops.database(owner, lambda: threads.append(threading.get_native_id())).run()
    assert not ops.wait(50)  # still held: the wait says so when its time is up
    gate.set()
    assert ops.wait(WAIT)
    assert threads[0] == threads[1]


def test_a_long_render_never_holds_up_the_database_and_the_other_way_round(
    qtbot: Any, ops: Operations, owner: QWidget, gate: threading.Event
) -> None:
    finished: list[str] = []
    ops.render(owner, lambda: gate.wait(WAIT)).success(lambda _: finished.append("report")).run()
    ops.database(owner, lambda: "stash").success(finished.append).run()
    qtbot.waitUntil(lambda: finished == ["stash"], timeout=WAIT)  # the report is still running
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert finished == ["stash", "report"]

    held = threading.Event()
    ops.database(owner, lambda: held.wait(WAIT)).run()
    ops.render(owner, lambda: "page laid out").success(finished.append).run()
    try:
        qtbot.waitUntil(lambda: finished[-1] == "page laid out", timeout=WAIT)
    finally:
        held.set()
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)


def fill_the_disk() -> None:
    """A real "no space left on device" from the kernel, as a full disk gives."""
    with open("/dev/full", "wb") as full:
        full.write(b"the words")


def test_a_full_disk_is_a_known_problem_not_a_bug(
    qtbot: Any, ops: Operations, owner: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: hooked.append(error))
    failures: list[str] = []
    shown: list[str] = []
    ops.known_error.connect(shown.append)
    ops.database(owner, fill_the_disk).failure(lambda error: failures.append(str(error))).run()
    ops.render(owner, fill_the_disk).run()  # no handler of its own: the window says it
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
    assert hooked == []
    assert len(failures) == 1 and "disk is full" in failures[0] and "free some space" in failures[0]
    assert len(shown) == 1 and "disk is full" in shown[0]


def test_the_bug_dialog_shows_a_full_disk_plainly(qtbot: Any) -> None:
    from portfolio.ui.main import BugReporter

    reporter = BugReporter()
    try:
        fill_the_disk()
    except OSError as error:
        reporter.hook(OSError, error, error.__traceback__)
    qtbot.waitUntil(
        lambda: any(w.objectName() == "bugDialog" for w in QApplication.topLevelWidgets())
    )
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "bugDialog")
    assert "disk is full" in box.text() and box.detailedText() == ""
    box.close()
