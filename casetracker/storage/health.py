"""A damaged database is noticed, not used: a bounded check when the window starts, and one
plain message, naming the newest good backup and how to put it back, wherever SQLite says
"database disk image is malformed"."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from casetracker.storage.backup import newest_backup
from casetracker.storage.database_files import open_databases

log = logging.getLogger(__name__)

# `PRAGMA quick_check` reads every page: about 200 MB a second here. Above this size the
# window does not wait for it at start; it runs in the background instead.
QUICK_CHECK_LIMIT_BYTES = 150_000_000

_DAMAGE_WORDS = ("database disk image is malformed", "file is not a database")


def is_damage(error: BaseException) -> bool:
    """The error (or one it came from) is SQLite reporting a damaged file."""
    seen: BaseException | None = error
    depth = 0
    while seen is not None and depth < 10:
        text = str(seen).lower()
        if any(words in text for words in _DAMAGE_WORDS):
            return True
        seen = seen.__cause__ or seen.__context__
        depth += 1
    return False


def damaged_message(database: Path | None = None) -> str:
    """What to tell the user about a damaged database: which backup to restore, and how."""
    if database is None:
        opened = open_databases()
        database = opened[0] if opened else None
    where = f" ({database})" if database is not None else ""
    text = (
        f"The database{where} is damaged or is not a casetracker database, so Case Tracker "
        "will not use it; nothing more was saved."
    )
    newest = newest_backup(database) if database is not None else None
    if newest is None:
        return text + " There is no backup beside it; ask for help before doing anything else."
    return (
        f"{text} The newest good backup is {newest.path.name} ({newest.made:%Y-%m-%d %H:%M}). "
        f'To put it back, close every window and run: main.py restore "{newest.path}" '
        "(or use File > Restore…)."
    )


def check_sqlite(database: Path, *, full: bool = False) -> list[str]:
    """The problems `PRAGMA quick_check` (or integrity_check) finds: [] when sound."""
    started = time.monotonic()
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=15)
    except sqlite3.DatabaseError as error:
        return [str(error)]
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        connection.close()
    log.info("%s of the database took %.2f s", pragma, time.monotonic() - started)
    return [] if rows == ["ok"] else rows


def check_at_start_is_quick(database: Path) -> bool:
    """Whether the start-up check may run before the window opens (small enough)."""
    try:
        return database.stat().st_size <= QUICK_CHECK_LIMIT_BYTES
    except OSError:
        return True
