"""The two kinds of error: a known problem the user can act on, and everything else (a bug).

Each kind's message says what happened, in the user's terms, naming no command: the window and
the command line show the same message, and each adds its own way to act on the ``remedy``
(the command line's hints: ``portfolio.cli.common.REMEDY_HINTS``). Errors of the world
(OSError, SQLite's errors) become these kinds in one place,
``portfolio.storage.failures.known_error``.
"""

from enum import StrEnum


class Remedy(StrEnum):
    """What the user can do next, for a front end to put in its own words."""

    CREATE_PROFILE = "create_profile"
    CREATE_IDENTITY = "create_identity"
    CREATE_OR_RESTORE = "create_or_restore"
    """No portfolio there: create one, or restore a backup into it."""
    FIND_BACKUP = "find_backup"
    """The portfolio is damaged: find the newest sound backup and restore it."""
    OPEN_ELSEWHERE = "open_elsewhere"
    """The portfolio cannot be used where it is: open a copy in another folder."""
    CHOOSE_IDENTITY = "choose_identity"
    """Several signing identities could be meant: name one by its fingerprint."""
    NAME_CARDS = "name_cards"
    """A directory needs at least one supervisor's identity card."""
    VALIDITY = "validity"
    """A period of validity that ends before it starts, or lasts no day."""
    TRUST_PUBLISHER = "trust_publisher"
    """A publisher's file is trusted only explicitly, by its fingerprint."""
    CHOOSE_ITEMS = "choose_items"
    """Name the items, or take every item ready for review."""
    GIVE_PASSPHRASE = "give_passphrase"
    """A passphrase is needed and none was given."""
    CREATE_DEANERY_STORE = "create_deanery_store"
    """The database holds no deanery store yet: create it there."""
    RELOAD = "reload"
    """Someone else changed it meanwhile (a shared database): reload it, then make the change."""


class PortfolioError(Exception):
    """A problem with the user's input or files, shown to the user as one clear sentence."""

    def __init__(self, message: str = "", *, remedy: Remedy | None = None) -> None:
        super().__init__(message)
        self.remedy = remedy


class NotFound(PortfolioError):
    """A uuid, code or file that does not exist."""


class InvalidInput(PortfolioError):
    """Input that fails validation; nothing was changed.

    ``field`` names the input it concerns, when there is one, so a form can focus it without
    reading the message: ``title``, ``text``, ``tags``, ``occurred_until``, ``links.<code>``,
    ``fields.<key>``, and ``fields.<key>.<entry>.<key>`` inside a repeat (entries from 0).
    """

    def __init__(
        self, message: str = "", *, field: str | None = None, remedy: Remedy | None = None
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.field = field


class WrongPassphrase(InvalidInput):
    """A passphrase that does not unlock what it was given for; nothing was changed."""


class BadPath(InvalidInput):
    """A path that cannot be used as asked: a folder, under a file, or not a regular file."""


class ChangedElsewhere(PortfolioError):
    """Another writer of a shared database changed it first; nothing of this change was written."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message, remedy=Remedy.RELOAD)


class OperationCancelled(PortfolioError):
    """The user cancelled a long operation; nothing was changed."""


class StorageError(PortfolioError):
    """The database cannot be used: locked by another process, newer than the app, corrupt."""


class DiskFull(StorageError):
    """The disk (or the user's quota) is full; the write was undone, nothing was lost."""


class NotWritable(StorageError):
    """A file or folder that may not be written: read-only, or without permission."""


class DatabaseBusy(StorageError):
    """Another window or command holds the database; try again when it is done."""


class DatabaseDamaged(StorageError):
    """The database file is damaged; ``check`` names a backup and ``restore`` brings it back."""
