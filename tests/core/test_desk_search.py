"""Search and sort for the desk run in the database and stay right after every kind of write."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import County, Stage
from casetracker.domain.models import Case, Motion, Person
from casetracker.services.desk import SORT_KEYS, DeskQuery, matching_rows, motion_ids
from casetracker.services.queries import MotionFilter
from casetracker.services.search import (
    query_words,
    rebuild_search_index,
    refresh_search,
    refresh_search_index,
)
from casetracker.storage.db import Database
from tests.desk_data import add_people


def _names(db: Database, search: str) -> list[str]:
    with db.unit_of_work() as session:
        return [r.last_name for r in matching_rows(session, DeskQuery(search=search))]


def test_search_is_substring_case_and_accent_insensitive(db: Database) -> None:
    add_people(db)
    assert _names(db, "nunez") == ["Núñez"]
    assert _names(db, "JOSÉ") == ["Núñez"]
    assert _names(db, "smith") == ["Smith", "Smithers"]
    assert _names(db, "mithe") == ["Smithers"]
    assert _names(db, "obrien") == ["O'Brien"]
    assert _names(db, "smith john") == ["Smith"]
    assert _names(db, "nobody") == []


def test_search_finds_dockets_summonses_and_nysids_typed_any_way(db: Database) -> None:
    add_people(db)
    assert _names(db, "2016sn0169") == ["Núñez"]
    assert _names(db, "2016-SN-0169") == ["Núñez"]
    assert _names(db, "003159") == ["Smithers"]
    assert _names(db, "1234567") == ["Núñez"]
    # One and two characters: the start of a last name, docket/summons or NYSID (a substring
    # of that length would match a third of the office); from three on, anywhere.
    assert _names(db, "ad") == ["Adams"]
    assert _names(db, "zo") == []
    assert _names(db, "zoe") == ["Adams"]
    assert _names(db, "o") == ["O'Brien"]
    assert _names(db, "cr") == ["Smithers"]
    assert _names(db, "33") == ["Adams"]


def test_words_are_folded_like_the_documents() -> None:
    assert query_words("O'Brien  2016-SN-0169 núñez") == ["obrien", "2016sn0169", "nunez"]
    assert query_words("  ") == []


def test_search_follows_renames_and_core_bulk_inserts(db: Database) -> None:
    add_people(db)
    with db.unit_of_work() as session:
        session.execute(update(Person).where(Person.last_name == "Adams").values(last_name="Zed"))
    assert _names(db, "zed") == ["Zed"]
    assert _names(db, "adams") == []
    with db.unit_of_work() as session:
        session.execute(
            update(Case)
            .where(Case.docket == "2011RI123456")
            .values(docket="X9", docket_as_typed="X-9")
        )
    assert _names(db, "2011ri") == []
    # The demo generator writes with Core executemany, like the spreadsheet import.
    with db.unit_of_work() as session:
        for _ in generate_demo(session, people=20, seed=5):
            pass
        demo_names = session.scalars(select(Person.last_name).where(Person.id > 5)).all()
    found = _names(db, demo_names[0])
    assert demo_names[0] in found


def test_rebuild_gives_the_same_answers(db: Database) -> None:
    add_people(db)
    before = _names(db, "smith")
    with db.unit_of_work() as session:
        assert rebuild_search_index(session) == 5
    assert _names(db, "smith") == before


def test_every_column_sorts_every_motion_both_ways(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session:
        for key in SORT_KEYS:
            for descending in (False, True):
                got = motion_ids(session, DeskQuery(sort=key, descending=descending))
                assert sorted(got) == sorted(ids), key
        by_name = matching_rows(session, DeskQuery(sort="person"))
        assert [r.last_name for r in by_name] == ["Adams", "Núñez", "O'Brien", "Smith", "Smithers"]
        by_dob = matching_rows(session, DeskQuery(sort="date_of_birth", descending=True))
        born = [r.date_of_birth for r in by_dob if r.date_of_birth is not None]
        assert born == sorted(born, reverse=True) and len(born) == 4


def test_filters_combine_with_search(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session:
        session.execute(update(Motion).where(Motion.id == ids[1]).values(stage=Stage.SCREENED))
    with db.unit_of_work() as session:
        screened = MotionFilter(stages=(Stage.SCREENED,))
        assert motion_ids(session, DeskQuery(filter=screened)) == [ids[1]]
        assert motion_ids(session, DeskQuery(filter=screened, search="smithers")) == []
        kings = MotionFilter(counties=(County.KINGS,))
        assert motion_ids(session, DeskQuery(filter=kings, sort="stage")) == [ids[0]]
        assert motion_ids(session, DeskQuery(filter=kings, sort="county")) == [ids[0]]


def test_a_view_reads_on_while_another_connection_holds_the_write_lock(
    sqlite_db: Database, sqlite_url: str
) -> None:
    """A colleague's long bulk move holds SQLite's write lock: the desk's re-read leaves the
    search index for later instead of failing with 'the database is busy'."""
    import sqlite3
    from typing import Any

    import pytest
    from sqlalchemy import event

    from casetracker.domain.errors import StorageError
    from casetracker.services.search import refresh_search
    from casetracker.storage.db import open_database

    viewer = open_database(sqlite_url, daily_backup=False)

    @event.listens_for(viewer.engine, "connect")
    def _wait_briefly(connection: sqlite3.Connection, _record: Any) -> None:
        connection.execute("PRAGMA busy_timeout=200")  # not the 15 s a user's action waits

    viewer.engine.dispose()
    add_people(sqlite_db)  # queued for the search index
    try:
        with sqlite_db.unit_of_work() as holder:
            holder.connection()  # BEGIN IMMEDIATE: the write lock, held until the block ends
            with pytest.raises(StorageError, match="busy"):
                refresh_search(viewer)
            assert refresh_search(viewer, busy_ok=True) == 0
        # Once the lock is free the queued motions are folded in, and found.
        assert refresh_search(viewer, busy_ok=True) > 0
        assert _names(viewer, "smith")
    finally:
        viewer.dispose()


def test_an_empty_queue_is_folded_without_waiting_for_the_write_lock(
    sqlite_db: Database, sqlite_url: str
) -> None:
    """Each keystroke folds the search queue first; with nothing queued it must not wait for
    an import's write lock (on SQLite each keystroke waited, up to the busy timeout)."""
    import sqlite3
    from typing import Any

    from sqlalchemy import event

    from casetracker.services.search import refresh_search
    from casetracker.storage.db import open_database

    add_people(sqlite_db)
    refresh_search(sqlite_db)
    viewer = open_database(sqlite_url, daily_backup=False)

    @event.listens_for(viewer.engine, "connect")
    def _wait_briefly(connection: sqlite3.Connection, _record: Any) -> None:
        connection.execute("PRAGMA busy_timeout=200")

    viewer.engine.dispose()
    try:
        with sqlite_db.unit_of_work() as holder:
            holder.connection()  # BEGIN IMMEDIATE: the write lock, held until the block ends
            assert refresh_search(viewer) == 0  # no "busy": nothing to fold, nothing waited
    finally:
        viewer.dispose()


def test_a_reading_search_never_writes_so_a_colleagues_lock_is_no_error(
    sqlite_db: Database, sqlite_url: str
) -> None:
    """The desk reads its ids in a reading unit of work. Folding the search queue there would
    write, and SQLite cannot wait for the write lock inside a transaction that has read: a
    colleague's save or import made every such search fail with "busy". It reads the index
    as it stands instead; the queue is folded by the next unit of work that writes."""
    import sqlite3
    from typing import Any

    from sqlalchemy import event

    from casetracker.services.search import pending_count
    from casetracker.storage.db import open_database

    viewer = open_database(sqlite_url, daily_backup=False)

    @event.listens_for(viewer.engine, "connect")
    def _wait_briefly(connection: sqlite3.Connection, _record: Any) -> None:
        connection.execute("PRAGMA busy_timeout=200")

    viewer.engine.dispose()
    add_people(sqlite_db)
    try:
        with sqlite_db.unit_of_work() as holder:
            holder.connection()  # BEGIN IMMEDIATE: the write lock, held until the block ends
            with viewer.reading() as session:
                assert motion_ids(session, DeskQuery(search="smith")) == []
                assert pending_count(session) == 5
        with viewer.unit_of_work() as session:
            assert len(motion_ids(session, DeskQuery(search="smith"))) == 2
            assert pending_count(session) == 0
    finally:
        viewer.dispose()


@pytest.mark.postgres
def test_one_desk_at_a_time_folds_the_queue_the_others_search_at_once(pg_db: Database) -> None:
    """After a large import every desk's next keystroke finds the queue full: one folds it,
    the others search the index as it stands instead of waiting on its rows (past the
    statement limit)."""
    add_people(pg_db)
    refresh_search(pg_db)
    with pg_db.unit_of_work() as session:
        session.execute(update(Person).where(Person.last_name == "Adams").values(last_name="Zed"))
    folding = pg_db.sessions()
    try:
        # Another desk's unit of work, folding the queue (it holds the lock until it commits).
        assert refresh_search_index(folding) == 1
        started = time.perf_counter()
        assert refresh_search(pg_db) == 0
        assert time.perf_counter() - started < 5
        # The index as it stands: found by the old name (shown with the new), not the new.
        assert _names(pg_db, "adams") == ["Zed"]
        assert _names(pg_db, "zed") == []
        folding.commit()
    finally:
        folding.close()
    assert _names(pg_db, "zed") == ["Zed"]
    assert _names(pg_db, "adams") == []
