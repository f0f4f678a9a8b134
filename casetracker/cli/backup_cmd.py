"""`casetracker backup [--out PATH]`, `backups` and `restore PATH [--yes]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from casetracker.domain.errors import StorageError
from casetracker.storage.db import resolve_url, sqlite_path


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="back the database up now (SQLite: into backups/ beside it)",
        description="SQLite: an online backup, checked before it is kept. PostgreSQL: "
        "pg_dump -Fc. Safe while the window or other commands use the database.",
    )
    backup.add_argument("--out", metavar="PATH", help="file or folder to write (default: backups/)")
    backup.set_defaults(handler=run_backup)

    listing = subparsers.add_parser(
        "backups", parents=[common], help="list the SQLite database's backups, newest first"
    )
    listing.set_defaults(handler=run_list)

    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help="put a backup back (the current data is kept as a backup first)",
        description="Checks the backup, keeps a copy of the current database in backups/, "
        "then makes the database exactly the backup. Refused while any window or command "
        "has the database open.",
    )
    restore.add_argument("path", metavar="PATH", help="the backup file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=run_restore)


def _sqlite_file(args: argparse.Namespace, what: str) -> Path | None:
    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is None and url.get_backend_name() != "postgresql":
        raise StorageError(f"{what} works on a SQLite file or a PostgreSQL database.")
    return path


def run_backup(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    path = _sqlite_file(args, "backup")
    if path is None:
        from casetracker.storage.pg_backup import pg_dump_backup

        made = pg_dump_backup(resolve_url(args.db), out)
    else:
        from casetracker.storage.backup import make_backup

        if not path.is_file():
            raise StorageError(f"There is no database at {path} to back up.")
        made = make_backup(path, out=out)
    print(f"Backed up to {made}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from casetracker.storage.backup import list_backups

    path = _sqlite_file(args, "backups")
    if path is None:
        raise StorageError("backups lists a SQLite database's backups; use pg_restore --list.")
    backups = list_backups(path)
    if not backups:
        print(f"No backups yet in {path.parent / 'backups'}.")
    for b in backups:
        print(f"{b.made:%Y-%m-%d %H:%M:%S}  {b.label:<18} {b.path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from casetracker.storage.restore import check_backup, restore_backup

    path = _sqlite_file(args, "restore")
    if path is None:
        raise StorageError(
            "To restore a PostgreSQL database, run: pg_restore --clean --if-exists -d URL FILE"
        )
    backup = Path(args.path).expanduser()
    checked = check_backup(backup)
    if not args.yes:
        question = (
            f"Replace everything in {path} with the backup {backup.name} "
            f"({checked.motions:,} motions)? The current data is kept in backups/. [y/N] "
        )
        if not sys.stdin.isatty():
            raise StorageError("restore replaces the database; add --yes to confirm.")
        if input(question).strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    kept = restore_backup(path, backup)
    print(f"Restored {backup.name} ({checked.motions:,} motions). The data as it was: {kept}")
    return 0
