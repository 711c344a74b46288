"""Schema upgrades: Alembic migrations shipped in the package, run in-process.

Before upgrading an existing SQLite portfolio an online backup is taken; a database whose schema
is newer than this app is refused before anything touches it.

Reading a SQLite file's revision and this app's imports neither SQLAlchemy nor Alembic: a read
command at the head revision needs nothing more (``portfolio.storage.read_only``).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio import __version__
from portfolio.errors import NotFound, Remedy, StorageError
from portfolio.storage import encryption
from portfolio.storage.failures import NOT_PERMITTED, damaged, known_error

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

SCRIPT_LOCATION = "portfolio.storage:migrations"
HAND_MADE_INDEXES = frozenset(
    {
        "ix_evidence_live_title",
        "ix_evidence_live_date_partial",
        "ix_evidence_live_kind_partial",
        "ix_evidence_live_status_partial",
        "ix_evidence_live_updated_partial",
    }
)
"""Indexes migrations 0015 and 0017 make differently on each engine (the list's orders, the
dashboard's recently changed): no model has them, so the comparison with the models leaves them
out."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: the full-text index is a virtual table that migrations manage by hand,
    as they do the indexes made per engine (``HAND_MADE_INDEXES``)."""
    from portfolio.storage.search_index import FTS_TABLE

    if type_ == "index":
        return name not in HAND_MADE_INDEXES
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def known_revisions() -> list[str]:
    """Revision ids, oldest first, read from the file names without importing Alembic.

    Each migration file is named after its revision id (``0002_signoffs.py``) and history is
    linear; a test holds both rules against Alembic's own view.
    """
    package, sep, folder = SCRIPT_LOCATION.partition(":")
    scripts: Traversable = files(package) / folder if sep else Path(SCRIPT_LOCATION)
    names = [entry.name for entry in (scripts / "versions").iterdir()]
    return sorted(n.split("_", 1)[0] for n in names if n.endswith(".py") and n[0].isdigit())


def head_revision() -> str:
    return known_revisions()[-1]


def sqlite_revision(path: Path, keys: Sequence[bytes] = ()) -> str | None:
    """The schema revision stored in a SQLite file, read without writing to it.

    An encrypted file needs its key, one of ``keys``.
    """
    if not path.exists():
        return None
    key = encryption.key_for_file(path, keys)
    try:
        con = encryption.connect(path, key, readonly=True)
        try:
            has_table = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_table:
                tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise StorageError(
                        f"{path} is not a GPC Portfolio database; it was not changed."
                    )
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except encryption.db_errors() as error:
        known = known_error(error, path)
        raise (known or damaged(path)) from error
    return row[0] if row else None


def refuse_newer(revision: str | None, where: str) -> None:
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"The portfolio at {where} was saved by a newer version of GPC Portfolio "
            f"(schema {revision}); version {__version__} cannot open it. Install the newer "
            "version. The portfolio was not changed."
        )


def checked_revision(path: Path, keys: Sequence[bytes], *, write: bool) -> str | None:
    """The revision of the SQLite portfolio at ``path``, read without writing to it: a newer
    schema is refused, and so is a missing portfolio unless it is opened to be written."""
    revision = sqlite_revision(path, keys)
    refuse_newer(revision, str(path))
    if not write and revision is None:
        raise NotFound(f"There is no portfolio at {path} yet.", remedy=Remedy.CREATE_PROFILE)
    return revision


def upgrade(
    engine: Engine, sqlite_path: Path | None, backups_dir: Path, keys: Sequence[bytes] = ()
) -> Path | None:
    """Bring the schema to head; returns the backup taken first, if one was needed.

    ``keys``: the key of an encrypted ``sqlite_path``.
    """
    from sqlalchemy.exc import DBAPIError

    from portfolio.storage.engine import set_sqlite_foreign_keys

    head = head_revision()
    if sqlite_path is not None:
        current = sqlite_revision(sqlite_path, keys)
    else:
        current = server_revision(engine)
    refuse_newer(current, str(sqlite_path or server_name(engine)))
    if current == head:
        return None
    backup = None
    if current is not None and sqlite_path is not None:
        from portfolio.storage.backup import backup_into  # only when there is an upgrade to do

        backup = backup_into(sqlite_path, backups_dir, f"before-upgrade-to-{head}", keys)
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        # SQLite ignores this pragma inside a transaction, so set it on the raw connection first:
        # batch migrations rebuild tables, which must not cascade into their children.
        set_sqlite_foreign_keys(connection, enabled=False)
        try:
            with connection.begin():  # the whole upgrade, or (DDL being transactional) none
                _serialize_upgrades(connection)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DBAPIError as error:
            known = known_error(error, sqlite_path)
            refused = getattr(error.orig, "sqlstate", None) == NOT_PERMITTED  # a trainee's role
            if known is not None and (type(known) is not StorageError or refused):
                raise known from error  # a full disk, a busy or damaged file: said as such
            raise StorageError(
                f"Upgrading the portfolio to schema {head} failed ({error.orig}); it was left "
                f"at schema {current or 'none'}, unchanged."
            ) from error
        finally:
            set_sqlite_foreign_keys(connection, enabled=True)
    return backup


def _serialize_upgrades(connection: Connection) -> None:
    """Two opens of a server database upgrading it at once: the second waits for the first
    (and then finds nothing left to do). SQLite's writers are kept apart by its lock file."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('gpc_portfolio.schema_upgrade'))")
        )


def server_name(engine: Engine) -> str:
    """A server database as messages name it: its URL without the password."""
    return engine.url.render_as_string(hide_password=True)


def server_revision(engine: Engine) -> str | None:
    """The schema revision of a server database (None when it holds no portfolio yet)."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            if "alembic_version" not in tables:
                if tables:  # someone else's database: never migrated into
                    raise StorageError(
                        f"{server_name(engine)} is not a GPC Portfolio database "
                        f"(it holds other tables, such as {sorted(tables)[0]}); it was not changed."
                    )
                return None
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            return revision.scalar()
    except DBAPIError as error:
        raise known_error(error, server_name(engine)) or StorageError(
            f"Could not read the portfolio at {server_name(engine)}: {error.orig}."
        ) from error


def check_readable(engine: Engine) -> None:
    """What a reader of a server database checks first, changing nothing: a portfolio is there,
    and its schema is this app's (a reader never upgrades a database others may be using)."""
    where = server_name(engine)
    revision = server_revision(engine)
    refuse_newer(revision, where)
    if revision is None:
        raise NotFound(f"There is no portfolio at {where} yet.", remedy=Remedy.CREATE_PROFILE)
    if revision != head_revision():
        raise StorageError(
            f"The portfolio at {where} was saved by an older version of GPC Portfolio "
            f"(schema {revision}); open it once for writing to upgrade it to schema "
            f"{head_revision()}. The portfolio was not changed."
        )
