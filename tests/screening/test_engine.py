"""Each eligibility rule, with the charge spellings real records use."""

from __future__ import annotations

import pytest

from casetracker.domain.enums import FlagKind, MotionKind, ScreeningResult, WarrantStatus
from casetracker.screening.engine import ChargeFact, MotionFacts, screen
from casetracker.screening.rules import shipped_rules

WARRANT = MotionKind.WARRANT_DISMISSAL
CONVICTION = MotionKind.CONVICTION_VACATUR
R = ScreeningResult


def facts(kind: MotionKind, *charges: str, **more: object) -> MotionFacts:
    base: dict[str, object] = {"disposition": "Pled guilty"} if kind == CONVICTION else {}
    base.update(more)
    return MotionFacts(kind, tuple(ChargeFact(None, c) for c in charges), **base)  # type: ignore[arg-type]


def deciding(outcome_facts: MotionFacts) -> tuple[ScreeningResult, str, str]:
    outcome = screen(outcome_facts, shipped_rules())
    first = outcome.reasons[0]
    assert first.effect == outcome.result
    return outcome.result, first.rule, first.subject


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
    assert (outcome.reasons[0].rule, outcome.reasons[0].subject) == (
        "conviction-marijuana-possession",
        subject,
    )
    override = next(r for r in outcome.reasons if r.rule == "expunged-by-law")
    assert override.effect is None
    assert "proceeding anyway" in override.because


def test_conviction_covered_by_mrta_is_already_expunged() -> None:
    assert deciding(facts(CONVICTION, "PL 221.15")) == (
        R.EXPUNGED_BY_LAW,
        "expunged-by-law",
        "PL 221.15",
    )


def test_conviction_for_charge_outside_policy_needs_review() -> None:
    outcome = screen(facts(CONVICTION, "PL 220.03"), shipped_rules())
    assert outcome.result == R.NEEDS_REVIEW
    assert outcome.reasons[0].rule == "charge-not-covered"
    assert all(r.rule != "expunged-by-law" for r in outcome.reasons)


@pytest.mark.parametrize(
    ("flag", "rule"),
    [
        (FlagKind.SEX_OFFENSE, "exclude-sex-offense"),
        (FlagKind.VIOLENT_FELONY, "exclude-violent-felony"),
        (FlagKind.OPEN_FELONY, "exclude-open-felony"),
    ],
)
@pytest.mark.parametrize("kind", [WARRANT, CONVICTION])
def test_person_flags_exclude(flag: FlagKind, rule: str, kind: MotionKind) -> None:
    result, found, subject = deciding(
        facts(kind, "PL 221.05", person_flags=frozenset({flag}), proceed_if_expunged=True)
    )
    assert (result, found, subject) == (R.INELIGIBLE, rule, flag.label)


def test_smoking_while_driving_excludes() -> None:
    result, rule, subject = deciding(
        facts(CONVICTION, "PL 221.05", case_facts=frozenset({"smoking_while_driving"}))
    )
    assert (result, rule, subject) == (
        R.INELIGIBLE,
        "exclude-smoking-while-driving",
        "smoking while driving",
    )


def test_eligible_outcome_says_no_exclusion_applied() -> None:
    outcome = screen(facts(WARRANT, "PL 221.05"), shipped_rules())
    assert outcome.reasons[-1].rule == "no-exclusion"
    assert "sex-offense" in outcome.reasons[-1].because.lower()


def test_missing_disposition_needs_review() -> None:
    assert deciding(facts(CONVICTION, "PL 221.05", disposition=None)) == (
        R.NEEDS_REVIEW,
        "no-disposition",
        "disposition",
    )


def test_unreadable_charge_needs_review_and_names_it() -> None:
    assert deciding(facts(WARRANT, "MARIJUANA POSS")) == (
        R.NEEDS_REVIEW,
        "unknown-charge",
        "MARIJUANA POSS",
    )


def test_no_charge_needs_review() -> None:
    assert deciding(facts(WARRANT)) == (R.NEEDS_REVIEW, "no-charge", "charges")


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
    assert outcome.ruleset == shipped_rules().version == "2018-office-1"
    assert set(outcome.reasons_json()[0]) == {"rule", "because", "subject", "effect"}
