"""Screening one motion against a rule set: a pure function of the facts and the rules.

The first question is whether there is anything to vacate: only a conviction can be vacated,
and only the charge the case ended in counts (arrested for PL 221.10, convicted of PL 240.20:
nothing marijuana to vacate). Then the office's policy (coverage and exclusions from the
person's whole record) and the laws that already expunged the conviction, as of the
screening's date. Every outcome names its reasons (rule id, plain words, and the fact that
decided it with the case, charge and date it came from).
"""

from __future__ import annotations

from casetracker.domain.enums import (
    ChargeRole,
    DispositionKind,
    MotionKind,
    ScreeningResult,
    WarrantStatus,
)
from casetracker.normalize import ChargeCode
from casetracker.screening.exclusions import exclusion_reasons, no_exclusion
from casetracker.screening.facts import (
    CaseFacts,
    ChargeFact,
    FlagFact,
    MotionFacts,
    Reason,
    ScreeningOutcome,
)
from casetracker.screening.laws import expunged_reasons
from casetracker.screening.matching import covers
from casetracker.screening.rules import Coverage, RuleSet

__all__ = ["CaseFacts", "ChargeFact", "FlagFact", "MotionFacts", "Reason", "ScreeningOutcome"]

# When reasons disagree, the first of these among them decides the result.
PRECEDENCE = (
    ScreeningResult.NOTHING_TO_VACATE,
    ScreeningResult.INELIGIBLE,
    ScreeningResult.NEEDS_REVIEW,
    ScreeningResult.EXPUNGED_BY_LAW,
    ScreeningResult.ELIGIBLE,
)
# Ways a case ends that leave no conviction (CPL 170.55/170.56 ACD, CPL 720.35 YO).
NO_CONVICTION = frozenset(
    {
        DispositionKind.DISMISSED,
        DispositionKind.ACD,
        DispositionKind.YOUTHFUL_OFFENDER,
        DispositionKind.ACQUITTED,
    }
)


def screen(facts: MotionFacts, rules: RuleSet) -> ScreeningOutcome:
    if facts.kind == MotionKind.CONVICTION_VACATUR:
        convicted_of, reasons = _conviction(facts, rules)
    else:
        convicted_of, reasons = [], _warrant(facts, rules)
    effects = {r.effect for r in reasons}
    if ScreeningResult.NOTHING_TO_VACATE not in effects:
        reasons += exclusion_reasons(facts, rules)
        reasons += expunged_reasons(facts, rules, convicted_of)
        excluded = rules.exclusion_ids
        if not any(r.rule in excluded for r in reasons):
            reasons.append(no_exclusion(rules))
    effects = {r.effect for r in reasons}
    result = next((r for r in PRECEDENCE if r in effects), ScreeningResult.NEEDS_REVIEW)
    reasons.sort(key=lambda r: PRECEDENCE.index(r.effect) if r.effect else len(PRECEDENCE))
    deciding = [r for r in reasons if r.effect == result]
    others = [r for r in reasons if r.effect != result]
    return ScreeningOutcome(result, rules.version, tuple(deciding + others), facts.as_of)


def _conviction(facts: MotionFacts, rules: RuleSet) -> tuple[list[ChargeCode], list[Reason]]:
    """The conviction codes to look up in the laws, and the reasons about the case itself."""
    case = facts.case
    kind = case.disposition_kind
    coverage = rules.coverage_for(facts.kind)
    if kind is None:
        _codes, reasons = _charge_reasons(case, case.charges, "charge", coverage, rules, facts)
        if not (case.disposition or "").strip() and case.disposition_date is None:
            why = "has no disposition"
        else:
            why = f"has a disposition that does not say how the case ended ('{case.disposition}')"
        reasons.append(
            Reason(
                "no-disposition",
                f"The record of {case.where} {why}, so it is not known whether there is a "
                "conviction to vacate. Add the disposition and screen again.",
                f"disposition, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        )
        return [], reasons
    if kind in NO_CONVICTION:
        return [], [
            Reason(
                "no-conviction",
                f"{_cap(case.where)} ended in {case.ended}, not a conviction: there is "
                "nothing to vacate.",
                f"disposition, {case.where}",
                ScreeningResult.NOTHING_TO_VACATE,
            )
        ]
    if kind != DispositionKind.CONVICTED:
        state = "has not ended" if kind == DispositionKind.PENDING else f"ended in {case.ended}"
        return [], [
            Reason(
                "not-a-conviction-yet" if kind == DispositionKind.PENDING else "disposition-other",
                f"The record says {case.where} {state}; there is no conviction to vacate as "
                "recorded. Check the court file (an open warrant is a warrant dismissal).",
                f"disposition, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    convictions = case.charges_as(ChargeRole.CONVICTION)
    if not convictions:
        brought = ", ".join(_label(c) for c in case.charges) or "none recorded"
        return [], [
            Reason(
                "conviction-charge-unknown",
                f"{_cap(case.where)} ended in {case.ended}, but the record does not say "
                f"of which charge (arrest or summons charges: {brought}). A plea is often to a "
                "lesser charge; add the conviction charge and screen again.",
                f"conviction charge, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    codes = [code for c in convictions if (code := c.code) is not None]
    covered = [code for code in codes if _covering(code, coverage)]
    if not covered and len(codes) == len(convictions):
        marijuana = [
            code
            for c in case.charges_as(ChargeRole.ARREST)
            if (code := c.code) is not None and (_covering(code, coverage) or _is_article_221(code))
        ]
        if marijuana:
            return [], [
                Reason(
                    "plea-to-other-charge",
                    f"{_cap(case.where)} was brought on "
                    f"{', '.join(c.display for c in marijuana)} but ended in a conviction of "
                    f"{', '.join(c.display for c in codes)} ({case.ended}), not a marijuana "
                    "offense: there is no marijuana conviction to vacate.",
                    f"{', '.join(c.display for c in codes)}, conviction charge, {case.where}",
                    ScreeningResult.NOTHING_TO_VACATE,
                )
            ]
    codes, reasons = _charge_reasons(case, convictions, "conviction charge", coverage, rules, facts)
    return codes, reasons


def _warrant(facts: MotionFacts, rules: RuleSet) -> list[Reason]:
    case = facts.case
    charges = case.charges_as(ChargeRole.ARREST) or case.charges
    _codes, reasons = _charge_reasons(
        case, charges, "summons charge", rules.coverage_for(facts.kind), rules, facts
    )
    if case.warrant_status == WarrantStatus.VACATED:
        reasons.append(
            Reason(
                "warrant-already-vacated",
                f"The warrant on {case.where} is already recorded as vacated; check whether "
                "the motion is needed.",
                f"warrant, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        )
    kind = case.disposition_kind
    if kind is not None and kind != DispositionKind.PENDING:
        reasons.append(
            Reason(
                "case-already-ended",
                f"The record says {case.where} ended in {case.ended}; check whether the "
                "warrant is still open.",
                f"disposition, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        )
    return reasons


def _charge_reasons(
    case: CaseFacts,
    charges: tuple[ChargeFact, ...],
    role: str,
    coverage: tuple[Coverage, ...],
    rules: RuleSet,
    facts: MotionFacts,
) -> tuple[list[ChargeCode], list[Reason]]:
    if not charges:
        return [], [
            Reason(
                "no-charge",
                f"{_cap(case.where)} has no charge on record, so it cannot be screened "
                "until one is added.",
                f"charges, {case.where}",
                ScreeningResult.NEEDS_REVIEW,
            )
        ]
    codes: list[ChargeCode] = []
    reasons: list[Reason] = []
    for charge in charges:
        code = charge.code
        if code is None:
            reasons.append(
                Reason(
                    "unknown-charge",
                    f"The {role} '{charge.as_typed}' on {case.where} could not be read as a law "
                    "section; correct the charge and screen again.",
                    f"'{charge.as_typed}', {role}, {case.where}",
                    ScreeningResult.NEEDS_REVIEW,
                )
            )
            continue
        codes.append(code)
        reasons.append(_charge_reason(facts.kind, code, role, case, coverage, rules))
    return codes, reasons


def _charge_reason(
    kind: MotionKind,
    code: ChargeCode,
    role: str,
    case: CaseFacts,
    coverage: tuple[Coverage, ...],
    rules: RuleSet,
) -> Reason:
    subject = f"{code.display}, {role}, {case.where}"
    rule = _covering(code, coverage)
    if rule is not None:
        return Reason(
            rule.id,
            f"{code.display} ({role} on {case.where}) is covered: {rule.because}.",
            subject,
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
            f"{code.display} is covered only as {', '.join(only_some)}; the record of "
            f"{case.where} does not say which subdivision.",
            subject,
            ScreeningResult.NEEDS_REVIEW,
        )
    return Reason(
        "charge-not-covered",
        f"{code.display} ({role} on {case.where}) is not a charge the office's policy covers "
        f"for a {kind.label.lower()}.",
        subject,
        rules.other_charges[kind],
    )


def _covering(code: ChargeCode, coverage: tuple[Coverage, ...]) -> Coverage | None:
    return next((rule for rule in coverage if any(covers(c, code) for c in rule.charges)), None)


def _is_article_221(code: ChargeCode) -> bool:
    return code.law == "PL" and code.section.startswith("221.")


def _label(charge: ChargeFact) -> str:
    code = charge.code
    return code.display if code else f"'{charge.as_typed}'"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
