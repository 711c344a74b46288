"""The command line (a contract: scripts depend on these names; see docs/cli.md).

With no command, opens the window. Errors a user can fix, and errors of the world (a full
disk, a read-only folder, a damaged database: ``storage.failures.known_error``), print one line
to stderr and exit 2; nothing is changed. Only a bug shows a traceback.

The commands are declared in ``parser``, and handled in one module per area: ``evidence``,
``reviews`` (and trust), ``archive`` (and maintenance), ``reports``, ``opportunities`` (and the
cohort); ``common`` holds what they share.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

from portfolio.cli.common import LocationHandler, collector_paused, error_line
from portfolio.cli.parser import build_parser
from portfolio.paths import Location, resolve_location

__all__ = ["build_parser", "main"]

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # echo undecodable file names as given
            stream.reconfigure(errors="surrogateescape")
    args = build_parser().parse_args(argv)
    location = resolve_location(args.data_dir, args.database)
    if args.command is None:
        return _open_window(location)
    handler: LocationHandler = args.handler
    try:
        return handler(location, args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("gpc-portfolio: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        from portfolio.storage.failures import database_name, known_error

        known = known_error(error, database_name(location.sqlite_path, location.database_url))
        if known is None:
            raise  # a bug: the traceback is wanted
        print(error_line(known), file=sys.stderr)
        return EXIT_USER_ERROR


def _open_window(location: Location) -> int:
    """The window, its modules and SQLAlchemy's ORM (the sessions every service opens) imported
    with the collector paused (``collector_paused``). The ORM's classes are imported and mapped
    after the window's first paint (``Portfolio.settle``): the dashboard reads through Core."""
    with collector_paused():
        import sqlalchemy.orm  # noqa: F401

        from portfolio.ui.main import run_app
    return run_app(location)
