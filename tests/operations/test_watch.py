"""Noticing changes committed elsewhere: PRAGMA data_version on SQLite, LISTEN/NOTIFY on
PostgreSQL; quiet when nothing was committed."""

from __future__ import annotations

import time

from casetracker.domain.enums import Stage
from casetracker.services import motion_ops
from casetracker.storage.db import Database, open_database
from casetracker.storage.watch import watcher_for
from tests.core.helpers import make_motion


def _eventually(check: object, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_commit_on_another_connection_is_noticed_once(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    watcher = watcher_for(db.url)
    try:
        assert not watcher.changed()
        other = open_database(db.url.render_as_string(hide_password=False), migrate=False)
        try:
            motion_ops.advance(other, "colleague", motion_id, Stage.VERIFIED, reason="checked")
        finally:
            other.dispose()
        assert _eventually(watcher.changed)
        assert not watcher.changed()
        # Reading changes nothing.
        with db.reading() as session:
            session.connection()
        assert not watcher.changed()
    finally:
        watcher.close()
