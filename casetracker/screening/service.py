"""Screening motions in the database: one, a selection, or everything not yet screened, and
re-screening after a rule change, shown before it is saved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import MotionKind, ScreeningResult, Stage
from casetracker.domain.errors import NotFoundError, StaleEditError
from casetracker.domain.models import Case, Motion, Person
from casetracker.domain.workflow import apply_transition, new_group_id, transitions_from
from casetracker.screening.engine import ChargeFact, MotionFacts, ScreeningOutcome, screen
from casetracker.screening.rules import CASE_FACTS, RuleSet
from casetracker.screening.store import current_rules
from casetracker.storage.settings import workflow_settings

Progress = Callable[[int, int], None]
_CHUNK = 500
# Stages a motion waits in before anyone has screened it.
UNSCREENED_STAGES = (Stage.INTAKE, Stage.VERIFIED)


@dataclass
class ScreenReport:
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

    @property
    def changed(self) -> bool:
        return (
            self.old_result != self.outcome.result
            or self.old_reasons != self.outcome.reasons_json()
        )


def facts_of(motion: Motion) -> MotionFacts:
    case = motion.case
    return MotionFacts(
        kind=motion.kind,
        charges=tuple(ChargeFact(c.section, c.as_typed) for c in case.charges),
        disposition=case.disposition,
        disposition_date=case.disposition_date,
        warrant_status=case.warrant_status,
        person_flags=frozenset(flag.kind for flag in motion.person.flags),
        case_facts=frozenset(name for name in CASE_FACTS if getattr(case, name)),
        proceed_if_expunged=motion.proceed_if_expunged,
    )


def screen_motions(
    session: Session,
    motion_ids: Sequence[int] | None,
    *,
    user: str,
    rules: RuleSet | None = None,
    progress: Progress | None = None,
    save: bool = True,
) -> ScreenReport:
    """Screen the given motions, or (None) every motion not yet screened; with save=False,
    only say what the outcomes would be. A conviction still at intake is skipped, not verified
    on the way: verifying means someone checked the court file, and screening must not claim
    that."""
    require(session, user, "motion.screen")
    rules = rules or current_rules(session)
    report = ScreenReport(rules.version, group_id=new_group_id())
    ids = list(motion_ids) if motion_ids is not None else unscreened_ids(session)
    if motion_ids is not None:
        _check_exist(session, ids)
    settings = workflow_settings(session)
    at = utcnow()
    for done, motions in _chunks(session, ids):
        for motion in motions:
            why = _cannot_screen(motion)
            if why:
                report.skipped[motion.id] = why
                continue
            outcome = screen(facts_of(motion), rules)
            report.outcomes[motion.id] = outcome
            report.results[outcome.result] += 1
            report.screened.append(motion.id)
            if not save:
                continue
            session.add(
                apply_transition(
                    motion,
                    Stage.SCREENED,
                    reason=_reason(outcome),
                    user=user,
                    at=at,
                    values=_values(outcome),
                    settings=settings,
                    action="screen",
                    group_id=report.group_id,
                )
            )
        session.flush()
        if progress:
            progress(done, len(ids))
    if not report.screened or not save:
        report.group_id = None
    return report


def unscreened_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Motion.id)
            .where(Motion.stage.in_(UNSCREENED_STAGES), Motion.screening_result.is_(None))
            .order_by(Motion.id)
        )
    )


def preview_rescreen(
    session: Session, rules: RuleSet, progress: Progress | None = None
) -> list[RescreenItem]:
    """What screening every motion still waiting for a decision again would change. Nothing
    is written; `apply_rescreen` saves exactly these outcomes."""
    ids = list(
        session.scalars(select(Motion.id).where(Motion.stage == Stage.SCREENED).order_by(Motion.id))
    )
    items = []
    for done, motions in _chunks(session, ids):
        for motion in motions:
            outcome = screen(facts_of(motion), rules)
            item = RescreenItem(
                motion.id,
                motion.version,
                motion.screening_result,
                motion.screening_ruleset,
                outcome,
                list(motion.screening_reasons or []),
            )
            if item.changed or motion.screening_ruleset != rules.version:
                items.append(item)
        if progress:
            progress(done, len(ids))
    return items


def apply_rescreen(session: Session, items: Sequence[RescreenItem], *, user: str) -> ScreenReport:
    """Save a reviewed re-screen. Refused as a whole if any motion changed since the preview,
    because then the reviewer did not see what would be saved."""
    require(session, user, "motion.screen")
    report = ScreenReport(items[0].outcome.ruleset if items else "", group_id=new_group_id())
    by_id = {item.motion_id: item for item in items}
    settings = workflow_settings(session)
    at = utcnow()
    for _done, motions in _chunks(session, list(by_id)):
        for motion in motions:
            item = by_id[motion.id]
            if motion.version != item.version:
                raise StaleEditError(
                    f"Motion {motion.id} changed after the re-screen preview was made; nothing "
                    "was saved. Preview the re-screen again."
                )
            session.add(
                apply_transition(
                    motion,
                    Stage.SCREENED,
                    reason="Re-screened after a rule change: " + _reason(item.outcome),
                    user=user,
                    at=at,
                    values=_values(item.outcome),
                    settings=settings,
                    action="screen",
                    group_id=report.group_id,
                )
            )
            report.results[item.outcome.result] += 1
            report.screened.append(motion.id)
        session.flush()
    return report


def _reason(outcome: ScreeningOutcome) -> str:
    deciding = [r for r in outcome.reasons if r.effect == outcome.result]
    detail = "; ".join(f"{r.rule} ({r.subject})" for r in deciding)
    return f"Screened with rules {outcome.ruleset}: {outcome.result.label} — {detail}"


def _values(outcome: ScreeningOutcome) -> dict[str, Any]:
    return {
        "screening_result": outcome.result,
        "screening_ruleset": outcome.ruleset,
        "screening_reasons": outcome.reasons_json(),
    }


def _cannot_screen(motion: Motion) -> str | None:
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


def _chunks(session: Session, ids: list[int]) -> Iterator[tuple[int, list[Motion]]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        motions = session.scalars(
            select(Motion)
            .where(Motion.id.in_(chunk))
            .order_by(Motion.id)
            .options(
                selectinload(Motion.case).selectinload(Case.charges),
                selectinload(Motion.person).selectinload(Person.flags),
            )
        ).all()
        yield start + len(chunk), list(motions)
