"""How a motion moves: the stages, the allowed transitions and what each one requires.

This is the one place that decides whether a move is allowed. The services, the command line
and the GUI all ask it, so a refusal reads the same everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from casetracker.domain.clock import today
from casetracker.domain.enums import (
    CourtOutcome,
    Decision,
    MotionKind,
    NotificationMethod,
    NotificationOutcome,
    ScreeningResult,
    Stage,
    WarrantStatus,
)
from casetracker.domain.errors import InvalidValueError, TransitionError
from casetracker.domain.models import Motion, MotionEvent
from casetracker.normalize.dates import parse_typed_date

DEFAULT_SEALING_DAYS = 90


@dataclass(frozen=True)
class FieldSpec:
    """A motion field a transition may ask for; `kind` tells forms and parsers what it holds."""

    label: str
    kind: type[Any]


FIELDS: dict[str, FieldSpec] = {
    "screening_result": FieldSpec("screening result", ScreeningResult),
    "screening_ruleset": FieldSpec("rule-set version", str),
    "screening_reasons": FieldSpec("screening reasons", list),
    "screening_as_of": FieldSpec("screened as of", date),
    "assigned_prosecutor": FieldSpec("assigned prosecutor", str),
    "decision_reason_code": FieldSpec("reason code", str),
    "decision_note": FieldSpec("note", str),
    "filed_date": FieldSpec("filing date", date),
    "filed_court": FieldSpec("court", str),
    "filed_part": FieldSpec("part", str),
    "court_date": FieldSpec("court date", date),
    "court_part": FieldSpec("part", str),
    "judge": FieldSpec("judge", str),
    "court_list_id": FieldSpec("court list", int),
    "appearance_required": FieldSpec("appearance required", bool),
    "order_date": FieldSpec("order date", date),
    "outcome_reasons": FieldSpec("reasons on the record", str),
    "sealing_deadline": FieldSpec("sealing deadline", date),
    "sealing_confirmed_date": FieldSpec("sealing confirmation date", date),
    "notification_method": FieldSpec("notification method", NotificationMethod),
    "notification_date": FieldSpec("notification date", date),
    "notification_outcome": FieldSpec("notification outcome", NotificationOutcome),
    "notifying_org": FieldSpec("notifying organization", str),
    "proceed_if_expunged": FieldSpec("proceed although expunged by law", bool),
    "supervisor_signoff_by": FieldSpec("supervisor sign-off by", str),
    "supervisor_signoff_at": FieldSpec("supervisor sign-off time", datetime),
}

# Dates of things that have already happened: a future one is a typing mistake.
HAPPENED_DATES = frozenset(
    {"filed_date", "order_date", "sealing_confirmed_date", "notification_date"}
)

Check = Callable[[Motion], str | None]


def _case_is_identified(motion: Motion) -> str | None:
    case = motion.case
    if not (case.docket or case.summons_number or case.docket_as_typed):
        return "the case has no docket or summons number"
    if not case.charges:
        return "the case has no charge"
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[Stage]
    target: Stage
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    kinds: frozenset[MotionKind] = frozenset(MotionKind)
    checks: tuple[Check, ...] = ()
    # Fields that must be given anew, not merely present from before (a new court date).
    fresh: tuple[str, ...] = ()
    sets: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accepts(self) -> tuple[str, ...]:
        return self.requires + self.optional


_DECISION_FIELDS = ("decision_reason_code", "decision_note", "assigned_prosecutor")
_BEFORE_DECISION = frozenset(
    {
        Stage.INTAKE,
        Stage.VERIFIED,
        Stage.SCREENED,
        Stage.INFO_NEEDED,
        Stage.CONSENTED,
        Stage.OPPOSED,
        Stage.FILED,
        Stage.CALENDARED,
    }
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "verify",
        "Verify record",
        frozenset({Stage.INTAKE, Stage.INFO_NEEDED}),
        Stage.VERIFIED,
        checks=(_case_is_identified,),
    ),
    # A conviction record must be verified before screening; a warrant list comes from the
    # court's own records, so it may be screened as imported.
    Transition(
        "screen",
        "Screen",
        frozenset({Stage.VERIFIED, Stage.INFO_NEEDED, Stage.SCREENED}),
        Stage.SCREENED,
        requires=("screening_result",),
        optional=("screening_ruleset", "screening_reasons", "screening_as_of"),
    ),
    Transition(
        "screen",
        "Screen",
        frozenset({Stage.INTAKE}),
        Stage.SCREENED,
        requires=("screening_result",),
        optional=("screening_ruleset", "screening_reasons", "screening_as_of"),
        kinds=frozenset({MotionKind.WARRANT_DISMISSAL}),
    ),
    Transition(
        "consent",
        "Consent",
        frozenset({Stage.SCREENED, Stage.INFO_NEEDED, Stage.OPPOSED}),
        Stage.CONSENTED,
        optional=_DECISION_FIELDS,
        sets={"decision": Decision.CONSENT},
    ),
    Transition(
        "oppose",
        "Oppose",
        frozenset({Stage.SCREENED, Stage.INFO_NEEDED}),
        Stage.OPPOSED,
        optional=_DECISION_FIELDS,
        sets={"decision": Decision.OPPOSE},
    ),
    Transition(
        "request_info",
        "Ask for more information",
        frozenset({Stage.SCREENED}),
        Stage.INFO_NEEDED,
        optional=_DECISION_FIELDS,
        sets={"decision": Decision.INFO},
    ),
    Transition(
        "file",
        "Mark filed",
        frozenset({Stage.CONSENTED, Stage.OPPOSED}),
        Stage.FILED,
        requires=("filed_date",),
        optional=("filed_court", "filed_part"),
    ),
    Transition(
        "calendar",
        "Calendar",
        frozenset({Stage.FILED}),
        Stage.CALENDARED,
        requires=("court_date", "court_part"),
        optional=("judge", "court_list_id", "appearance_required"),
    ),
    Transition(
        "adjourn",
        "Adjourn",
        frozenset({Stage.CALENDARED}),
        Stage.CALENDARED,
        requires=("court_date",),
        optional=("court_part", "judge", "court_list_id"),
        fresh=("court_date",),
    ),
    Transition(
        "grant",
        "Granted",
        frozenset({Stage.CALENDARED}),
        Stage.GRANTED,
        requires=("order_date",),
        optional=("outcome_reasons", "sealing_deadline"),
        sets={"outcome": CourtOutcome.GRANTED},
    ),
    Transition(
        "deny",
        "Denied",
        frozenset({Stage.CALENDARED}),
        Stage.DENIED,
        requires=("order_date",),
        optional=("outcome_reasons",),
        sets={"outcome": CourtOutcome.DENIED},
    ),
    Transition(
        "seal",
        "Confirm sealed",
        frozenset({Stage.GRANTED}),
        Stage.SEALED,
        requires=("sealing_confirmed_date",),
    ),
    Transition(
        "notify",
        "Record notification",
        frozenset({Stage.SEALED}),
        Stage.NOTIFIED,
        requires=("notification_date", "notification_outcome"),
        optional=("notification_method", "notifying_org"),
    ),
    Transition(
        "close",
        "Close",
        frozenset({Stage.NOTIFIED, Stage.DENIED, Stage.OPPOSED}),
        Stage.CLOSED,
    ),
    Transition("withdraw", "Withdraw", _BEFORE_DECISION, Stage.WITHDRAWN),
)

FINAL_STAGES = frozenset({Stage.CLOSED, Stage.WITHDRAWN})


@dataclass(frozen=True)
class WorkflowSettings:
    sealing_days: int = DEFAULT_SEALING_DAYS
    # When on, an opposition counts (may be filed or closed) only after a supervisor signs off.
    opposition_needs_signoff: bool = False


def awaiting_signoff(motion: Motion, settings: WorkflowSettings) -> bool:
    return (
        settings.opposition_needs_signoff
        and motion.stage == Stage.OPPOSED
        and motion.supervisor_signoff_by is None
    )


def transitions_from(stage: Stage, kind: MotionKind) -> list[Transition]:
    return [t for t in TRANSITIONS if stage in t.sources and kind in t.kinds]


def moves_forward(action: str, source: Stage, target: Stage) -> bool:
    """A step that takes the motion on: not withdrawing it, and not doing again the step that
    brought it here (re-screening a screened motion, adjourning a calendared one). The desk's
    "Next step" and Ctrl+Return offer the first such step."""
    return action != "withdraw" and target != source


def find_transition(motion: Motion, target: Stage, action: str | None = None) -> Transition:
    options = [
        t
        for t in transitions_from(motion.stage, motion.kind)
        if t.target == target and (action is None or t.action == action)
    ]
    if not options:
        allowed = ", ".join(
            sorted({t.target.value for t in transitions_from(motion.stage, motion.kind)})
        )
        where = f"{named(motion)} ({motion.kind.label.lower()})"
        raise TransitionError(
            f"Cannot move {where} from {motion.stage.label} to {target.label}: "
            f"not an allowed step. From {motion.stage.label} it can go to: {allowed or 'nowhere'}."
        )
    return options[0]


@dataclass(frozen=True)
class Step:
    """A move a user asks for: to `target`, by `action` when several transitions lead there
    (adjourn and calendar both end in Calendared)."""

    target: Stage
    action: str | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a check needs besides the motion: the office's settings, and the reason given
    (None when no reason is asked yet, as for the buttons the detail pane offers)."""

    settings: WorkflowSettings = field(default_factory=lambda: WorkflowSettings())
    reason: str | None = None


def check(motion: Motion, step: Step, data: Mapping[str, Any], context: CheckContext) -> list[str]:
    """What `motion` lacks to take `step` with the values in `data`; empty when it may.

    This is the one rule: a single move, a bulk preview and its apply, the queue, court lists
    and screening all ask it, so what one allows the others allow and a refusal reads alike."""
    transition = _transition_for(motion, step)
    if transition is None:
        return [_not_allowed(motion, step.target)]
    unknown = sorted(set(data) - set(transition.accepts))
    if unknown:
        return [
            f"only what '{transition.label}' takes ({', '.join(transition.accepts) or 'nothing'}"
            f"; not {', '.join(unknown)})"
        ]
    missing = [text for _field, text in _lacking(motion, transition, data, context.settings)]
    if context.reason is not None and not context.reason.strip():
        missing.insert(0, "a reason")
    return missing


def blockers(motion: Motion, transition: Transition, settings: WorkflowSettings) -> list[str]:
    """What stops a move whatever the form says (a failed check, a sign-off still due): the
    detail pane does not offer such a move as if it could be made."""
    return [text for field_, text in _lacking(motion, transition, {}, settings) if not field_]


def _lacking(
    motion: Motion,
    transition: Transition,
    values: Mapping[str, Any],
    settings: WorkflowSettings,
) -> list[tuple[str | None, str]]:
    """(field the form can supply, or None; what is missing)."""
    missing: list[tuple[str | None, str]] = []
    for name in transition.requires:
        given = values.get(name)
        if name in transition.fresh:
            if _empty(given) or given == getattr(motion, name):
                missing.append((name, f"a new {FIELDS[name].label}"))
        elif _empty(given) and _empty(getattr(motion, name)):
            missing.append((name, FIELDS[name].label))
    for rule in transition.checks:
        problem = rule(motion)
        if problem:
            missing.append((None, problem))
    if transition.action in ("file", "close") and awaiting_signoff(motion, settings):
        missing.append((None, "a supervisor's sign-off of the opposition"))
    if (
        "decision_note" in transition.accepts
        and transition.sets.get("decision") == Decision.CONSENT
        and motion.screening_result in _CONSENT_NEEDS_NOTE
        and _empty(values.get("decision_note"))
    ):
        result = motion.screening_result.label.lower() if motion.screening_result else ""
        missing.append(
            ("decision_note", f"a note saying why to consent although screened '{result}'")
        )
    return missing


# Screening results a prosecutor consents against only with a note saying why.
_CONSENT_NEEDS_NOTE = (ScreeningResult.INELIGIBLE, ScreeningResult.NOTHING_TO_VACATE)


def named(motion: Motion) -> str:
    """A motion as people know it, in every message: the person and the docket or summons
    number ("Díaz, Ana · 2016KN012345"), never its row number."""
    person, case = motion.person, motion.case
    if person is None or case is None:  # not yet attached (a motion being built)
        return f"motion {motion.id}" if motion.id else "a new motion"
    return f"{person.display_name} · {case.reference}"


def consent_asked_apart(motion: Motion) -> str | None:
    """Why a consent to many motions at once asks about this one separately ("screened
    ineligible"), or None: every motion the rules did not screen eligible is consented to only
    when the user says so for those motions, with a reason that goes into their history."""
    result = motion.screening_result
    if result is None or result == ScreeningResult.ELIGIBLE:
        return None
    return f"screened {result.label.lower()}"


def step_decides(target: Stage | None, action: str | None = None) -> bool:
    """Whether a step records a prosecutor's decision (consent, oppose, ask for more
    information): it needs the permission to decide as well as the one to move, whichever
    way it is taken (one motion, many, a step after another, a redo)."""
    if action is not None and decision_of(action) is not None:
        return True
    return target is not None and any(
        t.target == target and "decision" in t.sets for t in TRANSITIONS
    )


def decision_of(action: str) -> Decision | None:
    """The decision a step records (consent, oppose, ask for information), if any."""
    for transition in TRANSITIONS:
        if transition.action == action and "decision" in transition.sets:
            return Decision(transition.sets["decision"])
    return None


def _transition_for(motion: Motion, step: Step) -> Transition | None:
    return next(
        (
            t
            for t in transitions_from(motion.stage, motion.kind)
            if t.target == step.target and (step.action is None or t.action == step.action)
        ),
        None,
    )


def _not_allowed(motion: Motion, target: Stage) -> str:
    return f"an allowed step: {motion.stage.label} cannot go to {target.label}"


def missing_for(motion: Motion, transition: Transition, values: Mapping[str, Any]) -> list[str]:
    """What the move still needs from the form: the labels of required fields and failed
    checks (settings-dependent rules are in `check`)."""
    return [text for _field, text in _lacking(motion, transition, values, WorkflowSettings())]


def apply_transition(
    motion: Motion,
    target: Stage,
    *,
    reason: str,
    user: str,
    at: datetime,
    values: Mapping[str, Any] | None = None,
    settings: WorkflowSettings | None = None,
    action: str | None = None,
    group_id: str | None = None,
) -> MotionEvent:
    """Move `motion` to `target` and return the history row; the caller adds both in one
    transaction, so a move never exists without its history."""
    values = dict(values or {})
    settings = settings or WorkflowSettings()
    transition = find_transition(motion, target, action)

    # Named only when refused: a move that goes through reads no person or case.
    def where() -> str:
        return f"{named(motion)} to {target.label}"

    unknown = sorted(set(values) - set(transition.accepts))
    if unknown:
        raise InvalidValueError(
            f"Cannot move {where()}: {', '.join(unknown)} cannot be set by "
            f"'{transition.label}' (it takes: {', '.join(transition.accepts) or 'nothing'})."
        )
    values = {name: coerce_field(name, value) for name, value in values.items()}
    missing = check(
        motion,
        Step(target, transition.action),
        values,
        CheckContext(settings, reason or ""),
    )
    if missing:
        raise TransitionError(f"Cannot move {where()}: needs {_join(missing)}.", tuple(missing))

    updates: dict[str, Any] = {k: v for k, v in values.items() if not _empty(v)}
    updates.update(transition.sets)
    updates.update(_stamps(transition, user, at, reason))
    if transition.action == "grant" and _empty(updates.get("sealing_deadline")):
        updates["sealing_deadline"] = updates["order_date"] + timedelta(days=settings.sealing_days)
    _check_dates(motion, updates, where)
    if transition.action == "grant" and motion.kind == MotionKind.WARRANT_DISMISSAL:
        # The order vacates the warrant: the case says so, and an undo puts it back.
        updates[_CASE_WARRANT] = WarrantStatus.VACATED

    from_stage = motion.stage
    updates["stage"] = target
    updates["stage_entered_at"] = at
    changes = _apply(motion, updates)
    return MotionEvent(
        motion_id=motion.id,
        motion=motion,
        at=at,
        user=user,
        action=transition.action,
        from_stage=from_stage,
        to_stage=target,
        reason=reason.strip(),
        changes=changes,
        group_id=group_id,
    )


def record_change(
    motion: Motion,
    values: Mapping[str, Any],
    *,
    action: str,
    reason: str,
    user: str,
    at: datetime,
    group_id: str | None = None,
) -> MotionEvent:
    """A change that keeps the stage (assigning a prosecutor), logged like a move."""
    if not reason or not reason.strip():
        raise TransitionError(f"Cannot change {named(motion)}: needs a reason.", ("a reason",))
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise InvalidValueError(f"Cannot change {named(motion)}: unknown field {unknown[0]}.")
    changes = _apply(motion, {k: coerce_field(k, v) for k, v in values.items()})
    return MotionEvent(
        motion_id=motion.id,
        motion=motion,
        at=at,
        user=user,
        action=action,
        from_stage=motion.stage,
        to_stage=motion.stage,
        reason=reason.strip(),
        changes=changes,
        group_id=group_id,
    )


def revert_event(
    motion: Motion, event: MotionEvent, *, reason: str, user: str, at: datetime, group_id: str
) -> MotionEvent:
    """Undo one earlier event by putting back what it changed. Refused when the motion has
    changed since, because then the undo would overwrite someone's later work."""
    for name, (_before, after) in event.changes.items():
        holder, attribute = _holder(motion, name)
        if _to_json(getattr(holder, attribute)) != after:
            raise TransitionError(
                f"Cannot undo on {named(motion)}: its {name.replace('_', ' ')} has changed "
                f"since ({event.action} at {event.at:%Y-%m-%d %H:%M})."
            )
    restore = {name: _from_json(name, before) for name, (before, _after) in event.changes.items()}
    from_stage = motion.stage
    changes = _apply(motion, restore)
    return MotionEvent(
        motion_id=motion.id,
        motion=motion,
        at=at,
        user=user,
        action="undo",
        from_stage=from_stage,
        to_stage=motion.stage,
        reason=reason,
        changes=changes,
        group_id=group_id,
        undoes_group=event.group_id,
    )


def new_group_id() -> str:
    return str(uuid.uuid4())


def coerce_field(name: str, value: Any) -> Any:
    """Turn text from a form or the command line into the field's type, or say why not."""
    spec = FIELDS.get(name)
    if spec is None or value is None or not isinstance(value, str):
        return value
    text = value.strip()
    if text == "":
        return None
    if spec.kind is date:
        try:
            return parse_typed_date(text)
        except ValueError as error:
            raise InvalidValueError(f"{spec.label.capitalize()}: {error}.") from None
    if spec.kind is int:
        try:
            return int(text)
        except ValueError:
            raise InvalidValueError(
                f"{spec.label.capitalize()} '{text}' is not a number."
            ) from None
    if spec.kind is bool:
        return text.lower() in ("1", "yes", "true", "y")
    if isinstance(spec.kind, type) and issubclass(spec.kind, Enum):
        try:
            return spec.kind.parse(text)  # type: ignore[attr-defined]
        except ValueError as exc:
            raise InvalidValueError(f"{spec.label.capitalize()}: {exc}") from None
    return text


def _stamps(transition: Transition, user: str, at: datetime, reason: str) -> dict[str, Any]:
    if transition.action == "verify":
        return {"verified_by": user, "verified_at": at}
    if transition.action == "screen":
        return {"screened_by": user, "screened_at": at}
    if "decision" in transition.sets:
        return {"decided_by": user, "decided_at": at}
    if transition.target in FINAL_STAGES:
        return {"closed_reason": reason.strip()}
    return {}


def _check_dates(motion: Motion, updates: Mapping[str, Any], where: Callable[[], str]) -> None:
    for name, value in updates.items():
        if isinstance(value, date) and not isinstance(value, datetime) and value.year < 1900:
            raise InvalidValueError(
                f"Cannot move {where()}: {FIELDS[name].label} {value} is too early."
            )
        if name in HAPPENED_DATES and isinstance(value, date) and value > today():
            raise InvalidValueError(
                f"Cannot move {where()}: {FIELDS[name].label} {value} is in the future; "
                "record it on the day it happens."
            )
    order = updates.get("order_date") or motion.order_date
    confirmed = updates.get("sealing_confirmed_date")
    if order and confirmed and confirmed < order:
        raise InvalidValueError(
            f"Cannot move {where()}: sealing confirmation {confirmed} is before the order {order}."
        )


_CASE_WARRANT = "case.warrant_status"


def _holder(motion: Motion, name: str) -> tuple[Any, str]:
    """Changes are named by motion field, or "case.<field>" for the motion's case."""
    if name.startswith("case."):
        return motion.case, name.removeprefix("case.")
    return motion, name


def _apply(motion: Motion, updates: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in updates.items():
        holder, attribute = _holder(motion, name)
        before = getattr(holder, attribute)
        if before != value:
            changes[name] = [_to_json(before), _to_json(value)]
            setattr(holder, attribute, value)
    return changes


def _to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_AUTO_FIELDS: dict[str, type[Any]] = {
    "stage": Stage,
    "stage_entered_at": datetime,
    "decision": Decision,
    "outcome": CourtOutcome,
    "verified_at": datetime,
    "screened_at": datetime,
    "decided_at": datetime,
    _CASE_WARRANT: WarrantStatus,
}


def _from_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    kind = _AUTO_FIELDS.get(name) or (FIELDS[name].kind if name in FIELDS else None)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
