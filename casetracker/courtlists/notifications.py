"""Telling the person: every attempt (a letter, a call, an email; its date and outcome) is
kept, from the grant on, as many as it takes. The motion shows the latest attempt, and is
notified once an attempt reached the person and the sealing is confirmed: reached before the
sealing, it moves on to notified when the sealing is confirmed.

Each attempt is one action: the attempt row (in the records' history, so undo removes it) and
the motion's change (in its history), under one group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.clock import today, utcnow
from casetracker.domain.enums import NotificationMethod, NotificationOutcome, Stage
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import Motion, MotionEvent, NotificationAttempt
from casetracker.domain.workflow import apply_transition, named, new_group_id, record_change
from casetracker.operations import Actor, Changes, UndoEntry, operation
from casetracker.records.fields import parse_date, to_json
from casetracker.records.history import Recorder, actor_name
from casetracker.services.motions import load_motion

# From the grant on: a person may be told while the sealing is still being done.
ATTEMPT_STAGES = frozenset({Stage.GRANTED, Stage.SEALED, Stage.NOTIFIED})


@dataclass(frozen=True)
class AttemptInfo:
    id: int
    attempted_on: date
    method: NotificationMethod | None
    outcome: NotificationOutcome
    org: str | None
    note: str | None
    recorded_by: str
    recorded_at: datetime

    @property
    def text(self) -> str:
        how = self.method.label.lower() if self.method else "no method"
        by = f" by {self.org}" if self.org else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.attempted_on.isoformat()} {how}{by}: {self.outcome.label.lower()}{note}"


def attempts_of(session: Session, motion_id: int) -> list[AttemptInfo]:
    """Newest first (by the day of the attempt, then the order recorded)."""
    rows = session.scalars(
        select(NotificationAttempt)
        .where(NotificationAttempt.motion_id == motion_id)
        .order_by(NotificationAttempt.attempted_on.desc(), NotificationAttempt.id.desc())
    )
    return [
        AttemptInfo(
            a.id, a.attempted_on, a.method, a.outcome, a.org, a.note, a.recorded_by, a.recorded_at
        )
        for a in rows
    ]


@dataclass
class AttemptResult:
    group_id: str
    motion_id: int
    person_id: int
    attempt_id: int
    notified: bool


def record_attempt(
    session: Session,
    actor: Any,
    motion_id: int,
    *,
    attempted_on: Any,
    outcome: Any,
    method: Any = None,
    org: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    group_id: str | None = None,
) -> AttemptResult:
    motion = load_motion(session, motion_id, expected_version)
    if motion.stage not in ATTEMPT_STAGES:
        raise TransitionError(
            f"Motion {motion_id} is {motion.stage.label.lower()}: a notification is recorded "
            "once the motion is granted."
        )
    day = parse_date("notification date", attempted_on)
    if day is None:
        raise InvalidValueError("A notification attempt needs its date.")
    if day > today():
        raise InvalidValueError(f"The notification date {day.isoformat()} is in the future.")
    if motion.order_date and day < motion.order_date:
        raise InvalidValueError(
            f"The notification date {day.isoformat()} is before the order "
            f"({motion.order_date.isoformat()})."
        )
    how = _enum(NotificationOutcome, outcome, "notification outcome")
    if how is None:
        raise InvalidValueError("A notification attempt needs its outcome.")
    way = _enum(NotificationMethod, method, "notification method")
    if how != NotificationOutcome.NO_CONTACT and way is None:
        raise InvalidValueError(
            f"A notification that was {how.label.lower()} needs its method "
            "(mail, phone, email, in person or text)."
        )
    user = actor_name(actor)
    group = group_id or new_group_id()
    recorder = Recorder(session, user, group_id=group)
    attempt = NotificationAttempt(
        motion_id=motion.id,
        method=way,
        attempted_on=day,
        outcome=how,
        org=(org or "").strip() or None,
        note=(note or "").strip() or None,
        recorded_by=user,
        recorded_at=recorder.at,
    )
    session.add(attempt)
    session.flush()
    recorder.write(
        "notification",
        attempt.id,
        "add",
        {name: [None, to_json(getattr(attempt, name))] for name in _ATTEMPT_COLUMNS},
        person_id=motion.person_id,
        reason=f"Notification attempt for motion {motion.id}",
    )
    values = {
        "notification_date": day,
        "notification_outcome": how,
        "notification_method": way,
        "notifying_org": attempt.org,
    }
    reason = f"Notification {how.label.lower()} on {day.isoformat()}" + (
        f" ({way.label.lower()})" if way else ""
    )
    notified = how.reached and motion.stage == Stage.SEALED
    if notified:
        event = apply_transition(
            motion,
            Stage.NOTIFIED,
            reason=reason,
            user=user,
            at=recorder.at,
            values=values,
            action="notify",
            group_id=group,
        )
    else:
        event = record_change(
            motion,
            values,
            action="notify_attempt",
            reason=reason,
            user=user,
            at=recorder.at,
            group_id=group,
        )
    session.add(event)
    session.flush()
    return AttemptResult(group, motion.id, motion.person_id, attempt.id, notified)


def notify_if_reached(session: Session, motion: Motion, *, user: str, group_id: str) -> bool:
    """Once the sealing of `motion` is confirmed: notified, if an attempt already reached the
    person (the latest such attempt's details stay on the motion)."""
    if motion.stage != Stage.SEALED:
        return False
    reached = next((a for a in attempts_of(session, motion.id) if a.outcome.reached), None)
    if reached is None:
        return False
    at = utcnow()
    event = apply_transition(
        motion,
        Stage.NOTIFIED,
        reason=f"Sealing confirmed; the person was reached on {reached.attempted_on.isoformat()}",
        user=user,
        at=at,
        values={
            "notification_date": reached.attempted_on,
            "notification_outcome": reached.outcome,
            "notification_method": reached.method,
            "notifying_org": reached.org,
        },
        action="notify",
        group_id=group_id,
    )
    session.add(event)
    session.flush()
    return True


_ATTEMPT_COLUMNS = (
    "motion_id",
    "method",
    "attempted_on",
    "outcome",
    "org",
    "note",
    "recorded_by",
    "recorded_at",
)


def _enum(kind: type[Any], value: Any, label: str) -> Any:
    if value is None or isinstance(value, kind):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return kind.parse(text)
    except ValueError as error:
        raise InvalidValueError(f"The {label}: {error}") from None


def after_move(session: Session, event: MotionEvent, *, user: str) -> None:
    """What a single move (motion_ops.advance) implies for notification, in its group: a move
    to notified made through the workflow's own form is an attempt that reached the person,
    kept with the others; a confirmed sealing makes a person already reached notified."""
    motion = event.motion
    group = event.group_id or new_group_id()
    if event.action == "notify" and motion.notification_date is not None:
        how = motion.notification_outcome or NotificationOutcome.DELIVERED
        attempt = NotificationAttempt(
            motion_id=motion.id,
            method=motion.notification_method,
            attempted_on=motion.notification_date,
            outcome=how,
            org=motion.notifying_org,
            note=None,
            recorded_by=user,
            recorded_at=event.at,
        )
        session.add(attempt)
        session.flush()
        Recorder(session, user, group_id=group).write(
            "notification",
            attempt.id,
            "add",
            {name: [None, to_json(getattr(attempt, name))] for name in _ATTEMPT_COLUMNS},
            person_id=motion.person_id,
            reason=f"Notification attempt for motion {motion.id}",
        )
    elif event.action == "seal":
        notify_if_reached(session, motion, user=user, group_id=group)


@operation("notification.attempt")
def add_attempt(
    session: Session,
    actor: Actor,
    motion_id: int,
    *,
    attempted_on: Any,
    outcome: Any,
    method: Any = None,
    org: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Changes:
    """Record one attempt at telling the person (see record_attempt), undoable as one."""
    result = record_attempt(
        session,
        actor,
        motion_id,
        attempted_on=attempted_on,
        outcome=outcome,
        method=method,
        org=org,
        note=note,
        expected_version=expected_version,
    )
    latest = attempts_of(session, motion_id)[0]
    motion = session.get_one(Motion, motion_id)
    summary = f"Notification attempt for {named(motion)}: {latest.outcome.label.lower()}"
    if result.notified:
        summary += " (now notified)"
    return Changes(
        motions=frozenset({motion_id}),
        people=frozenset({result.person_id}),
        summary=summary,
        undo=UndoEntry(summary, result.group_id, frozenset({motion_id})),
    )


def notified_once_sealed(
    session: Session, motion_ids: Sequence[int], *, user: str, group_id: str
) -> list[int]:
    """After a sealing confirmed for many motions: those whose person was already reached
    move on to notified, in the same group."""
    if not motion_ids:
        return []
    reached = set(
        session.scalars(
            select(NotificationAttempt.motion_id)
            .where(
                NotificationAttempt.motion_id.in_(list(motion_ids)),
                NotificationAttempt.outcome == NotificationOutcome.DELIVERED,
            )
            .distinct()
        )
    )
    done = []
    for motion_id in sorted(reached):
        if notify_if_reached(
            session, load_motion(session, motion_id), user=user, group_id=group_id
        ):
            done.append(motion_id)
    return done
