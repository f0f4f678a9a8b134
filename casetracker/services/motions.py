"""Moving and changing motions: each call is made inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.errors import NotFoundError, StaleEditError, TransitionError
from casetracker.domain.models import Case, Motion, MotionEvent
from casetracker.domain.workflow import (
    apply_transition,
    new_group_id,
    record_change,
    revert_event,
)
from casetracker.storage.settings import workflow_settings


def load_motion(session: Session, motion_id: int, expected_version: int | None = None) -> Motion:
    motion = session.scalars(
        select(Motion)
        .where(Motion.id == motion_id)
        .options(selectinload(Motion.case).selectinload(Case.charges))
    ).first()
    if motion is None:
        raise NotFoundError(f"There is no motion {motion_id}.")
    if expected_version is not None and motion.version != expected_version:
        raise StaleEditError(
            f"Motion {motion_id} was changed by someone else after you opened it; "
            "nothing was saved. Reload it and try again."
        )
    return motion


def advance(
    session: Session,
    motion_id: int,
    target: Stage,
    *,
    reason: str,
    user: str,
    values: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    action: str | None = None,
    group_id: str | None = None,
    at: datetime | None = None,
) -> MotionEvent:
    """Move one motion; `at` (UTC) is for recording a move made earlier, default now."""
    motion = load_motion(session, motion_id, expected_version)
    event = apply_transition(
        motion,
        target,
        reason=reason,
        user=user,
        at=at or utcnow(),
        values=values,
        settings=workflow_settings(session),
        action=action,
        group_id=group_id,
    )
    session.add(event)
    session.flush()
    return event


def change_fields(
    session: Session,
    motion_ids: Iterable[int],
    values: Mapping[str, Any],
    *,
    action: str,
    reason: str,
    user: str,
) -> str:
    """Set the same fields on several motions as one undoable action; returns its group id."""
    group = new_group_id()
    at = utcnow()
    for motion_id in motion_ids:
        motion = load_motion(session, motion_id)
        session.add(
            record_change(
                motion, values, action=action, reason=reason, user=user, at=at, group_id=group
            )
        )
    session.flush()
    return group


def undo_group(
    session: Session,
    group_id: str,
    *,
    user: str,
    reason: str = "",
    at: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Reverse every event of one user action, newest first, as one new undoable group.
    Motions are read a chunk at a time, so undoing a bulk action on 10,000 is quick."""
    events = session.scalars(
        select(MotionEvent).where(MotionEvent.group_id == group_id).order_by(MotionEvent.id.desc())
    ).all()
    if not events:
        raise NotFoundError("There is nothing to undo for that action.")
    already = session.scalars(
        select(MotionEvent.id).where(MotionEvent.undoes_group == group_id).limit(1)
    ).first()
    if already is not None:
        raise TransitionError("That action has already been undone.")
    undo_group_id = new_group_id()
    at = at or utcnow()
    why = reason or f"Undo of {events[-1].action} by {events[-1].user}"
    for start in range(0, len(events), _UNDO_CHUNK):
        chunk = events[start : start + _UNDO_CHUNK]
        ids = list({event.motion_id for event in chunk})
        motions = {
            m.id: m
            for m in session.scalars(
                select(Motion)
                .where(Motion.id.in_(ids))
                .options(selectinload(Motion.case).selectinload(Case.charges))
            )
        }
        for event in chunk:
            session.add(
                revert_event(
                    motions[event.motion_id],
                    event,
                    reason=why,
                    user=user,
                    at=at,
                    group_id=undo_group_id,
                )
            )
        session.flush()
        if progress is not None:
            progress(start + len(chunk), len(events))
    return undo_group_id


_UNDO_CHUNK = 500


def history(session: Session, motion_id: int) -> list[MotionEvent]:
    return list(
        session.scalars(
            select(MotionEvent).where(MotionEvent.motion_id == motion_id).order_by(MotionEvent.id)
        )
    )
