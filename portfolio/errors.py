"""The two kinds of error: a known problem the user can act on, and everything else (a bug)."""


class PortfolioError(Exception):
    """A problem with the user's input or files, shown to the user as one clear sentence."""


class NotFound(PortfolioError):
    """A uuid, code or file that does not exist."""


class InvalidInput(PortfolioError):
    """Input that fails validation; nothing was changed."""


class WrongPassphrase(InvalidInput):
    """A passphrase that does not unlock what it was given for; nothing was changed."""


class OperationCancelled(PortfolioError):
    """The user cancelled a long operation; nothing was changed."""


class StorageError(PortfolioError):
    """The database cannot be used: locked by another process, newer than the app, corrupt."""
