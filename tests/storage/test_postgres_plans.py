"""At 100,000 motions on PostgreSQL, the desk's queries read motion through its indexes: the
search, and the first page of every sortable column in both directions, never scan the whole
motion table. The SQL is the desk's own (services.desk.desk_statement)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, MotionSearch, SearchDirty
from casetracker.services.desk import SORT_KEYS, DeskQuery, desk_statement
from casetracker.services.queries import MotionFilter
from casetracker.services.search import refresh_search_index
from casetracker.storage.db import Database, open_database
from ui.motion_table_model import PAGE

pytestmark = pytest.mark.postgres

MOTIONS = 100_000
SEED_MOTIONS = 100  # a real demo office, copied in SQL to MOTIONS (the demo is slow to make)
SEQUENTIAL_SCAN_OF_MOTION = re.compile(r"Seq Scan on motion(?!_)\b")
SEQUENTIAL_SCAN_OF_SEARCH = re.compile(r"Seq Scan on motion_search\b")


@pytest.fixture(scope="module")
def office(postgres_url: str) -> Iterator[Database]:
    import uuid

    from tests.support.postgres import _create_database, _drop_database

    name = f"ct_plans_{uuid.uuid4().hex[:8]}"
    db = open_database(_create_database(postgres_url, name), daily_backup=False)
    try:
        with db.unit_of_work() as session:
            for _ in generate_demo(session, motions=SEED_MOTIONS, seed=7):
                pass
            refresh_search_index(session)
        with db.unit_of_work() as session:
            _copy_motions(session, MOTIONS // SEED_MOTIONS)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does soon after
        yield db
    finally:
        db.dispose()
        _drop_database(postgres_url, name)


def _copy_motions(session: Session, times: int) -> None:
    """Each motion and its search row `times` over, ids offset by a million per copy. The
    search queue's triggers are skipped (the copies' search rows are copied too)."""
    session.execute(text("SET LOCAL session_replication_role = replica"))
    copy = func.generate_series(1, times - 1).table_valued("n").render_derived(name="copy")
    for table, key in ((Motion.__table__, "id"), (MotionSearch.__table__, "motion_id")):
        values = [
            (column + copy.c.n * 1_000_000).label(key) if column.name == key else column
            for column in table.columns
        ]
        rows = select(*values).select_from(table).join(copy, literal_column("true"))
        session.execute(insert(table).from_select([c.name for c in table.columns], rows))
    session.execute(delete(SearchDirty))
    session.execute(
        text("SELECT setval(pg_get_serial_sequence('motion', 'id'), (SELECT max(id) FROM motion))")
    )


def _plan(session: Session, statement: Any) -> str:
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    rows = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
    return "\n".join(row[0] for row in rows)


def test_the_office_is_full_size(office: Database) -> None:
    with office.reading() as session:
        assert session.scalar(select(func.count()).select_from(Motion)) == MOTIONS


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_the_first_page_of_every_sort_reads_an_index(
    office: Database, sort: str, descending: bool
) -> None:
    with office.reading() as session:
        query = DeskQuery(sort=sort, descending=descending)
        plan = _plan(session, desk_statement(session, query).limit(PAGE))
    assert not SEQUENTIAL_SCAN_OF_MOTION.search(plan), plan


@pytest.mark.parametrize(
    "query",
    [
        DeskQuery(search="smi"),
        DeskQuery(search="ma"),
        DeskQuery(search="garcia maria"),
        DeskQuery(search="smi", sort="stage"),
        DeskQuery(search="ma", sort="court_date", descending=True),
        DeskQuery(search="jo", sort="kind", filter=MotionFilter(stages=(Stage.SCREENED,))),
    ],
    ids=lambda q: f"{q.search}-{q.sort}",
)
def test_a_search_reads_motion_through_its_indexes(office: Database, query: DeskQuery) -> None:
    with office.reading() as session:
        plan = _plan(session, desk_statement(session, query))
    assert not SEQUENTIAL_SCAN_OF_MOTION.search(plan), plan


@pytest.mark.parametrize("sort", ["person", "reference", "county"])
@pytest.mark.parametrize("typed", ["s", "smi", "garcia maria"])
def test_a_search_by_a_search_column_reads_only_the_matching_search_rows(
    office: Database, typed: str, sort: str
) -> None:
    """Sorted by a column of the search row, the words are tested on that row itself: as a
    self-join (motion_id IN a subquery of motion_search) PostgreSQL read every search row
    at each keystroke (177 ms for "s" at 100,000 motions, 44 ms without)."""
    with office.reading() as session:
        plan = _plan(session, desk_statement(session, DeskQuery(search=typed, sort=sort)))
    assert not SEQUENTIAL_SCAN_OF_SEARCH.search(plan), plan
    # One scan of motion_search: no self-join.
    assert len(re.findall(r"\bon motion_search\b", plan)) == 1, plan


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ["stage", "next_step"])
def test_every_id_in_stage_order_is_read_from_the_index_alone(
    office: Database, sort: str, descending: bool
) -> None:
    """The desk reads every matching id, not a page: by stage that walks the index of the
    pipeline order (domain.models.STAGE_ORDER) instead of sorting 100,000 motions."""
    with office.reading() as session:
        plan = _plan(session, desk_statement(session, DeskQuery(sort=sort, descending=descending)))
    assert not SEQUENTIAL_SCAN_OF_MOTION.search(plan), plan
    assert "Index Only Scan" in plan and "ix_motion_stage_sort" in plan, plan
    assert "Sort" not in plan, plan
