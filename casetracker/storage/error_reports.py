"""Import error reports (which list people's rows) are not kept for ever: at start, those
older than the Office setting (default 90 days) are deleted."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from casetracker.paths import data_dir

if TYPE_CHECKING:
    from casetracker.storage.db import Database

log = logging.getLogger(__name__)

REPORTS_FOLDER = "import-reports"


def remove_old_error_reports(folder: Path, keep_days: int, now: float | None = None) -> int:
    """Delete the files in `folder` last changed more than `keep_days` ago; how many."""
    if not folder.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - max(1, keep_days) * 86_400
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
    if removed:
        log.info("removed %d error reports older than %d days", removed, keep_days)
    return removed


def clean_error_reports(db: Database) -> int:
    """At start: the retention of Office settings applied to this computer's error reports."""
    from casetracker.storage.settings import ERROR_REPORT_RETENTION_DAYS, retention_days

    try:
        with db.reading() as session:
            keep = retention_days(session, ERROR_REPORT_RETENTION_DAYS)
    except Exception:  # a setting that cannot be read must not stop the start
        log.warning("error report retention not read; reports kept", exc_info=True)
        return 0
    return remove_old_error_reports(data_dir() / REPORTS_FOLDER, keep)
