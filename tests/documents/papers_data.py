"""Fake motions for the papers tests, with the names that go wrong in printing on purpose."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casetracker.courtlists.service import create_court_list
from casetracker.decisions.service import decide
from casetracker.domain.enums import County, Decision, MotionKind, Stage, WarrantStatus
from casetracker.screening.service import screen_motions
from casetracker.services.intake import CaseInput, IntakeRequest, PersonInput, intake
from casetracker.services.motions import advance
from casetracker.storage.db import Database

COURT_DAY = date(2026, 3, 5)
ADA = "Dana Prosecutor-Reyes"


@dataclass(frozen=True)
class Made:
    motion_id: int
    name: str  # as the papers print it, first name first
    listed_name: str  # as Exhibit A lists it, last name first
    reference: str
    kind: MotionKind


PEOPLE = (
    # (first, last, kind, county)
    ("Zoë", "O'Brien-Núñez", MotionKind.CONVICTION_VACATUR, County.KINGS),
    ("José", "D'Angelo", MotionKind.WARRANT_DISMISSAL, County.KINGS),
    ("Ana-María", "Müller-Łukasz", MotionKind.WARRANT_DISMISSAL, County.KINGS),
)


def make_consented(
    db: Database, people: tuple[tuple[str, str, MotionKind, County], ...] = PEOPLE
) -> list[Made]:
    made = []
    with db.unit_of_work() as session:
        for n, (first, last, kind, county) in enumerate(people, start=1):
            warrant = kind == MotionKind.WARRANT_DISMISSAL
            docket = f"2016KN{n:06d}"
            summons = f"40{n:08d}" if warrant else None
            result = intake(
                session,
                IntakeRequest(
                    cases=[
                        CaseInput(
                            docket=docket,
                            summons=summons,
                            charges=["PL 221.05" if warrant else "PL 221.10"],
                            county=county,
                            disposition=None if warrant else "Pled guilty",
                            disposition_date=None if warrant else date(2011, 4, 1),
                            warrant_issued_date=date(2012, 6, 1) if warrant else None,
                            warrant_status=WarrantStatus.OPEN if warrant else WarrantStatus.NONE,
                        )
                    ],
                    kind=kind,
                    person=PersonInput(last=last, first=first, date_of_birth=date(1980, 5, n)),
                    defense_org="Smith & Jones <Defenders>",
                ),
                user="intake.test",
            )
            motion_id = result.motion_ids[0]
            if not warrant:
                advance(session, motion_id, Stage.VERIFIED, reason="checked", user="intake.test")
            made.append(
                Made(motion_id, f"{first} {last}", f"{last}, {first}", summons or docket, kind)
            )
        ids = [m.motion_id for m in made]
        screen_motions(session, ids, user="screener")
        decide(session, ids, Decision.CONSENT, reason_code="POLICY", user=ADA)
    return made


def make_list(db: Database, motion_ids: list[int], part: str = "AP1") -> int:
    with db.unit_of_work() as session:
        return create_court_list(
            session, COURT_DAY, part, user="clerk", judge="Hon. A. Test", motion_ids=motion_ids
        ).list_id


def docx_text(path_or_bytes: Path | bytes) -> str:
    """The words of a .docx as its XML holds them, runs joined, entities decoded."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    lines = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
    text = "\n".join(lines)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")
