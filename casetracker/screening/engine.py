"""Screening one motion against a rule set: a pure function of the facts and the rules.

Every outcome names its reasons (rule id, plain words, and the charge or flag that decided
it), so a prosecutor can see why and an administrator can see which rule to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casetracker.domain.enums import FlagKind, MotionKind, ScreeningResult, WarrantStatus
from casetracker.normalize import ChargeCode
from casetracker.screening.rules import RuleSet, covers, parse_charge

# When reasons disagree, the first of these among them decides the result.
PRECEDENCE = (
    ScreeningResult.INELIGIBLE,
    ScreeningResult.NEEDS_REVIEW,
    ScreeningResult.EXPUNGED_BY_LAW,
    ScreeningResult.ELIGIBLE,
)


@dataclass(frozen=True)
class ChargeFact:
    section: str | None
    as_typed: str


@dataclass(frozen=True)
class MotionFacts:
    """What screening may look at, copied out of the database so the engine needs none."""

    kind: MotionKind
    charges: tuple[ChargeFact, ...]
    disposition: str | None = None
    disposition_date: date | None = None
    warrant_status: WarrantStatus = WarrantStatus.NONE
    person_flags: frozenset[FlagKind] = frozenset()
    case_facts: frozenset[str] = frozenset()
    proceed_if_expunged: bool = False


@dataclass(frozen=True)
class Reason:
    rule: str
    because: str
    subject: str
    # The result this reason argues for; None for a reason that only informs.
    effect: ScreeningResult | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "because": self.because,
            "subject": self.subject,
            "effect": self.effect.value if self.effect else None,
        }


@dataclass(frozen=True)
class ScreeningOutcome:
    result: ScreeningResult
    ruleset: str
    reasons: tuple[Reason, ...]

    def reasons_json(self) -> list[dict[str, Any]]:
        return [reason.to_json() for reason in self.reasons]


def screen(facts: MotionFacts, rules: RuleSet) -> ScreeningOutcome:
    reasons: list[Reason] = []
    reasons += _exclusions(facts, rules)
    codes, charge_reasons = _charges(facts, rules)
    reasons += charge_reasons
    reasons += _missing_record(facts)
    reasons += _expunged(facts, rules, codes)
    effects = {r.effect for r in reasons}
    excluded = {rule.id for rule in rules.exclusions}
    result = next((r for r in PRECEDENCE if r in effects), ScreeningResult.NEEDS_REVIEW)
    if not any(r.rule in excluded for r in reasons):
        reasons.append(_no_exclusion(rules))
    reasons.sort(key=lambda r: PRECEDENCE.index(r.effect) if r.effect else len(PRECEDENCE))
    deciding = [r for r in reasons if r.effect == result]
    others = [r for r in reasons if r.effect != result]
    return ScreeningOutcome(result, rules.version, tuple(deciding + others))


def _exclusions(facts: MotionFacts, rules: RuleSet) -> list[Reason]:
    found = []
    for rule in rules.exclusions:
        hit = (rule.person_flag is not None and rule.person_flag in facts.person_flags) or (
            rule.case_fact is not None and rule.case_fact in facts.case_facts
        )
        if hit:
            found.append(
                Reason(
                    rule.id, f"Excluded: {rule.because}.", rule.subject, ScreeningResult.INELIGIBLE
                )
            )
    return found


def _no_exclusion(rules: RuleSet) -> Reason:
    checked = ", ".join(rule.subject for rule in rules.exclusions) or "none in this rule set"
    return Reason(
        "no-exclusion",
        f"No exclusion applies (checked: {checked}).",
        "person flags and case facts",
        None,
    )


def _charges(facts: MotionFacts, rules: RuleSet) -> tuple[list[ChargeCode], list[Reason]]:
    if not facts.charges:
        return [], [
            Reason(
                "no-charge",
                "The case has no charge on record, so it cannot be screened until one is added.",
                "charges",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    coverage = rules.coverage_for(facts.kind)
    codes: list[ChargeCode] = []
    reasons: list[Reason] = []
    for charge in facts.charges:
        code = parse_charge(charge.section or charge.as_typed)
        if code is None:
            reasons.append(
                Reason(
                    "unknown-charge",
                    f"The charge '{charge.as_typed}' could not be read as a law section; "
                    "correct the charge and screen again.",
                    charge.as_typed,
                    ScreeningResult.NEEDS_REVIEW,
                )
            )
            continue
        codes.append(code)
        reasons.append(_charge_reason(facts.kind, code, coverage, rules))
    return codes, reasons


def _charge_reason(
    kind: MotionKind, code: ChargeCode, coverage: tuple[Any, ...], rules: RuleSet
) -> Reason:
    for rule in coverage:
        if any(covers(covered, code) for covered in rule.charges):
            return Reason(
                rule.id,
                f"{code.display} is covered: {rule.because}.",
                code.display,
                ScreeningResult.ELIGIBLE,
            )
    only_some = sorted(
        covered.display
        for rule in coverage
        for covered in rule.charges
        if (covered.law, covered.section) == (code.law, code.section) and covered.subdivision
    )
    if only_some and code.subdivision is None:
        return Reason(
            "subdivision-unknown",
            f"{code.display} is covered only as {', '.join(only_some)}; the record does not "
            "say which subdivision.",
            code.display,
            ScreeningResult.NEEDS_REVIEW,
        )
    return Reason(
        "charge-not-covered",
        f"{code.display} is not a charge the office's policy covers for a {kind.label.lower()}.",
        code.display,
        rules.other_charges[kind],
    )


def _missing_record(facts: MotionFacts) -> list[Reason]:
    if (
        facts.kind == MotionKind.CONVICTION_VACATUR
        and not (facts.disposition or "").strip()
        and facts.disposition_date is None
    ):
        return [
            Reason(
                "no-disposition",
                "The record has no disposition, so it is not known whether there is a "
                "conviction to vacate.",
                "disposition",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    if facts.kind == MotionKind.WARRANT_DISMISSAL and facts.warrant_status == WarrantStatus.VACATED:
        return [
            Reason(
                "warrant-already-vacated",
                "The warrant is already recorded as vacated; check whether the motion is needed.",
                "warrant",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    return []


def _expunged(facts: MotionFacts, rules: RuleSet, codes: list[ChargeCode]) -> list[Reason]:
    rule = rules.expunged_by_law
    if rule is None or facts.kind not in rule.motion_kinds or not codes:
        return []
    if len(codes) != len(facts.charges):
        return []
    if not all(any(covers(listed, code) for listed in rule.charges) for code in codes):
        return []
    subject = ", ".join(dict.fromkeys(code.display for code in codes))
    if facts.proceed_if_expunged:
        return [
            Reason(
                rule.id,
                f"Already expunged by law ({rule.because}); proceeding anyway, as recorded "
                "on the motion.",
                subject,
                None,
            )
        ]
    return [
        Reason(
            rule.id,
            f"Already expunged by law: {rule.because}. If the person still wants the vacatur "
            "(for example for immigration), record 'proceed anyway' and screen again.",
            subject,
            ScreeningResult.EXPUNGED_BY_LAW,
        )
    ]
