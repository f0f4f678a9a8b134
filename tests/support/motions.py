"""Making fake motions for tests through the real intake service."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from casetracker.domain.enums import County, FlagKind, MotionKind, Stage, WarrantStatus
from casetracker.domain.models import Case, Motion, PersonFlag
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.services.motions import advance

_numbers = itertools.count(1)


def make_motion(
    session: Session,
    kind: MotionKind = MotionKind.WARRANT_DISMISSAL,
    charges: Sequence[str] = ("PL 221.05",),
    *,
    disposition: str | None = "Pled guilty",
    flags: Sequence[FlagKind] = (),
    smoking_while_driving: bool = False,
    county: County = County.KINGS,
    contact: bool = True,
    verify: bool = True,
) -> int:
    """One fake person with one motion; a conviction is verified unless told otherwise."""
    n = next(_numbers)
    warrant = kind == MotionKind.WARRANT_DISMISSAL
    result = intake(
        session,
        IntakeRequest(
            cases=[
                CaseInput(
                    docket=f"2016SN{n:06d}",
                    summons=f"4{n:09d}" if warrant else None,
                    charges=list(charges),
                    county=county,
                    disposition=None if warrant else disposition,
                    disposition_date=None if warrant or disposition is None else date(2010, 5, 1),
                    warrant_status=WarrantStatus.OPEN if warrant else WarrantStatus.NONE,
                )
            ],
            kind=kind,
            person=PersonInput(
                last=f"Testperson{n}",
                first="Alex",
                date_of_birth=date(1980, 1, 1 + n % 28),
                phone="(555) 201-0000" if contact else None,
            ),
        ),
        user="intake.test",
    )
    motion_id = result.motion_ids[0]
    motion = session.get(Motion, motion_id)
    assert motion is not None
    for flag in flags:
        session.add(
            PersonFlag(person_id=motion.person_id, kind=flag, source="test", recorded_by="t")
        )
    if smoking_while_driving:
        case = session.get(Case, motion.case_id)
        assert case is not None
        case.smoking_while_driving = True
    session.flush()
    if verify and not warrant:
        advance(session, motion_id, Stage.VERIFIED, reason="checked", user="intake.test")
    return motion_id
