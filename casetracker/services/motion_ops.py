"""The user actions on motions, as operations: move one, apply a bulk action, undo and redo.

Each is `op(db, actor, ...) -> Changes` (casetracker.operations): it owns its transaction and
says what it changed and how to undo it (and redo it after). The window and the command line
both call these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.courtlists import notifications
from casetracker.domain.enums import Stage
from casetracker.domain.models import MotionEvent
from casetracker.domain.words import counted
from casetracker.domain.workflow import TRANSITIONS, new_group_id, step_decides
from casetracker.operations import Actor, Changes, UndoEntry, operation
from casetracker.records.ops import has_motion_events, undo_if_records
from casetracker.services import bulk, motions, moves
from casetracker.services.moves import Move, MoveResult

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class NextStep:
    """A step taken right after another in the same action (filed, and calendared for the
    court date the clerk gave; notified, and closed): recorded as its own history row with
    its own reason and values, undone together with the first."""

    target: Stage
    action: str
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)


@operation("motion.advance")
def advance(
    session: Session,
    actor: Actor,
    motion_id: int,
    target: Stage,
    *,
    reason: str,
    values: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    action: str | None = None,
    at: datetime | None = None,
    then: Sequence[NextStep] = (),
) -> Changes:
    """Move one motion. `expected_version` is the version the user saw: if the motion has
    changed since, nothing is saved (StaleEditError). `then`: further steps taken at once, each
    checked by the workflow as if taken alone and recorded as its own history row, all in one
    history group (one undo). A step that records a decision (consent) needs the permission
    to decide as well."""
    group = new_group_id()
    steps = [NextStep(target, action or "", reason, dict(values or {})), *then]
    if any(step_decides(s.target, s.action or None) for s in steps):
        require(session, actor, "motion.decide")
    first = None
    event = None
    for number, step in enumerate(steps):
        event = motions.advance(
            session,
            motion_id,
            step.target,
            reason=step.reason,
            user=actor.name,
            values=step.values,
            expected_version=expected_version if number == 0 else None,
            action=step.action or None,
            group_id=group,
            at=at,
        )
        notifications.after_move(session, event, user=actor.name)
        first = first or event
    assert first is not None and event is not None
    source = first.from_stage.label if first.from_stage else "new"
    # Named as people know it: "Díaz, Ana · 2016KN012345: Screened → Consented".
    step_words = (
        f"{source} → {event.to_stage.label}"
        if source != event.to_stage.label
        else f"{_label(event.action)} ({source})"
    )
    label = f"{moves.who(event.motion)}: {step_words}"
    if then:
        redo = _redo_steps(motion_id, steps)
    else:
        again = Move(event.action, _label(event.action), target, dict(values or {}))
        redo = _redo([motion_id], again, reason)
    return Changes(
        motions=frozenset({motion_id}),
        people=frozenset({event.motion.person_id}),
        court_lists=frozenset(i for i in (event.motion.court_list_id,) if i is not None),
        summary=label,
        undo=UndoEntry(label, group, frozenset({motion_id}), redo),
    )


def _redo_steps(motion_id: int, steps: Sequence[NextStep]) -> Callable[[Any, Any], Changes]:
    """Redo of several steps: the same steps again, from the stage the undo left."""
    first, *rest = steps

    def again(db: Any, actor: Any) -> Changes:
        return advance(
            db,
            actor,
            motion_id,
            first.target,
            reason=first.reason,
            values=first.values,
            action=first.action or None,
            then=tuple(rest),
        )

    return again


@operation("motion.undo")
def undo(
    session: Session,
    actor: Actor,
    entry: UndoEntry,
    *,
    reason: str = "",
    progress: Progress | None = None,
) -> Changes:
    """Reverse one earlier action (every motion it changed) as a new history group; refused,
    with nothing changed, if any of those motions has changed since."""
    if not has_motion_events(session, entry.group_id):
        records = undo_if_records(session, actor, entry, reason=reason)
        if records is not None:
            return records
    group = motions.undo_group(
        session, entry.group_id, user=actor.name, reason=reason, progress=progress
    )
    changed = session.scalars(
        select(MotionEvent.motion_id).where(MotionEvent.group_id == group).distinct()
    )
    undone = Changes(motions=frozenset(changed), summary=f"Undone: {entry.label}")
    # An action that also changed a record (a notification attempt's row) undoes it too.
    records = undo_if_records(session, actor, entry, reason=reason, undo_group_id=group)
    return undone | records if records is not None else undone


@operation("motion.bulk")
def apply_bulk(
    session: Session,
    actor: Actor,
    shown: bulk.BulkPreview,
    *,
    reason: str,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
    apart_reason: str | None = None,
) -> Changes:
    """Apply a bulk action to the motions its preview showed, at the versions it showed; a
    motion changed since is left as it is and named in `Changes.refused` (or, all or
    nothing, refuses the action). Those the preview asked about apart (a consent to motions
    screened ineligible) move only with `apart_reason`."""
    _require_decide(session, actor, shown.plan.move)
    result = bulk.apply_previewed(
        session,
        shown,
        user=actor.name,
        reason=reason,
        all_or_nothing=all_or_nothing,
        progress=progress,
        apart_reason=apart_reason,
    )
    return moved(shown.action, result)


@operation("motion.redo")
def redo_move(
    session: Session,
    actor: Actor,
    motion_ids: Sequence[int],
    move: Move,
    *,
    reason: str,
    progress: Progress | None = None,
    apart_reason: str | None = None,
) -> Changes:
    """Make an undone action again, on those of its motions that can still take it (the
    others are named in `Changes.refused`)."""
    _require_decide(session, actor, move)
    plan = moves.preview(session, motion_ids, move)
    result = moves.apply(
        session,
        plan,
        user=actor.name,
        reason=reason,
        progress=progress,
        apart_reason=apart_reason,
    )
    changes = moved(move.label, result)
    refused = tuple(str(r) for r in plan.refused)
    return Changes(
        motions=changes.motions,
        summary=changes.summary,
        undo=changes.undo,
        refused=refused + changes.refused,
    )


def _require_decide(session: Session, actor: Actor, move: Move) -> None:
    if step_decides(move.target, move.action):
        require(session, actor, "motion.decide")


def moved(label: str, result: MoveResult, **more: Any) -> Changes:
    """The Changes of a group move: its motions (and those it had to leave, which changed
    elsewhere), named "Move to Filed: 636 motions" (or `label` itself when it already counts
    them: "Consent to 636 motions"), undone as one, redone as one."""
    text = (
        label
        if label.endswith(count(len(result.moved)))
        else (f"{label}: {count(len(result.moved))}")
    )
    entry = None
    if result.group_id is not None:
        redo = (
            _redo(result.moved, result.move, result.reason, result.apart_reason)
            if result.move
            else None
        )
        entry = UndoEntry(text, result.group_id, frozenset(result.moved), redo)
    return Changes(
        motions=frozenset(result.moved) | {r.motion_id for r in result.refused},
        summary=text,
        undo=entry,
        refused=tuple(str(r) for r in result.refused),
        **more,
    )


def count(n: int) -> str:
    return counted(n, "motion")


def _redo(
    ids: Sequence[int], move: Move, reason: str, apart_reason: str | None = None
) -> Callable[[Any, Any], Changes]:
    kept = list(ids)

    def again(db: Any, actor: Any) -> Changes:
        return redo_move(db, actor, kept, move, reason=reason, apart_reason=apart_reason)

    return again


def _label(action: str) -> str:
    return next((t.label for t in TRANSITIONS if t.action == action), action.capitalize())
