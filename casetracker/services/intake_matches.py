"""Who the person being entered at intake may already be, with their open motions and
warrants, so nobody is entered twice by accident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.domain.enums import WarrantStatus
from casetracker.domain.models import Case, Motion
from casetracker.domain.workflow import FINAL_STAGES
from casetracker.services.people import PersonMatch, find_person, possible_duplicates


@dataclass(frozen=True)
class IntakeMatch:
    match: PersonMatch
    # One line per open motion: "2016SN016969 · Warrant dismissal · Screened · open warrant".
    open_motions: list[str]
    exact: bool


def intake_matches(
    session: Session,
    *,
    last: str = "",
    first: str = "",
    date_of_birth: date | None = None,
    nysid: str | None = None,
) -> list[IntakeMatch]:
    exact = find_person(session, nysid=nysid, last=last, first=first, date_of_birth=date_of_birth)
    matches = possible_duplicates(
        session, last=last, first=first, date_of_birth=date_of_birth, nysid=nysid
    )
    if not matches:
        return []
    ids = [m.person_id for m in matches]
    rows = session.execute(
        select(
            Motion.person_id,
            Motion.kind,
            Motion.stage,
            Case.docket,
            Case.summons_number,
            Case.warrant_status,
        )
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.person_id.in_(ids), Motion.stage.not_in(list(FINAL_STAGES)))
        .order_by(Motion.id)
    ).all()
    lines: dict[int, list[str]] = {}
    for person_id, kind, stage, docket, summons, warrant in rows:
        text = f"{docket or summons or 'no number'} · {kind.label} · {stage.label}"
        if warrant == WarrantStatus.OPEN:
            text += " · open warrant"
        lines.setdefault(person_id, []).append(text)
    return [
        IntakeMatch(m, lines.get(m.person_id, []), exact is not None and exact.id == m.person_id)
        for m in matches
    ]
