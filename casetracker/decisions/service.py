"""Consent, oppose or ask for more information, one motion or many as one undoable action;
and a supervisor's sign-off of an opposition where the office requires one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from casetracker.accounts.names import same_user
from casetracker.accounts.permissions import require
from casetracker.decisions.reason_codes import decision_reason, reason_code_for
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Decision, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import Motion
from casetracker.domain.workflow import awaiting_signoff
from casetracker.services import moves
from casetracker.services.moves import Move, MoveResult
from casetracker.services.one_court import counties_of, one_county
from casetracker.storage.settings import OPPOSITION_NEEDS_SIGNOFF, set_setting, workflow_settings

_MOVES: dict[Decision, tuple[Stage, str]] = {
    Decision.CONSENT: (Stage.CONSENTED, "consent"),
    Decision.OPPOSE: (Stage.OPPOSED, "oppose"),
    Decision.INFO: (Stage.INFO_NEEDED, "request_info"),
}


@dataclass
class DecisionReport:
    decision: Decision
    group_id: str
    decided: list[int] = field(default_factory=list)
    # Oppositions recorded that count only once a supervisor signs them off.
    awaiting_signoff: list[int] = field(default_factory=list)
    result: MoveResult | None = None


def decide(
    session: Session,
    motion_ids: Sequence[int],
    decision: Decision,
    *,
    reason_code: str,
    user: str,
    note: str | None = None,
    expected_versions: Mapping[int, int] | None = None,
    only_eligible: bool = False,
) -> DecisionReport:
    """Record one decision on every motion given, as one action that undoes as one. If any
    motion cannot take it, nothing is saved and the error names that motion.

    `expected_versions` are the versions the prosecutor was shown: a motion changed since is
    named ("... was opposed by ada.smith at 14:02 after you opened this") and nothing is
    decided. `only_eligible` is the bulk consent: every motion must still be screened
    eligible, so the action decides exactly the motions the prosecutor was shown."""
    require(session, user, "motion.decide")
    if not motion_ids:
        raise InvalidValueError("No motions were chosen; nothing was decided.")
    if only_eligible:
        one_county(counties_of(session, motion_ids), "consent to every eligible motion")
    code = reason_code_for(session, reason_code, decision)
    note = (note or "").strip() or None
    target, action = _MOVES[decision]
    settings = workflow_settings(session)
    why = decision_reason(decision, code, note)
    move = Move(
        action,
        decision.label,
        target,
        lambda motion: {
            "decision_reason_code": code.code,
            "decision_note": note,
            "assigned_prosecutor": motion.assigned_prosecutor or user,
        },
        _still_eligible if only_eligible else None,
    )
    if expected_versions is None:
        result = moves.move_many(session, motion_ids, move, user=user, reason=why)
    else:
        versions = {i: expected_versions.get(i, -1) for i in dict.fromkeys(motion_ids)}
        plan = moves.plan_for(move, versions)
        result = moves.apply(session, plan, user=user, reason=why, all_or_nothing=True)
    report = DecisionReport(decision, result.group_id or "", list(result.moved), result=result)
    if decision == Decision.OPPOSE and settings.opposition_needs_signoff:
        report.awaiting_signoff = list(result.moved)
    return report


def _still_eligible(motion: Motion) -> str | None:
    if motion.stage == Stage.SCREENED and motion.screening_result == ScreeningResult.ELIGIBLE:
        return None
    return "is no longer a screened eligible motion; refresh the queue and try again"


def sign_off(
    session: Session, motion_ids: Sequence[int], *, user: str, note: str | None = None
) -> str:
    """A supervisor signs off oppositions, after which they count. Returns the group id."""
    return sign_off_moves(session, motion_ids, user=user, note=note).group_id or ""


def sign_off_moves(
    session: Session, motion_ids: Sequence[int], *, user: str, note: str | None = None
) -> MoveResult:
    """sign_off, with what it did (for the undo stack)."""
    require(session, user, "motion.signoff")
    settings = workflow_settings(session)
    at = utcnow()

    def may_sign(motion: Motion) -> str | None:
        if not awaiting_signoff(motion, settings):
            return "is not an opposition awaiting sign-off"
        # Compared as names are: "ada.smith " is ada.smith, whatever the spacing or case.
        if same_user(motion.decided_by, user):
            return f"was opposed by {motion.decided_by}; another supervisor must sign it off"
        return None

    move = Move(
        "signoff",
        "Sign off",
        None,
        {"supervisor_signoff_by": user, "supervisor_signoff_at": at},
        may_sign,
    )
    reason = "Opposition signed off by a supervisor" + (f" — {note.strip()}" if note else "")
    return moves.move_many(session, motion_ids, move, user=user, reason=reason)


def set_opposition_needs_signoff(session: Session, on: bool, user: str) -> None:
    require(session, user, "signoff.rule")
    set_setting(session, OPPOSITION_NEEDS_SIGNOFF, bool(on), user)
