"""A user's change must wait for someone else's write, not fail as "busy" (SQLite)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from casetracker.domain.models import Setting
from casetracker.services.settings import set_sealing_days, workflow_settings
from casetracker.storage.db import open_database


def test_a_change_that_reads_first_waits_for_another_connections_write(sqlite_url: str) -> None:
    mine = open_database(sqlite_url)
    theirs = open_database(sqlite_url)
    try:
        with mine.unit_of_work() as session:
            set_sealing_days(session, 90, "setup")
        errors: list[BaseException] = []

        def their_change() -> None:
            try:
                with theirs.unit_of_work() as session:
                    set_sealing_days(session, 60, "them")
            except BaseException as error:  # reported by the assertion below
                errors.append(error)

        other = threading.Thread(target=their_change)
        with mine.unit_of_work() as session:
            before = workflow_settings(session).sealing_days
            # Their write starts while this unit of work is between its read and its write.
            other.start()
            other.join(timeout=0.5)
            set_sealing_days(session, before + 30, "me")
        other.join(timeout=20)
        assert not other.is_alive() and errors == []
        with mine.reading() as session:
            # Both changes were kept, one after the other: theirs waited for mine.
            assert workflow_settings(session).sealing_days == 60
            assert session.scalars(select(Setting)).all()
    finally:
        mine.dispose()
        theirs.dispose()


def test_reading_does_not_wait_for_a_writer(sqlite_url: str) -> None:
    writer = open_database(sqlite_url)
    reader = open_database(sqlite_url)
    try:
        with writer.unit_of_work() as session:
            set_sealing_days(session, 45, "setup")
        with writer.unit_of_work() as session:
            set_sealing_days(session, 50, "writer")  # holds the write lock until the block ends
            with reader.reading() as other:
                assert workflow_settings(other).sealing_days == 45
    finally:
        writer.dispose()
        reader.dispose()
