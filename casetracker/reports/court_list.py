"""The court list for one date and part, for the judge and the defense: .xlsx or PDF."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.accounts.sealed import hides_sealed, sealed_ids
from casetracker.domain.enums import MotionKind, Stage
from casetracker.domain.errors import NotFoundError
from casetracker.domain.models import Case, CourtList, Motion, Person
from casetracker.reports.pdf_doc import ReportPDF
from casetracker.reports.xlsx_sheets import (
    DATE_FORMAT,
    Column,
    add_sheet,
    new_workbook,
    save,
    write_table,
)
from casetracker.services.queries import first_charge_section


@dataclass(frozen=True)
class CourtListLine:
    number: int
    motion_id: int
    person: str
    date_of_birth: date | None
    nysid: str | None
    reference: str
    charge: str | None
    kind: MotionKind
    stage: Stage
    appearance_required: bool
    defense: str | None
    judge: str | None


@dataclass(frozen=True)
class CourtListData:
    court_date: date
    part: str
    judge: str | None
    lines: list[CourtListLine]

    @property
    def title(self) -> str:
        return f"Court list, {self.court_date:%A %d %B %Y}, part {self.part}"


def load_court_list(session: Session, court_date: date, part: str) -> CourtListData:
    """Every motion set down for that date and part (the part matched without regard to case
    or spaces), in name order as the clerk calls them."""
    wanted = part.strip().upper()
    query = (
        select(
            Motion.id,
            Person.last_name,
            Person.first_name,
            Person.middle_name,
            Person.date_of_birth,
            Person.nysid,
            Case.docket,
            Case.summons_number,
            first_charge_section(),
            Motion.kind,
            Motion.stage,
            Motion.appearance_required,
            Motion.defense_attorney,
            Motion.defense_org,
            Motion.judge,
        )
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(
            Motion.court_date == court_date,
            func.upper(func.trim(Motion.court_part)) == wanted,
            Motion.stage.not_in((Stage.WITHDRAWN,)),
        )
        .order_by(Person.last_name, Person.first_name, Motion.id)
    )
    lines = []
    for number, r in enumerate(session.execute(query), start=1):
        given = " ".join(p for p in (r[2], r[3]) if p)
        defense = " / ".join(p for p in (r[12], r[13]) if p) or None
        lines.append(
            CourtListLine(
                number,
                r[0],
                f"{r[1]}, {given}" if given else r[1],
                r[4],
                r[5],
                r[6] or r[7] or "",
                r[8],
                r[9],
                r[10],
                bool(r[11]),
                defense,
                r[14],
            )
        )
    if not lines:
        raise NotFoundError(
            f"No motion is set down for {court_date:%Y-%m-%d} in part {part.strip()}. "
            "Check the date and the part."
        )
    judge = session.scalar(
        select(CourtList.judge).where(
            CourtList.court_date == court_date, func.upper(CourtList.part) == wanted
        )
    )
    judges = {line.judge for line in lines if line.judge}
    return CourtListData(
        court_date, wanted, judge or (judges.pop() if len(judges) == 1 else None), lines
    )


_COLUMNS = (
    Column("#", 5),
    Column("Person", 28),
    Column("Date of birth", 12, DATE_FORMAT),
    Column("NYSID", 12),
    Column("Docket / summons", 18),
    Column("Charge", 14),
    Column("Kind", 17),
    Column("Stage", 14),
    Column("Must appear", 11),
    Column("Defense", 30),
    Column("Motion", 8),
)


def court_list_for(
    session: Session, actor: object, court_date: date, part: str
) -> tuple[CourtListData, int]:
    """The court list as this user may see it (a role that may not see sealed records gets
    the list without them), and how many motions were left out."""
    data = load_court_list(session, court_date, part)
    if not hides_sealed(actor, session):
        return data, 0
    sealed = sealed_ids(session, [line.motion_id for line in data.lines])
    kept = [line for line in data.lines if line.motion_id not in sealed]
    return replace(data, lines=kept), len(data.lines) - len(kept)


def _values(line: CourtListLine) -> tuple[object, ...]:
    return (
        line.number,
        line.person,
        line.date_of_birth,
        line.nysid,
        line.reference,
        line.charge,
        line.kind.label,
        line.stage.label,
        "Yes" if line.appearance_required else "No",
        line.defense,
        line.motion_id,
    )


def write_court_list(data: CourtListData, path: Path) -> None:
    """By extension: .pdf for printing, anything else as .xlsx."""
    if Path(path).suffix.lower() == ".pdf":
        _pdf(data, path)
    else:
        _xlsx(data, path)


def _subtitle(data: CourtListData) -> str:
    judge = f"Judge {data.judge}. " if data.judge else ""
    return f"{judge}{len(data.lines)} motions. Personal data: handle as confidential."


def _xlsx(data: CourtListData, path: Path) -> None:
    book = new_workbook()
    sheet = add_sheet(
        book,
        "Court list",
        _COLUMNS,
        header_text=f"{data.title}. {_subtitle(data)}",
        filter_rows=len(data.lines),
    )
    write_table(sheet, _COLUMNS, (_values(line) for line in data.lines))
    save(book, path)


def _pdf(data: CourtListData, path: Path) -> None:
    pdf = ReportPDF(data.title, _subtitle(data))
    pdf.add_page()
    rows = [
        [v.isoformat() if isinstance(v, date) else v for v in _values(line)[:-1]]
        for line in data.lines
    ]
    pdf.table_of(
        [c.title for c in _COLUMNS[:-1]],
        rows,
        widths=(8, 44, 20, 20, 28, 22, 28, 20, 20, 45),
        font_size=7.5,
        text_align=["LEFT"] * (len(_COLUMNS) - 1),
    )
    pdf.save(path)
