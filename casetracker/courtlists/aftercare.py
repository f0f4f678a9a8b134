"""After the order: sealing deadlines and confirmations, notifying the person, and the list of
people the defender organizations cannot reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.courtlists.notifications import notified_once_sealed, record_attempt
from casetracker.domain.enums import NotificationMethod, NotificationOutcome, Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import Case, Motion, Person
from casetracker.domain.workflow import new_group_id
from casetracker.services import moves
from casetracker.services.moves import Move, MoveResult
from casetracker.services.queries import MotionFilter, MotionRow, list_motions

# Stages in which a person's record has been cleared and they should be told.
CLEARED_STAGES = (Stage.GRANTED, Stage.SEALED)


@dataclass(frozen=True)
class NoContactRow:
    person_id: int
    last_name: str
    first_name: str
    date_of_birth: date | None
    motion_id: int
    stage: Stage
    reference: str
    county: str
    defense_org: str | None

    @property
    def person_name(self) -> str:
        return f"{self.last_name}, {self.first_name}" if self.first_name else self.last_name


def overdue_sealing(session: Session) -> list[MotionRow]:
    """Granted motions whose sealing deadline has passed with no confirmation."""
    rows = list_motions(session, MotionFilter(overdue=True))
    return sorted(rows, key=lambda r: (r.sealing_deadline or date.max, r.id))


def confirm_sealing(
    session: Session, motion_ids: Sequence[int], confirmed: date, *, user: str
) -> MoveResult:
    require(session, user, "aftercare.record")
    move = Move("seal", "Confirm sealed", Stage.SEALED, {"sealing_confirmed_date": confirmed})
    reason = f"Sealing confirmed on {confirmed.isoformat()}"
    result = moves.move_many(session, motion_ids, move, user=user, reason=reason)
    if result.group_id:
        notified_once_sealed(session, result.moved, user=user, group_id=result.group_id)
    return result


def record_notification(
    session: Session,
    motion_ids: Sequence[int],
    *,
    notified: date,
    outcome: NotificationOutcome,
    user: str,
    method: NotificationMethod | None = None,
    org: str | None = None,
    note: str | None = None,
) -> MoveResult:
    require(session, user, "aftercare.record")
    if outcome != NotificationOutcome.NO_CONTACT and method is None:
        raise InvalidValueError(
            f"A notification that was {outcome.label.lower()} needs its method "
            "(mail, phone, email, in person or text)."
        )
    # One attempt per motion, all under one group (one undo); see courtlists.notifications.
    group = new_group_id()
    for motion_id in motion_ids:
        record_attempt(
            session,
            user,
            motion_id,
            attempted_on=notified,
            outcome=outcome,
            method=method,
            org=org,
            note=note,
            group_id=group,
        )
    return MoveResult(group, moved=list(motion_ids))


def no_contact_list(session: Session) -> list[NoContactRow]:
    """People whose motion was granted or sealed and who have no address, phone or email on
    file: the list the defender organizations work from."""
    blank = [
        or_(column.is_(None), column == "")
        for column in (Person.address, Person.phone, Person.email)
    ]
    query = (
        select(
            Person.id,
            Person.last_name,
            Person.first_name,
            Person.date_of_birth,
            Motion.id,
            Motion.stage,
            Case.docket,
            Case.summons_number,
            Case.county,
            Motion.defense_org,
        )
        .join(Motion, Motion.person_id == Person.id)
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.stage.in_(CLEARED_STAGES), *blank)
        .order_by(Person.last_name, Person.first_name, Person.id, Motion.id)
    )
    return [
        NoContactRow(
            pid,
            last,
            first,
            born,
            mid,
            stage,
            docket or summons or "",
            county.label if county else "",
            org,
        )
        for pid, last, first, born, mid, stage, docket, summons, county, org in session.execute(
            query
        )
    ]
