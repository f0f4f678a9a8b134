"""Consenting, opposing and asking for more information need the permission to decide
however the step is taken: one motion from the desk or `advance`, many at once, or a redo.
Before, a plain move checked only the permission to move, so an intake account could
consent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casetracker.accounts.errors import PermissionDeniedError
from casetracker.accounts.roles import ROLES, permission_table
from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion
from casetracker.services import bulk, motion_ops
from casetracker.services.moves import Move
from casetracker.storage.db import Database, open_database
from tests.accounts.conftest import USERS


@pytest.fixture
def db(office: str) -> Iterator[Database]:
    database = open_database(office)
    yield database
    database.dispose()


def screened(db: Database, skip: int = 0) -> list[int]:
    with db.unit_of_work(write_first=False) as session:
        ids = session.scalars(
            select(Motion.id).where(Motion.stage == Stage.SCREENED).order_by(Motion.id)
        ).all()
    assert len(ids) > skip + 2, "the demo office has too few screened motions"
    return list(ids[skip : skip + 2])


def may_decide(role: str) -> bool:
    table = permission_table()
    return table.allows(role, "motion.advance") and table.allows(role, "motion.decide")


def refused(call: object) -> bool:
    try:
        call()  # type: ignore[operator]
    except PermissionDeniedError:
        return True
    return False


@pytest.mark.parametrize("target", [Stage.CONSENTED, Stage.OPPOSED, Stage.INFO_NEEDED])
@pytest.mark.parametrize("role", ROLES)
def test_one_motion_moved_to_a_decision_needs_the_permission_to_decide(
    db: Database, role: str, target: Stage
) -> None:
    motion_id = screened(db)[0]
    try:
        changes = motion_ops.advance(db, USERS[role], motion_id, target, reason="test")
    except PermissionDeniedError:
        changes = None
    assert (changes is None) != may_decide(role)
    with db.unit_of_work(write_first=False) as session:
        stage = session.get_one(Motion, motion_id).stage
    assert (stage == target) == may_decide(role)
    if changes is not None and changes.undo is not None:
        # The office is shared by the module's tests: the motion goes back to Screened.
        motion_ops.undo(db, USERS[role], changes.undo, reason="test")


def test_many_motions_moved_to_consent_and_their_redo_need_the_permission_to_decide(
    db: Database,
) -> None:
    ids = screened(db, 1)
    with db.unit_of_work(write_first=False) as session:
        shown = bulk.preview(session, ids, bulk.MoveToStage(Stage.CONSENTED))
    assert refused(lambda: motion_ops.apply_bulk(db, USERS["intake"], shown, reason="test"))
    consent = Move("consent", "Consent", Stage.CONSENTED)
    assert refused(lambda: motion_ops.redo_move(db, USERS["intake"], ids, consent, reason="test"))
    with db.unit_of_work(write_first=False) as session:
        stages = {session.get_one(Motion, i).stage for i in ids}
    assert stages == {Stage.SCREENED}
    motion_ops.apply_bulk(db, USERS["prosecutor"], shown, reason="test")
    with db.unit_of_work(write_first=False) as session:
        stages = {session.get_one(Motion, i).stage for i in ids}
    assert stages <= {Stage.CONSENTED, Stage.SCREENED}
    assert Stage.CONSENTED in stages
