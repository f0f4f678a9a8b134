"""Moving many motions as one user action: `preview` says what each motion would do, then
`apply` acts on exactly the versions the preview showed, as one history group.

Every place that moves motions as a group (the bulk dialog, the queue's decisions, court
lists, sealing and notification) goes through here, so they share one check
(workflow.check), one chunk size and one way of refusing a motion changed in between: by
name, with who changed it and when ("Díaz, Ana 2016KN012345 was opposed by ada.smith at
14:02 after you opened this").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import Stage
from casetracker.domain.errors import (
    InvalidValueError,
    NotFoundError,
    StaleEditError,
    TransitionError,
)
from casetracker.domain.models import Case, Motion, MotionEvent
from casetracker.domain.workflow import (
    FINAL_STAGES,
    TRANSITIONS,
    CheckContext,
    Step,
    apply_transition,
    check,
    named,
    new_group_id,
    record_change,
)
from casetracker.storage.settings import workflow_settings

# Motions are read and written this many at a time: a few dozen queries for 10,000 motions.
CHUNK = 500
Progress = Callable[[int, int], None]
Values = Mapping[str, Any] | Callable[[Motion], Mapping[str, Any]]


@dataclass(frozen=True)
class Move:
    """What one action does to each motion: a step of the workflow (`target` set), or a change
    of fields that keeps the stage (`target` None: `action` names it, e.g. "assign").

    `rule` is a condition of this action on top of the workflow's (a motion already on the
    list it is added to); it returns why a motion cannot, or None."""

    action: str | None
    label: str
    target: Stage | None = None
    values: Values = field(default_factory=dict)
    rule: Callable[[Motion], str | None] | None = None
    # Each motion's own reason for its history (a screening's deciding rules); else the
    # action's one reason.
    reason_for: Callable[[Motion], str] | None = None
    # Motions the user is asked about separately (a consent to motions not screened
    # eligible): returns why ("screened ineligible"), or None. They move only with their own
    # reason (`apply`'s apart_reason), written into `apart_field` and their history.
    apart: Callable[[Motion], str | None] | None = None
    apart_field: str = "decision_note"

    def values_for(self, motion: Motion) -> Mapping[str, Any]:
        return self.values(motion) if callable(self.values) else self.values


@dataclass(frozen=True)
class Planned:
    motion_id: int
    version: int
    who: str
    change: str
    # Why this motion is asked about separately ("screened ineligible"); None for the rest.
    apart: str | None = None

    def __str__(self) -> str:
        return f"{self.who}: {self.change}"


@dataclass(frozen=True)
class Refusal:
    motion_id: int
    who: str
    why: str

    def __str__(self) -> str:
        return f"{self.who} {self.why}"


@dataclass
class MovePlan:
    """What `apply` will do: each ready motion at the version the user was shown."""

    move: Move
    ready: list[Planned] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    # Motions that can take the move only with their own reason (Move.apart), asked apart.
    apart: list[Planned] = field(default_factory=list)

    @property
    def motion_ids(self) -> list[int]:
        return [p.motion_id for p in self.ready]


@dataclass
class MoveResult:
    group_id: str | None
    moved: list[int] = field(default_factory=list)
    # Motions of the plan left as they are: changed since the preview, or no longer allowed.
    refused: list[Refusal] = field(default_factory=list)
    # What was done and why, so the action can be made again after an undo.
    move: Move | None = None
    reason: str = ""
    apart_reason: str | None = None


class MoveConflict(StaleEditError):
    """Motions of the plan changed since the preview and the action was all or nothing."""

    def __init__(self, refused: list[Refusal], retry: str = "Look again and retry.") -> None:
        names = "; ".join(str(r) for r in refused[:3])
        more = f" (and {len(refused) - 3:,} more)" if len(refused) > 3 else ""
        super().__init__(f"{names}{more}. Nothing was saved. {retry}")
        self.refused = refused


def preview(session: Session, motion_ids: Sequence[int], move: Move) -> MovePlan:
    """What `move` would do to each motion, and why it cannot for the rest; writes nothing."""
    plan = MovePlan(move)
    context = CheckContext(workflow_settings(session))
    ids = list(dict.fromkeys(motion_ids))
    found: set[int] = set()
    for chunk in chunks(ids):
        for motion in load(session, chunk):
            found.add(motion.id)
            apart = move.apart(motion) if move.apart is not None else None
            # A motion asked apart is checked as it would go: with its own reason given.
            problems = _problems(motion, move, context, "(asked apart)" if apart else None)
            if problems:
                plan.refused.append(Refusal(motion.id, who(motion), _needs(problems)))
                continue
            planned = Planned(motion.id, motion.version, who(motion), _what(motion, move), apart)
            (plan.apart if apart else plan.ready).append(planned)
    plan.refused.extend(
        Refusal(i, f"motion {i}", "no longer exists") for i in ids if i not in found
    )
    return plan


def plan_for(move: Move, versions: Mapping[int, int]) -> MovePlan:
    """A plan from versions the user was shown elsewhere (a queue's rows)."""
    ready = [Planned(i, v, f"motion {i}", move.label) for i, v in versions.items()]
    return MovePlan(move, ready)


def apply(
    session: Session,
    plan: MovePlan,
    *,
    user: str,
    reason: str,
    all_or_nothing: bool = False,
    at: datetime | None = None,
    progress: Progress | None = None,
    retry: str = "Look again and retry.",
    apart_reason: str | None = None,
) -> MoveResult:
    """Apply the plan's move to its ready motions as one history group. A motion changed since
    the preview is not touched and is named in `refused`; with `all_or_nothing`, any such
    motion refuses the whole action (MoveConflict) and nothing is saved.

    The motions the plan asks about apart move too only with `apart_reason` (their own
    reason, recorded in their history); without it they are left as they are."""
    move = plan.move
    context = CheckContext(workflow_settings(session), reason)
    if not reason.strip():
        raise TransitionError(f"{move.label} needs a reason; nothing was changed.", ("a reason",))
    apart_reason = (apart_reason or "").strip() or None
    versions = {p.motion_id: p.version for p in plan.ready}
    apart = {p.motion_id: p.apart or "" for p in plan.apart} if apart_reason else {}
    versions.update({p.motion_id: p.version for p in plan.apart if p.motion_id in apart})
    result = MoveResult(new_group_id(), move=move, reason=reason, apart_reason=apart_reason)
    at = at or utcnow()
    ids = list(versions)
    done = 0
    for chunk in chunks(ids):
        motions = load(session, chunk, lock=True)
        stale = [m for m in motions if m.version != versions[m.id]]
        result.refused.extend(_changed_since(session, stale))
        present = {m.id for m in motions}
        result.refused.extend(_gone(i) for i in chunk if i not in present)
        for motion in motions:
            if motion.version != versions[motion.id]:
                continue
            own = apart_reason if motion.id in apart else None
            problems = _problems(motion, move, context, own)
            if problems:
                result.refused.append(Refusal(motion.id, who(motion), _needs(problems)))
                continue
            why = (apart[motion.id], own) if own is not None else None
            session.add(
                _event(motion, move, context, user=user, at=at, group=result.group_id, apart=why)
            )
            result.moved.append(motion.id)
        if result.refused and all_or_nothing:
            raise MoveConflict(result.refused, retry)
        session.flush()
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    if not result.moved:
        result.group_id = None
    return result


def move_many(
    session: Session,
    motion_ids: Sequence[int],
    move: Move,
    *,
    user: str,
    reason: str,
    progress: Progress | None = None,
) -> MoveResult:
    """Preview and apply in one transaction, all or nothing: for actions that show no
    preview (a court list filed as a whole). A motion that cannot take the move refuses the
    action, naming it."""
    if not motion_ids:
        raise InvalidValueError("No motions are in a stage that can take this step.")
    plan = preview(session, motion_ids, move)
    if plan.refused:
        first = plan.refused[0]
        more = f" ({len(plan.refused) - 1:,} more cannot either)" if len(plan.refused) > 1 else ""
        raise InvalidValueError(f"Cannot {move.label.lower()}: {first}{more}; nothing was saved.")
    return apply(session, plan, user=user, reason=reason, all_or_nothing=True, progress=progress)


def check_loaded(
    motions: Sequence[Motion], move: Move, context: CheckContext
) -> tuple[list[Motion], list[Refusal]]:
    """The motions that may take `move` (workflow.check, then the action's own rule), and a
    refusal naming each of the others."""
    ready: list[Motion] = []
    refused: list[Refusal] = []
    for motion in motions:
        problems = _problems(motion, move, context)
        if problems:
            refused.append(Refusal(motion.id, who(motion), _needs(problems)))
        else:
            ready.append(motion)
    return ready, refused


def apply_loaded(
    session: Session,
    motions: Sequence[Motion],
    move: Move,
    context: CheckContext,
    *,
    user: str,
    at: datetime,
    result: MoveResult,
) -> None:
    """Move motions already read in this transaction (and locked, where the database can) in
    `result`'s history group; the ones the rule refuses go to `result.refused`. For a caller
    that reads the motions itself because it needs more of them (screening reads the
    person's whole record)."""
    ready, refused = check_loaded(motions, move, context)
    result.refused.extend(refused)
    for motion in ready:
        session.add(_event(motion, move, context, user=user, at=at, group=result.group_id))
        result.moved.append(motion.id)


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def load(session: Session, ids: Sequence[int], *, lock: bool = False) -> list[Motion]:
    """The motions with what the checks read; `lock` holds them until the transaction ends
    (PostgreSQL: SELECT ... FOR UPDATE; SQLite's writer already holds the database)."""
    query = (
        select(Motion)
        .where(Motion.id.in_(ids))
        .options(selectinload(Motion.case).selectinload(Case.charges), selectinload(Motion.person))
        .order_by(Motion.id)
    )
    if lock and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=Motion)
    # populate_existing: a motion already in the session is read afresh, not from memory.
    return list(session.scalars(query.execution_options(populate_existing=True)))


def load_all(session: Session, motion_ids: Sequence[int]) -> list[Motion]:
    """The motions in the order given; refused (nothing saved) if any is missing."""
    ids = list(dict.fromkeys(motion_ids))
    found = {m.id: m for chunk in chunks(ids) for m in load(session, chunk)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"There is no motion {missing[0]}; nothing was saved.")
    return [found[i] for i in ids]


def who(motion: Motion) -> str:
    """A motion as a person recognises it: the name and the docket or summons number
    ("Díaz, Ana · 2016KN012345"; workflow.named)."""
    return named(motion)


def _problems(
    motion: Motion, move: Move, context: CheckContext, apart_reason: str | None = None
) -> list[str]:
    if move.target is not None:
        values = _values(motion, move, apart_reason)
        problems = check(motion, Step(move.target, move.action), values, context)
    elif motion.stage in FINAL_STAGES:
        problems = [f"is {motion.stage.label}"]
    else:
        problems = []
        if context.reason is not None and not context.reason.strip():
            problems.append("a reason")
    # The action's own condition first: it says what the user chose wrongly.
    extra = move.rule(motion) if move.rule is not None else None
    return [extra] if extra else problems


def _needs(problems: list[str]) -> str:
    if len(problems) == 1 and problems[0].startswith(("is ", "was ")):
        return problems[0]
    return "needs " + ", ".join(problems)


def _values(motion: Motion, move: Move, apart_reason: str | None) -> Mapping[str, Any]:
    values = move.values_for(motion)
    return values if apart_reason is None else {**values, move.apart_field: apart_reason}


def _what(motion: Motion, move: Move) -> str:
    if move.target is not None:
        return f"{motion.stage.label} → {move.target.label}"
    parts = []
    for name, value in move.values_for(motion).items():
        before = getattr(motion, name)
        parts.append(f"{name.replace('_', ' ')} {before or 'none'} → {value}")
    return "; ".join(parts) or move.label


def _gone(motion_id: int) -> Refusal:
    return Refusal(motion_id, f"motion {motion_id}", "no longer exists")


def _event(
    motion: Motion,
    move: Move,
    context: CheckContext,
    *,
    user: str,
    at: datetime,
    group: str | None,
    apart: tuple[str, str] | None = None,
) -> MotionEvent:
    """The move's history row; `apart` (why asked apart, the reason given for it) adds that
    reason to the field and the history ("…; although screened ineligible: …")."""
    reason = move.reason_for(motion) if move.reason_for else context.reason or ""
    values = _values(motion, move, apart[1] if apart else None)
    if apart is not None:
        reason = f"{reason}; although {apart[0]}: {apart[1]}"
    if move.target is not None:
        return apply_transition(
            motion,
            move.target,
            reason=reason,
            user=user,
            at=at,
            values=values,
            action=move.action,
            group_id=group,
            settings=context.settings,
        )
    return record_change(
        motion,
        values,
        action=move.action or "change",
        reason=reason,
        user=user,
        at=at,
        group_id=group,
    )


_DONE = {t.action: t.target.label.lower() for t in TRANSITIONS}
_DONE.update(
    {
        "request_info": "sent back for more information",
        "adjourn": "adjourned",
        "notify": "marked notified",
        "assign": "reassigned",
        "add_to_list": "put on a court list",
        "signoff": "signed off",
        "undo": "changed by an undo",
        "withdraw": "withdrawn",
        "import_undo": "withdrawn by an import undo",
    }
)


def _changed_since(session: Session, motions: list[Motion]) -> list[Refusal]:
    """Who changed each motion since the preview, and when, from its newest history row."""
    if not motions:
        return []
    latest: dict[int, MotionEvent] = {}
    for event in session.scalars(
        select(MotionEvent)
        .where(MotionEvent.motion_id.in_([m.id for m in motions]))
        .order_by(MotionEvent.id.desc())
    ):
        latest.setdefault(event.motion_id, event)
    refused = []
    for motion in motions:
        last = latest.get(motion.id)
        if last is None:
            why = "was changed after you opened this"
        else:
            done = _DONE.get(last.action, "changed")
            why = f"was {done} by {last.user} at {_local(last.at)} after you opened this"
        refused.append(Refusal(motion.id, who(motion), why))
    return refused


def _local(at: datetime) -> str:
    stamp = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()
    now = datetime.now().astimezone()
    return f"{stamp:%H:%M}" if stamp.date() == now.date() else f"{stamp:%Y-%m-%d %H:%M}"
