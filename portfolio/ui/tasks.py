"""Database work off the GUI thread (after Anki's taskman): one worker thread runs tasks in
order, and each result comes back to the GUI thread by signal.

Screens redraw when ``Events.changed`` announces what changed, not by polling.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from portfolio.errors import PortfolioError


class Events(QObject):
    """What changed: ``changed("evidence", [uuid, ...])``, ``changed("profile", [])``, …"""

    changed = Signal(str, list)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # handed to the GUI thread, never swallowed
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on one background thread, in the order given."""

    busy_changed = Signal(bool)
    known_error = Signal(str)
    """A PortfolioError with no handler of its own: the window shows it to the user."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._relays: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[PortfolioError], None] | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finished() -> None:
            self._relays.discard(relay)
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)

        def succeeded(result: Any) -> None:
            finished()
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            finished()
            if isinstance(error, PortfolioError):
                if on_error is not None:
                    on_error(error)
                else:
                    self.known_error.emit(str(error))
            else:
                sys.excepthook(type(error), error, error.__traceback__)

        relay.done.connect(succeeded)
        relay.failed.connect(failed)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Task(work, relay))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (for shutdown and tests); results still arrive later."""
        return self._pool.waitForDone(msecs)
