"""Bulk actions on many motions at once: assign a prosecutor, move to a stage, add to a court
list. `preview` says what would change and what cannot (and why) without writing anything;
`apply` makes the changes as one history group, so `undo` reverses the whole action at once.

Motions are read a chunk at a time, so acting on 10,000 motions is a few dozen queries, not
tens of thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.errors import NotFoundError, TransitionError
from casetracker.domain.models import Case, CourtList, Motion
from casetracker.domain.workflow import (
    FINAL_STAGES,
    CheckContext,
    Step,
    WorkflowSettings,
    apply_transition,
    check,
    new_group_id,
    record_change,
)
from casetracker.services.motions import undo_group
from casetracker.storage.settings import workflow_settings

_CHUNK = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class AssignProsecutor:
    prosecutor: str

    def describe(self) -> str:
        return f"Assign to {self.prosecutor}"


@dataclass(frozen=True)
class MoveToStage:
    target: Stage
    values: Mapping[str, Any] = field(default_factory=dict)
    action: str | None = None

    def describe(self) -> str:
        return f"Move to {self.target.label}"


@dataclass(frozen=True)
class AddToCourtList:
    court_list_id: int

    def describe(self) -> str:
        return f"Add to court list {self.court_list_id}"


BulkAction = AssignProsecutor | MoveToStage | AddToCourtList


@dataclass(frozen=True)
class BulkPreview:
    action: str
    # (motion id, what will change)
    changes: list[tuple[int, str]]
    # (motion id, why it cannot)
    refused: list[tuple[int, str]]

    @property
    def motion_ids(self) -> list[int]:
        return [motion_id for motion_id, _ in self.changes]


def preview(session: Session, motion_ids: Sequence[int], action: BulkAction) -> BulkPreview:
    changes: list[tuple[int, str]] = []
    refused: list[tuple[int, str]] = []
    court_list = _court_list(session, action)
    settings = workflow_settings(session)
    found: set[int] = set()
    for motion in _motions(session, motion_ids):
        found.add(motion.id)
        problem = _problem(motion, action, court_list, settings)
        if problem:
            refused.append((motion.id, problem))
        else:
            changes.append((motion.id, _what_changes(motion, action)))
    refused.extend((i, "it no longer exists") for i in motion_ids if i not in found)
    return BulkPreview(action.describe(), changes, refused)


def apply(
    session: Session,
    motion_ids: Sequence[int],
    action: BulkAction,
    *,
    user: str,
    reason: str,
    progress: Progress | None = None,
) -> str:
    """Apply `action` to every motion it is allowed for, as one undoable group; returns the
    group id. Motions it is not allowed for are left as they are (preview lists them)."""
    if not reason.strip():
        raise TransitionError("A bulk action needs a reason; nothing was changed.", ("a reason",))
    court_list = _court_list(session, action)
    group = new_group_id()
    at = utcnow()
    settings = workflow_settings(session)
    done = 0
    for chunk in _chunks(motion_ids):
        for motion in _motions(session, chunk):
            if _problem(motion, action, court_list, settings):
                continue
            if isinstance(action, MoveToStage):
                event = apply_transition(
                    motion,
                    action.target,
                    reason=reason,
                    user=user,
                    at=at,
                    values=action.values,
                    settings=settings,
                    action=action.action,
                    group_id=group,
                )
            else:
                event = record_change(
                    motion,
                    _values(action, court_list),
                    action=_action_name(action),
                    reason=reason,
                    user=user,
                    at=at,
                    group_id=group,
                )
            session.add(event)
        session.flush()
        done += len(chunk)
        if progress is not None:
            progress(done, len(motion_ids))
    return group


def undo(
    session: Session,
    group_id: str,
    *,
    user: str,
    reason: str = "",
    progress: Progress | None = None,
) -> str:
    """Reverse every change of one bulk action as a new group (so the undo is history too).
    Refused, with nothing changed, if any of those motions has changed since."""
    return undo_group(session, group_id, user=user, reason=reason, progress=progress)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _motions(session: Session, motion_ids: Sequence[int]) -> list[Motion]:
    motions: list[Motion] = []
    for chunk in _chunks(list(motion_ids)):
        motions.extend(
            session.scalars(
                select(Motion)
                .where(Motion.id.in_(chunk))
                .options(selectinload(Motion.case).selectinload(Case.charges))
                .order_by(Motion.id)
            )
        )
    return motions


def _court_list(session: Session, action: BulkAction) -> CourtList | None:
    if not isinstance(action, AddToCourtList):
        return None
    court_list = session.get(CourtList, action.court_list_id)
    if court_list is None:
        raise NotFoundError(f"There is no court list {action.court_list_id}.")
    return court_list


def _problem(
    motion: Motion,
    action: BulkAction,
    court_list: CourtList | None,
    settings: WorkflowSettings,
) -> str | None:
    if isinstance(action, MoveToStage):
        missing = check(
            motion, Step(action.target, action.action), action.values, CheckContext(settings)
        )
        return f"it needs {', '.join(missing)}" if missing else None
    if motion.stage in FINAL_STAGES:
        return f"it is {motion.stage.label}"
    if isinstance(action, AssignProsecutor):
        if motion.assigned_prosecutor == action.prosecutor:
            return f"it is already assigned to {action.prosecutor}"
        return None
    assert court_list is not None
    if motion.court_list_id == court_list.id:
        return "it is already on that list"
    if motion.stage not in (Stage.FILED, Stage.CALENDARED, Stage.CONSENTED):
        return (
            f"it is {motion.stage.label}; only consented, filed or calendared motions go on a list"
        )
    return None


def _what_changes(motion: Motion, action: BulkAction) -> str:
    if isinstance(action, MoveToStage):
        return f"{motion.stage.label} → {action.target.label}"
    if isinstance(action, AssignProsecutor):
        before = motion.assigned_prosecutor or "nobody"
        return f"prosecutor {before} → {action.prosecutor}"
    return f"court list {motion.court_list_id or 'none'} → {action.court_list_id}"


def _values(action: BulkAction, court_list: CourtList | None) -> dict[str, Any]:
    if isinstance(action, AssignProsecutor):
        return {"assigned_prosecutor": action.prosecutor}
    assert court_list is not None
    return {"court_list_id": court_list.id}


def _action_name(action: BulkAction) -> str:
    return "assign" if isinstance(action, AssignProsecutor) else "add_to_list"
