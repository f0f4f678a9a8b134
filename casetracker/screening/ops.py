"""Screening as operations (casetracker.operations): screen motions, and record that a
vacatur proceeds although the law already expunged the conviction. The window and the
command line call these; each owns its transaction and says what it changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.courtlists import notifications
from casetracker.decisions.reason_codes import decision_reason, reason_code_for
from casetracker.domain.enums import Decision, ScreeningResult, Stage
from casetracker.domain.errors import TransitionError
from casetracker.domain.models import Motion
from casetracker.domain.workflow import named, new_group_id
from casetracker.operations import Actor, Changes, UndoEntry, operation
from casetracker.screening.service import (
    Progress,
    Rules,
    ScreenReport,
    proceed_anyway,
    screen_motions,
)
from casetracker.services import motions

# Beyond this many motions, views re-read everything rather than the motions by id.
_FEW = 500


@dataclass(frozen=True)
class ScreenChanges(Changes):
    """What screening changed, with the outcomes, which the caller shows."""

    report: ScreenReport | None = None


@operation("motion.screen")
def screen(
    session: Session,
    actor: Actor,
    motion_ids: Sequence[int] | None,
    *,
    as_of: date | None = None,
    rules: Rules | None = None,
    progress: Progress | None = None,
) -> ScreenChanges:
    """Screen the motions given (None: every motion not yet screened) through each person's
    whole record, as of `as_of` (default: each motion's own date)."""
    report = screen_motions(
        session, motion_ids, user=actor.name, rules=rules, as_of=as_of, progress=progress
    )
    return _changes(session, report, _label(session, report))


@operation("motion.proceed_anyway")
def proceed(
    session: Session,
    actor: Actor,
    motion_id: int,
    *,
    reason: str,
    as_of: date | None = None,
    expected_version: int | None = None,
) -> ScreenChanges:
    """The person wants the vacatur although the conviction is expunged by law: recorded
    with their reason, and the motion screened again; one action, undone as one."""
    report = proceed_anyway(
        session,
        motion_id,
        reason=reason,
        user=actor.name,
        as_of=as_of,
        expected_version=expected_version,
    )
    return _changes(
        session,
        report,
        f"Proceed although expunged by law: {named(session.get_one(Motion, motion_id))}",
        extra=(motion_id,),
    )


@operation("motion.screen_and_consent")
def screen_and_consent(
    session: Session,
    actor: Actor,
    motion_id: int,
    *,
    reason_code: str,
    as_of: date | None = None,
    note: str | None = None,
) -> ScreenChanges:
    """Screen one motion and, when the rules screen it eligible, consent to it with the
    office's reason code: two steps, each its own history row (screened, then consented), in
    one history group, so one undo takes back both. It needs the permission to screen and the
    permission to decide; a motion not screened eligible is refused whole (nothing saved):
    its consent is a decision of its own, with a note."""
    require(session, actor, "motion.screen")
    require(session, actor, "motion.decide")
    group = new_group_id()
    report = screen_motions(session, [motion_id], user=actor.name, as_of=as_of, group_id=group)
    outcome = report.outcomes.get(motion_id)
    who = named(session.get_one(Motion, motion_id))
    if outcome is None or outcome.result != ScreeningResult.ELIGIBLE:
        why = (
            f"is screened {outcome.result.label.lower()}"
            if outcome is not None
            else f"cannot be screened: {report.skipped.get(motion_id, 'not now')}"
        )
        raise TransitionError(
            f"{who} {why}, so it is not consented to with its screening; nothing was saved. "
            "Save the screening, then decide on it by itself.",
            ("an eligible screening",),
        )
    code = reason_code_for(session, reason_code, Decision.CONSENT)
    event = motions.advance(
        session,
        motion_id,
        Stage.CONSENTED,
        reason=decision_reason(Decision.CONSENT, code, note),
        user=actor.name,
        values={"decision_reason_code": code.code, **({"decision_note": note} if note else {})},
        action="consent",
        group_id=group,
    )
    notifications.after_move(session, event, user=actor.name)
    return _changes(session, report, f"Screen and consent: {who}")


def _changes(
    session: Session, report: ScreenReport, label: str, extra: tuple[int, ...] = ()
) -> ScreenChanges:
    ids = frozenset((*report.screened, *extra))
    few = 0 < len(ids) <= _FEW
    people = (
        frozenset(session.scalars(select(Motion.person_id).where(Motion.id.in_(ids)).distinct()))
        if few
        else frozenset()
    )
    undo = UndoEntry(label, report.group_id, ids) if report.group_id else None
    return ScreenChanges(
        motions=ids,
        people=people,
        summary=label,
        undo=undo,
        everything=len(ids) > _FEW,
        report=report,
    )


def _label(session: Session, report: ScreenReport) -> str:
    if len(report.screened) == 1:
        motion_id = report.screened[0]
        who = named(session.get_one(Motion, motion_id))
        return f"Screen {who}: {report.outcomes[motion_id].result.label}"
    return f"Screen {len(report.screened):,} motions"
