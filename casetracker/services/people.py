"""Finding a person already on file, so nobody is entered twice.

An exact match (same NYSID; else same name key and date of birth) is the same person.
Similar names are only ever offered for a human to review, never merged automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casetracker.domain.enums import Stage
from casetracker.domain.models import Motion, Person
from casetracker.domain.workflow import FINAL_STAGES
from casetracker.normalize import name_key, normalize_nysid


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    name: str
    date_of_birth: date | None
    nysid: str | None
    score: float
    why: str
    open_motions: int


def find_person(
    session: Session,
    *,
    nysid: str | None = None,
    last: str = "",
    first: str = "",
    date_of_birth: date | None = None,
) -> Person | None:
    clean_nysid = normalize_nysid(nysid).value if nysid else None
    if clean_nysid:
        found = session.scalars(select(Person).where(Person.nysid == clean_nysid)).first()
        if found is not None:
            return found
    if last and date_of_birth is not None:
        key = name_key(last, first)
        return session.scalars(
            select(Person)
            .where(Person.name_key == key, Person.date_of_birth == date_of_birth)
            .order_by(Person.id)
        ).first()
    return None


def possible_duplicates(
    session: Session,
    *,
    last: str = "",
    first: str = "",
    date_of_birth: date | None = None,
    nysid: str | None = None,
    limit: int = 10,
    min_score: float = 80.0,
) -> list[PersonMatch]:
    """People who may be the one being entered, best first, each with why it matched."""
    clean_nysid = normalize_nysid(nysid).value if nysid else None
    key = name_key(last, first) if last else ""
    last_key = key.split("|", 1)[0]
    conditions = []
    if clean_nysid:
        conditions.append(Person.nysid == clean_nysid)
    if date_of_birth is not None:
        conditions.append(Person.date_of_birth == date_of_birth)
    if len(last_key) >= 2:
        # The name key starts with the folded last name: an index range scan, not a full read.
        conditions.append(Person.name_key.like(f"{last_key[:3]}%"))
    if not conditions:
        return []
    candidates = session.scalars(select(Person).where(or_(*conditions)).limit(2000)).all()

    scored: list[tuple[float, str, Person]] = []
    for person in candidates:
        score, why = _score(person, key, date_of_birth, clean_nysid)
        if score >= min_score:
            scored.append((score, why, person))
    scored.sort(key=lambda item: (-item[0], item[2].id))
    scored = scored[:limit]
    counts = _open_motion_counts(session, [p.id for _, _, p in scored])
    return [
        PersonMatch(p.id, p.display_name, p.date_of_birth, p.nysid, s, why, counts.get(p.id, 0))
        for s, why, p in scored
    ]


def _score(person: Person, key: str, dob: date | None, nysid: str | None) -> tuple[float, str]:
    if nysid and person.nysid == nysid:
        return 100.0, "same NYSID"
    name_score = fuzz.ratio(key, person.name_key) if key else 0.0
    same_dob = dob is not None and person.date_of_birth == dob
    if same_dob and key == person.name_key:
        return 99.0, "same name and date of birth"
    if same_dob and name_score >= 75:
        return 90.0 + name_score / 20, "similar name, same date of birth"
    if same_dob and key:
        # Same birthday, different name: only worth showing when the last name is close.
        last_score = fuzz.ratio(key.split("|")[0], person.name_key.split("|")[0])
        return (
            (80.0 + last_score / 20, "same date of birth, similar last name")
            if last_score >= 80
            else (0.0, "")
        )
    if name_score >= 92 and (dob is None or person.date_of_birth is None):
        return name_score - 10, "similar name, date of birth unknown"
    if same_dob and not key:
        return 80.0, "same date of birth"
    return 0.0, ""


def _open_motion_counts(session: Session, person_ids: list[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    closed: list[Stage] = list(FINAL_STAGES)
    rows = session.execute(
        select(Motion.person_id, func.count())
        .where(Motion.person_id.in_(person_ids), Motion.stage.not_in(closed))
        .group_by(Motion.person_id)
    ).all()
    return {person_id: count for person_id, count in rows}
