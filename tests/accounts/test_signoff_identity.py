"""Sign-off needs a supervisor other than the one who opposed, whatever the spelling: a
trailing space, another case or another Unicode form of the same name is the same person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casetracker.accounts.store import add_user
from casetracker.decisions.reason_codes import list_reason_codes
from casetracker.decisions.service import decide, set_opposition_needs_signoff, sign_off
from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import Decision, Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import AuditEntry, Motion
from casetracker.storage.db import Database
from tests.accounts.conftest import ADMIN, PASSWORD


@pytest.mark.parametrize("spelling", ["ada.smith ", " ADA.SMITH", "ada.smith"])
def test_the_supervisor_who_opposed_cannot_sign_it_off(sqlite_db: Database, spelling: str) -> None:
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=40, seed=5):
            pass
        add_user(session, None, ADMIN, "administrator", PASSWORD)
        add_user(session, ADMIN, "ada.smith", "supervisor", PASSWORD)
        add_user(session, ADMIN, "bea.jones", "supervisor", PASSWORD)
        set_opposition_needs_signoff(session, True, "ada.smith")
        motion_id = session.scalars(select(Motion.id).where(Motion.stage == Stage.SCREENED)).first()
        assert motion_id is not None
        code = next(
            c.code for c in list_reason_codes(session) if c.decision in (None, Decision.OPPOSE)
        )
        decide(
            session,
            [motion_id],
            Decision.OPPOSE,
            reason_code=code,
            user="ada.smith",
            note="opposed in a test",
        )
    with (
        pytest.raises(InvalidValueError, match="another supervisor"),
        sqlite_db.unit_of_work() as session,
    ):
        sign_off(session, [motion_id], user=spelling)
    with sqlite_db.unit_of_work() as session:
        sign_off(session, [motion_id], user="bea.jones")
        assert session.get(Motion, motion_id).supervisor_signoff_by == "bea.jones"  # type: ignore[union-attr]


def test_turning_the_signoff_rule_off_is_recorded_with_before_and_after(
    sqlite_db: Database,
) -> None:
    with sqlite_db.unit_of_work() as session:
        add_user(session, None, ADMIN, "administrator", PASSWORD)
        add_user(session, ADMIN, "ada.smith", "supervisor", PASSWORD)
        set_opposition_needs_signoff(session, True, "ada.smith")
        set_opposition_needs_signoff(session, False, "ada.smith")
    with sqlite_db.reading() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "setting change").order_by(AuditEntry.id)
        ).all()
    assert [(r.user, r.target, r.detail) for r in rows] == [
        ("ada.smith", "opposition_needs_signoff", {"before": None, "after": True}),
        ("ada.smith", "opposition_needs_signoff", {"before": True, "after": False}),
    ]
