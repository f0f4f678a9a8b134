"""Putting a backup back: the backup is checked, the current database is kept as a backup of
its own, and the backup's pages are written into the database with SQLite's backup API while
this process holds the database's exclusive lock, which it gets only when no other window or
command has the database open. Afterwards the data is exactly the backup's."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from casetracker.domain.errors import StorageError
from casetracker.storage.backup import (
    BEFORE_RESTORE,
    backup_name,
    backups_dir,
    copy_connection,
)
from casetracker.storage.database_files import refuse_database_file


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    revision: str
    motions: int


def check_backup(path: Path) -> BackupCheck:
    """The backup is a sound casetracker database; StorageError (one line) otherwise."""
    refuse_database_file(path)
    if not path.is_file():
        raise StorageError(f"{path}: there is no such backup file.")
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        raise StorageError(f"{path.name} cannot be opened as a backup.") from None
    try:
        problems = [row[0] for row in reader.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StorageError(f"{path.name} is damaged ({problems[0]}); choose another backup.")
        revision = reader.execute("SELECT version_num FROM alembic_version").fetchone()
        motions = reader.execute("SELECT count(*) FROM motion").fetchone()[0]
    except sqlite3.DatabaseError:
        raise StorageError(
            f"{path.name} is not a casetracker backup (damaged, or another kind of file)."
        ) from None
    finally:
        reader.close()
    if not revision:
        raise StorageError(f"{path.name} is not a casetracker backup.")
    return BackupCheck(path, str(revision[0]), int(motions))


def restore_backup(database: Path, backup: Path) -> Path:
    """Replace the database's data with the backup's; the copy of the current data kept.

    StorageError, with nothing changed, when the backup is not sound or when another window
    or command has the database open."""
    check_backup(backup)
    refuse_database_file(backup, also=[database])
    if not database.is_file():
        raise StorageError(f"There is no database at {database} to restore into.")
    live = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        try:
            # Exclusive locking mode keeps the lock after this transaction until the
            # connection closes: nobody can open the database in between.
            live.execute("PRAGMA locking_mode=EXCLUSIVE")
            live.execute("BEGIN EXCLUSIVE")
            live.execute("SELECT count(*) FROM sqlite_master").fetchone()
            live.execute("COMMIT")
        except sqlite3.OperationalError:
            raise StorageError(
                "Another window or command has the database open; close it and restore "
                "again. Nothing was changed."
            ) from None
        kept = backups_dir(database) / backup_name(database, BEFORE_RESTORE)
        copy_connection(live, kept)
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(live)
        except sqlite3.DatabaseError as error:
            raise StorageError(
                f"The restore failed ({error}); the database as it was is kept in {kept}."
            ) from None
        finally:
            source.close()
        live.execute("PRAGMA journal_mode=WAL")
        problems = [row[0] for row in live.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StorageError(
                f"The restored database failed its check ({problems[0]}); the database as it "
                f"was is kept in {kept}."
            )
        return kept
    finally:
        with contextlib.suppress(sqlite3.Error):
            live.close()
