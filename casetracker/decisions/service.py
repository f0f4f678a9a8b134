"""Consent, oppose or ask for more information, one motion or many as one undoable action;
and a supervisor's sign-off of an opposition where the office requires one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from casetracker.decisions.reason_codes import reason_code_for
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Decision, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, StaleEditError
from casetracker.domain.workflow import (
    apply_transition,
    awaiting_signoff,
    new_group_id,
    record_change,
)
from casetracker.services.motion_batches import load_motions
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

    `only_eligible` is the bulk consent: every motion must still be screened eligible, so the
    action decides exactly the motions the prosecutor was shown."""
    if not motion_ids:
        raise InvalidValueError("No motions were chosen; nothing was decided.")
    code = reason_code_for(session, reason_code, decision)
    note = (note or "").strip() or None
    target, action = _MOVES[decision]
    settings = workflow_settings(session)
    report = DecisionReport(decision, new_group_id())
    at = utcnow()
    why = f"{decision.label}: {code.label} ({code.code})" + (f" — {note}" if note else "")
    motions = load_motions(session, motion_ids)
    # Every motion is checked before any is changed, so a refusal leaves nothing half-done.
    for motion in motions:
        if expected_versions is not None and expected_versions.get(motion.id) != motion.version:
            raise StaleEditError(
                f"Motion {motion.id} changed after you opened the queue; nothing was decided. "
                "Refresh the queue and decide again."
            )
        if only_eligible and not (
            motion.stage == Stage.SCREENED and motion.screening_result == ScreeningResult.ELIGIBLE
        ):
            raise InvalidValueError(
                f"Motion {motion.id} is no longer a screened eligible motion; nothing was "
                "decided. Refresh the queue and try again."
            )
        if (
            decision == Decision.CONSENT
            and motion.screening_result == ScreeningResult.INELIGIBLE
            and not note
        ):
            raise InvalidValueError(
                f"Motion {motion.id} was screened ineligible; to consent anyway, write a note "
                "saying why. Nothing was decided."
            )
    for motion in motions:
        session.add(
            apply_transition(
                motion,
                target,
                reason=why,
                user=user,
                at=at,
                values={
                    "decision_reason_code": code.code,
                    "decision_note": note,
                    "assigned_prosecutor": motion.assigned_prosecutor or user,
                },
                settings=settings,
                action=action,
                group_id=report.group_id,
            )
        )
        report.decided.append(motion.id)
        if awaiting_signoff(motion, settings):
            report.awaiting_signoff.append(motion.id)
    session.flush()
    return report


def sign_off(
    session: Session, motion_ids: Sequence[int], *, user: str, note: str | None = None
) -> str:
    """A supervisor signs off oppositions, after which they count. Returns the group id."""
    settings = workflow_settings(session)
    group = new_group_id()
    at = utcnow()
    for motion in load_motions(session, motion_ids):
        if not awaiting_signoff(motion, settings):
            raise InvalidValueError(
                f"Motion {motion.id} is not an opposition awaiting sign-off; nothing was signed."
            )
        if motion.decided_by == user:
            raise InvalidValueError(
                f"Motion {motion.id} was opposed by {user}; another supervisor must sign it "
                "off. Nothing was signed."
            )
        reason = "Opposition signed off by a supervisor" + (f" — {note.strip()}" if note else "")
        session.add(
            record_change(
                motion,
                {"supervisor_signoff_by": user, "supervisor_signoff_at": at},
                action="signoff",
                reason=reason,
                user=user,
                at=at,
                group_id=group,
            )
        )
    session.flush()
    return group


def set_opposition_needs_signoff(session: Session, on: bool, user: str) -> None:
    set_setting(session, OPPOSITION_NEEDS_SIGNOFF, bool(on), user)
