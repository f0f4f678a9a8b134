"""Convictions the law already expunged (CPL 160.50(3)(k) in 2019 and as the MRTA amended it
in 2021), each law applied only from its effective date, as of the screening's date."""

from __future__ import annotations

from casetracker.domain.enums import ScreeningResult
from casetracker.normalize import ChargeCode
from casetracker.screening.facts import MotionFacts, Reason
from casetracker.screening.matching import covers
from casetracker.screening.rules import ExpungedByLaw, RuleSet


def expunged_reasons(
    facts: MotionFacts, rules: RuleSet, convicted_of: list[ChargeCode]
) -> list[Reason]:
    """Reasons about the laws, given the charges the case ended in (none when there is no
    conviction to look at). Every conviction charge must be expunged for the case to be."""
    laws = [law for law in rules.expunged_by_law if facts.kind in law.motion_kinds]
    if not laws or not convicted_of:
        return []
    as_of = facts.as_of
    case = facts.case
    found: list[tuple[ChargeCode, ExpungedByLaw]] = []
    later: list[Reason] = []
    for code in convicted_of:
        listing = [law for law in laws if any(covers(c, code) for c in law.charges)]
        in_force = [law for law in listing if law.in_force(as_of)]
        if not in_force:
            later += [
                Reason(
                    law.id,
                    f"{code.display} is expunged by law from {law.effective_from} "
                    f"({_cite(law)}); not applied, as this screening is as of {as_of}.",
                    f"{code.display}, conviction charge, {case.where}",
                    None,
                )
                for law in listing
            ]
            continue
        # The law that expunged it first is the one to cite; an unconditional one wins.
        in_force.sort(key=lambda law: (law.only_if is not None, law.effective_from or as_of))
        found.append((code, in_force[0]))
    if len(found) != len(convicted_of):
        return later
    ids = ", ".join(dict.fromkeys(law.id for _code, law in found))
    subject = (
        ", ".join(dict.fromkeys(code.display for code, _law in found))
        + f", conviction charge, {case.where}"
        + (f", convicted {case.disposition_date}" if case.disposition_date else "")
    )
    conditional = [(code, law) for code, law in found if law.only_if]
    if conditional:
        return [
            Reason(
                law.id,
                f"{code.display} is expunged by law only where {law.only_if} ({_cite(law)}); "
                f"the record of {case.where} does not say. Check the accusatory instrument.",
                subject,
                ScreeningResult.NEEDS_REVIEW,
            )
            for code, law in conditional
        ]
    because = "; ".join(dict.fromkeys(f"{law.because} ({_cite(law)})" for _code, law in found))
    if facts.proceed_if_expunged:
        return [
            Reason(
                ids,
                f"Already expunged by law as of {as_of}: {because}. Proceeding anyway, as "
                "recorded on the motion.",
                subject,
                None,
            )
        ]
    return [
        Reason(
            ids,
            f"Already expunged by law as of {as_of}: {because}. If the person still wants the "
            "vacatur (for example for immigration), record 'proceed anyway' with a reason.",
            subject,
            ScreeningResult.EXPUNGED_BY_LAW,
        )
    ]


def _cite(law: ExpungedByLaw) -> str:
    citation = law.citation or "no citation given"
    return citation + (f", in force from {law.effective_from}" if law.effective_from else "")
