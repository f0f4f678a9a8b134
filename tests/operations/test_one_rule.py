"""workflow.check is the one rule: the bulk preview refuses exactly what a single move does."""

from __future__ import annotations

from datetime import date

from casetracker.decisions.service import decide, set_opposition_needs_signoff, sign_off
from casetracker.domain.enums import County, Decision, FlagKind, Stage
from casetracker.domain.models import Motion
from casetracker.domain.workflow import CheckContext, Step, WorkflowSettings, check
from casetracker.screening.service import screen_motions
from casetracker.services import bulk
from casetracker.storage.db import Database
from tests.support.motions import make_motion


def _opposed(db: Database, n: int) -> list[int]:
    with db.unit_of_work() as session:
        ids = [
            make_motion(session, county=County.KINGS, flags=[FlagKind.SEX_OFFENSE])
            for _ in range(n)
        ]
        screen_motions(session, ids, user="screener")
        set_opposition_needs_signoff(session, True, user="admin")
        decide(session, ids, Decision.OPPOSE, reason_code="EXCLUDED", user="ada.smith")
    return ids


def test_bulk_preview_refuses_filing_oppositions_awaiting_signoff(db: Database) -> None:
    ids = _opposed(db, 3)
    filing = bulk.MoveToStage(Stage.FILED, {"filed_date": date(2026, 11, 30)})
    with db.reading() as session:
        preview = bulk.preview(session, ids, filing)
    assert preview.changes == []
    assert [i for i, _ in preview.refused] == ids
    assert all("supervisor's sign-off" in why for _, why in preview.refused)

    with db.unit_of_work() as session:
        sign_off(session, ids[:2], user="chief")
    with db.reading() as session:
        preview = bulk.preview(session, ids, filing)
    assert preview.motion_ids == ids[:2]
    with db.unit_of_work() as session:
        bulk.apply(session, ids, filing, user="clerk", reason="filed today")
    with db.reading() as session:
        stages = [session.get_one(Motion, i).stage for i in ids]
    assert stages == [Stage.FILED, Stage.FILED, Stage.OPPOSED]


def test_check_says_everything_a_move_lacks(db: Database) -> None:
    ids = _opposed(db, 1)
    with db.reading() as session:
        motion = session.get_one(Motion, ids[0])
        on = CheckContext(WorkflowSettings(opposition_needs_signoff=True), reason="")
        assert check(motion, Step(Stage.FILED), {}, on) == [
            "a reason",
            "filing date",
            "a supervisor's sign-off of the opposition",
        ]
        off = CheckContext(WorkflowSettings(), reason="ok")
        assert check(motion, Step(Stage.FILED), {"filed_date": date(2026, 1, 2)}, off) == []
        assert check(motion, Step(Stage.SEALED), {}, off) == [
            "an allowed step: Opposed cannot go to Sealed"
        ]
