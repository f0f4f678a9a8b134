"""Making fake motions for tests through the real intake service."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from casetracker.domain.enums import (
    ChargeRole,
    County,
    DispositionKind,
    FlagKind,
    MotionKind,
    Stage,
    WarrantStatus,
)
from casetracker.domain.models import Case, Charge, Motion, Person, PersonFlag
from casetracker.normalize import classify_disposition
from casetracker.services.intake import (
    CaseInput,
    IntakeRequest,
    PersonInput,
    build_charge,
    intake,
)
from casetracker.services.motions import advance

_numbers = itertools.count(1)


def make_motion(
    session: Session,
    kind: MotionKind = MotionKind.WARRANT_DISMISSAL,
    charges: Sequence[str] = ("PL 221.05",),
    *,
    disposition: str | None = "Pled guilty",
    convicted_of: Sequence[str] | None = None,
    intake_date: date | None = None,
    person_id: int | None = None,
    flags: Sequence[FlagKind] = (),
    smoking_while_driving: bool = False,
    county: County = County.KINGS,
    contact: bool = True,
    verify: bool = True,
) -> int:
    """One fake person (or `person_id`'s) with one motion; a conviction is verified unless
    told otherwise. A conviction's charges are what it ended in unless `convicted_of` names
    those, when `charges` are the arrest charges."""
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
            intake_date=intake_date,
            person_id=person_id,
            person=None
            if person_id
            else PersonInput(
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
    case = session.get(Case, motion.case_id)
    assert case is not None
    case.smoking_while_driving = smoking_while_driving
    if not warrant:
        _set_roles(case, convicted_of)
    session.flush()
    if verify and not warrant:
        advance(session, motion_id, Stage.VERIFIED, reason="checked", user="intake.test")
    return motion_id


def _set_roles(case: Case, convicted_of: Sequence[str] | None) -> None:
    """What intake cannot say yet: the kind of disposition and the conviction charges."""
    case.disposition_kind = (
        classify_disposition(case.disposition).value if case.disposition else None
    )
    if convicted_of is None:
        if case.disposition_kind == DispositionKind.CONVICTED:
            for charge in case.charges:
                charge.role = ChargeRole.CONVICTION
        return
    for text in convicted_of:
        charge = build_charge(text, len(case.charges), [])
        charge.role = ChargeRole.CONVICTION
        case.charges.append(charge)


def add_case(
    session: Session,
    person_id: int,
    docket: str,
    *,
    convicted_of: Sequence[str] = (),
    arrested_for: Sequence[str] = (),
    disposition: str | None = None,
    disposition_date: date | None = None,
    arrest_date: date | None = None,
    county: County = County.KINGS,
    charge_class: str | None = None,
) -> Case:
    """Another case of the person's on file, with no motion of its own."""
    case = Case(
        person_id=person_id,
        docket=docket,
        docket_as_typed=docket,
        county=county,
        arrest_date=arrest_date,
        disposition=disposition,
        disposition_kind=classify_disposition(disposition).value if disposition else None,
        disposition_date=disposition_date,
    )
    for role, texts in ((ChargeRole.ARREST, arrested_for), (ChargeRole.CONVICTION, convicted_of)):
        for text in texts:
            charge: Charge = build_charge(text, len(case.charges), [])
            charge.role = role
            if charge_class is not None:
                charge.charge_class = charge_class
            case.charges.append(charge)
    person = session.get(Person, person_id)
    assert person is not None
    person.cases.append(case)
    session.flush()
    return case
