"""One way to make a new motion: an intake, an import (its set-based bulk load and its
ordinary path) and the demo start motions with the same columns and first history row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from casetracker.devtools.demo import generate_demo
from casetracker.devtools.fakelist import write_fake_list
from casetracker.domain.enums import IntakeChannel, MotionKind, Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.domain.new_motion import OWN_COLUMNS, first_event, motion_columns
from casetracker.importing.plan import ImportOptions
from casetracker.importing.reader import open_source
from casetracker.importing.service import run_import
from casetracker.storage.db import Database, open_database
from tests.core.helpers import make_motion

# Set by who made the motion, when and how: compared against what that maker passed.
_MAKER = {"stage_entered_at", "created_at", "intake_date", "intake_channel", "import_batch_id"}


def _first_motion(db: Database, channel: IntakeChannel | None = None) -> tuple[Motion, MotionEvent]:
    with db.reading() as session:
        query = select(Motion).order_by(Motion.id)
        if channel is not None:
            query = query.where(Motion.intake_channel == channel)
        motion = session.scalars(query.limit(1)).one()
        event = session.scalars(
            select(MotionEvent).where(MotionEvent.motion_id == motion.id).order_by(MotionEvent.id)
        ).first()
        assert event is not None
        return motion, event


def _columns(motion: Motion) -> dict[str, Any]:
    return {
        c.key: getattr(motion, c.key)
        for c in Motion.__table__.columns
        if c.key not in OWN_COLUMNS and c.key not in _MAKER
    }


def _expected(kind: MotionKind, **given: Any) -> dict[str, Any]:
    made = motion_columns(
        kind, at=_AT, intake_date=_AT.date(), channel=IntakeChannel.IMPORT, **given
    )
    return {k: v for k, v in made.items() if k not in _MAKER}


def _event(event: MotionEvent) -> dict[str, Any]:
    return {
        k: getattr(event, k)
        for k in ("from_stage", "to_stage", "changes", "group_id", "undoes_group")
    }


_AT = datetime(2026, 1, 1)
_START = {
    k: v
    for k, v in first_event(at=_AT, user="u", action="a", reason="r").items()
    if k in ("from_stage", "to_stage", "changes", "group_id", "undoes_group")
}


def test_an_intake_starts_a_motion_as_every_new_motion_starts(sqlite_db: Database) -> None:
    make_motion(sqlite_db, kind=MotionKind.CONVICTION_VACATUR)
    motion, event = _first_motion(sqlite_db)
    assert _columns(motion) == _expected(MotionKind.CONVICTION_VACATUR)
    assert (motion.stage, motion.intake_channel) == (Stage.INTAKE, IntakeChannel.WALK_IN)
    assert _event(event) == _START and event.action == "intake"


def test_both_import_paths_store_what_an_intake_stores(tmp_path: Path) -> None:
    path = tmp_path / "warrants.xlsx"
    write_fake_list(path, 60, seed=3)
    for bulk in (True, False):
        db = open_database(f"sqlite:///{tmp_path / f'import-{bulk}.sqlite'}")
        try:
            with db.unit_of_work(bulk_load=bulk) as session:
                outcome = run_import(session, open_source(path), ImportOptions(), "importer")
            motion, event = _first_motion(db)
            kind = motion.kind
            assert _columns(motion) == _expected(kind), f"bulk_load={bulk}"
            assert motion.import_batch_id == outcome.batch_id
            assert motion.intake_channel == IntakeChannel.IMPORT
            assert motion.stage_entered_at == motion.created_at
            assert _event(event) == _START and event.action == "import"
            assert event.at == motion.stage_entered_at and event.user == "importer"
        finally:
            db.dispose()


def test_the_demo_starts_its_motions_the_same_way(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=30):
            pass
    with sqlite_db.reading() as session:
        intake_events = session.scalars(
            select(MotionEvent).where(MotionEvent.from_stage.is_(None))
        ).all()
        assert intake_events
        assert {_event(e) == _START for e in intake_events} == {True}
        motions = session.scalars(select(Motion)).all()
        started = {m.id: m for m in motions}
        for event in intake_events:
            assert event.at == started[event.motion_id].stage_entered_at or (
                started[event.motion_id].stage != Stage.INTAKE
            )
