"""The SQLite file before SQLAlchemy opens it: its folder must exist, a new file is made
owner-only, and a file this user may not change is opened read-only."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from casetracker.domain.errors import StorageError
from casetracker.paths import default_database_path, private_dir


def prepare_sqlite_file(path: Path | None) -> Path | None:
    """The default database's folder is made (private); any other path must be in a folder
    that exists, so a mistyped --db is refused instead of becoming a new, empty database.
    A new database file is made owner-only before SQLite opens it (its -wal and -shm take
    the same mode)."""
    if path is None:
        return None
    if not path.parent.is_dir():
        if path != default_database_path():
            raise StorageError(
                f"The folder {path.parent} does not exist; check the --db path "
                "(nothing was created)."
            )
        private_dir(path.parent)
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file; check the --db path.")
    # O_EXCL: an existing file is never opened here (see storage/database_files.py). When
    # it exists, or cannot be made, SQLite says what is wrong (a read-only folder, ...).
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def is_read_only(path: Path) -> bool:
    """The file exists and this user cannot change it (a read-only file, folder or disk)."""
    if not path.is_file():
        return False
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def read_only_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """Connections that only read. SQLite needs the -shm file to read a database in WAL
    mode; where nobody has the database open (no -shm) and none can be made, the file is
    read as it stands (`immutable`): nobody can be changing it then, as no writer runs."""
    shm = path.with_name(path.name + "-shm")
    options = "mode=ro" if shm.exists() else "mode=ro&immutable=1"
    uri = f"{path.as_uri()}?{options}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=15, check_same_thread=False)

    return connect
