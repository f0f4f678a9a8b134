"""The list defender organizations receive: people whose cases were granted, with how (and
whether) they can be reached, so the organizations can notify them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.sealed import hides_sealed
from casetracker.domain.enums import County, CourtOutcome, MotionKind, NotificationOutcome
from casetracker.domain.models import Case, Motion, Person
from casetracker.reports.xlsx_sheets import (
    DATE_FORMAT,
    Column,
    add_sheet,
    new_workbook,
    save,
    write_table,
)


@dataclass(frozen=True)
class DefenderLine:
    motion_id: int
    person: str
    date_of_birth: date | None
    reference: str
    county: County | None
    kind: MotionKind
    order_date: date | None
    defense_org: str | None
    attorney: str | None
    phone: str | None
    address: str | None
    email: str | None
    language: str | None
    consent_to_contact: bool
    notification: NotificationOutcome | None
    notified_on: date | None

    @property
    def contact_status(self) -> str:
        if self.notification is not None:
            return f"Notified: {self.notification.label.lower()}"
        if not self.consent_to_contact:
            return "No consent to contact: details left out"
        if not (self.phone or self.address or self.email):
            return "No contact details"
        return "Contact details on file"


def load_defender_list(
    session: Session, *, granted_since: date | None = None, org: str | None = None
) -> list[DefenderLine]:
    query = (
        select(
            Motion.id,
            Person.last_name,
            Person.first_name,
            Person.date_of_birth,
            Case.docket,
            Case.summons_number,
            Case.county,
            Motion.kind,
            Motion.order_date,
            Motion.defense_org,
            Motion.defense_attorney,
            Person.phone,
            Person.address,
            Person.email,
            Person.language,
            Person.consent_to_contact,
            Motion.notification_outcome,
            Motion.notification_date,
        )
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.outcome == CourtOutcome.GRANTED)
        .order_by(Person.last_name, Person.first_name, Motion.id)
    )
    if granted_since is not None:
        query = query.where(Motion.order_date >= granted_since)
    if org:
        query = query.where(Motion.defense_org == org)
    return [
        DefenderLine(
            motion_id=r[0],
            person=f"{r[1]}, {r[2]}" if r[2] else r[1],
            date_of_birth=r[3],
            reference=r[4] or r[5] or "",
            county=r[6],
            kind=r[7],
            order_date=r[8],
            defense_org=r[9],
            attorney=r[10],
            # A person who did not agree to be contacted: the organization gets no way to
            # reach them (the contact status says why the columns are empty).
            phone=r[11] if r[15] else None,
            address=r[12] if r[15] else None,
            email=r[13] if r[15] else None,
            language=r[14],
            consent_to_contact=bool(r[15]),
            notification=r[16],
            notified_on=r[17],
        )
        for r in session.execute(query)
    ]


_COLUMNS = (
    Column("Person", 28),
    Column("Date of birth", 12, DATE_FORMAT),
    Column("Docket / summons", 18),
    Column("County", 16),
    Column("Kind", 17),
    Column("Granted on", 12, DATE_FORMAT),
    Column("Contact status", 30),
    Column("Phone", 16),
    Column("Address", 34),
    Column("Email", 24),
    Column("Language", 12),
    Column("Consent to contact", 10),
    Column("Defense organization", 24),
    Column("Attorney", 20),
    Column("Notified on", 12, DATE_FORMAT),
    Column("Motion", 8),
)


def defender_list_for(
    session: Session, actor: object, *, granted_since: date | None = None, org: str | None = None
) -> tuple[list[DefenderLine], int]:
    """The defender list as this user may see it, and how many lines were left out: every
    line is a granted, so sealed, motion, so a role that may not see sealed records gets
    their number, not their names."""
    lines = load_defender_list(session, granted_since=granted_since, org=org)
    if hides_sealed(actor, session):
        return [], len(lines)
    return lines, 0


def write_defender_list(lines: list[DefenderLine], path: Path, title: str) -> None:
    book = new_workbook()
    sheet = add_sheet(book, "Granted - notify", _COLUMNS, header_text=title, filter_rows=len(lines))
    write_table(
        sheet,
        _COLUMNS,
        (
            (
                line.person,
                line.date_of_birth,
                line.reference,
                line.county.label if line.county else None,
                line.kind.label,
                line.order_date,
                line.contact_status,
                line.phone,
                line.address,
                line.email,
                line.language,
                "Yes" if line.consent_to_contact else "No",
                line.defense_org,
                line.attorney,
                line.notified_on,
                line.motion_id,
            )
            for line in lines
        ),
    )
    save(book, path)
