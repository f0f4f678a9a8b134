"""Correcting a case (court, county, part, dates, disposition, sentence, defense counsel) and
its charges: those it was brought on (arrest or summons) and those it ended in (conviction).
A change to a charge moves the case's version on, so one version guards the whole case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from casetracker.domain.enums import ChargeRole, DispositionKind
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Case, Charge
from casetracker.normalize import (
    charge_class,
    classify_disposition,
    describe,
    normalize_charge,
    normalize_charges,
    normalize_docket,
    normalize_summons,
)
from casetracker.records.fields import CASE_FIELDS, parse_values, refusal, to_json
from casetracker.records.history import RecordChange, Recorder, check_version, motions_of_case
from casetracker.records.people import apply, touch

CASE_ENTITIES = ("case", "charge")


def load_case(session: Session, case_id: int, expected_version: int | None = None) -> Case:
    case = session.scalars(
        select(Case).where(Case.id == case_id).options(selectinload(Case.charges))
    ).first()
    if case is None:
        raise NotFoundError(f"There is no case {case_id}.")
    check_version(
        session,
        what=f"Case {case.reference}",
        expected=expected_version,
        current=case.version,
        entities=CASE_ENTITIES,
        key="case_id",
        key_id=case_id,
    )
    return case


def disposition_kind_of(
    written: str | None, given: DispositionKind | None
) -> DispositionKind | None:
    """The kind a written disposition means, unless staff said which it is. An unknown wording
    is refused rather than stored with no kind, which screening could not decide on."""
    if given is not None or not written:
        return given
    read = classify_disposition(written)
    if read.value is None:
        choices = ", ".join(kind.value for kind in DispositionKind)
        raise InvalidValueError(
            f"Disposition '{written}' is not one the app can read; give its kind too ({choices})."
        )
    return read.value


def edit_case(
    session: Session,
    actor: Any,
    case_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    case = load_case(session, case_id, expected_version)
    updates = parse_values(CASE_FIELDS, values, "case")
    if "docket" in updates:
        typed = updates["docket"]
        read = normalize_docket(typed)
        if typed and read.value is None:
            raise InvalidValueError(
                refusal(read.warning or f"Docket '{typed}' is not a docket number")
            )
        updates["docket"] = read.value
        updates["docket_as_typed"] = typed
    if "summons_number" in updates:
        typed = updates["summons_number"]
        read = normalize_summons(typed)
        if typed and read.value is None:
            raise InvalidValueError(
                refusal(read.warning or f"Summons '{typed}' is not a summons number")
            )
        updates["summons_number"] = read.value
    docket = updates.get("docket", case.docket)
    summons = updates.get("summons_number", case.summons_number)
    if not (docket or summons):
        raise InvalidValueError("A case needs a docket or summons number; both would be empty.")
    if "disposition" in updates or "disposition_kind" in updates:
        # A new wording is read anew unless its kind is given with it.
        given = updates.get("disposition_kind")
        written = updates.get("disposition", case.disposition)
        updates["disposition_kind"] = disposition_kind_of(written, given)
    _check_dates(case, updates)
    changes = apply(case, updates)
    recorder = Recorder(session, actor, reason, group_id)
    result = recorder.change(f"Edit case {case.reference}")
    if not changes:
        return result
    session.flush()
    recorder.write(
        "case",
        case.id,
        "edit",
        changes,
        person_id=case.person_id,
        case_id=case.id,
        version=case.version,
    )
    named = ", ".join(n.replace("_", " ") for n in changes if n in CASE_FIELDS)
    result.summary = f"Edit case {case.reference}: {named}"
    result.people.add(case.person_id)
    result.motions |= motions_of_case(session, case.id)
    return result


def _check_dates(case: Case, updates: Mapping[str, Any]) -> None:
    arrest = updates.get("arrest_date", case.arrest_date)
    disposed = updates.get("disposition_date", case.disposition_date)
    if arrest and disposed and disposed < arrest:
        raise InvalidValueError(
            f"The disposition date {disposed.isoformat()} is before the arrest date "
            f"{arrest.isoformat()}."
        )
    born = case.person.date_of_birth if case.person is not None else None
    if born and arrest and arrest < born:
        raise InvalidValueError(
            f"The arrest date {arrest.isoformat()} is before the person's date of birth."
        )


# -- charges -------------------------------------------------------------------------------


def _role(value: Any) -> ChargeRole:
    if isinstance(value, ChargeRole):
        return value
    text = str(value or "arrest").strip().lower()
    if text in ("conviction", "convicted", "conv", "c"):
        return ChargeRole.CONVICTION
    if text in ("arrest", "summons", "a", "arraignment"):
        return ChargeRole.ARREST
    try:
        return ChargeRole(ChargeRole.parse(text))
    except ValueError:
        raise InvalidValueError(f"'{value}' is not a charge role (arrest or conviction).") from None


def _code_values(text: str) -> dict[str, Any]:
    read = normalize_charge(text)
    if read.value is None:
        raise InvalidValueError(refusal(read.warning or f"Charge '{text}' has no law section"))
    if read.warning and "more than one" in read.warning:
        raise InvalidValueError(f"{refusal(read.warning)[:-1]}: give one charge at a time.")
    code = read.value
    return {
        "section": code.display,
        "as_typed": text.strip()[:200],
        "charge_class": charge_class(code),
        "description": describe(code),
    }


def charge_row(charge: Charge) -> dict[str, Any]:
    return {
        name: to_json(getattr(charge, name))
        for name in ("position", "section", "as_typed", "charge_class", "description", "role")
    }


def add_charges(
    session: Session,
    actor: Any,
    case_id: int,
    text: str,
    role: Any = ChargeRole.ARREST,
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    """Add every charge written in `text` ("PL 221.10; VTL 1192.4" gives two) with one role."""
    case = load_case(session, case_id, expected_version)
    charge_role = _role(role)
    read = normalize_charges(text)
    if not read:
        raise InvalidValueError("Give the charge's law section, e.g. PL 221.05.")
    unreadable = [r for r in read if r.value is None]
    if unreadable:
        raise InvalidValueError(
            refusal(
                unreadable[0].warning or f"Charge '{unreadable[0].as_typed}' has no law section"
            )
        )
    existing = {(c.section, c.role) for c in case.charges}
    position = (
        session.scalar(select(func.max(Charge.position)).where(Charge.case_id == case.id)) or 0
    )
    recorder = Recorder(session, actor, reason, group_id)
    result = recorder.change("")
    added: list[Charge] = []
    for item in read:
        assert item.value is not None
        if (item.value.display, charge_role) in existing:
            result.warnings.append(
                f"{item.value.display} is already a {charge_role.label.lower()} of this case."
            )
            continue
        if item.warning:
            result.warnings.append(item.warning)
        position += 1
        charge = Charge(position=position, role=charge_role, **_code_values(item.as_typed))
        case.charges.append(charge)
        added.append(charge)
    if not added:
        raise InvalidValueError(" ".join(result.warnings) or "No charge to add.")
    touch(case, "disposition")
    session.flush()
    for charge in added:
        recorder.write(
            "charge",
            charge.id,
            "add",
            {name: [None, value] for name, value in charge_row(charge).items()},
            person_id=case.person_id,
            case_id=case.id,
            version=case.version,
        )
    sections = ", ".join(c.section or c.as_typed for c in added)
    result.summary = f"Add {charge_role.label.lower()} {sections} to {case.reference}"
    result.created_id = added[0].id
    result.people.add(case.person_id)
    result.motions |= motions_of_case(session, case.id)
    return result


def _load_charge(session: Session, charge_id: int) -> Charge:
    charge = session.get(Charge, charge_id)
    if charge is None:
        raise NotFoundError(f"There is no charge {charge_id}.")
    return charge


def edit_charge(
    session: Session,
    actor: Any,
    charge_id: int,
    *,
    code: str | None = None,
    role: Any = None,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    """Correct one charge's law section or role (an arrest charge that was the conviction)."""
    charge = _load_charge(session, charge_id)
    case = load_case(session, charge.case_id, expected_version)
    updates: dict[str, Any] = {}
    if code is not None:
        updates.update(_code_values(code))
    if role is not None:
        updates["role"] = _role(role)
    if not updates:
        raise InvalidValueError("Say what to change: a new charge code or role.")
    changes = apply(charge, updates)
    recorder = Recorder(session, actor, reason, group_id)
    result = recorder.change(f"Edit charge {charge.section or charge.as_typed}")
    if not changes:
        return result
    touch(case, "disposition")
    session.flush()
    recorder.write(
        "charge",
        charge.id,
        "edit",
        changes,
        person_id=case.person_id,
        case_id=case.id,
        version=case.version,
    )
    result.summary = f"Edit charge {charge.section or charge.as_typed} of {case.reference}"
    result.people.add(case.person_id)
    result.motions |= motions_of_case(session, case.id)
    return result


def remove_charge(
    session: Session,
    actor: Any,
    charge_id: int,
    *,
    expected_version: int | None = None,
    reason: str = "",
    group_id: str | None = None,
) -> RecordChange:
    charge = _load_charge(session, charge_id)
    case = load_case(session, charge.case_id, expected_version)
    row = {name: [value, None] for name, value in charge_row(charge).items()}
    label = charge.section or charge.as_typed
    case.charges.remove(charge)
    touch(case, "disposition")
    session.flush()
    recorder = Recorder(session, actor, reason, group_id)
    recorder.write(
        "charge",
        charge_id,
        "remove",
        row,
        person_id=case.person_id,
        case_id=case.id,
        version=case.version,
    )
    return recorder.change(
        f"Remove charge {label} from {case.reference}",
        people={case.person_id},
        motions=motions_of_case(session, case.id),
    )
