"""Opening the database: SQLite by default, any SQLAlchemy URL (PostgreSQL for a shared office).

Every user action runs in one unit of work: `with db.unit_of_work() as session:` commits on
success and rolls back everything on any error. Work that only reads uses `db.reading()`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from casetracker.domain.errors import CasetrackerError, StaleEditError, StorageError
from casetracker.paths import default_database_path
from casetracker.storage.chain import extend_chain
from casetracker.storage.database_files import register_open, unregister_open
from casetracker.storage.health import damaged_message, is_damage
from casetracker.storage.schema_version import schema_is_current
from casetracker.storage.sqlite_files import (
    is_read_only,
    prepare_sqlite_file,
    read_only_connector,
)

ENV_VAR = "CASETRACKER_DB"
TIMEOUT_VAR = "CASETRACKER_STATEMENT_TIMEOUT"
DEFAULT_STATEMENT_TIMEOUT_S = 30.0

# PostgreSQL connections per process. The window's threads that hold a connection at the same
# time: the GUI thread, the table's and the detail's latest-query threads and the intake
# form's lookup, which work all day (kept open: POOL_SIZE), plus background jobs (import,
# bulk move, export, report; Qt's global pool runs up to one per core) and an import's second
# connection, which come and go (opened when needed, closed when returned: POOL_OVERFLOW). A
# desk therefore holds 4 connections at rest, 5 with its LISTEN connection (storage.watch), so
# a server with the default max_connections = 100 serves about 18 desks; past 12 at once a
# thread waits (up to 30 s) for one to be returned rather than failing.
POOL_SIZE = 4
POOL_OVERFLOW = 8


def resolve_url(url: str | None = None) -> URL:
    """--db, else $CASETRACKER_DB, else the SQLite file in the user's data folder.
    A bare path is taken as a SQLite file."""
    text = url or os.environ.get(ENV_VAR) or ""
    if not text:
        return make_url(f"sqlite:///{default_database_path()}")
    if "://" not in text:
        return make_url(f"sqlite:///{Path(text).expanduser().resolve()}")
    try:
        parsed = make_url(text)
    except (exc.ArgumentError, ValueError):
        raise StorageError(
            f"'{text}' is not a database URL; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/NAME."
        ) from None
    if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(
            f"casetracker keeps its data in SQLite or PostgreSQL, not "
            f"{parsed.get_backend_name()}; use sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME."
        )
    return parsed


def plain_name(url: URL) -> str:
    """The database in words for the status bar: the file and its folder, or the server's."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return "Database: in memory (nothing is kept)"
        path = Path(url.database)
        return f"Database: {path.name} in {path.parent}"
    return f"Office database {url.database or ''} on {url.host or 'this computer'}".replace(
        "  ", " "
    )


def describe(url: URL) -> str:
    """The URL as it may be shown or logged: never with its password."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "").expanduser().absolute()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    _registered: Path | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(
        self, *, write_first: bool = True, bulk_load: bool = False, wait_briefly: bool = False
    ) -> Iterator[Session]:
        """One transaction for one user action; domain errors pass through unchanged.

        On SQLite it takes the write lock at the start, waiting for it if someone else holds
        it. A transaction that reads first and writes later is refused outright ("busy", no
        waiting) when another connection wrote in between, and the app's own background work
        (the search index) writes at any moment; waiting at the start is what a user wants.

        Before it commits, the history and audit rows it wrote are added to the audit chain
        (storage.chain) in the same transaction.

        How long it waits on SQLite: up to WRITE_WAIT_S (a save waits out a colleague's import
        rather than fail; the window shows that it waits, ui/short_write.py); with
        `wait_briefly` (background upkeep of what a view shows) only BRIEF_WAIT_S, so the view
        is not held up and the work is left for later.

        bulk_load (an import): SQLite does not check foreign keys row by row, which cost a
        fifth of a 100,000-row import; the import checks the references of the rows it wrote
        itself, in one statement per reference (importing.commit).
        """
        factory = self.sessions
        if self.read_only:
            pass  # reads only: a write is refused by SQLite, with a plain message
        elif bulk_load and self.is_sqlite:
            factory = self._bulk_loaders
        elif write_first and self.is_sqlite:
            factory = self._brief_writers if wait_briefly else self._writers
        chain = (write_first or bulk_load) and not self.read_only
        try:
            with factory.begin() as session:
                if bulk_load and not self.is_sqlite:
                    no_statement_time_limit(session)  # an import shows progress instead
                yield session
                if chain:
                    extend_chain(session)
        except StaleDataError:
            raise StaleEditError(
                "Someone else changed this record after you opened it; nothing was saved. "
                "Reload it and make your change again."
            ) from None
        except (exc.OperationalError, exc.DataError) as error:
            raise StorageError(storage_problem(error, self.sqlite_path)) from error
        except exc.DatabaseError as error:
            if is_damage(error):
                raise StorageError(damaged_message(self.sqlite_path)) from error
            raise
        except OverflowError:
            # A number past what the database stores (a 23-digit id), or a date past 9999.
            raise StorageError(
                "A number or date is too large for the database; nothing was saved."
            ) from None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads: it never waits for another one's write lock (an
        import may hold it for seconds) and sees the data as of its first query."""
        with self.unit_of_work(write_first=False) as session:
            session.info[READING] = True
            yield session

    @cached_property
    def _writers(self) -> sessionmaker[Session]:
        return sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @cached_property
    def _brief_writers(self) -> sessionmaker[Session]:
        return sessionmaker(
            self.engine.execution_options(sqlite_immediate=True, sqlite_wait_s=BRIEF_WAIT_S),
            expire_on_commit=False,
        )

    @cached_property
    def _bulk_loaders(self) -> sessionmaker[Session]:
        return sessionmaker(
            self.engine.execution_options(sqlite_bulk_load=True), expire_on_commit=False
        )

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_path(self.engine.url)

    @cached_property
    def read_only(self) -> bool:
        """A SQLite file this user may not change: lists and reports still work."""
        path = self.sqlite_path
        return path is not None and is_read_only(path)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._registered is not None:
            unregister_open(self._registered)
            self._registered = None

    def _register(self) -> None:
        """Make the file known as open, so nothing in this process opens it by hand."""
        path = self.sqlite_path
        if path is not None and self._registered is None:
            register_open(path)
            self._registered = path


def _busy(text: str) -> bool:
    return "locked" in text or "busy" in text


def is_busy(error: BaseException) -> bool:
    """Whether a unit of work failed because another connection held the write lock for
    longer than the busy timeout (a long bulk move or import elsewhere)."""
    cause = error if isinstance(error, exc.OperationalError) else error.__cause__
    if not isinstance(cause, exc.OperationalError):
        return False
    return _busy(str(cause.orig if cause.orig is not None else cause).lower())


def storage_problem(error: exc.DBAPIError, database: Path | None = None) -> str:
    text = str(error.orig).lower() if error.orig is not None else str(error).lower()
    if "disk" in text and "full" in text or "no space" in text:
        return "The disk is full, so nothing was saved. Free some space and try again."
    if "statement timeout" in text:
        return (
            f"The database took longer than {statement_timeout_s():g} s to answer, so this was "
            "stopped and nothing was changed; try again, or narrow the search or filter."
        )
    if _busy(text):
        return "The database is busy with another user's change; nothing was saved. Try again."
    if is_damage(error):
        return damaged_message(database)
    if "readonly" in text or "read-only" in text or "permission" in text:
        return "The database cannot be written (read-only file or no permission)."
    if isinstance(error, exc.DataError):
        return (
            "A value is too long or out of range for the database; nothing was saved "
            f"({_first_line(error)})."
        )
    if "does not exist" in text and "database" in text:
        return "The server has no such database; check its name in --db (or create it)."
    if "does not exist" in text and "role" in text:
        return "The server has no such user; check the user name in --db."
    if "authentication failed" in text or "password" in text:
        return "The server refused the user name or password given in --db."
    if "could not connect" in text or "connection" in text:
        return "Cannot reach the database server; check the address and that it is running."
    return f"The database reported a problem: {_first_line(error)}"


def _first_line(error: exc.DBAPIError) -> str:
    lines = str(error.orig or error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def create_db_engine(url: URL, **kwargs: Any) -> Engine:
    """hide_parameters: an error's text (which reaches the log) never carries the values of
    the statement, which are names, dates of birth and NYSIDs."""
    if url.get_backend_name() == "sqlite":
        path = prepare_sqlite_file(sqlite_path(url))
        if path is not None and is_read_only(path):
            # Reports and lists still work from a database this user may not change.
            kwargs["creator"] = read_only_connector(path)
        engine = create_engine(url, connect_args={"timeout": 15}, hide_parameters=True, **kwargs)
        _use_sqlite_transactions_properly(engine, read_only="creator" in kwargs)
        return engine
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    _limit_statement_time(engine, statement_timeout_s())
    return engine


def statement_timeout_s() -> float:
    """How long one PostgreSQL statement may run: $CASETRACKER_STATEMENT_TIMEOUT seconds
    (0: no limit), else 30 s. Imports and migrations are not limited (they show progress)."""
    given = os.environ.get(TIMEOUT_VAR, "").strip()
    if not given:
        return DEFAULT_STATEMENT_TIMEOUT_S
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise StorageError(
            f"${TIMEOUT_VAR} is '{given}'; give the seconds a database statement may take "
            "(0 for no limit)."
        )
    return seconds


def _limit_statement_time(engine: Engine, seconds: float) -> None:
    """Every connection stops a statement after `seconds`: a query that would hold a desk's
    thread (and the rows it locks) for minutes ends with one line instead.

    It also turns PostgreSQL's JIT compiler off: the desk's larger reads (the prosecutor's
    queue, a stage's export) cost past its threshold and each paid 150 ms or more of
    compiling (EXPLAIN ANALYZE at 100,000 motions) to save less than that in running."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false), "
                "set_config('jit', 'off', false)",
                (f"{round(seconds * 1000)}",),
            )
        dbapi_connection.autocommit = autocommit


def no_statement_time_limit(session: Session) -> None:
    """Lift the statement time limit for the rest of this transaction (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL statement_timeout = 0"))


def _use_sqlite_transactions_properly(engine: Engine, *, read_only: bool = False) -> None:
    """SQLAlchemy's recipe: stop pysqlite from managing transactions itself and emit BEGIN
    ourselves, so SAVEPOINT and transactional DDL (migrations) work as documented."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        record.info[READ_ONLY] = read_only
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(_BUSY_TIMEOUT[WRITE_WAIT_S])
        if engine.url.database not in (None, "", ":memory:") and not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        # It cannot change inside a transaction. A pooled connection that ran a bulk load
        # turns the checks back on before its next transaction, so ordinary work is checked.
        bulk = options.get("sqlite_bulk_load", False)
        unchecked = connection.info.get("foreign_keys_off", False)
        if bulk != unchecked:
            connection.exec_driver_sql(
                "PRAGMA foreign_keys=OFF" if bulk else "PRAGMA foreign_keys=ON"
            )
            connection.info["foreign_keys_off"] = bulk
        # A transaction that will write before it reads asks for IMMEDIATE: it then waits for
        # the write lock (busy_timeout) instead of failing when its snapshot goes stale.
        wait_s = options.get("sqlite_wait_s", WRITE_WAIT_S)
        if connection.info.get("busy_wait_s", WRITE_WAIT_S) != wait_s:
            connection.exec_driver_sql(_BUSY_TIMEOUT[wait_s])
            connection.info["busy_wait_s"] = wait_s
        immediate = options.get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate or bulk else "BEGIN")


# How long a write waits for SQLite's write lock held by another connection. A 100,000-row
# import holds it for its whole run (11 s alone, 44 s on a loaded 2-core machine); a save
# that waits it out is better than one refused with "busy, try again".
WRITE_WAIT_S = 90.0
BRIEF_WAIT_S = 1.0
# PRAGMA takes no parameters: one fixed statement per wait.
_BUSY_TIMEOUT = {
    WRITE_WAIT_S: "PRAGMA busy_timeout=90000",
    BRIEF_WAIT_S: "PRAGMA busy_timeout=1000",
}

READ_ONLY = "casetracker_read_only"
READING = "casetracker_reading"


def session_is_read_only(session: Session) -> bool:
    """The session's database is a file this user may not change (see sqlite_files)."""
    return bool(session.connection().info.get(READ_ONLY, False))


def session_only_reads(session: Session) -> bool:
    """The session is a `Database.reading()` one: it must not write. On SQLite its deferred
    transaction cannot take the write lock once another connection has written since its
    first read, nor wait for it (SQLite answers "busy" at once), so a write there fails
    whenever someone else is saving."""
    return bool(session.info.get(READING, False))


def open_database(
    url: str | None = None, *, migrate: bool = True, daily_backup: bool = True
) -> Database:
    """Open (and, unless told not to, bring up to date) the database at `url`. The window
    passes daily_backup=False and makes the day's backup once its first rows are shown."""
    resolved = resolve_url(url)
    file = sqlite_path(resolved)
    existed = file is not None and file.is_file() and file.stat().st_size > 0
    try:
        engine = create_db_engine(resolved)
    except (exc.ArgumentError, exc.NoSuchModuleError, ValueError) as error:
        raise StorageError(f"Cannot use database {describe(resolved)}: {error}") from None
    try:
        if migrate and not schema_is_current(engine):
            # Alembic is loaded only when an upgrade is due: it costs a third of a second.
            from casetracker.storage.migrate import upgrade_to_head

            upgrade_to_head(engine)
        else:
            with engine.connect():
                pass
    except CasetrackerError:
        engine.dispose()
        raise
    except exc.DBAPIError as error:
        engine.dispose()
        if is_damage(error):
            raise StorageError(damaged_message(file)) from None
        raise StorageError(f"Cannot open {describe(resolved)}: {storage_problem(error)}") from None
    database = Database(engine, sessionmaker(engine, expire_on_commit=False))
    database._register()
    if migrate and existed and daily_backup:
        # Once a day, when the app or a command first opens it (a new file has nothing yet).
        from casetracker.storage.backup import run_daily_backup

        try:
            run_daily_backup(database)
        except CasetrackerError:
            database.dispose()  # damaged: not used
            raise
    if migrate:
        from casetracker.storage.error_reports import clean_error_reports

        clean_error_reports(database)
    return database
