"""The SQLite database's own files, which nothing in the app may open except SQLite.

Closing any descriptor of the database, its -wal or its -shm inside a process that has the
database open drops all of SQLite's locks on it (POSIX locks belong to the process, not to the
descriptor): another process then believes it is the last user, deletes the write-ahead log,
and later saves are lost or the file is damaged. A file the user picks (to import, to back up
over, to restore from) is therefore compared with the open databases by device and inode,
from its metadata only, before anything opens it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from casetracker.domain.errors import StorageError

# What SQLite keeps beside a database file (write-ahead log, shared memory, rollback journal).
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")

_lock = threading.Lock()
_open: dict[Path, int] = {}


def companions(database: Path) -> list[Path]:
    """The database file and the files SQLite may keep beside it."""
    return [database.with_name(database.name + suffix) for suffix in COMPANION_SUFFIXES]


def register_open(database: Path) -> None:
    """Called when this process opens a SQLite database."""
    with _lock:
        _open[database] = _open.get(database, 0) + 1


def unregister_open(database: Path) -> None:
    with _lock:
        left = _open.get(database, 0) - 1
        if left > 0:
            _open[database] = left
        else:
            _open.pop(database, None)


def open_databases() -> list[Path]:
    with _lock:
        return list(_open)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


def database_file_among(candidate: Path, databases: Iterable[Path]) -> Path | None:
    """The database whose file (or companion) `candidate` is, by device and inode: a link, a
    copy of the path spelled differently or a symbolic link is caught too; None otherwise."""
    wanted = _identity(candidate)
    if wanted is None:
        return None
    for database in databases:
        for path in companions(database):
            if _identity(path) == wanted:
                return database
    return None


def refuse_database_file(candidate: str | Path, also: Iterable[Path] = ()) -> None:
    """StorageError, before anything opens `candidate`, when it is a database this process
    has open (or one of `also`, such as the one a command is about to open), or one of its
    -wal, -shm or -journal files."""
    path = Path(candidate)
    found = database_file_among(path, [*open_databases(), *also])
    if found is not None:
        raise StorageError(
            f"{path.name} is the case tracker database itself (or one of its working files); "
            "it cannot be imported, copied or replaced from here. Choose a spreadsheet or "
            "a backup instead."
        )
