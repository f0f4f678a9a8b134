"""The bulk dialog's actions on many motions at once: assign a prosecutor, move to a stage,
add to a court list. Each is a `moves.Move`: `preview` says what would change and what cannot
(and why) without writing anything; `apply` changes exactly the versions the preview showed,
as one history group, so undo reverses the whole action at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from casetracker.decisions.reason_codes import reason_code_for
from casetracker.domain.enums import Stage
from casetracker.domain.errors import NotFoundError
from casetracker.domain.models import CourtList, Motion
from casetracker.domain.workflow import TRANSITIONS, consent_asked_apart, decision_of
from casetracker.services import moves
from casetracker.services.moves import Move, MovePlan, MoveResult, Planned, Progress


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
    plan: MovePlan

    @property
    def action(self) -> str:
        return self.plan.move.label

    @property
    def changes(self) -> list[tuple[int, str]]:
        """(motion id, what will change)."""
        return [(p.motion_id, p.change) for p in self.plan.ready]

    @property
    def apart(self) -> list[Planned]:
        """Motions asked about separately, each with why ("screened ineligible"): they move
        only with their own reason (apply_previewed's apart_reason)."""
        return self.plan.apart

    @property
    def refused(self) -> list[tuple[int, str]]:
        """(motion id, why it cannot)."""
        return [(r.motion_id, r.why) for r in self.plan.refused]

    @property
    def motion_ids(self) -> list[int]:
        return self.plan.motion_ids


def as_move(session: Session, action: BulkAction) -> Move:
    """The action as a move, with the rule each kind adds to the workflow's."""
    if isinstance(action, MoveToStage):
        step = action.action or next(t.action for t in TRANSITIONS if t.target == action.target)
        decision = decision_of(step)
        code = action.values.get("decision_reason_code")
        if decision is not None and code:
            # A code from the office's list that fits the decision, as the queue asks.
            reason_code_for(session, str(code), decision)
        # A consent to motions the rules did not screen eligible asks about those apart.
        apart = consent_asked_apart if action.target == Stage.CONSENTED else None
        return Move(
            action.action, action.describe(), action.target, dict(action.values), apart=apart
        )
    if isinstance(action, AssignProsecutor):
        name = action.prosecutor

        def not_yet_assigned(motion: Motion) -> str | None:
            return f"is already assigned to {name}" if motion.assigned_prosecutor == name else None

        return Move(
            "assign", action.describe(), None, {"assigned_prosecutor": name}, not_yet_assigned
        )
    court_list = session.get(CourtList, action.court_list_id)
    if court_list is None:
        raise NotFoundError(f"There is no court list {action.court_list_id}.")
    list_id = court_list.id

    def may_go_on_list(motion: Motion) -> str | None:
        if motion.court_list_id == list_id:
            return "is already on that list"
        if motion.stage not in (Stage.FILED, Stage.CALENDARED, Stage.CONSENTED):
            return (
                f"is {motion.stage.label}; only consented, filed or calendared motions go on a list"
            )
        return None

    return Move("add_to_list", action.describe(), None, {"court_list_id": list_id}, may_go_on_list)


def preview(session: Session, motion_ids: Sequence[int], action: BulkAction) -> BulkPreview:
    return BulkPreview(moves.preview(session, motion_ids, as_move(session, action)))


def apply(
    session: Session,
    motion_ids: Sequence[int],
    action: BulkAction,
    *,
    user: str,
    reason: str,
    progress: Progress | None = None,
) -> str:
    """Preview and apply in one transaction: every motion the action is allowed for changes,
    the rest are left as they are (preview lists them). Returns the history group."""
    plan = moves.preview(session, motion_ids, as_move(session, action))
    result = moves.apply(session, plan, user=user, reason=reason, progress=progress)
    return result.group_id or ""


def apply_previewed(
    session: Session,
    shown: BulkPreview,
    *,
    user: str,
    reason: str,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
    apart_reason: str | None = None,
) -> MoveResult:
    """Apply what the user was shown: a motion changed since is refused by name. The motions
    asked about apart move only with `apart_reason`, which goes into their history."""
    return moves.apply(
        session,
        shown.plan,
        user=user,
        reason=reason,
        all_or_nothing=all_or_nothing,
        progress=progress,
        apart_reason=apart_reason,
    )
