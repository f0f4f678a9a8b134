"""Bulk actions: an honest preview, one group per action, and an undo that restores exactly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casetracker.domain.enums import ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.services import bulk, moves
from casetracker.services.dashboard import dashboard
from casetracker.services.motions import advance, undo_group
from casetracker.storage.db import Database
from tests.desk_data import add_people


def _state(db: Database) -> list[tuple[object, ...]]:
    with db.unit_of_work() as session:
        columns = [c for c in Motion.__table__.columns if c.name != "version"]
        return [tuple(row) for row in session.execute(select(*columns).order_by(Motion.id))]


def test_move_preview_lists_what_changes_and_what_cannot(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session:
        advance(
            session,
            ids[0],
            Stage.SCREENED,
            reason="r",
            user="u",
            values={"screening_result": ScreeningResult.ELIGIBLE},
        )
    with db.unit_of_work() as session:
        preview = bulk.preview(session, ids, bulk.MoveToStage(Stage.CONSENTED))
    assert preview.motion_ids == [ids[0]]
    assert preview.changes[0][1] == "Screened → Consented"
    assert len(preview.refused) == 4
    assert "Intake cannot go to Consented" in preview.refused[0][1]


def test_bulk_apply_then_undo_leaves_the_motions_exactly_as_before(db: Database) -> None:
    ids = add_people(db)
    before = _state(db)
    with db.unit_of_work() as session:
        group = bulk.apply(
            session,
            ids,
            bulk.MoveToStage(Stage.SCREENED, {"screening_result": "eligible"}),
            user="tester",
            reason="weekly screening",
        )
    after = _state(db)
    assert after != before
    with db.unit_of_work() as session:
        assert {m.stage for m in session.scalars(select(Motion))} == {Stage.SCREENED}
        undone = undo_group(session, group, user="tester")
    assert _state(db) == before
    with db.unit_of_work() as session:
        actions = session.execute(
            select(MotionEvent.action, MotionEvent.group_id, MotionEvent.undoes_group).where(
                MotionEvent.group_id.in_([group, undone])
            )
        ).all()
        assert sorted(a for a, _, _ in actions) == ["screen"] * 5 + ["undo"] * 5
        assert {u for _, g, u in actions if g == undone} == {group}
        with pytest.raises(TransitionError, match="already been undone"):
            undo_group(session, group, user="tester")


def test_assign_and_court_list_need_a_reason_and_refuse_what_they_must(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session, pytest.raises(TransitionError, match="reason"):
        bulk.apply(session, ids, bulk.AssignProsecutor("ada.one"), user="u", reason=" ")
    with db.unit_of_work() as session:
        bulk.apply(session, ids[:2], bulk.AssignProsecutor("ada.one"), user="u", reason="load")
    with db.unit_of_work() as session:
        preview = bulk.preview(session, ids, bulk.AssignProsecutor("ada.one"))
        assert [i for i, _ in preview.refused] == ids[:2]
        assert "already assigned" in preview.refused[0][1]


def test_filed_needs_its_date_and_says_so(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session:
        for motion_id in ids[:1]:
            advance(
                session,
                motion_id,
                Stage.SCREENED,
                reason="r",
                user="u",
                values={"screening_result": "eligible"},
            )
            advance(session, motion_id, Stage.CONSENTED, reason="r", user="u")
    with db.unit_of_work() as session:
        without = bulk.preview(session, ids[:1], bulk.MoveToStage(Stage.FILED))
        assert without.refused == [(ids[0], "needs filing date")]
        given = bulk.preview(
            session, ids[:1], bulk.MoveToStage(Stage.FILED, {"filed_date": date(2024, 1, 2)})
        )
        assert given.motion_ids == [ids[0]]


def test_dashboard_counts_stages_moves_and_backlog(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session:
        bulk.apply(
            session,
            ids[:3],
            bulk.MoveToStage(Stage.SCREENED, {"screening_result": "eligible"}),
            user="u",
            reason="r",
        )
    with db.unit_of_work() as session:
        data = dashboard(session)
    assert data.totals.stages[Stage.SCREENED] == 3 and data.totals.stages[Stage.INTAKE] == 2
    assert {a: n for a, n in data.totals.moved.items() if n} == {"intake": 5, "screen": 3}
    assert data.totals.backlog == [5, 0, 0, 0, 0] and data.partial


def _screen_as(db: Database, results: dict[int, ScreeningResult]) -> None:
    with db.unit_of_work() as session:
        for motion_id, result in results.items():
            advance(
                session,
                motion_id,
                Stage.SCREENED,
                reason="r",
                user="u",
                values={"screening_result": result},
            )


def test_bulk_consent_asks_apart_for_motions_not_screened_eligible(db: Database) -> None:
    ids = add_people(db)
    eligible, ineligible, review = ids[:2], ids[2], ids[3]
    _screen_as(
        db,
        {
            **dict.fromkeys(eligible, ScreeningResult.ELIGIBLE),
            ineligible: ScreeningResult.INELIGIBLE,
            review: ScreeningResult.NEEDS_REVIEW,
        },
    )
    consent = bulk.MoveToStage(Stage.CONSENTED, {"decision_reason_code": "POLICY"})
    with db.unit_of_work() as session:
        shown = bulk.preview(session, ids, consent)
        names = {m.id: moves.who(m) for m in session.scalars(select(Motion))}
    # The eligible go as before; the other two are listed apart, each with why.
    assert shown.motion_ids == eligible
    assert [(p.motion_id, p.apart) for p in shown.apart] == [
        (ineligible, "screened ineligible"),
        (review, "screened needs review"),
    ]
    assert str(shown.apart[0]) == f"{names[ineligible]}: Screened → Consented"
    assert [i for i, _ in shown.refused] == [ids[4]]  # still at intake

    # Without a reason for them, only the eligible are consented.
    with db.unit_of_work() as session:
        result = bulk.apply_previewed(session, shown, user="ada", reason="policy")
    assert result.moved == eligible
    with db.reading() as session:
        stages = {m.id: m.stage for m in session.scalars(select(Motion))}
    assert stages[ineligible] == stages[review] == Stage.SCREENED


def test_a_consent_asked_apart_records_its_own_reason_in_history(db: Database) -> None:
    ids = add_people(db)
    _screen_as(db, {ids[0]: ScreeningResult.ELIGIBLE, ids[1]: ScreeningResult.INELIGIBLE})
    consent = bulk.MoveToStage(Stage.CONSENTED, {"decision_reason_code": "POLICY"})
    with db.unit_of_work() as session:
        shown = bulk.preview(session, ids[:2], consent)
        result = bulk.apply_previewed(
            session, shown, user="ada", reason="policy", apart_reason="plea was to 221.05"
        )
    assert sorted(result.moved) == ids[:2]
    with db.reading() as session:
        motion = session.get_one(Motion, ids[1])
        assert motion.stage == Stage.CONSENTED
        assert motion.decision_note == "plea was to 221.05"
        reasons = dict(
            session.execute(
                select(MotionEvent.motion_id, MotionEvent.reason).where(
                    MotionEvent.group_id == result.group_id
                )
            ).all()
        )
    assert reasons[ids[0]] == "policy"
    assert reasons[ids[1]] == "policy; although screened ineligible: plea was to 221.05"


def test_a_bulk_decision_takes_only_a_reason_code_from_the_list(db: Database) -> None:
    ids = add_people(db)
    _screen_as(db, {ids[0]: ScreeningResult.ELIGIBLE})
    with db.unit_of_work() as session, pytest.raises(InvalidValueError, match="POLICY"):
        bulk.preview(
            session, ids[:1], bulk.MoveToStage(Stage.CONSENTED, {"decision_reason_code": "XYZ"})
        )
    with db.unit_of_work() as session, pytest.raises(InvalidValueError, match="oppose"):
        bulk.preview(
            session,
            ids[:1],
            bulk.MoveToStage(Stage.CONSENTED, {"decision_reason_code": "EXCLUDED"}),
        )


def test_a_refused_move_names_the_person_and_docket_not_the_row(db: Database) -> None:
    ids = add_people(db)
    with db.unit_of_work() as session, pytest.raises(TransitionError) as refused:
        advance(session, ids[0], Stage.SCREENED, reason="r", user="u")
    with db.reading() as session:
        who = moves.who(session.get_one(Motion, ids[0]))
    assert str(refused.value).startswith(f"Cannot move {who} to Screened: needs")
    assert f"motion {ids[0]}" not in str(refused.value)
