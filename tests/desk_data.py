"""A few known people for the desk's tests, made through the real intake service."""

from __future__ import annotations

from datetime import date

from casetracker.domain.enums import County, MotionKind, WarrantStatus
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.storage.db import Database

PEOPLE = (
    # last, first, date of birth, NYSID, docket, county, kind
    ("Núñez", "José", date(1980, 3, 4), "12345678A", "2016SN016969", County.KINGS),
    ("Smith", "John", date(1975, 1, 2), "87654321B", "2015KN000123", County.NEW_YORK),
    ("Smithers", "Ann", date(1990, 6, 7), None, "CR-003159-22BX", County.BRONX),
    ("O'Brien", "Kate", date(1969, 12, 31), "11112222C", "2012QN777777", County.QUEENS),
    ("Adams", "Zoe", None, "33334444D", "2011RI123456", County.RICHMOND),
)


def add_people(db: Database) -> list[int]:
    """One motion per person (conviction vacatur at intake); returns the motion ids."""
    ids: list[int] = []
    with db.unit_of_work() as session:
        for last, first, born, nysid, docket, county in PEOPLE:
            result = intake(
                session,
                IntakeRequest(
                    cases=[
                        CaseInput(
                            docket=docket,
                            charges=["PL 221.05"],
                            county=county,
                            warrant_status=WarrantStatus.OPEN,
                        )
                    ],
                    kind=MotionKind.WARRANT_DISMISSAL,
                    person=PersonInput(last=last, first=first, date_of_birth=born, nysid=nysid),
                ),
                "tester",
            )
            ids.extend(result.motion_ids)
    return ids
