"""What the templates are filled with, read from the database: one motion, or every motion on
a court list (from the moment the list is made, not only once it is calendared).

The names and shapes here are the template fields that casetracker.documents.fields lists and
checks office templates against; a new field goes in both places.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from casetracker.documents.legal_basis import (
    CRIMINAL_COURT,
    SUPREME_COURT,
    court,
    legal_context,
)
from casetracker.domain.clock import today
from casetracker.domain.enums import ChargeRole, County, MotionKind, Stage
from casetracker.domain.errors import NotFoundError
from casetracker.domain.models import Case, CourtList, Motion, Person
from casetracker.storage.settings import workflow_settings

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
BLANK_NAME = "______________________________"
# Motions still listed but no longer asked for: not in the list's papers.
_OFF_LIST = (Stage.WITHDRAWN, Stage.CLOSED)


def long_date(value: date | None) -> str:
    """The date as papers write it (March 5, 2026), whatever the machine's locale."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}" if value else ""


def short_date(value: date | None) -> str:
    return f"{value.month:02d}/{value.day:02d}/{value.year}" if value else ""


def county_name(county: County | None) -> str:
    return county.value.replace("_", " ").title() if county else ""


# Where papers filed in each county are dated ("Dated: Brooklyn, New York").
_PLACES = {
    County.KINGS: "Brooklyn",
    County.NEW_YORK: "New York",
    County.BRONX: "Bronx",
    County.QUEENS: "Kew Gardens",
    County.RICHMOND: "Staten Island",
}


@dataclass(frozen=True)
class Papers:
    """Everything one output file needs: the context and which motions it covers."""

    context: dict[str, Any]
    motion_ids: list[int]
    court_list_ids: list[int]
    # What the papers were filled from: each motion's and person's version, so that a change
    # made while they were being filled (another user, another process) is noticed.
    versions: dict[int, tuple[int, int]]
    # For a list's papers: the lists whose current motions must still be these.
    of_lists: bool = False


def court_key(motion: Motion) -> str:
    """Supreme Court where the case was there (filed there, or an indictment number);
    otherwise the Criminal Court, where summonses and misdemeanor complaints are heard."""
    filed = (motion.filed_court or "").lower()
    docket = (motion.case.docket or motion.case.docket_as_typed or "").upper()
    if "supreme" in filed or docket.startswith("IND"):
        return SUPREME_COURT
    return CRIMINAL_COURT


def _charges(case: Case, kind: MotionKind) -> list[str]:
    """The charges the motion is about: what a conviction ended in, else what was charged."""
    wanted = ChargeRole.CONVICTION if kind == MotionKind.CONVICTION_VACATUR else None
    chosen = [c for c in case.charges if wanted is not None and c.role == wanted]
    chosen = chosen or [c for c in case.charges if c.role == ChargeRole.ARREST] or case.charges
    return [
        (c.section or c.as_typed) + (f" ({c.description})" if c.description else "") for c in chosen
    ]


def _reference(case: Case, kind: MotionKind) -> tuple[str, str]:
    """(label, number) as a caption prints it; a summons warrant goes by its summons."""
    if kind == MotionKind.WARRANT_DISMISSAL and case.summons_number:
        return "Summons No.", case.summons_number
    if case.docket or case.docket_as_typed:
        # The normalized form is the court's own (CR-003159-22BX), whatever was typed.
        return "Docket No.", case.docket or case.docket_as_typed or ""
    if case.summons_number:
        return "Summons No.", case.summons_number
    return "Docket No.", "(not known)"


def _event_date(motion: Motion) -> date | None:
    case = motion.case
    if motion.kind == MotionKind.CONVICTION_VACATUR:
        return case.disposition_date or case.arrest_date
    return case.warrant_issued_date or case.arrest_date


def _person_name(motion: Motion) -> str:
    person = motion.person
    return " ".join(p for p in (person.first_name, person.middle_name, person.last_name) if p)


def _court(
    key: str,
    county: County | None,
    part: str | None,
    court_date: date | None,
    judge: str | None,
    court_list: CourtList | None,
) -> dict[str, Any]:
    where = court(key)
    title = "J.S.C." if key == SUPREME_COURT else "J.C.C."
    name = county_name(county)
    return {
        "key": key,
        "name": where.name,
        "county_name": name,
        "place": _PLACES.get(county, "New York") if county else "New York",
        "county_line": f"County of {name}" if name else "County of ____________",
        "part": (part or "").strip(),
        "date": long_date(court_date) or "a date to be set by the Court",
        "judge": judge or "",
        "judge_line": f"{_honorific(judge)}, {title}" if judge else title,
        "index_number": court_list.index_number if court_list and court_list.index_number else "",
        "calendar_number": (
            court_list.calendar_number if court_list and court_list.calendar_number else ""
        ),
        "dismissal_statute": where.dismissal_statute,
        "instrument": where.instrument,
    }


def _honorific(judge: str) -> str:
    judge = judge.strip()
    return judge if judge.lower().startswith(("hon ", "hon.", "judge ")) else f"Hon. {judge}"


def _office(county: County | None) -> dict[str, Any]:
    name = county_name(county)
    return {"name": f"District Attorney, {name} County" if name else "District Attorney"}


def _ada(names: Sequence[str | None]) -> dict[str, Any]:
    """The prosecutor assigned to the motion (the one assigned to most of a list's motions);
    a line to sign on when nobody is assigned yet."""
    counted = Counter(n.strip() for n in names if n and n.strip())
    name = counted.most_common(1)[0][0] if counted else ""
    return {"name": name or BLANK_NAME, "assigned": bool(name)}


def _load(session: Session, where: Any) -> list[Motion]:
    query = (
        select(Motion)
        .where(where)
        .options(
            selectinload(Motion.person),
            selectinload(Motion.case).selectinload(Case.charges),
            selectinload(Motion.court_list),
        )
    )
    return list(session.scalars(query))


def motion_papers(session: Session, motion_id: int) -> Papers:
    motions = _load(session, Motion.id == motion_id)
    if not motions:
        raise NotFoundError(f"There is no motion {motion_id}.")
    motion = motions[0]
    case, person, listed = motion.case, motion.person, motion.court_list
    key = court_key(motion)
    county = case.county or (listed.county if listed else None)
    label, number = _reference(case, motion.kind)
    charges = _charges(case, motion.kind)
    context = {
        "court": _court(
            key,
            county,
            motion.court_part or motion.filed_part or (listed.part if listed else None),
            motion.court_date or (listed.court_date if listed else None),
            motion.judge or (listed.judge if listed else None),
            # The list's index and calendar numbers belong to its omnibus motion, not to a
            # motion filed on its own docket.
            None,
        ),
        "office": _office(county),
        "ada": _ada([motion.assigned_prosecutor or motion.decided_by]),
        "legal": legal_context([motion.kind], key, workflow_settings(session).sealing_days),
        "generated_on": long_date(today()),
        "motion": {
            "id": motion.id,
            "kind": motion.kind.label,
            "stage": motion.stage.label,
            "defense": " / ".join(p for p in (motion.defense_attorney, motion.defense_org) if p),
        },
        "person": {
            "name": _person_name(motion),
            "caption_name": _person_name(motion).upper(),
            "last_name": person.last_name,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "date_of_birth": long_date(person.date_of_birth),
            "nysid": person.nysid or "",
        },
        "case": {
            "label": label,
            "reference": number,
            "docket": case.docket or case.docket_as_typed or "",
            "summons": case.summons_number or "",
            "charges": "; ".join(charges) or "(no charge recorded)",
            "charge": charges[0] if charges else "",
            "arrest_date": long_date(case.arrest_date),
            "disposition": case.disposition or "",
            "disposition_date": long_date(case.disposition_date),
            "county": county_name(county),
        },
    }
    return Papers(
        context,
        [motion.id],
        [listed.id] if listed else [],
        {motion.id: (motion.version, person.version)},
    )


def _count(n: int, kind: MotionKind) -> str:
    return f"{n} {kind.label.lower()}{'' if n == 1 else 's'}"


def current_versions(session: Session, papers: Papers) -> dict[int, tuple[int, int]]:
    """The versions the papers' motions (or, for a list, the motions now on it) have now."""
    query = select(Motion.id, Motion.version, Person.version).join(
        Person, Person.id == Motion.person_id
    )
    if papers.of_lists:
        query = query.where(
            Motion.court_list_id.in_(papers.court_list_ids),
            Motion.stage.not_in(_OFF_LIST),
        )
    else:
        query = query.where(Motion.id.in_(papers.motion_ids))
    return {motion_id: (mv, pv) for motion_id, mv, pv in session.execute(query)}


def find_lists(session: Session, court_date: date, part: str) -> list[CourtList]:
    """The lists for one court date and part (the part in any case, spaces ignored); a carried-
    over list and the list first made for that day are heard together."""
    wanted = part.strip().upper()
    lists = list(
        session.scalars(
            select(CourtList)
            .where(
                CourtList.court_date == court_date,
                func.upper(func.trim(CourtList.part)) == wanted,
            )
            .order_by(CourtList.id)
        )
    )
    if not lists:
        raise NotFoundError(
            f"There is no court list for {court_date:%Y-%m-%d} part {part.strip()}. "
            "'court-list show' lists them."
        )
    return lists


def list_papers(session: Session, lists: Sequence[CourtList]) -> Papers:
    ids = [cl.id for cl in lists]
    motions = [m for m in _load(session, Motion.court_list_id.in_(ids)) if m.stage not in _OFF_LIST]
    first = lists[0]
    if not motions:
        raise NotFoundError(f"Court list {first.id} ({first.title}) has no motions on it.")
    motions.sort(key=lambda m: (m.person.last_name.upper(), m.person.first_name.upper(), m.id))
    keys = Counter(court_key(m) for m in motions)
    key = keys.most_common(1)[0][0]
    counties = Counter(m.case.county for m in motions if m.case.county)
    county = first.county or (counties.most_common(1)[0][0] if counties else None)
    kinds = [k for k in MotionKind if any(m.kind == k for m in motions)]
    rows = []
    for number, motion in enumerate(motions, start=1):
        _label, reference = _reference(motion.case, motion.kind)
        charges = _charges(motion.case, motion.kind)
        rows.append(
            {
                "number": number,
                "motion_id": motion.id,
                "person": motion.person.display_name,
                "date_of_birth": short_date(motion.person.date_of_birth),
                "nysid": motion.person.nysid or "",
                "reference": reference,
                "charge": charges[0].split(" (")[0] if charges else "",
                "date": short_date(_event_date(motion)),
                "kind": motion.kind.label,
            }
        )
    context = {
        "court": _court(key, county, first.part, first.court_date, first.judge or None, first),
        "office": _office(county),
        "ada": _ada([m.assigned_prosecutor or m.decided_by for m in motions]),
        "legal": legal_context(kinds, key, workflow_settings(session).sealing_days),
        "generated_on": long_date(today()),
        "court_list": {
            "id": first.id,
            "ids": ", ".join(str(i) for i in ids),
            "count": len(rows),
            "kinds": ", ".join(_count(sum(1 for m in motions if m.kind == k), k) for k in kinds),
        },
        "motions": rows,
    }
    return Papers(
        context,
        [m.id for m in motions],
        ids,
        {m.id: (m.version, m.person.version) for m in motions},
        of_lists=True,
    )
