"""One writer per SQLite portfolio: a lock file that the operating system releases if the process
dies. A PostgreSQL database takes many writers and needs none (portfolio/storage/concurrency.py).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from portfolio.errors import StorageError


class PortfolioLock:
    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path), timeout=0)
        self.path = path

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise StorageError(
                f"This portfolio is already open in another GPC Portfolio window or command "
                f"(lock file {self.path}). Close it and try again."
            ) from None

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> PortfolioLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
