"""The prosecutor's decisions as operations: consent, oppose or ask for information on the
motions chosen (the queue's selection, or every eligible motion in its view), and a
supervisor's sign-off. Each is one action, named for the undo menu ("Consent to 636
motions") and undone as one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from casetracker.decisions.service import decide, sign_off_moves
from casetracker.domain.enums import Decision
from casetracker.operations import Actor, Changes, operation
from casetracker.services.motion_ops import count, moved
from casetracker.services.moves import MoveResult

_VERB = {
    Decision.CONSENT: "Consent to",
    Decision.OPPOSE: "Oppose",
    Decision.INFO: "Ask for more information on",
}


@operation("motion.decide")
def decide_motions(
    session: Session,
    actor: Actor,
    motion_ids: Sequence[int],
    decision: Decision,
    *,
    reason_code: str,
    note: str | None = None,
    expected_versions: Mapping[int, int] | None = None,
    only_eligible: bool = False,
) -> Changes:
    """decisions.service.decide as one user action; see there for the rules."""
    report = decide(
        session,
        motion_ids,
        decision,
        reason_code=reason_code,
        user=actor.name,
        note=note,
        expected_versions=expected_versions,
        only_eligible=only_eligible,
    )
    assert report.result is not None
    text = f"{_VERB[decision]} {count(len(report.decided))}"
    changes = moved(text, report.result)
    if report.awaiting_signoff:
        waiting = f"; {len(report.awaiting_signoff):,} await a supervisor's sign-off"
        return Changes(
            motions=changes.motions,
            summary=changes.summary + waiting,
            undo=changes.undo,
            refused=changes.refused,
        )
    return changes


@operation("motion.signoff")
def sign_off_motions(
    session: Session, actor: Actor, motion_ids: Sequence[int], *, note: str | None = None
) -> Changes:
    result: MoveResult = sign_off_moves(session, motion_ids, user=actor.name, note=note)
    return moved(f"Sign off {count(len(result.moved))}", result)
