"""Telling the person: attempts from the grant on, several per motion, the latest shown, and
notified once one reached the person (and the sealing is confirmed)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casetracker.courtlists.aftercare import confirm_sealing, record_notification
from casetracker.courtlists.notifications import add_attempt, attempts_of
from casetracker.domain.enums import NotificationMethod, NotificationOutcome, Stage
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import Motion, NotificationAttempt
from casetracker.services import motion_ops
from casetracker.storage.db import Database
from tests.core.helpers import make_motion, walk_to


def _motion(db: Database, motion_id: int) -> Motion:
    with db.reading() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None
        return motion


def _granted(db: Database, docket: str = "2016SN016969") -> int:
    made = make_motion(db, docket=docket)
    walk_to(db, made.motion_ids[0], Stage.GRANTED)  # order date 2026-02-03
    return made.motion_ids[0]


def _seal(db: Database, motion_id: int) -> None:
    motion_ops.advance(
        db,
        "clerk",
        motion_id,
        Stage.SEALED,
        reason="confirmed",
        values={"sealing_confirmed_date": date(2026, 3, 1)},
    )


def test_attempts_from_granted_on_and_notified_once_sealed(db: Database) -> None:
    motion_id = _granted(db)
    add_attempt(
        db, "bds.worker", motion_id, attempted_on="2026-02-10", outcome="no_answer",
        method="phone", org="BDS",
    )  # fmt: skip
    add_attempt(
        db, "bds.worker", motion_id, attempted_on="2026-02-12", outcome="undeliverable",
        method="mail", org="BDS", note="returned: moved",
    )  # fmt: skip
    changes = add_attempt(
        db, "bds.worker", motion_id, attempted_on="2026-02-20", outcome="delivered",
        method="phone", org="BDS",
    )  # fmt: skip
    assert "reached" in changes.summary
    motion = _motion(db, motion_id)
    # Reached, but the record is not sealed yet: still granted, showing the latest attempt.
    assert motion.stage == Stage.GRANTED
    assert motion.notification_date == date(2026, 2, 20)
    assert motion.notification_outcome == NotificationOutcome.DELIVERED
    with db.reading() as session:
        attempts = attempts_of(session, motion_id)
    assert [a.outcome for a in attempts] == [
        NotificationOutcome.DELIVERED,
        NotificationOutcome.UNDELIVERABLE,
        NotificationOutcome.NO_ANSWER,
    ]
    assert attempts[1].text == "2026-02-12 mail by BDS: undeliverable (returned: moved)"
    with db.unit_of_work() as session:
        confirm_sealing(session, [motion_id], date(2026, 3, 1), user="clerk")
    motion = _motion(db, motion_id)
    assert motion.stage == Stage.NOTIFIED
    assert (motion.notification_date, motion.notification_method) == (
        date(2026, 2, 20),
        NotificationMethod.PHONE,
    )


def test_reaching_a_sealed_motion_notifies_it_and_one_undo_takes_it_back(db: Database) -> None:
    motion_id = _granted(db)
    _seal(db, motion_id)
    changes = add_attempt(
        db, "clerk", motion_id, attempted_on="2026-03-05", outcome="Reached (delivered)",
        method="in person",
    )  # fmt: skip
    assert _motion(db, motion_id).stage == Stage.NOTIFIED
    assert changes.undo is not None
    undone = motion_ops.undo(db, "clerk", changes.undo)
    motion = _motion(db, motion_id)
    assert motion.stage == Stage.SEALED and motion.notification_date is None
    with db.reading() as session:
        assert session.scalars(select(NotificationAttempt)).all() == []
    # Redo is the undo of the undo: the attempt and the move come back together.
    assert undone.undo is not None
    motion_ops.undo(db, "clerk", undone.undo)
    assert _motion(db, motion_id).stage == Stage.NOTIFIED
    with db.reading() as session:
        assert len(attempts_of(session, motion_id)) == 1


@pytest.mark.parametrize(
    ("values", "error", "says"),
    [
        ({"attempted_on": "2099-01-01", "outcome": "delivered", "method": "mail"},
         InvalidValueError, "in the future"),
        ({"attempted_on": "2026-01-01", "outcome": "delivered", "method": "mail"},
         InvalidValueError, "before the order"),
        ({"attempted_on": "2026-02-10", "outcome": "delivered"}, InvalidValueError,
         "needs its method"),
        ({"attempted_on": "2026-02-10", "outcome": "maybe", "method": "mail"},
         InvalidValueError, "not a NotificationOutcome"),
        ({"attempted_on": "10 Feb", "outcome": "no_contact"}, InvalidValueError, "not a date"),
    ],
)  # fmt: skip
def test_bad_attempts_are_refused(
    sqlite_db: Database, values: dict[str, str], error: type[Exception], says: str
) -> None:
    motion_id = _granted(sqlite_db)
    with pytest.raises(error, match=says):
        add_attempt(sqlite_db, "clerk", motion_id, **values)
    with sqlite_db.reading() as session:
        assert attempts_of(session, motion_id) == []


def test_no_attempt_before_the_grant(sqlite_db: Database) -> None:
    made = make_motion(sqlite_db)
    walk_to(sqlite_db, made.motion_ids[0], Stage.CONSENTED)
    with pytest.raises(TransitionError, match="once the motion is granted"):
        add_attempt(
            sqlite_db, "clerk", made.motion_ids[0], attempted_on="2026-02-10",
            outcome="no_contact",
        )  # fmt: skip


def test_the_bulk_notify_and_the_workflow_form_keep_their_attempts(db: Database) -> None:
    first = _granted(db, "2016SN000001")
    second = _granted(db, "2016SN000002")
    _seal(db, second)
    with db.unit_of_work() as session:
        record_notification(
            session,
            [first, second],
            notified=date(2026, 3, 10),
            outcome=NotificationOutcome.DELIVERED,
            method=NotificationMethod.MAIL,
            org="LAS",
            user="las",
        )
    assert _motion(db, first).stage == Stage.GRANTED
    assert _motion(db, second).stage == Stage.NOTIFIED
    third = _granted(db, "2016SN000003")
    _seal(db, third)
    motion_ops.advance(
        db,
        "clerk",
        third,
        Stage.NOTIFIED,
        reason="told at the clinic",
        values={
            "notification_date": date(2026, 3, 12),
            "notification_outcome": NotificationOutcome.DELIVERED,
            "notification_method": NotificationMethod.IN_PERSON,
        },
    )
    with db.reading() as session:
        for motion_id in (first, second, third):
            (attempt,) = attempts_of(session, motion_id)
            assert attempt.outcome == NotificationOutcome.DELIVERED


def test_confirming_the_sealing_of_one_motion_notifies_a_person_already_reached(
    sqlite_db: Database,
) -> None:
    motion_id = _granted(sqlite_db)
    add_attempt(
        sqlite_db, "clerk", motion_id, attempted_on="2026-02-20", outcome="delivered",
        method="email",
    )  # fmt: skip
    _seal(sqlite_db, motion_id)
    motion = _motion(sqlite_db, motion_id)
    assert motion.stage == Stage.NOTIFIED
    assert motion.notification_method == NotificationMethod.EMAIL
