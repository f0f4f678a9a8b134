"""Everything the desk's detail pane shows about one motion, as plain data read in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.courtlists.notifications import ATTEMPT_STAGES, attempts_of
from casetracker.domain.clock import today
from casetracker.domain.enums import (
    ChargeRole,
    CourtOutcome,
    ScreeningResult,
    Stage,
    WarrantStatus,
)
from casetracker.domain.models import Case, Motion, MotionEvent, Person
from casetracker.domain.words import counted
from casetracker.domain.workflow import WorkflowSettings, blockers, named, transitions_from
from casetracker.records.show import CorrectionItem, corrections_for
from casetracker.services.history_words import (
    court_list_names,
    court_list_names_by_id,
    history_sentence,
)
from casetracker.services.motions import load_motion
from casetracker.services.queries import MotionFilter, MotionRow, list_motions
from casetracker.storage.settings import workflow_settings


@dataclass(frozen=True)
class CaseInfo:
    id: int
    reference: str
    county: str
    charges: list[str]
    disposition: str
    warrant: str


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    user: str
    action: str
    from_stage: Stage | None
    to_stage: Stage
    reason: str
    sentence: str = ""


@dataclass(frozen=True)
class ActionInfo:
    """A move allowed now, with what its form must ask for."""

    action: str
    label: str
    target: Stage
    requires: tuple[str, ...]
    optional: tuple[str, ...]
    fresh: tuple[str, ...]
    # What the motion lacks for this move whatever is typed (a failed check); empty if none.
    blocked_by: tuple[str, ...]
    current: dict[str, Any]


@dataclass(frozen=True)
class MotionDetail:
    motion_id: int
    version: int
    kind: str
    stage: Stage
    person_id: int
    person_name: str
    date_of_birth: date | None
    nysid: str | None
    contact: str
    flags: list[str]
    cases: list[CaseInfo]
    motions: list[MotionRow]
    screening_result: ScreeningResult | None
    screening_reasons: list[dict[str, Any]]
    history: list[HistoryItem]
    actions: list[ActionInfo]
    court: str
    # Language, interpreter, consent to contact: what whoever calls the person must know.
    person_notes: str = ""
    # Corrections of the person's record (casetracker.records), oldest first.
    corrections: list[CorrectionItem] = field(default_factory=list)
    intake_date: date | None = None
    screening_ruleset: str | None = None
    # The date the stored screening was made as of (the laws and rule set of that day).
    screening_as_of: date | None = None
    # Attempts at telling the person, newest first (courtlists.notifications).
    notifications: list[str] = field(default_factory=list)
    # Whether an attempt may be recorded now (from the grant on).
    can_notify: bool = False
    # The motion's own case (the person's other cases are in `cases`).
    case_id: int | None = None
    # The motion as people know it: "Díaz, Ana · 2016KN012345" (workflow.named).
    who: str = ""
    # What each stage so far recorded, in words: ("Prosecutor", "ada.chen"), ("Sealing
    # deadline", "2027-01-14, 12 days left"), … in the order of the stages.
    facts: list[tuple[str, str]] = field(default_factory=list)


def motion_detail(session: Session, motion_id: int, *, hide_sealed: bool = False) -> MotionDetail:
    """`hide_sealed`: for a role that may not see sealed records (accounts.sealed), the
    person's sealed cases and motions are left out of the lists of their others."""
    motion = load_motion(session, motion_id)
    person = session.scalars(
        select(Person)
        .where(Person.id == motion.person_id)
        .options(selectinload(Person.cases).selectinload(Case.charges), selectinload(Person.flags))
    ).one()
    events = session.scalars(
        select(MotionEvent).where(MotionEvent.motion_id == motion_id).order_by(MotionEvent.id)
    ).all()
    lists = court_list_names(session, list(events))
    sealed = {
        m.case_id for m in person.motions if m.outcome == CourtOutcome.GRANTED and m.id != motion.id
    }
    return MotionDetail(
        who=named(motion),
        motion_id=motion.id,
        version=motion.version,
        kind=motion.kind.label,
        stage=motion.stage,
        person_id=person.id,
        person_name=person.display_name,
        date_of_birth=person.date_of_birth,
        nysid=person.nysid,
        contact=", ".join(p for p in (person.phone, person.email, person.address) if p),
        flags=[f"{flag.kind.label} ({flag.source})" for flag in person.flags]
        + _record_flags(person.cases),
        cases=[
            _case_info(case) for case in person.cases if not (hide_sealed and case.id in sealed)
        ],
        motions=list_motions(session, MotionFilter(person_id=person.id, hide_sealed=hide_sealed)),
        screening_result=motion.screening_result,
        screening_reasons=[r for r in motion.screening_reasons or [] if isinstance(r, dict)],
        history=[
            HistoryItem(
                e.at,
                e.user,
                e.action,
                e.from_stage,
                e.to_stage,
                e.reason,
                history_sentence(
                    e.action,
                    e.user,
                    e.from_stage,
                    e.to_stage,
                    e.changes,
                    lists.get(_list_id(e.changes)),
                ),
            )
            for e in events
        ],
        actions=_actions(motion, workflow_settings(session)),
        court=_court(motion),
        person_notes=_person_notes(person),
        corrections=corrections_for(session, person.id),
        intake_date=motion.intake_date,
        screening_ruleset=motion.screening_ruleset,
        screening_as_of=motion.screening_as_of,
        notifications=_notifications(session, motion),
        can_notify=motion.stage in ATTEMPT_STAGES,
        case_id=motion.case_id,
        facts=stage_facts(motion, _list_name(session, motion.court_list_id)),
    )


def stage_facts(motion: Motion, court_list: str | None) -> list[tuple[str, str]]:
    """What the stages so far recorded, as the pane lists them."""
    facts: list[tuple[str, str]] = []

    def add(label: str, *parts: object) -> None:
        text = ", ".join(str(p) for p in parts if p not in (None, ""))
        if text:
            facts.append((label, text))

    add("Prosecutor", motion.assigned_prosecutor)
    if motion.decision is not None:
        when = motion.decided_at.date().isoformat() if motion.decided_at else None
        by = f"by {motion.decided_by}" if motion.decided_by else None
        add("Decision", motion.decision.label, motion.decision_reason_code, by, when)
    if motion.supervisor_signoff_by:
        add("Signed off", f"by {motion.supervisor_signoff_by}")
    if motion.filed_date:
        add("Filed", motion.filed_date.isoformat(), motion.filed_court, motion.filed_part)
    add("Court list", court_list)
    if motion.order_date:
        outcome = motion.outcome.label if motion.outcome else "Order"
        add("Order", outcome, motion.order_date.isoformat())
    if motion.sealing_confirmed_date:
        add("Sealing confirmed", motion.sealing_confirmed_date.isoformat())
    elif motion.sealing_deadline:
        add("Sealing deadline", motion.sealing_deadline.isoformat(), _days_left(motion))
    return facts


def _days_left(motion: Motion) -> str:
    assert motion.sealing_deadline is not None
    days = (motion.sealing_deadline - today()).days
    if days < 0:
        return f"{counted(-days, 'day')} overdue"
    if days == 0:
        return "due today"
    return f"{counted(days, 'day')} left"


def _list_name(session: Session, list_id: int | None) -> str | None:
    if list_id is None:
        return None
    return court_list_names_by_id(session, [list_id]).get(list_id)


def _notifications(session: Session, motion: Motion) -> list[str]:
    attempts = [a.text for a in attempts_of(session, motion.id)]
    if not attempts and motion.notification_date is not None:
        # Recorded before attempts were kept one by one: the motion's own record of it.
        how = motion.notification_method.label.lower() if motion.notification_method else ""
        what = motion.notification_outcome.label.lower() if motion.notification_outcome else ""
        by = f" by {motion.notifying_org}" if motion.notifying_org else ""
        attempts = [f"{motion.notification_date.isoformat()} {how}{by}: {what}".replace("  ", " ")]
    return attempts


def _person_notes(person: Person) -> str:
    parts = []
    if person.language:
        parts.append(person.language)
    if person.interpreter_needed:
        parts.append("interpreter needed")
    parts.append("consents to contact" if person.consent_to_contact else "no consent to contact")
    return ", ".join(parts)


def _list_id(changes: dict[str, Any] | None) -> int:
    after = (changes or {}).get("court_list_id")
    if isinstance(after, list) and len(after) == 2:
        after = after[1]
    return int(after) if isinstance(after, int) else -1


def _record_flags(cases: list[Case]) -> list[str]:
    """What the person's cases on file show that screening excludes on, with where from."""
    # The screening engine loads with the first detail shown (on the reading thread), not
    # with the window, which needs this module for its first rows.
    from casetracker.screening.exclusions import record_flags
    from casetracker.screening.rules import shipped_rules
    from casetracker.screening.service import case_facts

    return record_flags(tuple(case_facts(c) for c in cases), today(), shipped_rules())


def _case_info(case: Case) -> CaseInfo:
    return CaseInfo(
        id=case.id,
        reference=case.reference,
        county=case.county.label if case.county else "",
        charges=[
            " ".join(p for p in (c.section or c.as_typed, c.description or "") if p)
            + (" (conviction)" if c.role == ChargeRole.CONVICTION else "")
            for c in case.charges
        ],
        disposition=" ".join(
            p
            for p in (
                case.disposition or "",
                f"[{case.disposition_kind.label}]" if case.disposition_kind else "",
                str(case.disposition_date or "") or "",
                case.sentence or "",
            )
            if p
        ),
        warrant=""
        if case.warrant_status.value == "none"
        else f"warrant {case.warrant_status.label.lower()}",
    )


def _warrant(case: Case) -> str:
    if case.warrant_status == WarrantStatus.NONE:
        return ""
    return f"warrant {case.warrant_status.label.lower()}"


def _actions(motion: Motion, settings: WorkflowSettings) -> list[ActionInfo]:
    actions = []
    for transition in transitions_from(motion.stage, motion.kind):
        blocked = tuple(blockers(motion, transition, settings))
        actions.append(
            ActionInfo(
                action=transition.action,
                label=transition.label,
                target=transition.target,
                requires=transition.requires,
                optional=transition.optional,
                fresh=transition.fresh,
                blocked_by=blocked,
                current={name: getattr(motion, name) for name in transition.accepts},
            )
        )
    return actions


def _court(motion: Motion) -> str:
    parts = []
    if motion.court_date:
        parts.append(f"court date {motion.court_date.isoformat()}")
    if motion.court_part:
        parts.append(f"part {motion.court_part}")
    if motion.judge:
        parts.append(f"judge {motion.judge}")
    return ", ".join(parts)
