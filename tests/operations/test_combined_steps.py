"""Two steps as one action (filed and calendared; notified and closed; screened and consented):
each step is its own history row with its own date, checked by the workflow as if taken alone,
and one undo takes back both."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casetracker.domain.enums import NotificationOutcome, ScreeningResult, Stage
from casetracker.domain.errors import TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.operations import Actor
from casetracker.screening.ops import screen_and_consent
from casetracker.services import motion_ops
from casetracker.services.motion_ops import NextStep
from casetracker.storage.db import Database
from tests.core.helpers import make_motion, walk_to
from tests.support import motions as support

CLERK = Actor("clerk.one")


def _events(db: Database, group_id: str) -> list[tuple[str, Stage, str]]:
    with db.reading() as session:
        rows = session.scalars(
            select(MotionEvent).where(MotionEvent.group_id == group_id).order_by(MotionEvent.id)
        ).all()
        return [(e.action, e.to_stage, e.reason) for e in rows]


def _stage(db: Database, motion_id: int) -> Stage:
    with db.reading() as session:
        return session.get_one(Motion, motion_id).stage


def test_filed_and_calendared_are_two_history_rows_undone_as_one(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    walk_to(db, motion_id, Stage.CONSENTED)
    changes = motion_ops.advance(
        db,
        CLERK,
        motion_id,
        Stage.FILED,
        reason="Motion filed with the court",
        values={"filed_date": date(2026, 1, 5)},
        action="file",
        then=(
            NextStep(
                Stage.CALENDARED,
                "calendar",
                "Calendared by the court",
                {"court_date": date(2026, 2, 3), "court_part": "AP1"},
            ),
        ),
    )
    assert changes.summary.endswith(": Consented → Calendared")
    assert changes.undo is not None
    assert _events(db, changes.undo.group_id) == [
        ("file", Stage.FILED, "Motion filed with the court"),
        ("calendar", Stage.CALENDARED, "Calendared by the court"),
    ]
    with db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert (motion.filed_date, motion.court_date, motion.court_part) == (
            date(2026, 1, 5),
            date(2026, 2, 3),
            "AP1",
        )
    motion_ops.undo(db, CLERK, changes.undo)
    assert _stage(db, motion_id) == Stage.CONSENTED
    # Redo makes both steps again.
    assert changes.undo.redo is not None
    changes.undo.redo(db, CLERK)
    assert _stage(db, motion_id) == Stage.CALENDARED


def test_a_second_step_the_workflow_refuses_saves_neither(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    walk_to(db, motion_id, Stage.CONSENTED)
    with pytest.raises(TransitionError, match="needs part"):
        motion_ops.advance(
            db,
            CLERK,
            motion_id,
            Stage.FILED,
            reason="filed",
            values={"filed_date": date(2026, 1, 5)},
            action="file",
            then=(NextStep(Stage.CALENDARED, "calendar", "cal", {"court_date": date(2026, 2, 3)}),),
        )
    assert _stage(db, motion_id) == Stage.CONSENTED


def test_notified_and_closed(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    walk_to(db, motion_id, Stage.SEALED)
    changes = motion_ops.advance(
        db,
        CLERK,
        motion_id,
        Stage.NOTIFIED,
        reason="Person told of the outcome",
        values={
            "notification_date": date(2026, 3, 2),
            "notification_outcome": NotificationOutcome.DELIVERED,
        },
        action="notify",
        then=(NextStep(Stage.CLOSED, "close", "Nothing more to do"),),
    )
    assert changes.undo is not None
    assert [(a, s) for a, s, _ in _events(db, changes.undo.group_id)] == [
        ("notify", Stage.NOTIFIED),
        ("close", Stage.CLOSED),
    ]
    motion_ops.undo(db, CLERK, changes.undo)
    assert _stage(db, motion_id) == Stage.SEALED


def test_screened_eligible_and_consented_undone_as_one(db: Database) -> None:
    with db.unit_of_work() as session:
        motion_id = support.make_motion(session, charges=["PL 221.05"])
    changes = screen_and_consent(db, Actor("ada.one"), motion_id, reason_code="POLICY")
    assert changes.undo is not None
    assert [(a, s) for a, s, _ in _events(db, changes.undo.group_id)] == [
        ("screen", Stage.SCREENED),
        ("consent", Stage.CONSENTED),
    ]
    with db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert motion.screening_result == ScreeningResult.ELIGIBLE
        assert motion.decision_reason_code == "POLICY"
    motion_ops.undo(db, CLERK, changes.undo)
    with db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert motion.stage == Stage.INTAKE and motion.screening_result is None


def test_screen_and_consent_refuses_a_motion_not_screened_eligible(db: Database) -> None:
    with db.unit_of_work() as session:
        motion_id = support.make_motion(session, charges=["PL 165.15"])
    with pytest.raises(TransitionError, match="nothing was saved"):
        screen_and_consent(db, Actor("ada.one"), motion_id, reason_code="POLICY")
    with db.reading() as session:
        motion = session.get_one(Motion, motion_id)
        assert motion.stage == Stage.INTAKE and motion.screening_result is None
