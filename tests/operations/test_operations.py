"""The operations contract: one transaction per action with the hooks inside it, and the
Changes each action returns (what changed, how to undo it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import Stage
from casetracker.domain.errors import CasetrackerError, StaleEditError, TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.operations import Actor, Changes, hooks
from casetracker.services import motion_ops
from casetracker.storage.db import Database
from tests.core.helpers import make_motion


class Refused(CasetrackerError):
    pass


@pytest.fixture
def seen() -> Iterator[list[tuple[str, ...]]]:
    calls: list[tuple[str, ...]] = []

    def before(session: Session, actor: Actor, name: str) -> None:
        calls.append(("before", actor.name, actor.role or "", name))

    def after(session: Session, actor: Actor, name: str, changes: Changes) -> None:
        calls.append(("after", actor.name, name, changes.summary))

    hooks.add_before(before)
    hooks.add_after(after)
    yield calls
    hooks.remove(before)
    hooks.remove(after)


def _stage(db: Database, motion_id: int) -> Stage:
    with db.reading() as session:
        return session.get_one(Motion, motion_id).stage


def test_advance_returns_what_changed_and_runs_the_hooks_around_it(
    db: Database, seen: list[tuple[str, ...]]
) -> None:
    motion_id = make_motion(db).motion_ids[0]
    changes = motion_ops.advance(
        db, Actor("clerk.one", "clerk"), motion_id, Stage.VERIFIED, reason="papers seen"
    )
    assert changes.motions == {motion_id}
    # Named by the person and the docket, never by the motion's number.
    assert " · " in changes.summary
    assert changes.summary.endswith(": Intake → Record verified")
    assert f"motion {motion_id}" not in changes.summary
    assert changes.undo is not None and changes.undo.motion_ids == {motion_id}
    assert seen == [
        ("before", "clerk.one", "clerk", "motion.advance"),
        ("after", "clerk.one", "motion.advance", changes.summary),
    ]
    assert _stage(db, motion_id) == Stage.VERIFIED
    with db.reading() as session:
        event = session.scalars(
            select(MotionEvent).where(MotionEvent.group_id == changes.undo.group_id)
        ).one()
    assert event.user == "clerk.one"


def test_a_before_hook_that_refuses_saves_nothing(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]

    def deny(session: Session, actor: Actor, name: str) -> None:
        raise Refused(f"{actor.name} may not {name}")

    hooks.add_before(deny)
    try:
        with pytest.raises(Refused, match="intern may not motion.advance"):
            motion_ops.advance(db, Actor("intern"), motion_id, Stage.VERIFIED, reason="x")
    finally:
        hooks.remove(deny)
    assert _stage(db, motion_id) == Stage.INTAKE


def test_an_after_hook_shares_the_transaction_so_its_failure_undoes_the_action(
    db: Database,
) -> None:
    motion_id = make_motion(db).motion_ids[0]

    def broken_audit(session: Session, actor: Actor, name: str, changes: Changes) -> None:
        # The hook sees the action's own writes before they are committed...
        assert session.get_one(Motion, motion_id).stage == Stage.VERIFIED
        raise Refused("audit log unavailable")

    hooks.add_after(broken_audit)
    try:
        with pytest.raises(Refused):
            motion_ops.advance(db, "tester", motion_id, Stage.VERIFIED, reason="x")
    finally:
        hooks.remove(broken_audit)
    # ...and when it fails, neither the move nor its history was kept.
    assert _stage(db, motion_id) == Stage.INTAKE
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(MotionEvent)) == 1


def test_advance_refuses_a_motion_changed_since_it_was_read(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    with db.reading() as session:
        seen_version = session.get_one(Motion, motion_id).version
    motion_ops.advance(db, "other.user", motion_id, Stage.VERIFIED, reason="first")
    with pytest.raises(StaleEditError):
        motion_ops.advance(
            db,
            "tester",
            motion_id,
            Stage.WITHDRAWN,
            reason="late",
            expected_version=seen_version,
        )
    assert _stage(db, motion_id) == Stage.VERIFIED


def test_undo_reverses_the_action_it_names_and_only_once(db: Database) -> None:
    motion_id = make_motion(db).motion_ids[0]
    moved = motion_ops.advance(db, "tester", motion_id, Stage.VERIFIED, reason="x")
    assert moved.undo is not None
    undone = motion_ops.undo(db, "tester", moved.undo)
    assert undone.motions == {motion_id}
    assert undone.summary == f"Undone: {moved.summary}"
    assert _stage(db, motion_id) == Stage.INTAKE
    with pytest.raises(TransitionError, match="already been undone"):
        motion_ops.undo(db, "tester", moved.undo)


def test_every_operation_has_a_distinct_permission_key() -> None:
    from casetracker.operations import operation, operation_names

    assert {"motion.advance", "motion.undo"} <= set(operation_names())
    with pytest.raises(ValueError, match="defined twice"):
        operation("motion.advance")(lambda session, actor: Changes())
