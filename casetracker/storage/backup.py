"""Backups of the SQLite database, made with SQLite's online backup API (never a file copy:
reading the database's files by hand inside a process that has it open drops SQLite's locks,
see storage/database_files.py).

A backup is written under a hidden temporary name beside its final one, checked with
`PRAGMA integrity_check`, and only then renamed: a backup killed half-way (kill -9, a power
cut) never leaves an empty or partial file under a backup's name, so every file in backups/
is a good one. What a killed backup left is removed by the next backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from casetracker.domain.errors import StorageError
from casetracker.paths import private_dir
from casetracker.storage.database_files import refuse_database_file
from casetracker.storage.private_files import OWNER_ONLY, process_alive

if TYPE_CHECKING:
    from casetracker.storage.db import Database

log = logging.getLogger(__name__)

BACKUPS = "backups"
SUFFIX = ".sqlite"
DAILY = "daily"
MANUAL = "backup"
BEFORE_RESTORE = "before-restore"
BEFORE_UPGRADE = "before-upgrade"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>daily|backup|before-restore|before-upgrade)"
    r"-(?P<stamp>\d{8}-\d{6})(-\d+)?\.sqlite$"
)
_KIND_LABELS = {
    DAILY: "daily",
    MANUAL: "made by hand",
    BEFORE_RESTORE: "before a restore",
    BEFORE_UPGRADE: "before an upgrade",
}


class DamagedDatabaseError(StorageError):
    """Backing up found the database damaged."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made: datetime
    kind: str

    @property
    def label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


def backups_dir(database: Path, *, create: bool = True) -> Path:
    """backups/ beside the database (private)."""
    folder = database.parent / BACKUPS
    if folder.exists() and not folder.is_dir():
        raise StorageError(
            f"{folder} is a file, so backups cannot be kept there; move or rename that file."
        )
    if create:
        private_dir(folder)
    return folder


def backup_name(database: Path, kind: str, now: datetime | None = None) -> str:
    return f"{database.stem}-{kind}-{(now or datetime.now()).strftime(_STAMP)}{SUFFIX}"


def make_backup(
    database: Path, *, kind: str = MANUAL, out: Path | None = None, now: datetime | None = None
) -> Path:
    """Back the database up into backups/ (or to `out`, a file or a folder); the path made."""
    if not database.is_file():
        raise StorageError(f"There is no database at {database} to back up.")
    if out is None:
        folder = backups_dir(database)
        target = _free_name(folder / backup_name(database, kind, now))
    else:
        out = out.expanduser()
        if out.is_dir():
            out = _free_name(out / backup_name(database, kind, now))
        if not out.parent.is_dir():
            raise StorageError(f"The folder {out.parent} does not exist; choose another.")
        refuse_database_file(out, also=[database])
        target = out
    remove_partial_leftovers(target.parent)
    copy_database(database, target)
    return target


def _free_name(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:6]}.partial")


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into `target`, all or nothing (see the module)."""
    try:
        reader = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.DatabaseError as error:
        raise StorageError(f"The backup could not be made: {error}.") from None
    try:
        copy_connection(reader, target, OWNER_ONLY & source.stat().st_mode or OWNER_ONLY)
    finally:
        reader.close()


def copy_connection(reader: sqlite3.Connection, target: Path, mode: int = OWNER_ONLY) -> None:
    """What `reader` reads, backed up into `target`: a hidden partial file, checked, renamed."""
    partial = _partial_name(target)
    try:
        # Made owner-only (or as strict as the database) before SQLite writes a byte to it.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        writer = sqlite3.connect(partial, isolation_level=None)
        try:
            reader.backup(writer)
            # A file of its own: no -wal or -shm beside it when it is opened later.
            writer.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in writer.execute("PRAGMA integrity_check")]
        finally:
            writer.close()
        if problems != ["ok"]:
            # The copy has the database's pages as they are: the database is damaged.
            raise DamagedDatabaseError(
                "The backup copy failed its check, so it was not kept; the database itself "
                f"is damaged ({problems[0]})."
            )
        _sync(partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except sqlite3.DatabaseError as error:
        if "malformed" in str(error) or "not a database" in str(error):
            raise DamagedDatabaseError(f"The backup could not be made: {error}.") from None
        raise StorageError(f"The backup could not be made: {error}.") from None
    except OSError as error:
        raise StorageError(
            f"The backup could not be written to {target.parent}: {error.strerror or error}."
        ) from None
    finally:
        partial.unlink(missing_ok=True)
        for companion in ("-journal", "-wal", "-shm"):
            partial.with_name(partial.name + companion).unlink(missing_ok=True)


def _sync(path: Path) -> None:
    # The backup is not the live database (never opened by SQLite in this process for
    # writing after this point), so a descriptor of it may be opened and closed.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder; its rename is durable enough with NTFS
    with contextlib.suppress(OSError):
        _sync(folder)


def remove_partial_leftovers(folder: Path) -> int:
    """Remove what backups killed half-way left in `folder` (their process has ended)."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob(".*.partial*"):
        match = re.search(r"\.(\d+)-[0-9a-f]{6}\.partial", path.name)
        if match and process_alive(int(match.group(1))):
            continue
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %d unfinished backup files", removed)
    return removed


def list_backups(database: Path) -> list[BackupFile]:
    """The backups in backups/ beside the database, newest first."""
    folder = database.parent / BACKUPS
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{SUFFIX}"):
        if path.name.startswith("."):
            continue
        match = _NAME.match(path.name)
        if match and match.group("stem") != database.stem:
            continue
        try:
            made = (
                datetime.strptime(match.group("stamp"), _STAMP)
                if match
                else datetime.fromtimestamp(path.stat().st_mtime)
            )
        except (OSError, ValueError):
            continue
        kind = match.group("kind") if match else "other"
        found.append(BackupFile(path, made, kind))
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


def newest_backup(database: Path) -> BackupFile | None:
    backups = list_backups(database)
    return backups[0] if backups else None


def daily_backup(database: Path, keep_days: int, now: datetime | None = None) -> Path | None:
    """Once a day: a backup unless one was made today; daily backups older than `keep_days`
    are removed (the others are kept until the user removes them). The backup made, if any."""
    now = now or datetime.now()
    made = None
    backups = list_backups(database)
    if _daily_due(backups, now):
        made = make_backup(database, kind=DAILY, now=now)
        log.info("daily backup made: %s", made.name)
    _remove_old_dailies(backups, keep_days, now)
    return made


def _daily_due(backups: list[BackupFile], now: datetime) -> bool:
    return not any(b.kind == DAILY and b.made.date() == now.date() for b in backups)


def _remove_old_dailies(backups: list[BackupFile], keep_days: int, now: datetime) -> None:
    cutoff = now - timedelta(days=max(1, keep_days))
    for old in backups:
        if old.kind == DAILY and old.made < cutoff:
            old.path.unlink(missing_ok=True)
            log.info("daily backup past %d days removed: %s", keep_days, old.path.name)


class DayBackup:
    """The day's backup of the database as it was when it was started, made on a thread while
    the caller goes on (an import reads and checks its list meanwhile). SQLite's write-ahead
    log lets the backup read that moment's database while the caller writes; `finish` waits
    for it, and the caller calls it before it commits, so a database the backup finds
    damaged is refused with nothing saved, as it is when the backup is made first."""

    def __init__(self, path: Path | None = None, keep_days: int = 0) -> None:
        self.path = path
        self.made: Path | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if path is None:
            return
        now = datetime.now()
        backups = list_backups(path)
        _remove_old_dailies(backups, keep_days, now)
        if not _daily_due(backups, now):
            return
        reader = sqlite3.connect(
            f"{path.as_uri()}?mode=ro",
            uri=True,
            timeout=30,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            # The read transaction fixes the moment the backup copies: now, before any change.
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlite3.DatabaseError as error:
            reader.close()
            self._error = error
            return
        self._thread = threading.Thread(
            target=self._copy, args=(reader, path, now), name="daily-backup", daemon=True
        )
        self._thread.start()
        _RUNNING[path] = self

    def _copy(self, reader: sqlite3.Connection, path: Path, now: datetime) -> None:
        try:
            folder = backups_dir(path)
            target = _free_name(folder / backup_name(path, DAILY, now))
            remove_partial_leftovers(folder)
            copy_connection(reader, target, OWNER_ONLY & path.stat().st_mode or OWNER_ONLY)
            self.made = target
            log.info("daily backup made: %s", target.name)
        except BaseException as error:  # handed to finish(), on the caller's thread
            self._error = error
        finally:
            reader.close()

    def finish(self) -> Path | None:
        """Wait for the backup; the file made, if any. A backup that could not be made is
        logged (the next command tries again); a damaged database raises StorageError."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.path is not None and _RUNNING.get(self.path) is self:
            del _RUNNING[self.path]
        error, self._error = self._error, None
        if isinstance(error, DamagedDatabaseError) or (
            isinstance(error, sqlite3.DatabaseError) and _damage_text(error)
        ):
            from casetracker.storage.health import damaged_message

            raise StorageError(damaged_message(self.path)) from None
        if isinstance(error, StorageError | sqlite3.Error | OSError):
            log.warning("no daily backup was made: %s", error)
        elif error is not None:
            raise error
        return self.made


# The day's backups begun on a thread in this process and not yet waited for, by database.
_RUNNING: dict[Path, DayBackup] = {}


def _damage_text(error: BaseException) -> bool:
    return "malformed" in str(error) or "not a database" in str(error)


def start_daily_backup(db: Database) -> DayBackup:
    """The day's backup of an open SQLite database, begun now and made on a thread (see
    DayBackup); nothing to do for PostgreSQL, a read-only database, or an empty one."""
    from casetracker.storage.settings import BACKUP_RETENTION_DAYS, retention_days

    path = db.sqlite_path
    if path is None or db.read_only:
        return DayBackup()
    if path in _RUNNING:  # begun by sign-in: the same backup, of the moment before it
        return _RUNNING[path]
    try:
        with db.reading() as session:
            keep = retention_days(session, BACKUP_RETENTION_DAYS)
            empty = session.execute(text("SELECT 1 FROM person LIMIT 1")).first() is None
        return DayBackup() if empty else DayBackup(path, keep)
    except StorageError as error:
        log.warning("no daily backup was made: %s", error)
        return DayBackup()


def run_daily_backup(db: Database) -> Path | None:
    """The daily backup of an open SQLite database, kept as long as Office settings say. A
    failure is logged, not raised: the office can still work (the next open tries again);
    but a database the backup finds damaged is refused (storage.health)."""
    from casetracker.storage.settings import BACKUP_RETENTION_DAYS, retention_days

    path = db.sqlite_path
    if path is None or db.read_only:
        return None
    if path in _RUNNING:  # begun on a thread earlier in this command: waited for now
        return _RUNNING[path].finish()
    try:
        with db.reading() as session:
            keep = retention_days(session, BACKUP_RETENTION_DAYS)
            # A database with no one in it yet (just made) has nothing to keep.
            empty = session.execute(text("SELECT 1 FROM person LIMIT 1")).first() is None
        return None if empty else daily_backup(path, keep)
    except DamagedDatabaseError:
        from casetracker.storage.health import damaged_message

        raise StorageError(damaged_message(path)) from None
    except StorageError as error:
        log.warning("no daily backup was made: %s", error)
        return None
