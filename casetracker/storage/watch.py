"""Noticing changes made by other processes and other users, cheaply enough to ask about
once a second.

SQLite: `PRAGMA data_version` on one connection kept open for it; its value moves when any
other connection commits (a microsecond read, no query of the tables, no lock waited for).
PostgreSQL: the tables' triggers NOTIFY `casetracker_changes` on every committed write
(migration 0009_engine_notify); one connection LISTENs and is read without blocking.

Only SQLite's own API touches the database file (a descriptor closed elsewhere would drop
SQLite's locks).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol

from sqlalchemy.engine import URL

CHANNEL = "casetracker_changes"


class ChangeWatcher(Protocol):
    def changed(self) -> bool:
        """Whether anything was committed since the last call (by anyone, this process's
        other connections included)."""
        ...

    def close(self) -> None: ...


class SqliteWatcher:
    def __init__(self, path: str) -> None:
        # A short wait: the question must never hold up the window.
        self.connection = sqlite3.connect(path, timeout=0.05, check_same_thread=False)
        self.connection.isolation_level = None
        self.last = self._version()

    def _version(self) -> int | None:
        try:
            row = self.connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.OperationalError:
            return None  # busy for a moment: ask again next time
        return int(row[0])

    def changed(self) -> bool:
        now = self._version()
        if now is None or now == self.last:
            return False
        self.last = now
        return True

    def close(self) -> None:
        self.connection.close()


class PostgresWatcher:
    def __init__(self, url: URL) -> None:
        import psycopg

        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.connection: Any = psycopg.connect(plain, autocommit=True)
        self.connection.execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        pgconn = self.connection.pgconn
        # Read what the server has sent without waiting, then take every notification.
        pgconn.consume_input()
        seen = False
        while pgconn.notifies() is not None:
            seen = True
        return seen

    def close(self) -> None:
        self.connection.close()


class NoWatcher:
    """An in-memory database has no other users."""

    def changed(self) -> bool:
        return False

    def close(self) -> None:
        pass


def watcher_for(url: URL) -> ChangeWatcher:
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database in (None, "", ":memory:"):
            return NoWatcher()
        return SqliteWatcher(str(url.database))
    if backend == "postgresql":
        return PostgresWatcher(url)
    return NoWatcher()
