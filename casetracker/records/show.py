"""A person's whole record as plain data (for `person show` and the edit dialogs): every field
an editor may change, with the versions an edit must name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casetracker.accounts.sealed import refuse_sealed_person, sealed_case_ids
from casetracker.domain.models import Case, RecordEvent
from casetracker.records.fields import to_json
from casetracker.records.history import describe_fields
from casetracker.records.people import load_person


def person_record(session: Session, person_id: int, actor: Any = None) -> dict[str, Any]:
    """The person's whole record as `actor` may see it (accounts.sealed): refused when they
    are known only through sealed cases, and without their sealed cases otherwise."""
    person = load_person(session, person_id)
    hidden = (
        sealed_case_ids(session, person_id)
        if actor is not None and refuse_sealed_person(session, actor, person_id)
        else set()
    )
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
        "cases": [case_record(case) for case in cases if case.id not in hidden],
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


@dataclass(frozen=True)
class CorrectionItem:
    """One correction of a person's record, as the detail pane lists it."""

    at: datetime
    user: str
    what: str
    reason: str


_ACTIONS = {"add": "added", "remove": "removed", "edit": "changed", "retire": "retired"}


def corrections_for(session: Session, person_id: int, limit: int = 50) -> list[CorrectionItem]:
    """The newest corrections of a person, their flags, cases and charges, oldest first."""
    events = session.scalars(
        select(RecordEvent)
        .where(RecordEvent.person_id == person_id)
        .order_by(RecordEvent.id.desc())
        .limit(limit)
    ).all()
    return [_item(event) for event in reversed(events)]


def _item(event: RecordEvent) -> CorrectionItem:
    noun = {
        "person": "person",
        "case": f"case {event.case_id}",
        "charge": "charge",
        "flag": "flag",
        "notification": "notification attempt",
    }.get(event.entity, event.entity)
    if event.entity in ("charge", "flag", "notification") and event.action in ("add", "remove"):
        values = {
            name: pair[1] if event.action == "add" else pair[0]
            for name, pair in event.changes.items()
        }
        label = (
            values.get("section")
            or values.get("as_typed")
            or values.get("kind")
            or " ".join(str(values.get(k) or "") for k in ("attempted_on", "outcome")).strip()
        )
        what = f"{noun} {label} {_ACTIONS[event.action]}".strip()
    else:
        what = f"{noun}: {describe_fields(event)} {_ACTIONS.get(event.action, event.action)}"
        shown = [
            f"{name.replace('_', ' ')} {_short(before)} → {_short(after)}"
            for name, (before, after) in event.changes.items()
            if name in _SHOWN
        ]
        if shown:
            what += " (" + "; ".join(shown[:4]) + ")"
    if event.undoes_group:
        what = f"undo: {what}"
    return CorrectionItem(event.at, event.user, what, event.reason)


# Fields whose before and after are shown; contact details and identifiers are only named.
_SHOWN = frozenset(
    {
        "county",
        "court",
        "court_part",
        "disposition",
        "disposition_kind",
        "disposition_date",
        "arrest_date",
        "sentence",
        "role",
        "language",
        "interpreter_needed",
        "consent_to_contact",
    }
)


def _short(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"
