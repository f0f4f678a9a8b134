"""Intake: a person, their case(s) and a motion per case, created in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import (
    ChargeRole,
    County,
    DispositionKind,
    IntakeChannel,
    MotionKind,
    WarrantStatus,
)
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Case, Charge, CommunityEvent, Motion, MotionEvent, Person
from casetracker.domain.new_motion import first_event, new_motion
from casetracker.normalize import (
    charge_class,
    describe,
    make_name,
    name_key,
    normalize_charge,
    normalize_docket,
    normalize_nysid,
    normalize_summons,
)
from casetracker.records.cases import disposition_kind_of
from casetracker.records.fields import PERSON_FIELDS
from casetracker.records.people import edit_person
from casetracker.services.people import find_person
from casetracker.storage.locks import lock_value


@dataclass
class PersonInput:
    last: str
    first: str = ""
    middle: str = ""
    date_of_birth: date | None = None
    nysid: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    interpreter_needed: bool = False
    consent_to_contact: bool = False
    aliases: list[str] = field(default_factory=list)


@dataclass
class CaseInput:
    docket: str | None = None
    summons: str | None = None
    charges: list[str] = field(default_factory=list)
    # What the case ended in, when it differs from what it was brought on (PL 240.20).
    conviction_charges: list[str] = field(default_factory=list)
    county: County | None = None
    court: str | None = None
    court_part: str | None = None
    arrest_date: date | None = None
    disposition: str | None = None
    disposition_date: date | None = None
    sentence: str | None = None
    disposition_kind: DispositionKind | None = None
    defense_counsel: str | None = None
    warrant_issued_date: date | None = None
    warrant_status: WarrantStatus = WarrantStatus.NONE
    record_source: str | None = None


@dataclass
class IntakeRequest:
    cases: list[CaseInput]
    kind: MotionKind = MotionKind.CONVICTION_VACATUR
    person: PersonInput | None = None
    # Set when staff picked an existing person from the matches shown to them.
    person_id: int | None = None
    channel: IntakeChannel = IntakeChannel.WALK_IN
    intake_date: date | None = None
    event_id: int | None = None
    defense_org: str | None = None
    defense_attorney: str | None = None
    referral_source: str | None = None
    # With person_id: contact details given at this intake (a new phone, consent now given),
    # recorded as a correction of that person (casetracker.records).
    person_updates: dict[str, Any] = field(default_factory=dict)
    # Staff saw a possible match and chose to make a new person anyway: kept for review.
    possible_duplicate_of: str | None = None


@dataclass
class IntakeResult:
    person_id: int
    created_person: bool
    case_ids: list[int]
    motion_ids: list[int]
    warnings: list[str]


def intake(
    session: Session, request: IntakeRequest, user: str, *, at: datetime | None = None
) -> IntakeResult:
    """Create the person, cases and motions; `at` (UTC) records an intake made earlier."""
    require(session, user, "motion.intake")
    warnings: list[str] = []
    if not request.cases:
        raise InvalidValueError("An intake needs at least one case (a docket or summons number).")
    person, created = _person_for(session, request, warnings)
    if request.person_id is not None and request.person_updates:
        edit_person(session, user, person.id, request.person_updates, reason="Given at intake")
    event_name = None
    if request.event_id is not None:
        event = session.get(CommunityEvent, request.event_id)
        if event is None:
            raise NotFoundError(f"There is no community event {request.event_id}.")
        event_name = event.name

    now = at or utcnow()
    intake_day = request.intake_date or date.today()
    cases: list[Case] = []
    motions: list[Motion] = []
    for number, case_input in enumerate(request.cases, start=1):
        case = _build_case(case_input, number, warnings)
        case.person = person
        session.add(case)
        motion = new_motion(
            request.kind,
            person,
            case,
            at=now,
            intake_date=intake_day,
            channel=request.channel,
            event_id=request.event_id,
            defense_org=_clean(request.defense_org),
            defense_attorney=_clean(request.defense_attorney),
            referral_source=_clean(request.referral_source),
        )
        session.add(motion)
        cases.append(case)
        motions.append(motion)
    session.flush()
    reason = f"Intake at {event_name}" if event_name else f"Intake ({request.channel.label})"
    if request.possible_duplicate_of and request.person_id is None:
        reason += (
            f"; entered as a new person although {request.possible_duplicate_of} may be the "
            "same person: possible duplicate to review"
        )
    for motion in motions:
        session.add(
            MotionEvent(
                motion_id=motion.id,
                **first_event(at=now, user=user, action="intake", reason=reason),
            )
        )
    return IntakeResult(
        person_id=person.id,
        created_person=created,
        case_ids=[c.id for c in cases],
        motion_ids=[m.id for m in motions],
        warnings=warnings,
    )


def _person_for(
    session: Session, request: IntakeRequest, warnings: list[str]
) -> tuple[Person, bool]:
    if request.person_id is not None:
        person = session.get(Person, request.person_id)
        if person is None:
            raise NotFoundError(f"There is no person {request.person_id}.")
        return person, False
    given = request.person
    if given is None or not given.last.strip():
        raise InvalidValueError("An intake needs the person's last name.")
    nysid = normalize_nysid(given.nysid)
    if nysid.warning:
        warnings.append(nysid.warning)
    if nysid.value:
        # Two intakes of one NYSID at once: the second waits here, then finds the first's.
        lock_value(session, "person.nysid", nysid.value)
    existing = find_person(
        session,
        nysid=nysid.value,
        last=given.last,
        first=given.first,
        date_of_birth=given.date_of_birth,
    )
    if existing is not None:
        return existing, False
    name = make_name(given.last, given.first, given.middle)
    person = Person(
        last_name=name.last,
        first_name=name.first,
        middle_name=name.middle,
        name_key=name_key(name.last, name.first, name.middle),
        aliases=[a.strip() for a in given.aliases if a.strip()],
        date_of_birth=given.date_of_birth,
        nysid=nysid.value,
        nysid_as_typed=_clean(given.nysid),
        address=_clean(given.address),
        phone=_checked("phone", given.phone),
        email=_checked("email", given.email),
        language=_clean(given.language),
        interpreter_needed=given.interpreter_needed,
        consent_to_contact=given.consent_to_contact,
    )
    session.add(person)
    return person, True


def _build_case(given: CaseInput, number: int, warnings: list[str]) -> Case:
    docket = normalize_docket(given.docket)
    summons = normalize_summons(given.summons)
    if docket.value is None and summons.value is None:
        raise InvalidValueError(f"Case {number} needs a docket or summons number.")
    for result in (docket, summons):
        if result.warning:
            warnings.append(result.warning)
    case = Case(
        docket_as_typed=_clean(given.docket),
        docket=docket.value,
        summons_number=summons.value,
        county=given.county,
        court=_clean(given.court),
        court_part=_clean(given.court_part),
        arrest_date=given.arrest_date,
        disposition=_clean(given.disposition),
        disposition_kind=disposition_kind_of(_clean(given.disposition), given.disposition_kind),
        disposition_date=given.disposition_date,
        sentence=_clean(given.sentence),
        defense_counsel=_clean(given.defense_counsel),
        warrant_issued_date=given.warrant_issued_date,
        warrant_status=given.warrant_status,
        record_source=_clean(given.record_source),
    )
    written = [(t, ChargeRole.ARREST) for t in given.charges if t and t.strip()]
    written += [(t, ChargeRole.CONVICTION) for t in given.conviction_charges if t and t.strip()]
    for position, (text, role) in enumerate(written):
        charge = build_charge(text, position, warnings)
        charge.role = role
        case.charges.append(charge)
    return case


def build_charge(text: str, position: int, warnings: list[str]) -> Charge:
    parsed = normalize_charge(text)
    if parsed.warning:
        warnings.append(parsed.warning)
    code = parsed.value
    return Charge(
        position=position,
        section=code.display if code else None,
        as_typed=text.strip(),
        charge_class=charge_class(code) if code else None,
        description=describe(code) if code else None,
    )


def _checked(name: str, text: str | None) -> str | None:
    """A contact detail read as a correction reads it: a mistyped one is refused now, while
    the person is still at the desk to say it again."""
    field = PERSON_FIELDS[name]
    value: str | None = field.parse(field.label, text)
    return value


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None
