"""A user's change must wait for someone else's write, not fail as "busy" (SQLite)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from casetracker.services.office_settings import set_sealing_days
from casetracker.storage.db import Database, open_database
from casetracker.storage.settings import workflow_settings


@pytest.fixture
def two(sqlite_url: str) -> Iterator[tuple[Database, Database]]:
    """Two connections to one file, as two users (or the desk and its background work)."""
    first, second = open_database(sqlite_url), open_database(sqlite_url)
    with first.unit_of_work() as session:
        set_sealing_days(session, 90, "setup")
    yield first, second
    first.dispose()
    second.dispose()


def test_a_change_that_reads_first_waits_for_another_connections_write(
    two: tuple[Database, Database],
) -> None:
    mine, theirs = two
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


def test_reading_does_not_wait_for_a_writer(two: tuple[Database, Database]) -> None:
    writer, reader = two
    with writer.unit_of_work() as session:
        set_sealing_days(session, 50, "writer")  # holds the write lock until the block ends
        with reader.reading() as other:
            assert workflow_settings(other).sealing_days == 90
