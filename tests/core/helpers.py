"""Fake people and motions for tests; every value is invented."""

from __future__ import annotations

from datetime import date

from casetracker.domain.enums import County, IntakeChannel, MotionKind, ScreeningResult, Stage
from casetracker.services.intake import CaseInput, IntakeRequest, IntakeResult, PersonInput, intake
from casetracker.services.motions import advance
from casetracker.storage.db import Database


def make_motion(
    db: Database,
    *,
    kind: MotionKind = MotionKind.CONVICTION_VACATUR,
    last: str = "Testperson",
    first: str = "Alex",
    dob: date | None = date(1980, 5, 17),
    nysid: str | None = None,
    docket: str = "2016SN016969",
    charge: str = "PL 221.05",
) -> IntakeResult:
    with db.unit_of_work() as session:
        return intake(
            session,
            IntakeRequest(
                kind=kind,
                person=PersonInput(last=last, first=first, date_of_birth=dob, nysid=nysid),
                cases=[CaseInput(docket=docket, charges=[charge], county=County.KINGS)],
                channel=IntakeChannel.WALK_IN,
            ),
            "tester",
        )


# The values each step needs, so a test can walk a motion to any stage.
STEPS: list[tuple[Stage, dict[str, object]]] = [
    (Stage.VERIFIED, {}),
    (Stage.SCREENED, {"screening_result": ScreeningResult.ELIGIBLE}),
    (Stage.CONSENTED, {"decision_reason_code": "POLICY"}),
    (Stage.FILED, {"filed_date": date(2026, 1, 5)}),
    (Stage.CALENDARED, {"court_date": date(2026, 2, 3), "court_part": "AP1"}),
    (Stage.GRANTED, {"order_date": date(2026, 2, 3)}),
    (Stage.SEALED, {"sealing_confirmed_date": date(2026, 3, 1)}),
]


def walk_to(db: Database, motion_id: int, stage: Stage) -> None:
    for target, values in STEPS:
        with db.unit_of_work() as session:
            advance(
                session,
                motion_id,
                target,
                reason=f"to {target.value}",
                user="tester",
                values=values,
            )
        if target == stage:
            return
    raise AssertionError(f"no path to {stage}")
