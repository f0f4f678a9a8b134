"""Exclusions worked out from the person's whole record: their other cases on file (read
through lists of law), the motion's own case, and flags recorded for facts not on file.

Each condition answers yes, no, or "cannot tell" (a date, a conviction charge or a charge's
class missing from the record). An exclusion whose conditions all hold excludes; one that
no condition rules out but some cannot be told asks for review, naming what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from casetracker.domain.enums import ChargeRole, DispositionKind, MotionKind, ScreeningResult
from casetracker.screening.codelists import CodeList
from casetracker.screening.facts import CaseFacts, ChargeFact, MotionFacts, Reason
from casetracker.screening.rules import Exclusion, RuleSet, When


@dataclass(frozen=True)
class Check:
    # True: holds; False: does not; None: the record cannot tell.
    holds: bool | None
    fact: str = ""
    subject: str = ""


def exclusion_reasons(facts: MotionFacts, rules: RuleSet) -> list[Reason]:
    found: list[Reason] = []
    for rule in rules.exclusions:
        if rule.person_flag is not None:
            found += [
                Reason(
                    rule.id,
                    f"Excluded: {rule.because} (recorded from {flag.source}"
                    + (f": {flag.note}" if flag.note else "")
                    + ").",
                    f"{flag.kind.label} (recorded, {flag.source})",
                    rule.effect,
                )
                for flag in facts.flags
                if flag.kind == rule.person_flag
            ]
        elif rule.case_fact is not None:
            if getattr(facts.case, rule.case_fact, False):
                found.append(
                    Reason(
                        rule.id,
                        f"Excluded: {rule.because} (recorded on {facts.case.where}).",
                        f"{rule.subject}, {facts.case.where}",
                        rule.effect,
                    )
                )
        elif rule.when is not None:
            reason = _when_reason(rule, rule.when, facts, rules)
            if reason is not None:
                found.append(reason)
    return found


def no_exclusion(rules: RuleSet) -> Reason:
    checked = rules.exclusions_checked
    return Reason(
        "no-exclusion",
        f"No exclusion applies (checked against the person's other cases on file and "
        f"recorded flags: {checked}).",
        "the person's whole record",
        None,
    )


def _when_reason(rule: Exclusion, when: When, facts: MotionFacts, rules: RuleSet) -> Reason | None:
    checks = list(_checks(when, facts, rules))
    if any(check.holds is False for check in checks):
        return None
    unknown = [check for check in checks if check.holds is None]
    subject = next((c.subject for c in checks if c.subject), rule.subject)
    if unknown:
        missing = "; ".join(check.fact for check in unknown)
        return Reason(
            rule.id,
            f"Cannot tell whether this exclusion applies ({rule.because}): {missing}. "
            "Complete the record and screen again.",
            subject,
            ScreeningResult.NEEDS_REVIEW,
        )
    found = "; ".join(check.fact for check in checks if check.fact)
    return Reason(rule.id, f"Excluded: {rule.because}: {found}.", subject, rule.effect)


def _checks(when: When, facts: MotionFacts, rules: RuleSet) -> Iterator[Check]:
    case = facts.case
    if when.other_conviction_in is not None:
        codes = rules.code_lists[when.other_conviction_in]
        yield _other_conviction(codes, when.within_years, facts)
    if when.other_open_felony:
        yield _other_open_felony(facts, rules)
    if when.case_charge_in is not None:
        yield _case_charge(rules.code_lists[when.case_charge_in], case)
    if when.age_at_offense_under is not None or when.age_at_offense_at_least is not None:
        yield _age(when, facts)
    if when.offense_before is not None or when.offense_on_or_after is not None:
        yield _offense_date(when, case)
    if when.county_in:
        if case.county is None:
            yield Check(None, f"{case.where} has no county")
        else:
            yield Check(case.county in when.county_in, f"{case.where} is in {case.county.label}")
    if when.disposition_in:
        if case.disposition_kind is None:
            yield Check(None, f"{case.where} has no disposition that can be read")
        else:
            yield Check(
                case.disposition_kind in when.disposition_in, f"{case.where} ended in {case.ended}"
            )


def _other_conviction(codes: CodeList, within_years: int | None, facts: MotionFacts) -> Check:
    """A conviction on another case for a charge in the list, dated no later than the
    screening's as-of date and, with a window, within that many years before it."""
    as_of = facts.as_of
    since = _years_before(as_of, within_years) if within_years is not None else None
    unsure: list[Check] = []
    for other in sorted(facts.other_cases, key=_newest_first):
        if other.disposition_kind != DispositionKind.CONVICTED:
            continue
        when = other.disposition_date
        if when is not None and when > as_of:
            continue
        convictions = other.charges_as(ChargeRole.CONVICTION)
        recorded = bool(convictions)
        for charge in convictions or other.charges:
            code = charge.code
            entry = codes.match(code) if code is not None else None
            if entry is None or code is None:
                continue
            what = (
                f"{code.display} ({codes.citation}), conviction charge on {other.where}, "
                f"convicted {when or 'on an unrecorded date'}"
            )
            subject = f"{code.display}, {other.where}, {when or 'date not recorded'}"
            if not recorded:
                unsure.append(
                    Check(
                        None,
                        f"{other.where} ended in a conviction of a charge the record does not "
                        f"name; it was brought on {code.display} ({codes.citation})",
                        subject,
                    )
                )
            elif entry.only_if:
                unsure.append(Check(None, f"{what} is listed only where {entry.only_if}", subject))
            elif since is not None and when is None:
                unsure.append(
                    Check(
                        None,
                        f"{what}; the record has no conviction date, so it is not known "
                        f"whether it falls within {within_years} years before {as_of}",
                        subject,
                    )
                )
            elif since is not None and when is not None and when < since:
                continue
            else:
                window = f", within {within_years} years before {as_of}" if since else ""
                return Check(True, what + window, subject)
    if unsure:
        return unsure[0]
    return Check(False)


def _other_open_felony(facts: MotionFacts, rules: RuleSet) -> Check:
    violent = rules.code_lists.get("violent-felony-offenses")
    unsure: list[Check] = []
    for other in facts.other_cases:
        if other.disposition_kind != DispositionKind.PENDING:
            continue
        if other.arrest_date is not None and other.arrest_date > facts.as_of:
            continue
        for charge in other.charges:
            code = charge.code
            label = code.display if code else f"'{charge.as_typed}'"
            subject = f"{label}, {other.where}, open"
            felony = _is_felony(charge)
            if felony is None and code is not None and violent and violent.match(code):
                felony = True
            if felony:
                since = f" since {other.arrest_date}" if other.arrest_date else ""
                return Check(True, f"{other.where} is open{since} on {label}, a felony", subject)
            if felony is None:
                unsure.append(
                    Check(
                        None,
                        f"{other.where} is open on {label}, whose class (felony or not) is "
                        "not on record",
                        subject,
                    )
                )
    return unsure[0] if unsure else Check(False)


def _is_felony(charge: ChargeFact) -> bool | None:
    text = (charge.charge_class or "").strip().lower()
    if not text:
        return None
    return "felony" in text or text.endswith(" f") or text in ("f", "af", "bf", "cf", "df", "ef")


def _case_charge(codes: CodeList, case: CaseFacts) -> Check:
    for charge in case.charges:
        code = charge.code
        entry = codes.match(code) if code is not None else None
        if entry is not None and code is not None:
            fact = f"{case.where} charges {code.display} ({codes.citation})"
            subject = f"{code.display}, {case.where}"
            if entry.only_if:
                return Check(None, f"{fact}, listed only where {entry.only_if}", subject)
            return Check(True, fact, subject)
    return Check(False)


def _age(when: When, facts: MotionFacts) -> Check:
    case = facts.case
    if facts.date_of_birth is None or case.arrest_date is None:
        missing = "date of birth" if facts.date_of_birth is None else "offense date"
        return Check(None, f"the age at the offense is not known (no {missing} on record)")
    born = facts.date_of_birth
    offense = case.arrest_date
    age = offense.year - born.year - ((offense.month, offense.day) < (born.month, born.day))
    holds = (when.age_at_offense_under is None or age < when.age_at_offense_under) and (
        when.age_at_offense_at_least is None or age >= when.age_at_offense_at_least
    )
    return Check(holds, f"the person was {age} on {offense} ({case.where})")


def _offense_date(when: When, case: CaseFacts) -> Check:
    offense = case.arrest_date
    if offense is None:
        return Check(None, f"{case.where} has no offense (arrest) date")
    holds = (when.offense_before is None or offense < when.offense_before) and (
        when.offense_on_or_after is None or offense >= when.offense_on_or_after
    )
    return Check(holds, f"the offense on {case.where} was on {offense}")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _newest_first(case: CaseFacts) -> tuple[bool, int]:
    return (case.disposition_date is None, -(case.disposition_date or date.min).toordinal())


# What the detail pane lists as found on the person's record, by code list.
_RECORD_FLAGS = (
    ("sex-offenses", "Sex-offense conviction"),
    ("violent-felony-offenses", "Violent-felony conviction"),
    ("registrable-offenses", "Registrable-offense conviction"),
)


def record_flags(cases: tuple[CaseFacts, ...], as_of: date, rules: RuleSet) -> list[str]:
    """The exclusion facts worked out from every case on file, in words with where each came
    from ("Sex-offense conviction: PL 130.35 (...), conviction charge on case ..."); a fact the
    record leaves uncertain is listed as such."""
    whole = MotionFacts(
        kind=MotionKind.CONVICTION_VACATUR,
        case=CaseFacts("(none)"),
        other_cases=cases,
        as_of=as_of,
    )
    found = []
    for list_id, label in _RECORD_FLAGS:
        codes = rules.code_lists.get(list_id)
        if codes is None:
            continue
        check = _other_conviction(codes, None, whole)
        if check.holds is not False:
            found.append(f"{label}{'' if check.holds else ' (to check)'}: {check.fact}")
    check = _other_open_felony(whole, rules)
    if check.holds is not False:
        found.append(f"Open felony case{'' if check.holds else ' (to check)'}: {check.fact}")
    return found
