"""How every motion begins: the columns of a new motion and of its first history row.

An intake, an import (row by row, or set-based inside SQLite) and the demo all start motions
from here, so a motion looks the same whichever way it came in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from casetracker.domain.enums import IntakeChannel, MotionKind, Stage
from casetracker.domain.models import Case, Motion, Person

# What every field of a motion holds before any step has been taken.
_BLANK: dict[str, Any] = {
    name: None
    for name in (
        "event_id",
        "import_batch_id",
        "referral_source",
        "defense_org",
        "defense_attorney",
        "verified_by",
        "verified_at",
        "screening_result",
        "screening_ruleset",
        "screening_as_of",
        "screened_by",
        "screened_at",
        "assigned_prosecutor",
        "decision",
        "decision_reason_code",
        "decision_note",
        "decided_by",
        "decided_at",
        "supervisor_signoff_by",
        "supervisor_signoff_at",
        "filed_date",
        "filed_court",
        "filed_part",
        "court_date",
        "court_part",
        "judge",
        "court_list_id",
        "outcome",
        "order_date",
        "outcome_reasons",
        "sealing_deadline",
        "sealing_confirmed_date",
        "notification_method",
        "notification_date",
        "notification_outcome",
        "notifying_org",
        "closed_reason",
    )
} | {
    "screening_reasons": [],
    "appearance_required": False,
    "proceed_if_expunged": False,
    "version": 1,
}

# Set per motion by whoever makes it: the row's own id, person, case and import row.
OWN_COLUMNS = ("id", "person_id", "case_id", "import_row")


def motion_columns(
    kind: MotionKind,
    *,
    at: datetime,
    intake_date: date,
    channel: IntakeChannel,
    **given: Any,
) -> dict[str, Any]:
    """Every column of a new motion except OWN_COLUMNS; `given` sets the intake's own facts
    (event_id, import_batch_id, referral_source, defense_org, defense_attorney,
    proceed_if_expunged)."""
    unknown = set(given) - set(_BLANK)
    if unknown:
        raise TypeError(f"a new motion cannot be given {sorted(unknown)}")
    return {
        **_BLANK,
        **given,
        "kind": kind,
        "stage": Stage.INTAKE,
        "stage_entered_at": at,
        "intake_date": intake_date,
        "intake_channel": channel,
        "created_at": at,
    }


def first_event(*, at: datetime, user: str, action: str, reason: str) -> dict[str, Any]:
    """The columns of a new motion's first history row, except its id and motion_id."""
    return {
        "at": at,
        "user": user,
        "action": action,
        "from_stage": None,
        "to_stage": Stage.INTAKE,
        "reason": reason,
        "changes": {},
        "group_id": None,
        "undoes_group": None,
    }


def new_motion(
    kind: MotionKind,
    person: Person,
    case: Case,
    *,
    at: datetime,
    intake_date: date,
    channel: IntakeChannel,
    **given: Any,
) -> Motion:
    """A new motion object for the ORM (an intake): the same columns an import writes."""
    motion = Motion(
        **motion_columns(kind, at=at, intake_date=intake_date, channel=channel, **given)
    )
    motion.person = person
    motion.case = case
    return motion
