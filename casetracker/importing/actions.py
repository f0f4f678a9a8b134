"""What the command line and the window do with imports, each in its own unit of work: import
a file, undo a batch, list the batches. Both clients call these; neither opens a session."""

from __future__ import annotations

from casetracker.importing.batches import BatchSummary, list_batches
from casetracker.importing.commit import undo_batch
from casetracker.importing.mapping import load_profile, save_profile
from casetracker.importing.plan import ImportOptions, Progress
from casetracker.importing.reader import SourceFile
from casetracker.importing.service import ImportOutcome, run_import
from casetracker.storage.backup import start_daily_backup
from casetracker.storage.db import Database


def import_file(
    db: Database,
    source: SourceFile,
    options: ImportOptions,
    user: str,
    *,
    mapping: str | None = None,
    save_mapping: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    day_backup: bool = False,
) -> ImportOutcome:
    """Check and store one list in one unit of work (with the mapping profile `mapping`, and
    the mapping used saved as `save_mapping`).

    day_backup (the command line): the day's backup is not made first (a 100,000-row
    database takes seconds to copy and check): it copies the database as it is now on a
    thread while the list is checked and stored, and is waited for before the import
    commits. So a backup of the day still exists before anything is changed, and a damaged
    database is still refused. The window makes it in the background at start instead."""
    backup = start_daily_backup(db) if day_backup else None
    try:
        with db.unit_of_work(bulk_load=True) as session:
            if mapping:
                options.profile = load_profile(session, mapping)
            outcome = run_import(session, source, options, user, dry_run=dry_run, progress=progress)
            if save_mapping:
                save_profile(session, save_mapping, outcome.plan.mapping, user)
            if backup is not None:
                backup.finish()
    finally:
        if backup is not None:
            backup.finish()  # already done, unless the import failed first
    return outcome


def undo_import(db: Database, batch_id: int, user: str) -> int:
    """Withdraw every motion of an import batch none of whose motions moved on; how many."""
    with db.unit_of_work() as session:
        return undo_batch(session, batch_id, user)


def import_batches(db: Database) -> list[BatchSummary]:
    """Every import batch, newest first."""
    with db.reading() as session:
        return list_batches(session)
