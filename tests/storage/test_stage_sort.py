"""The desk's sorts by stage and next step: the pipeline order (intake → closed), read from an
index on SQLite (PostgreSQL's plans: test_postgres_plans.py). The order is computed from the
stage itself, never stored, so moves, undo and imports cannot leave it behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion
from casetracker.services import motion_ops
from casetracker.services.desk import DeskQuery, desk_statement, motion_ids
from casetracker.services.queries import MotionFilter
from casetracker.storage.db import Database, open_database
from tests.core.helpers import make_motion

PIPELINE = list(Stage)


def _plan(session: Session, statement: Any) -> str:
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "query",
    [
        DeskQuery(sort="stage"),
        DeskQuery(sort="next_step"),
        DeskQuery(sort="stage", filter=MotionFilter(hide_sealed=True)),
    ],
    ids=lambda q: q.sort,
)
def test_sorting_by_stage_reads_the_index_on_sqlite(
    tmp_path: Path, query: DeskQuery, descending: bool
) -> None:
    # A migrated database: the migration's index and the desk's query are one expression.
    db = open_database(f"sqlite:///{tmp_path / 'desk.sqlite'}", daily_backup=False)
    try:
        make_motion(db)
        with db.reading() as session:
            plan = _plan(session, desk_statement(session, DeskQuery(**{
                **query.__dict__, "descending": descending})))  # fmt: skip
    finally:
        db.dispose()
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert "ix_motion_stage_sort" in plan, plan


def _desk_order_is_the_pipeline(db: Database) -> None:
    with db.reading() as session:
        stages = {i: stage for i, stage in session.execute(select(Motion.id, Motion.stage))}
        expected = sorted(stages, key=lambda i: (PIPELINE.index(stages[i]), i))
        assert motion_ids(session, DeskQuery(sort="stage")) == expected
        assert motion_ids(session, DeskQuery(sort="next_step", descending=True)) == [
            *reversed(expected)
        ]


def test_the_stage_sort_follows_every_move_and_undo(db: Database) -> None:
    with db.unit_of_work() as session:
        for _ in generate_demo(session, motions=60, seed=11):
            pass
    _desk_order_is_the_pipeline(db)
    with db.reading() as session:
        assert len({m.stage for m in session.scalars(select(Motion))}) > 4
        first = session.scalars(
            select(Motion.id).where(Motion.stage == Stage.INTAKE).order_by(Motion.id)
        ).first()
    assert first is not None
    moved = motion_ops.advance(db, "tester", first, Stage.VERIFIED, reason="checked")
    _desk_order_is_the_pipeline(db)
    assert moved.undo is not None
    motion_ops.undo(db, "tester", moved.undo)
    _desk_order_is_the_pipeline(db)
    make_motion(db, docket="2015SN011111")  # a new motion, at intake
    _desk_order_is_the_pipeline(db)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ["kind", "screening", "prosecutor", "court_date"])
def test_sorting_by_a_motion_column_reads_its_index_on_sqlite(
    tmp_path: Path, sort: str, descending: bool
) -> None:
    # Each column's index (0019_desk_sort_indexes, 0021_kind_sort_index) is walked in the
    # desk's order, value then id, so SQLite sorts nothing in a temporary b-tree.
    db = open_database(f"sqlite:///{tmp_path / 'desk.sqlite'}", daily_backup=False)
    try:
        make_motion(db)
        with db.reading() as session:
            query = DeskQuery(sort=sort, descending=descending)
            plan = _plan(session, desk_statement(session, query))
    finally:
        db.dispose()
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert f"ix_motion_{sort}_sort" in plan, plan
