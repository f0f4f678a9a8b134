"""Moving several motions by one user action: one group, so the action undoes as one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Case, Motion
from casetracker.domain.workflow import apply_transition, new_group_id
from casetracker.storage.settings import workflow_settings


def load_motions(session: Session, motion_ids: Sequence[int]) -> list[Motion]:
    ids = list(dict.fromkeys(motion_ids))
    found = {
        m.id: m
        for m in session.scalars(
            select(Motion)
            .where(Motion.id.in_(ids))
            .options(selectinload(Motion.case).selectinload(Case.charges))
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"There is no motion {missing[0]}; nothing was saved.")
    return [found[i] for i in ids]


def move_each(
    session: Session,
    motions: Sequence[Motion],
    target: Stage,
    *,
    action: str,
    reason: str,
    user: str,
    values: Callable[[Motion], dict[str, Any]],
) -> str:
    """Apply one transition to every motion; any refusal cancels the whole action."""
    if not motions:
        raise InvalidValueError("No motions are in a stage that can take this step.")
    settings = workflow_settings(session)
    group = new_group_id()
    at = utcnow()
    for motion in motions:
        session.add(
            apply_transition(
                motion,
                target,
                reason=reason,
                user=user,
                at=at,
                values=values(motion),
                settings=settings,
                action=action,
                group_id=group,
            )
        )
    session.flush()
    return group
