"""The demo office: every stage present, history consistent with the motions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from casetracker.devtools.demo import demo_summary, generate_demo
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, MotionEvent
from casetracker.domain.workflow import TRANSITIONS
from casetracker.storage.db import Database


def test_demo_covers_every_stage_with_consistent_history(db: Database) -> None:
    with db.unit_of_work() as session:
        steps = list(generate_demo(session, people=400, today=date(2026, 11, 20)))
    assert steps[-1] == (400, 400)
    allowed = {(source, t.target, t.action) for t in TRANSITIONS for source in t.sources}
    with db.unit_of_work() as session:
        summary = demo_summary(session)
        assert summary.people == 400 and summary.motions >= 400
        assert set(summary.by_stage) == {stage.value for stage in Stage}
        events: dict[int, list[MotionEvent]] = defaultdict(list)
        for event in session.scalars(select(MotionEvent).order_by(MotionEvent.id)):
            events[event.motion_id].append(event)
        for motion in session.scalars(select(Motion)):
            chain = events[motion.id]
            assert chain[0].from_stage is None and chain[0].to_stage == Stage.INTAKE
            for before, after in zip(chain, chain[1:], strict=False):
                assert after.from_stage == before.to_stage
                assert (after.from_stage, after.to_stage, after.action) in allowed
                assert after.at >= before.at
            assert chain[-1].to_stage == motion.stage
            assert motion.stage_entered_at == chain[-1].at
            assert chain[-1].at.date() <= date(2026, 11, 20)
            if motion.stage in (Stage.GRANTED, Stage.SEALED, Stage.NOTIFIED):
                assert motion.order_date is not None and motion.sealing_deadline is not None


def test_demo_can_be_sized_in_motions_and_is_repeatable(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        list(generate_demo(session, motions=250, seed=7, today=date(2026, 11, 20)))
        first = demo_summary(session)
    assert first.motions == 250
