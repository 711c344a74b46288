"""Work off the GUI thread, owned by a widget (after Anki's ``aqt/operations``).

::

    ops.database(self, lambda: evidence.update(uuid, draft)).success(self._saved).changes(
        ChangeKind.EVIDENCE, uuids=lambda detail: [detail.uuid]
    ).run()

* ``database(owner, work)`` runs on the one database thread, in the order given, so a save, an
  autosave stash and a list page never race; ``render(owner, work)`` runs on a pool of its own
  for work that needs no database (laying out a PDF, scanning text), so a long report never holds
  up autosave or list paging.
* The callbacks belong to ``owner``: when it has been destroyed by the time the result arrives
  (a dialog closed mid-task), they are dropped. A known problem nobody is left to hear
  (a :class:`PortfolioError`) goes to ``known_error`` instead, so the window still says it.
* An operation that succeeded announces what it changed through ``changed`` (a :class:`Changes`),
  whether or not its owner is still there: the data did change. Screens listen to that signal
  (through :class:`~portfolio.ui.widgets.Connections`) and redraw.
* A disk that is full or read-only, or a permission refused, is a problem of the world, not a
  bug: an ``OSError`` of that kind that reaches here is handled as a known problem with a
  message saying what happened and what to do (``portfolio.app.known_problem``).
* Anything else raised is a bug: it goes to ``sys.excepthook`` (the bug dialog).
* ``busy`` (the window's busy indicator) counts the work the trainee asked for; work started
  ``.in_background()`` (the day's backup) runs in its lane's order without showing it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from portfolio.app import known_problem
from portfolio.errors import PortfolioError
from portfolio.vocabulary import ChangeKind

T = TypeVar("T")

RENDER_THREADS = 2


class Lane(Enum):
    DATABASE = "database"
    """One thread: every service call, in order."""
    RENDER = "render"
    """A small pool: work that never touches the database."""


@dataclass(frozen=True)
class Changes:
    """What one operation changed: a kind, the uuids (empty: any of that kind), who did it."""

    kind: ChangeKind
    uuids: tuple[str, ...] = ()
    origin: object | None = None
    """The owner of the operation, so it can tell its own changes from others'."""

    def touches(self, kind: ChangeKind, uuid: str | None = None) -> bool:
        """Of ``kind``, and (when a uuid is given) about it or about every item."""
        return self.kind is kind and (uuid is None or not self.uuids or uuid in self.uuids)


class _Relay(QObject):
    """Lives on the GUI thread; the worker's emits arrive there queued."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, ended: Callable[[], None]) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._ended = ended

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # handed to the GUI thread, never swallowed
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)
        finally:
            self._ended()


class Operations(QObject):
    """The two lanes and the broadcast of what changed; one for the whole app."""

    changed = Signal(object)
    """A :class:`Changes`, after each operation that declared one succeeded."""
    busy_changed = Signal(bool)
    known_error = Signal(str)
    """A PortfolioError with no handler left to show it: the window shows it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        self._pools[Lane.DATABASE].setMaxThreadCount(1)
        self._pools[Lane.DATABASE].setExpiryTimeout(-1)  # see ``wait``
        self._pools[Lane.RENDER].setMaxThreadCount(RENDER_THREADS)
        self._pending = 0
        self._relays: set[_Relay] = set()
        self._unfinished = 0
        """Jobs queued or running, in both lanes (``wait`` waits for none)."""
        self._all_finished = threading.Condition()

    def database(self, owner: QObject, work: Callable[[], T]) -> Operation[T]:
        """Work that reads or writes the portfolio: queued on the one database thread."""
        return Operation(self, owner, work, Lane.DATABASE)

    def render(self, owner: QObject, work: Callable[[], T]) -> Operation[T]:
        """Work that needs no database: run beside it, never behind it."""
        return Operation(self, owner, work, Lane.RENDER)

    def announce(
        self, kind: ChangeKind, uuids: Iterable[str] = (), origin: object | None = None
    ) -> None:
        self.changed.emit(Changes(kind, tuple(uuids), origin))

    @property
    def busy(self) -> bool:
        """Work the trainee asked for is queued or its result is on its way."""
        return self._pending > 0

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (for shutdown and tests); results still arrive later.

        The database thread is kept, idle, as it is between the keys of a search typed:
        ``QThreadPool.waitForDone`` ends a pool's threads, and a thread started anew began a
        search's query only once the GUI thread had painted the key typed, 0.5 ms later (its
        wake from idle: 0.02 ms). For the same reason the database thread never expires."""
        with self._all_finished:
            return self._all_finished.wait_for(
                lambda: self._unfinished == 0, None if msecs < 0 else msecs / 1000
            )

    def _job_ended(self) -> None:
        with self._all_finished:
            self._unfinished -= 1
            if self._unfinished == 0:
                self._all_finished.notify_all()

    def _start(self, operation: Operation[Any]) -> None:
        relay = _Relay()
        self._relays.add(relay)

        shown = not operation.background

        def finished() -> None:
            self._relays.discard(relay)
            if shown:
                self._pending -= 1
                if self._pending == 0:
                    self.busy_changed.emit(False)

        def succeeded(result: Any) -> None:
            finished()
            operation._succeeded(result)

        def failed(error: BaseException) -> None:
            finished()
            operation._failed(error)

        relay.done.connect(succeeded)
        relay.failed.connect(failed)
        if shown:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)
        with self._all_finished:
            self._unfinished += 1
        self._pools[operation.lane].start(_Job(operation.work, relay, self._job_ended))


class Operation(Generic[T]):
    """One piece of work, its callbacks and what it changes; ``run()`` starts it."""

    def __init__(self, ops: Operations, owner: QObject, work: Callable[[], T], lane: Lane) -> None:
        self._ops = ops
        self.owner = owner
        self.work = work
        self.lane = lane
        self.background = False
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[PortfolioError], object] | None = None
        self._changes: list[tuple[ChangeKind, Callable[[T], Iterable[str]]]] = []

    def success(self, callback: Callable[[T], object]) -> Operation[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[PortfolioError], object]) -> Operation[T]:
        """For known problems only; without one, the window shows the message."""
        self._on_failure = callback
        return self

    def changes(
        self, *kinds: ChangeKind, uuids: Iterable[str] | Callable[[T], Iterable[str]] = ()
    ) -> Operation[T]:
        """Announce ``kinds`` after success; ``uuids`` may be worked out from the result."""
        of_result = uuids if callable(uuids) else (lambda _result, fixed=tuple(uuids): fixed)
        self._changes.extend((kind, of_result) for kind in kinds)
        return self

    def in_background(self) -> Operation[T]:
        """Work the trainee did not ask for: the busy indicator does not show for it."""
        self.background = True
        return self

    def run(self) -> None:
        self._ops._start(self)

    @property
    def owner_alive(self) -> bool:
        return isValid(self.owner)

    def _succeeded(self, result: T) -> None:
        alive = self.owner_alive
        for kind, uuids in self._changes:
            self._ops.announce(kind, uuids(result), self.owner if alive else None)
        if alive and self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        known = known_problem(error)
        if known is None:
            sys.excepthook(type(error), error, error.__traceback__)
        elif self._on_failure is not None and self.owner_alive:
            self._on_failure(known)
        else:
            self._ops.known_error.emit(str(known))
