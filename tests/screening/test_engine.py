"""Each eligibility rule, with the charge spellings real records use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from casetracker.domain.enums import (
    ChargeRole,
    County,
    DispositionKind,
    FlagKind,
    MotionKind,
    ScreeningResult,
    WarrantStatus,
)
from casetracker.screening.engine import screen
from casetracker.screening.facts import CaseFacts, ChargeFact, FlagFact, MotionFacts
from casetracker.screening.rules import shipped_rules

WARRANT = MotionKind.WARRANT_DISMISSAL
CONVICTION = MotionKind.CONVICTION_VACATUR
R = ScreeningResult
AS_OF = date(2026, 11, 20)


def facts(kind: MotionKind, *charges: str, **more: object) -> MotionFacts:
    """A motion on case 2016SN000001 (Kings): a conviction of the charges given, pleaded
    guilty to on 2016-05-01, or an open summons on them."""
    conviction = kind == CONVICTION
    case_more = {k: more.pop(k) for k in list(more) if k in CaseFacts.__dataclass_fields__}
    case = CaseFacts(
        "2016SN000001",
        tuple(
            ChargeFact(None, c, ChargeRole.CONVICTION if conviction else ChargeRole.ARREST)
            for c in charges
        ),
        County.KINGS,
        date(2016, 3, 1),
        "Pled guilty" if conviction else None,
        DispositionKind.CONVICTED if conviction else DispositionKind.PENDING,
        date(2016, 5, 1) if conviction else None,
    )
    case = replace(case, **case_more)  # type: ignore[arg-type]
    more.setdefault("as_of", AS_OF)
    return MotionFacts(kind, case, **more)  # type: ignore[arg-type]


def deciding(outcome_facts: MotionFacts) -> tuple[ScreeningResult, str, str]:
    """The result, the deciding rule, and the charge or fact the subject starts with."""
    outcome = screen(outcome_facts, shipped_rules())
    first = outcome.reasons[0]
    assert first.effect == outcome.result
    return outcome.result, first.rule, first.subject.split(",")[0]


@pytest.mark.parametrize(
    ("typed", "subject"),
    [
        ("PL 221.05", "PL 221.05"),
        ("221.05", "PL 221.05"),
        ("PL221.05", "PL 221.05"),
        ("PL 2210500", "PL 221.05"),
        ("PL 221.10(1)", "PL 221.10(1)"),
        ("221.10 sub 1", "PL 221.10(1)"),
        ("PL 2211001", "PL 221.10(1)"),
        ("221.05 MARIJUANA, POSSESSION 4 & 5", "PL 221.05"),
    ],
)
def test_warrant_marijuana_charges_are_eligible(typed: str, subject: str) -> None:
    assert deciding(facts(WARRANT, typed)) == (R.ELIGIBLE, "warrant-marijuana-possession", subject)


@pytest.mark.parametrize("typed", ["AC 16-118", "NYC ADMIN CODE 10-125"])
def test_office_chosen_summons_offenses_are_eligible_warrants(typed: str) -> None:
    result, rule, _ = deciding(facts(WARRANT, typed))
    assert (result, rule) == (R.ELIGIBLE, "warrant-office-summons-offenses")


def test_warrant_for_221_10_other_subdivision_is_not_covered() -> None:
    assert deciding(facts(WARRANT, "PL 221.10(2)")) == (
        R.INELIGIBLE,
        "charge-not-covered",
        "PL 221.10(2)",
    )


def test_warrant_for_221_10_without_subdivision_needs_review() -> None:
    assert deciding(facts(WARRANT, "PL 221.10")) == (
        R.NEEDS_REVIEW,
        "subdivision-unknown",
        "PL 221.10",
    )


def test_warrant_for_disorderly_conduct_is_ineligible() -> None:
    assert deciding(facts(WARRANT, "PL 240.20")) == (
        R.INELIGIBLE,
        "charge-not-covered",
        "PL 240.20",
    )


@pytest.mark.parametrize(
    ("typed", "subject"),
    [
        ("PL 221.05", "PL 221.05"),
        ("PL 221.10", "PL 221.10"),
        ("221.10(2)", "PL 221.10(2)"),
        ("PL 221.15", "PL 221.15"),
        ("PL 221.10 UNLAWFUL POSSESSION MARIJUANA", "PL 221.10"),
    ],
)
def test_conviction_for_covered_charge_is_eligible_when_proceeding(
    typed: str, subject: str
) -> None:
    outcome = screen(facts(CONVICTION, typed, proceed_if_expunged=True), shipped_rules())
    assert outcome.result == R.ELIGIBLE
    assert (outcome.reasons[0].rule, outcome.reasons[0].subject.split(",")[0]) == (
        "conviction-marijuana-possession",
        subject,
    )
    override = next(r for r in outcome.reasons if r.rule.startswith("expunged-"))
    assert override.effect is None
    assert "proceeding anyway" in override.because.lower()


def test_conviction_covered_by_mrta_is_already_expunged_citing_the_mrta() -> None:
    outcome = screen(facts(CONVICTION, "PL 221.15"), shipped_rules())
    assert outcome.result == R.EXPUNGED_BY_LAW
    first = outcome.reasons[0]
    assert first.rule == "expunged-2021-mrta"
    assert "Marihuana Regulation and Taxation Act" in first.because
    assert "2021-03-31" in first.because
    # 160.50(5) came with the 2019 law, which did not reach 221.15.
    assert "160.50(3)(k) and (5)" not in first.because


def test_221_05_is_expunged_by_the_2019_law_citing_it() -> None:
    outcome = screen(facts(CONVICTION, "PL 221.05"), shipped_rules())
    assert (outcome.result, outcome.reasons[0].rule) == (R.EXPUNGED_BY_LAW, "expunged-2019-ch131")
    assert "L. 2019, ch. 131" in outcome.reasons[0].because


@pytest.mark.parametrize(
    ("typed", "condition"),
    [
        ("PL 240.36", "marihuana was the only substance"),
        ("PL 2403600", "marihuana was the only substance"),
        ("PL 220.03", "concentrated cannabis (hashish) was the only"),
        ("220.06", "concentrated cannabis (hashish) was the only"),
    ],
)
def test_laws_with_a_substance_condition_ask_for_review(typed: str, condition: str) -> None:
    outcome = screen(facts(CONVICTION, typed, proceed_if_expunged=False), shipped_rules())
    assert outcome.result == R.NEEDS_REVIEW
    law = next(r for r in outcome.reasons if r.rule.startswith("expunged-2021-mrta-"))
    assert law.effect == R.NEEDS_REVIEW
    assert condition in law.because
    assert outcome.result != R.EXPUNGED_BY_LAW


@pytest.mark.parametrize(
    ("as_of", "result", "rule"),
    [
        (date(2018, 10, 1), R.ELIGIBLE, "conviction-marijuana-possession"),
        (date(2019, 8, 27), R.ELIGIBLE, "conviction-marijuana-possession"),
        (date(2019, 8, 28), R.EXPUNGED_BY_LAW, "expunged-2019-ch131"),
    ],
)
def test_the_laws_apply_from_their_effective_date(as_of: date, result: R, rule: str) -> None:
    outcome = screen(replace(facts(CONVICTION, "PL 221.10"), as_of=as_of), shipped_rules())
    assert (outcome.result, outcome.reasons[0].rule, outcome.as_of) == (result, rule, as_of)
    if result == R.ELIGIBLE:
        later = [r for r in outcome.reasons if r.rule.startswith("expunged-")]
        assert later and all(r.effect is None and "not applied" in r.because for r in later)


def test_221_15_before_the_mrta_is_not_expunged() -> None:
    outcome = screen(
        replace(facts(CONVICTION, "PL 221.15"), as_of=date(2020, 6, 1)), shipped_rules()
    )
    assert outcome.result == R.ELIGIBLE


def test_conviction_for_charge_outside_policy_needs_review() -> None:
    outcome = screen(facts(CONVICTION, "PL 220.03"), shipped_rules())
    assert outcome.result == R.NEEDS_REVIEW
    assert outcome.reasons[0].rule == "charge-not-covered"
    assert all(r.rule != "expunged-by-law" for r in outcome.reasons)


@pytest.mark.parametrize(
    ("flag", "rule"),
    [
        (FlagKind.SEX_OFFENSE, "flag-sex-offense"),
        (FlagKind.VIOLENT_FELONY, "flag-violent-felony"),
        (FlagKind.OPEN_FELONY, "flag-open-felony"),
    ],
)
@pytest.mark.parametrize("kind", [WARRANT, CONVICTION])
def test_recorded_flags_exclude_naming_their_source(
    flag: FlagKind, rule: str, kind: MotionKind
) -> None:
    recorded = (FlagFact(flag, "NJ rap sheet", "conviction 2009"),)
    outcome = screen(
        facts(kind, "PL 221.05", flags=recorded, proceed_if_expunged=True), shipped_rules()
    )
    first = outcome.reasons[0]
    assert (outcome.result, first.rule) == (R.INELIGIBLE, rule)
    assert "NJ rap sheet" in first.because and "NJ rap sheet" in first.subject


def test_smoking_while_driving_excludes() -> None:
    result, rule, subject = deciding(facts(CONVICTION, "PL 221.05", smoking_while_driving=True))
    assert (result, rule, subject) == (
        R.INELIGIBLE,
        "exclude-smoking-while-driving",
        "smoking while driving",
    )


@pytest.mark.parametrize("typed", ["VTL 1192.4", "VTL 1192(4)", "VTL 1192 sub 4"])
def test_a_drug_impaired_driving_charge_on_the_case_excludes(typed: str) -> None:
    motion = facts(WARRANT, "PL 221.10(1)")
    both = replace(motion.case, charges=(*motion.case.charges, ChargeFact(None, typed)))
    outcome = screen(replace(motion, case=both), shipped_rules())
    excluded = next(r for r in outcome.reasons if r.rule == "exclude-drug-impaired-driving")
    assert outcome.result == R.INELIGIBLE
    assert excluded.subject.startswith("VTL 1192(4), case 2016SN000001")


def test_eligible_outcome_says_no_exclusion_applied() -> None:
    outcome = screen(facts(WARRANT, "PL 221.05"), shipped_rules())
    assert outcome.reasons[-1].rule == "no-exclusion"
    assert "sex-offense" in outcome.reasons[-1].because.lower()


def test_missing_disposition_needs_review() -> None:
    assert deciding(
        facts(
            CONVICTION,
            "PL 221.05",
            disposition=None,
            disposition_kind=None,
            disposition_date=None,
        )
    ) == (R.NEEDS_REVIEW, "no-disposition", "disposition")


def test_unreadable_charge_needs_review_and_names_it() -> None:
    assert deciding(facts(WARRANT, "MARIJUANA POSS")) == (
        R.NEEDS_REVIEW,
        "unknown-charge",
        "'MARIJUANA POSS'",
    )


def test_no_charge_needs_review() -> None:
    assert deciding(facts(WARRANT)) == (R.NEEDS_REVIEW, "no-charge", "charges")


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("DISM", DispositionKind.DISMISSED),
        ("ACD 6 MOS", DispositionKind.ACD),
        ("Y.O. ADJ", DispositionKind.YOUTHFUL_OFFENDER),
        ("NOT GUILTY", DispositionKind.ACQUITTED),
    ],
)
def test_a_case_that_ended_without_a_conviction_has_nothing_to_vacate(
    written: str, kind: DispositionKind
) -> None:
    for as_of in (date(2018, 10, 1), AS_OF):
        outcome = screen(
            facts(CONVICTION, "PL 221.10", disposition=written, disposition_kind=kind, as_of=as_of),
            shipped_rules(),
        )
        assert outcome.result == R.NOTHING_TO_VACATE
        assert outcome.reasons[0].rule == "no-conviction"
        assert written in outcome.reasons[0].because
        assert not [r for r in outcome.reasons if r.effect in (R.ELIGIBLE, R.EXPUNGED_BY_LAW)]


def test_a_plea_to_disorderly_conduct_on_a_marijuana_arrest_has_nothing_to_vacate() -> None:
    motion = facts(CONVICTION, disposition="PG 240.20")
    case = replace(
        motion.case,
        charges=(
            ChargeFact(None, "PL 221.10", ChargeRole.ARREST),
            ChargeFact(None, "PL 240.20", ChargeRole.CONVICTION),
        ),
    )
    for as_of in (date(2018, 10, 1), AS_OF):
        outcome = screen(replace(motion, case=case, as_of=as_of), shipped_rules())
        assert (outcome.result, outcome.reasons[0].rule) == (
            R.NOTHING_TO_VACATE,
            "plea-to-other-charge",
        )
        assert "PL 221.10" in outcome.reasons[0].because
        assert outcome.reasons[0].subject.startswith("PL 240.20, conviction charge")


def test_a_conviction_without_its_charge_is_not_taken_as_the_arrest_charge() -> None:
    motion = facts(CONVICTION)
    case = replace(motion.case, charges=(ChargeFact(None, "PL 221.10", ChargeRole.ARREST),))
    outcome = screen(replace(motion, case=case), shipped_rules())
    assert (outcome.result, outcome.reasons[0].rule) == (
        R.NEEDS_REVIEW,
        "conviction-charge-unknown",
    )
    assert not [r for r in outcome.reasons if r.effect in (R.ELIGIBLE, R.EXPUNGED_BY_LAW)]


def test_vacated_warrant_needs_review() -> None:
    assert deciding(facts(WARRANT, "PL 221.05", warrant_status=WarrantStatus.VACATED))[1] == (
        "warrant-already-vacated"
    )


def test_mixed_warrant_charges_are_ineligible_naming_the_other_charge() -> None:
    assert deciding(facts(WARRANT, "PL 221.05", "PL 140.10")) == (
        R.INELIGIBLE,
        "charge-not-covered",
        "PL 140.10",
    )


def test_outcome_carries_the_rule_set_version() -> None:
    outcome = screen(facts(WARRANT, "PL 221.05"), shipped_rules())
    assert outcome.ruleset == shipped_rules().version == "2018-office-2"
    assert set(outcome.to_json()) == {"result", "rule_set", "as_of", "reasons"}
    assert outcome.to_json()["as_of"] == "2026-11-20"
    assert set(outcome.reasons_json()[0]) == {"rule", "because", "subject", "effect"}
