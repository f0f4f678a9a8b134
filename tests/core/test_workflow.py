"""How a motion moves: allowed steps, what each needs, and refusals that say why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from casetracker.domain.enums import Decision, MotionKind, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, StaleEditError, TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.domain.workflow import TRANSITIONS, transitions_from
from casetracker.services.motions import advance, change_fields, history, undo_group
from casetracker.services.office_settings import set_sealing_days
from casetracker.storage.db import Database
from tests.core.helpers import make_motion, walk_to


def _stage(db: Database, motion_id: int) -> Stage:
    with db.unit_of_work() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None
        return motion.stage


def test_full_path_records_each_step_in_history(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    walk_to(db, motion_id, Stage.SEALED)
    with db.unit_of_work() as session:
        events = history(session, motion_id)
        motion = session.get(Motion, motion_id)
        assert motion is not None
        assert [e.to_stage for e in events] == [
            Stage.INTAKE,
            Stage.VERIFIED,
            Stage.SCREENED,
            Stage.CONSENTED,
            Stage.FILED,
            Stage.CALENDARED,
            Stage.GRANTED,
            Stage.SEALED,
        ]
        # Each event starts where the previous one ended: the history is a chain.
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_stage == before.to_stage
        assert events[-1].user == "tester" and events[-1].reason == "to sealed"
        assert motion.stage_entered_at == events[-1].at
        assert motion.decision == Decision.CONSENT
        assert events[-1].at.microsecond % 1000 == 0  # UTC to the millisecond


def test_disallowed_step_names_where_it_can_go(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    with pytest.raises(TransitionError) as refused, sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.GRANTED, reason="skip ahead", user="tester")
    message = str(refused.value)
    assert "from Intake to Granted" in message and "not an allowed step" in message
    assert "verified" in message and "withdrawn" in message
    assert _stage(sqlite_db, motion_id) == Stage.INTAKE


def test_conviction_must_be_verified_before_screening_but_warrant_need_not(
    sqlite_db: Database,
) -> None:
    conviction = make_motion(sqlite_db).motion_ids[0]
    warrant = make_motion(
        sqlite_db, kind=MotionKind.WARRANT_DISMISSAL, docket="2015SN000001"
    ).motion_ids[0]
    values = {"screening_result": ScreeningResult.ELIGIBLE}
    with pytest.raises(TransitionError), sqlite_db.unit_of_work() as session:
        advance(session, conviction, Stage.SCREENED, reason="r", user="u", values=values)
    with sqlite_db.unit_of_work() as session:
        advance(session, warrant, Stage.SCREENED, reason="r", user="u", values=values)
    assert _stage(sqlite_db, warrant) == Stage.SCREENED


@pytest.mark.parametrize(
    ("stage", "target", "values", "missing"),
    [
        (Stage.INTAKE, Stage.VERIFIED, {}, ["a reason"]),
        (Stage.VERIFIED, Stage.SCREENED, {}, ["screening result"]),
        (Stage.FILED, Stage.CALENDARED, {}, ["court date", "part"]),
        (Stage.FILED, Stage.CALENDARED, {"court_date": "2026-02-03"}, ["part"]),
        (Stage.CALENDARED, Stage.GRANTED, {}, ["order date"]),
        (Stage.GRANTED, Stage.SEALED, {}, ["sealing confirmation date"]),
        (Stage.CONSENTED, Stage.FILED, {}, ["filing date"]),
    ],
)
def test_missing_requirements_are_named(
    sqlite_db: Database, stage: Stage, target: Stage, values: dict[str, str], missing: list[str]
) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    if stage != Stage.INTAKE:
        walk_to(sqlite_db, motion_id, stage)
    reason = "" if missing == ["a reason"] else "because"
    with pytest.raises(TransitionError) as refused, sqlite_db.unit_of_work() as session:
        advance(session, motion_id, target, reason=reason, user="tester", values=values)
    assert list(refused.value.missing) == missing
    for label in missing:
        assert label in str(refused.value)
    assert _stage(sqlite_db, motion_id) == stage


def test_refused_move_writes_no_history(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.FILED)
    with sqlite_db.unit_of_work() as session:
        before = len(history(session, motion_id))
    with pytest.raises(TransitionError), sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.CALENDARED, reason="r", user="u", values={})
    with sqlite_db.unit_of_work() as session:
        assert len(history(session, motion_id)) == before


def test_move_and_history_are_one_transaction(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing the history row fails, the stage change is rolled back with it."""
    motion_id = make_motion(sqlite_db).motion_ids[0]
    with sqlite_db.unit_of_work() as session:
        session.execute(
            text(
                "CREATE TRIGGER fail_history BEFORE INSERT ON motion_event "
                "WHEN NEW.to_stage = 'verified' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        )
    with pytest.raises(Exception, match="disk trouble"), sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.VERIFIED, reason="checked", user="tester")
    assert _stage(sqlite_db, motion_id) == Stage.INTAKE


def test_granted_sets_sealing_deadline_from_setting(db: Database) -> None:
    first = make_motion(db).motion_ids[0]
    walk_to(db, first, Stage.GRANTED)
    with db.unit_of_work() as session:
        motion = session.get(Motion, first)
        assert motion is not None
        assert motion.sealing_deadline == date(2026, 2, 3) + timedelta(days=90)
        set_sealing_days(session, 60, "admin")
    second = make_motion(db, docket="2017SN000002").motion_ids[0]
    walk_to(db, second, Stage.GRANTED)
    with db.unit_of_work() as session:
        motion = session.get(Motion, second)
        assert motion is not None
        assert motion.sealing_deadline == date(2026, 2, 3) + timedelta(days=60)


def test_adjourn_needs_a_new_court_date(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.CALENDARED)
    with pytest.raises(TransitionError, match="a new court date"), sqlite_db.unit_of_work() as s:
        advance(
            s,
            motion_id,
            Stage.CALENDARED,
            reason="adjourned",
            user="u",
            values={"court_date": date(2026, 2, 3)},
        )
    with sqlite_db.unit_of_work() as session:
        event = advance(
            session,
            motion_id,
            Stage.CALENDARED,
            reason="adjourned",
            user="u",
            values={"court_date": date(2026, 3, 10)},
        )
        assert event.action == "adjourn"
        motion = session.get(Motion, motion_id)
        assert motion is not None and motion.court_date == date(2026, 3, 10)
        assert motion.court_part == "AP1"  # kept from the first calendaring


def test_withdraw_before_decision_only(sqlite_db: Database) -> None:
    early = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, early, Stage.CALENDARED)
    with sqlite_db.unit_of_work() as session:
        advance(session, early, Stage.WITHDRAWN, reason="person asked", user="u")
        motion = session.get(Motion, early)
        assert motion is not None and motion.closed_reason == "person asked"
    late = make_motion(sqlite_db, docket="2017SN000003").motion_ids[0]
    walk_to(sqlite_db, late, Stage.GRANTED)
    with pytest.raises(TransitionError, match="not an allowed step"), sqlite_db.unit_of_work() as s:
        advance(s, late, Stage.WITHDRAWN, reason="too late", user="u")


def test_values_the_step_does_not_take_are_refused(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    with (
        pytest.raises(InvalidValueError, match="order_date cannot be set"),
        sqlite_db.unit_of_work() as s,
    ):
        advance(
            s, motion_id, Stage.VERIFIED, reason="r", user="u", values={"order_date": "2026-01-01"}
        )


def test_bad_date_text_is_explained(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.FILED)
    with (
        pytest.raises(
            InvalidValueError,
            match="'3rd of May' is not a date; type it as 2026-12-20 or 12/20/2026",
        ),
        sqlite_db.unit_of_work() as session,
    ):
        advance(
            session,
            motion_id,
            Stage.CALENDARED,
            reason="r",
            user="u",
            values={"court_date": "3rd of May", "court_part": "AP1"},
        )


def test_stale_edit_is_refused(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    with sqlite_db.unit_of_work() as session:
        seen_version = session.get(Motion, motion_id).version  # type: ignore[union-attr]
    with sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.VERIFIED, reason="other user", user="other")
    with (
        pytest.raises(StaleEditError, match="changed by someone else"),
        sqlite_db.unit_of_work() as s,
    ):
        advance(
            s, motion_id, Stage.WITHDRAWN, reason="me", user="me", expected_version=seen_version
        )


def test_undo_group_restores_and_is_recorded(db: Database) -> None:
    ids = [make_motion(db, docket=f"2016SN00000{i}").motion_ids[0] for i in range(3)]
    with db.unit_of_work() as session:
        group = change_fields(
            session,
            ids,
            {"assigned_prosecutor": "ADA Test"},
            action="assign",
            reason="bulk assign",
            user="tester",
        )
    with db.unit_of_work() as session:
        undo = undo_group(session, group, user="tester")
    with db.unit_of_work() as session:
        for motion_id in ids:
            motion = session.get(Motion, motion_id)
            assert motion is not None and motion.assigned_prosecutor is None
        undo_events = session.scalars(select(MotionEvent).where(MotionEvent.group_id == undo)).all()
        assert len(undo_events) == 3 and all(e.undoes_group == group for e in undo_events)
    with pytest.raises(TransitionError, match="already been undone"), db.unit_of_work() as session:
        undo_group(session, group, user="tester")


def test_undo_of_a_move_restores_stage_and_fields(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    walk_to(sqlite_db, motion_id, Stage.FILED)
    with sqlite_db.unit_of_work() as session:
        event = advance(
            session,
            motion_id,
            Stage.CALENDARED,
            reason="r",
            user="u",
            values={"court_date": date(2026, 2, 3), "court_part": "AP1"},
            group_id="g-1",
        )
        entered_before = event.changes["stage_entered_at"][0]
    with sqlite_db.unit_of_work() as session:
        undo_group(session, "g-1", user="tester")
        motion = session.get(Motion, motion_id)
        assert motion is not None
        assert motion.stage == Stage.FILED and motion.court_date is None
        assert motion.stage_entered_at.isoformat() == entered_before


def test_undo_refused_when_motion_changed_since(sqlite_db: Database) -> None:
    motion_id = make_motion(sqlite_db).motion_ids[0]
    with sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.VERIFIED, reason="r", user="u", group_id="g-2")
    with sqlite_db.unit_of_work() as session:
        advance(session, motion_id, Stage.WITHDRAWN, reason="later work", user="other")
    with pytest.raises(TransitionError, match="has changed since"), sqlite_db.unit_of_work() as s:
        undo_group(s, "g-2", user="tester")
    assert _stage(sqlite_db, motion_id) == Stage.WITHDRAWN


def test_every_stage_is_reachable_and_final_stages_are_final() -> None:
    reachable = {Stage.INTAKE}
    for _ in range(len(Stage)):
        for transition in TRANSITIONS:
            if transition.sources & reachable:
                reachable.add(transition.target)
    assert reachable == set(Stage)
    for kind in MotionKind:
        assert transitions_from(Stage.CLOSED, kind) == []
        assert transitions_from(Stage.WITHDRAWN, kind) == []


def test_granting_a_warrant_dismissal_vacates_the_warrant_and_undo_reopens_it(
    db: Database,
) -> None:
    from casetracker.domain.enums import WarrantStatus
    from casetracker.domain.models import Case

    motion_id = make_motion(
        db, kind=MotionKind.WARRANT_DISMISSAL, docket="2014SN000777"
    ).motion_ids[0]
    with db.unit_of_work() as session:
        case = session.get(Motion, motion_id).case  # type: ignore[union-attr]
        case.warrant_status = WarrantStatus.OPEN
    walk_to(db, motion_id, Stage.CALENDARED)
    with db.unit_of_work() as session:
        event = advance(
            session,
            motion_id,
            Stage.GRANTED,
            reason="vacated",
            user="u",
            values={"order_date": date(2026, 2, 3)},
            group_id="grant-1",
        )
        assert event.changes["case.warrant_status"] == ["open", "vacated"]
    with db.unit_of_work() as session:
        assert session.scalars(select(Case)).one().warrant_status == WarrantStatus.VACATED
        undo_group(session, "grant-1", user="tester")
    with db.reading() as session:
        assert session.scalars(select(Case)).one().warrant_status == WarrantStatus.OPEN
    assert _stage(db, motion_id) == Stage.CALENDARED
