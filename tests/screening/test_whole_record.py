"""Screening a person through their whole record on file: how each case ended, what it ended
in, the person's other cases, the laws and rule sets in force on the motion's date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casetracker.domain.enums import County, MotionKind, ScreeningResult, Stage
from casetracker.domain.models import Motion
from casetracker.screening.rules import shipped_rules
from casetracker.screening.service import preview_rescreen, screen_motions
from casetracker.screening.store import save_rules
from casetracker.services.motion_detail import motion_detail
from casetracker.storage.db import Database
from tests.support.motions import add_case, make_motion

CONVICTION = MotionKind.CONVICTION_VACATUR
R = ScreeningResult
TODAY = date(2026, 11, 20)


def screened(session: Session, motion_id: int, as_of: date | None = None) -> Motion:
    screen_motions(session, [motion_id], user="screener", as_of=as_of)
    motion = session.get(Motion, motion_id)
    assert motion is not None and motion.stage == Stage.SCREENED
    return motion


def person_of(session: Session, motion_id: int) -> int:
    motion = session.get(Motion, motion_id)
    assert motion is not None
    return motion.person_id


def test_a_sex_offense_conviction_on_another_case_excludes_naming_it(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2018, 10, 1))
        add_case(
            session,
            person_of(session, matter),
            "2012KN004411",
            arrested_for=["PL 130.35"],
            convicted_of=["PL 130.35"],
            disposition="Convicted after trial",
            disposition_date=date(2012, 6, 14),
        )
        motion = screened(session, matter)
        assert motion.screening_result == R.INELIGIBLE
        first = motion.screening_reasons[0]
        assert first["rule"] == "exclude-sex-offense"
        assert "PL 130.35" in first["because"] and "2012KN004411" in first["because"]
        assert "2012-06-14" in first["because"] and "article 130" in first["because"]
        assert first["subject"] == "PL 130.35, case 2012KN004411 (Kings (Brooklyn)), 2012-06-14"
        assert not [r for r in motion.screening_reasons if r["rule"] == "no-exclusion"]


def test_an_arrest_for_a_sex_offense_that_was_dismissed_does_not_exclude(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2018, 10, 1))
        add_case(
            session,
            person_of(session, matter),
            "2012KN004412",
            arrested_for=["PL 130.35"],
            disposition="DISM 30.30",
            disposition_date=date(2012, 6, 14),
        )
        assert screened(session, matter).screening_result == R.ELIGIBLE


def test_a_plea_of_unknown_charge_on_a_sex_offense_arrest_asks_for_review(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2018, 10, 1))
        add_case(
            session,
            person_of(session, matter),
            "2012KN004413",
            arrested_for=["PL 130.65"],
            disposition="Pled guilty",
            disposition_date=date(2012, 6, 14),
        )
        motion = screened(session, matter)
        assert motion.screening_result == R.NEEDS_REVIEW
        reason = next(r for r in motion.screening_reasons if r["rule"] == "exclude-sex-offense")
        assert "does not name" in reason["because"] and "PL 130.65" in reason["because"]


def test_an_open_felony_case_excludes_and_a_closed_one_does_not(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2018, 10, 1))
        add_case(
            session,
            person_of(session, matter),
            "2018KN000777",
            arrested_for=["PL 160.15"],
            disposition="PENDING",
            arrest_date=date(2018, 2, 2),
            charge_class="B felony",
        )
        motion = screened(session, matter)
        assert motion.screening_result == R.INELIGIBLE
        assert motion.screening_reasons[0]["rule"] == "exclude-open-felony"
        assert "2018KN000777" in motion.screening_reasons[0]["because"]


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("DISM", "no-conviction"),
        ("ACD 6 MOS", "no-conviction"),
        ("Y.O. ADJ", "no-conviction"),
        ("ACQUITTED", "no-conviction"),
    ],
)
def test_cases_that_ended_without_a_conviction_have_nothing_to_vacate(
    db: Database, written: str, rule: str
) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(
            session, CONVICTION, ["PL 221.10"], disposition=written, intake_date=TODAY
        )
        motion = screened(session, matter)
        assert (motion.screening_result, motion.screening_reasons[0]["rule"]) == (
            R.NOTHING_TO_VACATE,
            rule,
        )
        assert written in motion.screening_reasons[0]["because"]


def test_a_plea_to_240_20_on_a_221_10_arrest_has_nothing_to_vacate(db: Database) -> None:
    with db.unit_of_work() as session:
        # Before 2021 this was screened "eligible", after it "already expunged by law".
        for day in (date(2018, 10, 1), TODAY):
            matter = make_motion(
                session,
                CONVICTION,
                ["PL 221.10"],
                disposition="PG 240.20",
                convicted_of=["PL 240.20"],
                intake_date=day,
            )
            motion = screened(session, matter)
            assert motion.screening_result == R.NOTHING_TO_VACATE
            assert motion.screening_reasons[0]["rule"] == "plea-to-other-charge"


def test_the_whole_record_of_one_person(db: Database) -> None:
    """One person, five cases: each motion is screened through all of them."""
    with db.unit_of_work() as session:
        weed = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2018, 10, 1))
        person = person_of(session, weed)
        acd = make_motion(session, CONVICTION, ["PL 221.10"], disposition="ACD", person_id=person)
        plea = make_motion(
            session,
            CONVICTION,
            ["PL 221.10"],
            disposition="PG 240.20",
            convicted_of=["PL 240.20"],
            person_id=person,
        )
        yo = make_motion(session, CONVICTION, ["PL 221.15"], disposition="YO", person_id=person)
        add_case(
            session,
            person,
            "2009NY010101",
            arrested_for=["PL 120.05"],
            convicted_of=["PL 120.05"],
            disposition="Pled guilty",
            disposition_date=date(2009, 3, 3),
            county=County.NEW_YORK,
        )
        results = {m: screened(session, m) for m in (weed, acd, plea, yo)}
        assert results[weed].screening_result == R.INELIGIBLE
        assert results[weed].screening_reasons[0]["rule"] == "exclude-violent-felony"
        assert "2009NY010101" in results[weed].screening_reasons[0]["subject"]
        assert "New York (Manhattan)" in results[weed].screening_reasons[0]["subject"]
        # The other marijuana cases are not convictions that exclude; there is nothing to vacate.
        for other in (acd, plea, yo):
            assert results[other].screening_result == R.NOTHING_TO_VACATE


def test_a_rescreen_keeps_the_law_of_the_motion_date_unless_told(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.15"], intake_date=date(2018, 10, 1))
        motion = screened(session, matter)
        assert (motion.screening_result, motion.screening_as_of) == (R.ELIGIBLE, date(2018, 10, 1))
    with db.unit_of_work() as session:
        assert preview_rescreen(session) == []
        items = preview_rescreen(session, as_of=TODAY)
        assert [i.outcome.result for i in items] == [R.EXPUNGED_BY_LAW]
        assert items[0].outcome.reasons[0].rule == "expunged-2021-mrta"
    with db.unit_of_work() as session:
        motion = screened(session, matter, as_of=TODAY)
        assert (motion.screening_result, motion.screening_as_of) == (R.EXPUNGED_BY_LAW, TODAY)


def test_a_rule_set_not_yet_in_effect_on_the_motion_date_is_not_used(db: Database) -> None:
    future = json.loads(shipped_rules().to_json()) | {
        "version": "kings-2027",
        "effective_from": "2027-01-01",
        "counties": ["kings"],
    }
    future["coverage"][0]["charges"] = ["PL 221.05"]
    with db.unit_of_work() as session:
        save_rules(session, json.dumps(future), user="admin")
        matter = make_motion(session, CONVICTION, ["PL 221.10"], intake_date=date(2018, 10, 1))
        motion = screened(session, matter)
        assert (motion.screening_result, motion.screening_ruleset) == (R.ELIGIBLE, "2018-office-2")
        later = screened(session, matter, as_of=date(2027, 2, 1))
        assert later.screening_ruleset == "kings-2027"
        # Kings' 2027 policy no longer covers PL 221.10.
        assert later.screening_result == R.NEEDS_REVIEW
        assert later.screening_reasons[0]["rule"] == "charge-not-covered"


def test_no_rule_set_in_force_asks_for_review_saying_so(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"], intake_date=date(2017, 5, 1))
        motion = screened(session, matter)
        assert motion.screening_result == R.NEEDS_REVIEW
        assert motion.screening_reasons[0]["rule"] == "no-rule-set"
        assert "2018-09-01" in motion.screening_reasons[0]["because"]


def test_the_detail_pane_lists_what_the_record_shows_with_where_from(db: Database) -> None:
    with db.unit_of_work() as session:
        matter = make_motion(session, CONVICTION, ["PL 221.05"])
        person = person_of(session, matter)
        add_case(
            session,
            person,
            "2012KN004411",
            arrested_for=["PL 130.35"],
            convicted_of=["PL 130.35"],
            disposition="Convicted after trial",
            disposition_date=date(2012, 6, 14),
        )
        add_case(
            session,
            person,
            "2025KN000123",
            arrested_for=["PL 160.15"],
            disposition="PENDING",
            charge_class="B felony",
        )
        flags = motion_detail(session, matter).flags
    assert any(
        f.startswith("Sex-offense conviction: PL 130.35") and "2012KN004411" in f for f in flags
    )
    assert any(f.startswith("Violent-felony conviction: PL 130.35") for f in flags)
    assert any(f.startswith("Open felony case:") and "2025KN000123" in f for f in flags)
