"""Screening motions in the database: one, a selection, or everything not yet screened, and
re-screening after a rule change, shown before it is saved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import MotionKind, ScreeningResult, Stage
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Case, Motion, Person
from casetracker.domain.workflow import (
    CheckContext,
    named,
    new_group_id,
    record_change,
    transitions_from,
)
from casetracker.normalize import classify_disposition
from casetracker.screening.engine import screen
from casetracker.screening.facts import (
    CaseFacts,
    ChargeFact,
    FlagFact,
    MotionFacts,
    Reason,
    ScreeningOutcome,
)
from casetracker.screening.rules import RuleSet
from casetracker.screening.store import RuleLibrary, rule_library
from casetracker.services import moves
from casetracker.services.motions import load_motion
from casetracker.services.moves import Move
from casetracker.storage.settings import workflow_settings

Progress = Callable[[int, int], None]
_CHUNK = 500
# Stages a motion waits in before anyone has screened it.
UNSCREENED_STAGES = (Stage.INTAKE, Stage.VERIFIED)


@dataclass
class ScreenReport:
    # The rule-set versions used, in words ("2018-office-2" or "2018-office-2, kings-2019").
    ruleset: str
    group_id: str | None = None
    results: Counter[ScreeningResult] = field(default_factory=Counter)
    screened: list[int] = field(default_factory=list)
    outcomes: dict[int, ScreeningOutcome] = field(default_factory=dict)
    # motion id -> why it was not screened
    skipped: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RescreenItem:
    motion_id: int
    version: int
    old_result: ScreeningResult | None
    old_ruleset: str | None
    outcome: ScreeningOutcome
    old_reasons: list[Any]
    old_as_of: date | None = None

    @property
    def changed(self) -> bool:
        return (
            self.old_result != self.outcome.result
            or self.old_reasons != self.outcome.reasons_json()
        )


Rules = RuleSet | RuleLibrary


def case_facts(case: Case) -> CaseFacts:
    kind = case.disposition_kind
    if kind is None and case.disposition:
        # Typed at intake before the kind was filled in: read it the way the import does.
        kind = classify_disposition(case.disposition).value
    return CaseFacts(
        reference=case.reference,
        charges=tuple(
            ChargeFact(c.section, c.as_typed, c.role, c.charge_class) for c in case.charges
        ),
        county=case.county,
        arrest_date=case.arrest_date,
        disposition=case.disposition,
        disposition_kind=kind,
        disposition_date=case.disposition_date,
        warrant_status=case.warrant_status,
        smoking_while_driving=case.smoking_while_driving,
    )


def facts_of(motion: Motion, as_of: date | None = None) -> MotionFacts:
    """The motion's case and the person's whole record on file, as of `as_of` (by default the
    motion's own date, so a re-screen applies the law of its day unless told otherwise)."""
    person = motion.person
    return MotionFacts(
        kind=motion.kind,
        case=case_facts(motion.case),
        other_cases=tuple(case_facts(c) for c in person.cases if c.id != motion.case_id),
        flags=tuple(FlagFact(f.kind, f.source, f.note) for f in person.flags),
        date_of_birth=person.date_of_birth,
        as_of=as_of or motion.intake_date,
        proceed_if_expunged=motion.proceed_if_expunged,
    )


def screen_one(motion: Motion, rules: Rules, as_of: date | None = None) -> ScreeningOutcome:
    """Screen by the given rule set, or by the one a library has in force for the motion's
    county on its as-of date."""
    facts = facts_of(motion, as_of)
    if isinstance(rules, RuleSet):
        return screen(facts, rules)
    chosen = rules.choose(facts.case.county, facts.as_of)
    if chosen is None:
        return _no_rule_set(facts, rules)
    return screen(facts, chosen)


def _no_rule_set(facts: MotionFacts, library: RuleLibrary) -> ScreeningOutcome:
    county = facts.case.county.label if facts.case.county else "a case with no county"
    later = sorted(
        (r for r in library.all_sets() if r.applies_to(facts.case.county) and r.effective_from),
        key=lambda r: r.effective_from or date.min,
    )
    first = f" (the earliest, {later[0].version}, is in force from {later[0].effective_from})"
    reason = Reason(
        "no-rule-set",
        f"No rule set is in force for {county} on {facts.as_of}"
        + (first if later else "")
        + ". Screen as of a later date, or save a rule set that covers it.",
        f"as of {facts.as_of}, {facts.case.where}",
        ScreeningResult.NEEDS_REVIEW,
    )
    return ScreeningOutcome(ScreeningResult.NEEDS_REVIEW, "none", (reason,), facts.as_of)


def screen_motions(
    session: Session,
    motion_ids: Sequence[int] | None,
    *,
    user: str,
    rules: Rules | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
    save: bool = True,
    group_id: str | None = None,
) -> ScreenReport:
    """Screen the given motions, or (None) every motion not yet screened; with save=False,
    only say what the outcomes would be. A conviction still at intake is skipped, not verified
    on the way: verifying means someone checked the court file, and screening must not claim
    that. `as_of` (default: each motion's own date) picks the laws and rule set in force."""
    require(session, user, "motion.screen")
    rules = rules or rule_library(session)
    report = ScreenReport("", group_id=group_id or new_group_id())
    ids = list(motion_ids) if motion_ids is not None else unscreened_ids(session)
    if motion_ids is not None:
        _check_exist(session, ids)
    # Screening is a move like any other: the one rule (workflow.check) says which motions may
    # take it, and moves records it, each motion with its own result and reasons.
    outcomes: dict[int, ScreeningOutcome] = {}
    move = Move(
        "screen",
        "Screen",
        Stage.SCREENED,
        lambda motion: _values(outcomes[motion.id]),
        reason_for=lambda motion: _reason(outcomes[motion.id]),
    )
    context = CheckContext(workflow_settings(session))
    result = moves.MoveResult(report.group_id, move=move)
    at = utcnow()
    for done, motions in _chunks(session, ids, lock=save):
        for motion in motions:
            outcomes[motion.id] = screen_one(motion, rules, as_of)
        if save:
            before = len(result.refused)
            moves.apply_loaded(session, motions, move, context, user=user, at=at, result=result)
            refused = result.refused[before:]
            session.flush()
        else:
            refused = moves.check_loaded(motions, move, context)[1]
        why_not = {r.motion_id: r.why for r in refused}
        for motion in motions:
            if motion.id in why_not:
                report.skipped[motion.id] = _cannot_screen(motion) or why_not[motion.id]
                continue
            outcome = outcomes[motion.id]
            report.outcomes[motion.id] = outcome
            report.results[outcome.result] += 1
            report.screened.append(motion.id)
        if progress:
            progress(done, len(ids))
    if not report.screened or not save:
        report.group_id = None
    report.ruleset = _versions(report.outcomes.values()) or _name(rules)
    return report


def _versions(outcomes: Any) -> str:
    return ", ".join(sorted({outcome.ruleset for outcome in outcomes}))


def _name(rules: Rules) -> str:
    return rules.version if isinstance(rules, RuleSet) else "the rule sets in force"


def proceed_anyway(
    session: Session,
    motion_id: int,
    *,
    reason: str,
    user: str,
    as_of: date | None = None,
    expected_version: int | None = None,
) -> ScreenReport:
    """Record that the person wants the vacatur although the law already expunged the
    conviction (immigration, say), with their reason in the history, and screen the motion
    again so its result says so; one action, undone as one."""
    require(session, user, "motion.screen")
    motion = load_motion(session, motion_id, expected_version)
    if motion.kind != MotionKind.CONVICTION_VACATUR:
        raise InvalidValueError(
            f"{named(motion)} is a {motion.kind.label.lower()}; 'proceed anyway' is for a "
            "conviction already expunged by law."
        )
    if motion.proceed_if_expunged:
        raise InvalidValueError(
            f"{named(motion)} already proceeds although expunged by law; nothing was changed."
        )
    if not reason.strip():
        raise InvalidValueError(
            f"Say why {named(motion)} should proceed although expunged by law (for example "
            "'needed for an immigration case'); nothing was changed."
        )
    group = new_group_id()
    session.add(
        record_change(
            motion,
            {"proceed_if_expunged": True},
            action="proceed_anyway",
            reason=f"Proceed although expunged by law: {reason.strip()}",
            user=user,
            at=utcnow(),
            group_id=group,
        )
    )
    session.flush()
    report = ScreenReport("", group_id=group)
    if _cannot_screen(motion) is None:
        report = screen_motions(session, [motion_id], user=user, as_of=as_of, group_id=group)
    report.group_id = group
    return report


def stored_screenings(session: Session, motion_ids: Sequence[int]) -> dict[int, Any]:
    """Each motion's stored screening as `screening` JSON ({result, rule_set, as_of,
    reasons}), or None for a motion not screened yet."""
    found: dict[int, Any] = {}
    for start in range(0, len(motion_ids), _CHUNK):
        rows = session.execute(
            select(
                Motion.id,
                Motion.screening_result,
                Motion.screening_ruleset,
                Motion.screening_as_of,
                Motion.screening_reasons,
            ).where(Motion.id.in_(motion_ids[start : start + _CHUNK]))
        )
        for motion_id, result, ruleset, as_of, reasons in rows:
            found[motion_id] = (
                None
                if result is None
                else {
                    "result": result.value,
                    "rule_set": ruleset,
                    "as_of": as_of.isoformat() if as_of else None,
                    "reasons": list(reasons or []),
                }
            )
    return found


def unscreened_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Motion.id)
            .where(Motion.stage.in_(UNSCREENED_STAGES), Motion.screening_result.is_(None))
            .order_by(Motion.id)
        )
    )


def preview_rescreen(
    session: Session,
    rules: Rules | None = None,
    progress: Progress | None = None,
    *,
    as_of: date | None = None,
) -> list[RescreenItem]:
    """What screening every motion still waiting for a decision again would change, each as
    of the date it was screened as of (or `as_of` when given), by the given rule set or the
    ones in force. Nothing is written; `apply_rescreen` saves exactly these outcomes."""
    rules = rules or rule_library(session)
    ids = list(
        session.scalars(select(Motion.id).where(Motion.stage == Stage.SCREENED).order_by(Motion.id))
    )
    items = []
    for done, motions in _chunks(session, ids):
        for motion in motions:
            outcome = screen_one(motion, rules, as_of or motion.screening_as_of)
            item = RescreenItem(
                motion.id,
                motion.version,
                motion.screening_result,
                motion.screening_ruleset,
                outcome,
                list(motion.screening_reasons or []),
                motion.screening_as_of,
            )
            if (
                item.changed
                or motion.screening_ruleset != outcome.ruleset
                or motion.screening_as_of != outcome.as_of
            ):
                items.append(item)
        if progress:
            progress(done, len(ids))
    return items


def apply_rescreen(session: Session, items: Sequence[RescreenItem], *, user: str) -> ScreenReport:
    """Save a reviewed re-screen, on exactly the versions the preview showed. Refused as a
    whole, naming the motion, if any changed since: the reviewer did not see what would be
    saved."""
    require(session, user, "motion.screen")
    by_id = {item.motion_id: item for item in items}
    move = Move(
        "screen",
        "Re-screen",
        Stage.SCREENED,
        lambda motion: _values(by_id[motion.id].outcome),
        reason_for=lambda motion: (
            "Re-screened after a rule change: " + _reason(by_id[motion.id].outcome)
        ),
    )
    plan = moves.plan_for(move, {item.motion_id: item.version for item in items})
    result = moves.apply(
        session,
        plan,
        user=user,
        reason="Re-screened after a rule change",
        all_or_nothing=True,
        retry="Preview the re-screen again.",
    )
    report = ScreenReport(_versions(item.outcome for item in items), group_id=result.group_id)
    for motion_id in result.moved:
        report.results[by_id[motion_id].outcome.result] += 1
        report.screened.append(motion_id)
    return report


def _reason(outcome: ScreeningOutcome) -> str:
    deciding = [r for r in outcome.reasons if r.effect == outcome.result]
    detail = "; ".join(f"{r.rule} ({r.subject})" for r in deciding)
    return (
        f"Screened with rules {outcome.ruleset} as of {outcome.as_of}: "
        f"{outcome.result.label} — {detail}"
    )


def _values(outcome: ScreeningOutcome) -> dict[str, Any]:
    return {
        "screening_result": outcome.result,
        "screening_ruleset": outcome.ruleset,
        "screening_reasons": outcome.reasons_json(),
        "screening_as_of": outcome.as_of,
    }


def _cannot_screen(motion: Motion) -> str | None:
    """Why the rule refused: screening's own words where it has no step from the motion's
    stage."""
    if any(t.action == "screen" for t in transitions_from(motion.stage, motion.kind)):
        return None
    if motion.stage == Stage.INTAKE and motion.kind == MotionKind.CONVICTION_VACATUR:
        return "the conviction record is not verified yet; verify it, then screen"
    return f"it is {motion.stage.label.lower()}, past screening"


def _check_exist(session: Session, ids: list[int]) -> None:
    found = set(session.scalars(select(Motion.id).where(Motion.id.in_(ids))))
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"There is no motion {missing[0]}; nothing was screened.")


def _chunks(
    session: Session, ids: list[int], *, lock: bool = False
) -> Iterator[tuple[int, list[Motion]]]:
    """The motions with the person's whole record, a chunk at a time; `lock` holds them until
    the transaction ends, as moves.load does (SQLite's writer already holds the database)."""
    lock = lock and session.get_bind().dialect.name != "sqlite"
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = (
            select(Motion)
            .where(Motion.id.in_(chunk))
            .order_by(Motion.id)
            .options(
                selectinload(Motion.case).selectinload(Case.charges),
                selectinload(Motion.person).selectinload(Person.flags),
                selectinload(Motion.person).selectinload(Person.cases).selectinload(Case.charges),
            )
        )
        if lock:
            query = query.with_for_update(of=Motion)
        motions = session.scalars(query.execution_options(populate_existing=True)).all()
        yield start + len(chunk), list(motions)
