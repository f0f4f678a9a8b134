"""Reading motions as plain rows, for the table, the command line and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from casetracker.domain.clock import today
from casetracker.domain.enums import County, CourtOutcome, MotionKind, ScreeningResult, Stage
from casetracker.domain.models import Case, Charge, Motion, Person

# Any row shape: the filter only adds WHERE clauses.
RowQuery = TypeVar("RowQuery", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class MotionFilter:
    stages: tuple[Stage, ...] = ()
    kinds: tuple[MotionKind, ...] = ()
    counties: tuple[County, ...] = ()
    prosecutor: str | None = None
    event_id: int | None = None
    court_list_id: int | None = None
    import_batch_id: int | None = None
    person_id: int | None = None
    # Sealing deadline passed without a confirmation.
    overdue: bool = False
    motion_ids: tuple[int, ...] = field(default=())
    # Leave sealed motions out (granted: accounts.sealed), for a role that may not see them.
    hide_sealed: bool = False


@dataclass(frozen=True)
class MotionRow:
    id: int
    kind: MotionKind
    stage: Stage
    stage_entered_at: datetime
    person_id: int
    last_name: str
    first_name: str
    middle_name: str
    date_of_birth: date | None
    nysid: str | None
    docket: str | None
    summons_number: str | None
    charge: str | None
    county: County | None
    assigned_prosecutor: str | None
    court_date: date | None
    sealing_deadline: date | None
    version: int
    screening_result: ScreeningResult | None = None

    @property
    def person_name(self) -> str:
        given = " ".join(p for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name}, {given}" if given else self.last_name

    @property
    def reference(self) -> str:
        return self.docket or self.summons_number or ""


def first_charge_section():  # type: ignore[no-untyped-def]
    """The section of the motion's first charge, as a correlated scalar subquery."""
    return (
        select(Charge.section)
        .where(Charge.case_id == Motion.case_id)
        .order_by(Charge.position)
        .limit(1)
        .correlate(Motion)
        .scalar_subquery()
    )


def motion_rows_query(flt: MotionFilter) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            Motion.id,
            Motion.kind,
            Motion.stage,
            Motion.stage_entered_at,
            Person.id,
            Person.last_name,
            Person.first_name,
            Person.middle_name,
            Person.date_of_birth,
            Person.nysid,
            Case.docket,
            Case.summons_number,
            first_charge_section(),
            Case.county,
            Motion.assigned_prosecutor,
            Motion.court_date,
            Motion.sealing_deadline,
            Motion.version,
            Motion.screening_result,
        )
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
    )
    return apply_filter(query, flt)


def apply_filter(query: RowQuery, flt: MotionFilter) -> RowQuery:
    if flt.stages:
        query = query.where(Motion.stage.in_(flt.stages))
    if flt.kinds:
        query = query.where(Motion.kind.in_(flt.kinds))
    if flt.counties:
        query = query.where(Case.county.in_(flt.counties))
    if flt.prosecutor:
        query = query.where(Motion.assigned_prosecutor == flt.prosecutor)
    if flt.event_id is not None:
        query = query.where(Motion.event_id == flt.event_id)
    if flt.court_list_id is not None:
        query = query.where(Motion.court_list_id == flt.court_list_id)
    if flt.import_batch_id is not None:
        query = query.where(Motion.import_batch_id == flt.import_batch_id)
    if flt.person_id is not None:
        query = query.where(Motion.person_id == flt.person_id)
    if flt.overdue:
        query = query.where(
            Motion.stage == Stage.GRANTED,
            Motion.sealing_deadline < today(),
            Motion.sealing_confirmed_date.is_(None),
        )
    if flt.motion_ids:
        query = query.where(Motion.id.in_(flt.motion_ids))
    if flt.hide_sealed:
        query = query.where(or_(Motion.outcome.is_(None), Motion.outcome != CourtOutcome.GRANTED))
    return query


def list_motions(
    session: Session, flt: MotionFilter | None = None, *, limit: int | None = None
) -> list[MotionRow]:
    query = motion_rows_query(flt or MotionFilter()).order_by(Motion.id)
    if limit is not None:
        query = query.limit(limit)
    return [MotionRow(*cast(tuple[Any, ...], row)) for row in session.execute(query)]


def count_motions(session: Session, flt: MotionFilter | None = None) -> int:
    query = apply_filter(
        select(func.count(Motion.id))
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id),
        flt or MotionFilter(),
    )
    return int(session.scalar(query) or 0)


def stage_counts(session: Session) -> dict[Stage, int]:
    rows = session.execute(select(Motion.stage, func.count()).group_by(Motion.stage)).all()
    counts = {stage: 0 for stage in Stage}
    counts.update({stage: n for stage, n in rows})
    return counts
