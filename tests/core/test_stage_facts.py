"""The detail pane shows what each stage so far recorded, in words: the prosecutor, the
decision, filing, the court list, the order, and the sealing deadline with the days left."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from casetracker.domain.clock import today
from casetracker.domain.enums import CourtOutcome, Decision, Stage
from casetracker.domain.models import Motion
from casetracker.services.motion_detail import stage_facts


def granted(deadline: date) -> Motion:
    return Motion(
        stage=Stage.GRANTED,
        assigned_prosecutor="ada.chen",
        decision=Decision.CONSENT,
        decision_reason_code="POLICY",
        decided_by="ada.chen",
        decided_at=datetime(2026, 10, 2, 14, 5),
        filed_date=date(2026, 10, 5),
        filed_part="AP1",
        outcome=CourtOutcome.GRANTED,
        order_date=date(2026, 11, 20),
        sealing_deadline=deadline,
    )


def test_a_granted_motion_lists_every_stage_it_passed_and_the_days_left_to_seal() -> None:
    facts = dict(stage_facts(granted(today() + timedelta(days=12)), "Kings AP1 2026-11-20"))
    assert facts["Prosecutor"] == "ada.chen"
    assert facts["Decision"] == f"{Decision.CONSENT.label}, POLICY, by ada.chen, 2026-10-02"
    assert facts["Filed"] == "2026-10-05, AP1"
    assert facts["Court list"] == "Kings AP1 2026-11-20"
    assert facts["Order"] == f"{CourtOutcome.GRANTED.label}, 2026-11-20"
    deadline = (today() + timedelta(days=12)).isoformat()
    assert facts["Sealing deadline"] == f"{deadline}, 12 days left"


def test_an_overdue_sealing_says_by_how_many_days_and_a_confirmed_one_says_when() -> None:
    late = granted(today() - timedelta(days=1))
    assert dict(stage_facts(late, None))["Sealing deadline"].endswith("1 day overdue")
    late.sealing_confirmed_date = date(2026, 11, 30)
    facts = dict(stage_facts(late, None))
    assert facts["Sealing confirmed"] == "2026-11-30"
    assert "Sealing deadline" not in facts and "Court list" not in facts


def test_a_new_motion_has_nothing_to_list() -> None:
    assert stage_facts(Motion(stage=Stage.INTAKE), None) == []
