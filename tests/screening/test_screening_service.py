"""Screening stored motions: results, version stamps, reasons in the history, skipping what is
not ready, and re-screening after a rule change only once the change has been reviewed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import FlagKind, MotionKind, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, NotFoundError, StaleEditError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.screening.rules import parse_rules_text, shipped_rules
from casetracker.screening.service import (
    apply_rescreen,
    preview_rescreen,
    proceed_anyway,
    screen_motions,
    unscreened_ids,
)
from casetracker.screening.store import save_rules
from casetracker.services.motions import change_fields, undo_group
from casetracker.storage.db import Database
from tests.support.motions import make_motion

CONVICTION = MotionKind.CONVICTION_VACATUR


def test_screen_all_stores_result_version_and_reasons(db: Database) -> None:
    with db.unit_of_work() as session:
        eligible = make_motion(session, charges=["PL 2210500"])
        excluded = make_motion(session, flags=[FlagKind.OPEN_FELONY])
        flag_source = "test"
        not_verified = make_motion(session, CONVICTION, verify=False)
    with db.unit_of_work() as session:
        report = screen_motions(session, None, user="screener")
    assert report.screened == [eligible, excluded]
    assert "not verified" in report.skipped[not_verified]
    with db.unit_of_work() as session:
        motion = session.get(Motion, eligible)
        assert motion is not None
        assert motion.stage == Stage.SCREENED
        assert motion.screening_result == ScreeningResult.ELIGIBLE
        assert motion.screening_ruleset == shipped_rules().version
        assert motion.screening_reasons[0]["subject"].startswith("PL 221.05, summons charge")
        assert motion.screening_as_of == motion.intake_date
        assert motion.screened_by == "screener"
        other = session.get(Motion, excluded)
        assert other is not None and other.screening_result == ScreeningResult.INELIGIBLE
        assert other.screening_reasons[0] == {
            "rule": "flag-open-felony",
            "because": "Excluded: an open felony case not on file here is recorded for the "
            f"person (recorded from {flag_source}).",
            "subject": f"Open felony case (recorded, {flag_source})",
            "effect": "ineligible",
        }
        event = session.scalars(
            select(MotionEvent).where(MotionEvent.motion_id == excluded).order_by(MotionEvent.id)
        ).all()[-1]
        assert event.action == "screen" and event.user == "screener"
        assert "flag-open-felony" in event.reason
        assert unscreened_ids(session) == [not_verified]


def test_screening_is_one_undoable_action(db: Database) -> None:
    with db.unit_of_work() as session:
        ids = [make_motion(session), make_motion(session)]
        report = screen_motions(session, ids, user="screener")
    assert report.group_id is not None
    with db.unit_of_work() as session:
        undo_group(session, report.group_id, user="screener")
    with db.unit_of_work() as session:
        assert {session.get(Motion, i).stage for i in ids} == {Stage.INTAKE}  # type: ignore[union-attr]


def test_unknown_motion_is_refused(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no motion 999"), db.unit_of_work() as session:
        screen_motions(session, [999], user="screener")


def test_proceed_anyway_is_an_action_with_its_reason_and_undoes_as_one(db: Database) -> None:
    with db.unit_of_work() as session:
        motion_id = make_motion(session, CONVICTION, charges=["PL 221.10"])
        screen_motions(session, [motion_id], user="screener")
        assert session.get(Motion, motion_id).screening_result == (  # type: ignore[union-attr]
            ScreeningResult.EXPUNGED_BY_LAW
        )
    with pytest.raises(InvalidValueError, match="Say why"), db.unit_of_work() as session:
        proceed_anyway(session, motion_id, reason=" ", user="ada")
    with db.unit_of_work() as session:
        report = proceed_anyway(
            session, motion_id, reason="Needed for an immigration case", user="ada"
        )
    with db.unit_of_work() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None
        assert motion.proceed_if_expunged
        assert motion.screening_result == ScreeningResult.ELIGIBLE
        note = next(r for r in motion.screening_reasons if r["rule"] == "expunged-2019-ch131")
        assert "proceeding anyway" in note["because"].lower()
        events = session.scalars(
            select(MotionEvent).where(MotionEvent.group_id == report.group_id)
        ).all()
        assert [e.action for e in events] == ["proceed_anyway", "screen"]
        assert "Needed for an immigration case" in events[0].reason
        assert events[0].changes == {"proceed_if_expunged": [False, True]}
    assert report.group_id is not None
    with db.unit_of_work() as session:
        undo_group(session, report.group_id, user="ada")
    with db.unit_of_work() as session:
        motion = session.get(Motion, motion_id)
        assert motion is not None and not motion.proceed_if_expunged
        assert motion.screening_result == ScreeningResult.EXPUNGED_BY_LAW


def test_rule_change_applies_only_after_the_reviewed_rescreen(db: Database) -> None:
    with db.unit_of_work() as session:
        littering = make_motion(session, charges=["AC 16-118"])
        weed = make_motion(session, charges=["PL 221.05"])
        screen_motions(session, None, user="screener")
    doc = json.loads(shipped_rules().to_json())
    doc["version"] = "2019-office-3"
    doc["coverage"][2]["charges"] = ["AC 10-125"]
    with db.unit_of_work() as session:
        rules = save_rules(session, json.dumps(doc), user="admin")
    with db.unit_of_work() as session:
        assert session.get(Motion, littering).screening_result == ScreeningResult.ELIGIBLE  # type: ignore[union-attr]
        preview = preview_rescreen(session, rules)
    changed = {item.motion_id: item for item in preview if item.changed}
    assert list(changed) == [littering]
    assert changed[littering].outcome.result == ScreeningResult.INELIGIBLE
    assert {item.motion_id for item in preview} == {littering, weed}
    with db.unit_of_work() as session:
        report = apply_rescreen(session, preview, user="admin")
    assert report.results[ScreeningResult.INELIGIBLE] == 1
    with db.unit_of_work() as session:
        motion = session.get(Motion, littering)
        assert motion is not None and motion.screening_result == ScreeningResult.INELIGIBLE
        assert motion.screening_ruleset == "2019-office-3"
        assert session.get(Motion, weed).screening_ruleset == "2019-office-3"  # type: ignore[union-attr]
        assert preview_rescreen(session, rules) == []


def test_rescreen_refused_when_a_motion_changed_after_the_preview(db: Database) -> None:
    with db.unit_of_work() as session:
        motion_id = make_motion(session)
        screen_motions(session, None, user="screener")
    rules = parse_rules_text(shipped_rules().to_json().replace("2018-office-2", "v2"))
    with db.unit_of_work() as session:
        preview = preview_rescreen(session, rules)
        change_fields(
            session,
            [motion_id],
            {"assigned_prosecutor": "ada"},
            action="assign",
            reason="assigned",
            user="boss",
        )
    with pytest.raises(StaleEditError, match="Preview"), db.unit_of_work() as session:
        apply_rescreen(session, preview, user="admin")


def test_demo_screenings_match_the_real_rules(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        list(generate_demo(session, people=300, today=date(2026, 11, 20)))
    with sqlite_db.unit_of_work() as session:
        screened = session.scalars(select(Motion).where(Motion.screening_result.is_not(None))).all()
        assert screened and all(m.screening_reasons for m in screened)
        assert {m.screening_ruleset for m in screened} == {shipped_rules().version}
        assert not [i for i in preview_rescreen(session, shipped_rules()) if i.changed]
        consented = [m for m in screened if m.decision is not None and m.stage != Stage.OPPOSED]
        assert all(
            m.screening_result != ScreeningResult.INELIGIBLE
            for m in consented
            if m.decision.value == "consent"
        )  # type: ignore[union-attr]
