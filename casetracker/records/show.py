"""A person's whole record as plain data (for `person show` and the edit dialogs): every field
an editor may change, with the versions an edit must name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.models import Case
from casetracker.records.fields import to_json
from casetracker.records.people import load_person


def person_record(session: Session, person_id: int) -> dict[str, Any]:
    person = load_person(session, person_id)
    cases = session.scalars(
        select(Case)
        .where(Case.person_id == person_id)
        .options(selectinload(Case.charges))
        .order_by(Case.id)
    ).all()
    return {
        "id": person.id,
        "version": person.version,
        "name": person.display_name,
        **{name: to_json(getattr(person, name)) for name in _PERSON_COLUMNS},
        "flags": [
            {
                "id": f.id,
                "kind": f.kind.value,
                "source": f.source,
                "note": f.note,
                "recorded_by": f.recorded_by,
                "recorded_at": to_json(f.recorded_at),
            }
            for f in person.flags
        ],
        "cases": [case_record(case) for case in cases],
    }


def case_record(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "version": case.version,
        "reference": case.reference,
        **{name: to_json(getattr(case, name)) for name in _CASE_COLUMNS},
        "charges": [
            {
                "id": c.id,
                "section": c.section,
                "as_typed": c.as_typed,
                "description": c.description,
                "role": c.role.value,
            }
            for c in case.charges
        ],
    }


_PERSON_COLUMNS = (
    "last_name",
    "first_name",
    "middle_name",
    "aliases",
    "date_of_birth",
    "nysid",
    "address",
    "phone",
    "email",
    "language",
    "interpreter_needed",
    "consent_to_contact",
)
_CASE_COLUMNS = (
    "docket",
    "summons_number",
    "court",
    "county",
    "court_part",
    "arrest_date",
    "disposition",
    "disposition_kind",
    "disposition_date",
    "sentence",
    "defense_counsel",
    "warrant_issued_date",
)
