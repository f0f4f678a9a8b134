"""Decisions: reason codes, the queue, bulk consent on a filter, the supervisor rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casetracker.decisions.queue import QueueFilter, count_queue, list_queue
from casetracker.decisions.reason_codes import (
    add_reason_code,
    list_reason_codes,
    retire_reason_code,
)
from casetracker.decisions.service import decide, set_opposition_needs_signoff, sign_off
from casetracker.domain.enums import County, Decision, FlagKind, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.screening.service import screen_motions
from casetracker.services.motions import advance, undo_group
from casetracker.storage.db import Database
from tests.support.motions import make_motion


def screened(db: Database, **kinds: int) -> dict[str, list[int]]:
    """Screened warrant motions: eligible in Kings and New York, and one excluded."""
    made: dict[str, list[int]] = {"kings": [], "new_york": [], "excluded": []}
    with db.unit_of_work() as session:
        for _ in range(kinds.get("kings", 3)):
            made["kings"].append(make_motion(session, county=County.KINGS))
        for _ in range(kinds.get("new_york", 2)):
            made["new_york"].append(make_motion(session, county=County.NEW_YORK))
        made["excluded"].append(make_motion(session, flags=[FlagKind.SEX_OFFENSE]))
        screen_motions(session, None, user="screener")
    return made


def test_queue_is_oldest_first_with_reasons(db: Database) -> None:
    made = screened(db)
    with db.unit_of_work() as session:
        rows = list_queue(session)
    assert [r.id for r in rows] == made["kings"] + made["new_york"] + made["excluded"]
    assert rows[-1].screening_result == ScreeningResult.INELIGIBLE
    assert "sex-offense" in rows[-1].reasons_text


def test_bulk_consent_on_a_filter_decides_exactly_the_motions_shown(db: Database) -> None:
    made = screened(db)
    flt = QueueFilter(counties=(County.KINGS,), results=(ScreeningResult.ELIGIBLE,))
    with db.unit_of_work() as session:
        shown = list_queue(session, flt)
        assert count_queue(session, flt) == len(shown) == 3
        report = decide(
            session,
            [r.id for r in shown],
            Decision.CONSENT,
            reason_code="policy",
            user="ada.one",
            expected_versions={r.id: r.version for r in shown},
            only_eligible=True,
        )
    assert report.decided == made["kings"]
    with db.unit_of_work() as session:
        stages = {m.id: m.stage for m in session.scalars(select(Motion))}
        assert {i for i, s in stages.items() if s == Stage.CONSENTED} == set(made["kings"])
        motion = session.get(Motion, made["kings"][0])
        assert motion is not None
        assert (motion.decision, motion.decision_reason_code, motion.assigned_prosecutor) == (
            Decision.CONSENT,
            "POLICY",
            "ada.one",
        )
        groups = set(
            session.scalars(select(MotionEvent.group_id).where(MotionEvent.action == "consent"))
        )
        assert groups == {report.group_id}
        undo_group(session, report.group_id, user="ada.one")
    with db.unit_of_work() as session:
        assert all(session.get(Motion, i).stage == Stage.SCREENED for i in made["kings"])  # type: ignore[union-attr]


def test_bulk_consent_refuses_if_a_motion_is_no_longer_eligible(db: Database) -> None:
    made = screened(db)
    ids = made["kings"] + made["excluded"]
    with pytest.raises(InvalidValueError, match="no longer"), db.unit_of_work() as session:
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user="ada", only_eligible=True)
    with db.unit_of_work() as session:
        assert session.scalar(select(Motion.id).where(Motion.stage == Stage.CONSENTED)) is None


def test_reason_code_must_exist_and_fit_the_decision(db: Database) -> None:
    made = screened(db)
    with pytest.raises(InvalidValueError, match="RECORD, IDENTITY"), db.unit_of_work() as session:
        decide(session, made["kings"][:1], Decision.INFO, reason_code="EXCLUDED", user="ada")
    with db.unit_of_work() as session:
        add_reason_code(session, "LAB-REPORT", "Need the lab report", Decision.INFO, user="sup")
        retire_reason_code(session, "IDENTITY", user="sup")
        codes = [c.code for c in list_reason_codes(session, Decision.INFO)]
        assert codes == ["RECORD", "LAB-REPORT"]
        decide(
            session,
            made["kings"][:1],
            Decision.INFO,
            reason_code="lab-report",
            note="ask BDS",
            user="ada",
        )
    with pytest.raises(InvalidValueError, match="retired"), db.unit_of_work() as session:
        decide(session, made["kings"][1:2], Decision.INFO, reason_code="IDENTITY", user="ada")


def test_consenting_to_an_ineligible_motion_needs_a_note(db: Database) -> None:
    made = screened(db)
    with pytest.raises(InvalidValueError, match="a note saying why"), db.unit_of_work() as session:
        decide(session, made["excluded"], Decision.CONSENT, reason_code="REVIEWED", user="ada")
    with db.unit_of_work() as session:
        decide(
            session,
            made["excluded"],
            Decision.CONSENT,
            reason_code="REVIEWED",
            note="Flag was a data-entry error",
            user="ada",
        )


def test_opposition_needs_a_supervisor_when_the_office_says_so(db: Database) -> None:
    made = screened(db)
    opposed = made["excluded"][0]
    with db.unit_of_work() as session:
        set_opposition_needs_signoff(session, True, user="admin")
        report = decide(session, [opposed], Decision.OPPOSE, reason_code="EXCLUDED", user="ada")
    assert report.awaiting_signoff == [opposed]
    with db.unit_of_work() as session:
        assert [r.id for r in list_queue(session, QueueFilter(awaiting_signoff=True))] == [opposed]
        with pytest.raises(TransitionError, match="sign-off"):
            advance(session, opposed, Stage.CLOSED, reason="done", user="ada")
    with pytest.raises(InvalidValueError, match="another supervisor"), db.unit_of_work() as session:
        sign_off(session, [opposed], user="ada")
    with db.unit_of_work() as session:
        sign_off(session, [opposed], user="chief", note="agreed")
    with db.unit_of_work() as session:
        motion = session.get(Motion, opposed)
        assert motion is not None and motion.supervisor_signoff_by == "chief"
        event = session.scalars(
            select(MotionEvent).where(MotionEvent.motion_id == opposed).order_by(MotionEvent.id)
        ).all()[-1]
        assert (event.action, event.user) == ("signoff", "chief")
        assert list_queue(session, QueueFilter(awaiting_signoff=True)) == []
        advance(session, opposed, Stage.CLOSED, reason="done", user="ada")


def test_opposition_counts_at_once_when_no_signoff_is_required(db: Database) -> None:
    made = screened(db)
    with db.unit_of_work() as session:
        report = decide(
            session, made["excluded"], Decision.OPPOSE, reason_code="EXCLUDED", user="ada"
        )
        assert report.awaiting_signoff == []
        advance(session, made["excluded"][0], Stage.CLOSED, reason="done", user="ada")


def test_a_bulk_preview_reads_the_default_reason_codes_without_writing(
    sqlite_db: Database,
) -> None:
    """A preview runs in a reading unit of work. It used to copy the default reason codes
    into the office's list there, a write that SQLite refuses at once ("busy") when another
    connection (the desk folding its search index) wrote after the read began."""
    from casetracker.domain.models import ReasonCode
    from casetracker.services import bulk

    with sqlite_db.unit_of_work() as session:
        ids = [make_motion(session, county=County.KINGS) for _ in range(2)]
        screen_motions(session, None, user="screener")
    action = bulk.MoveToStage(Stage.CONSENTED, {"decision_reason_code": "POLICY"})
    with sqlite_db.reading() as session:
        session.scalar(select(Motion.id).limit(1))  # the read has begun
        with sqlite_db.unit_of_work() as other:  # another connection writes meanwhile
            make_motion(other, county=County.QUEENS)
        preview = bulk.preview(session, ids, action)
    assert len(preview.changes) == 2
    with sqlite_db.reading() as session:
        assert session.scalar(select(ReasonCode.code).limit(1)) is None
