"""Who the person being entered at intake may already be, with their open motions and
warrants, so nobody is entered twice by accident. For a role that may not see sealed records
(accounts.sealed) people known only through sealed cases are counted, never named, and the
sealed motions of the others are left out of their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.sealed import NOT_SEALED, hides_sealed, sealed_people
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


@dataclass(frozen=True)
class IntakeMatches:
    matches: list[IntakeMatch] = field(default_factory=list)
    # Possible matches the reader may not see by name: people known only through sealed cases.
    sealed: int = 0

    def __bool__(self) -> bool:
        return bool(self.matches or self.sealed)


def intake_matches(
    session: Session,
    actor: Any,
    *,
    last: str = "",
    first: str = "",
    date_of_birth: date | None = None,
    nysid: str | None = None,
) -> IntakeMatches:
    """Possible matches as `actor` may see them."""
    exact = find_person(session, nysid=nysid, last=last, first=first, date_of_birth=date_of_birth)
    matches = possible_duplicates(
        session, last=last, first=first, date_of_birth=date_of_birth, nysid=nysid
    )
    if not matches:
        return IntakeMatches()
    hide = hides_sealed(actor, session)
    hidden = sealed_people(session, [m.person_id for m in matches]) if hide else set()
    matches = [m for m in matches if m.person_id not in hidden]
    ids = [m.person_id for m in matches]
    query = (
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
    )
    rows = session.execute(query.where(NOT_SEALED) if hide else query).all()
    lines: dict[int, list[str]] = {}
    for person_id, kind, stage, docket, summons, warrant in rows:
        text = f"{docket or summons or 'no number'} · {kind.label} · {stage.label}"
        if warrant == WarrantStatus.OPEN:
            text += " · open warrant"
        lines.setdefault(person_id, []).append(text)
    return IntakeMatches(
        [
            IntakeMatch(
                m, lines.get(m.person_id, []), exact is not None and exact.id == m.person_id
            )
            for m in matches
        ],
        len(hidden),
    )
