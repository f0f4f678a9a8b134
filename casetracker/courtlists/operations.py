"""Court-list actions as operations: make a list, mark it filed, calendar it, record the
court's decision; and after the order, confirm sealing and record notifications. Each returns
what it changed (the list, its motions) and undoes as one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from casetracker.courtlists.aftercare import confirm_sealing, record_notification
from casetracker.courtlists.service import (
    ListChange,
    calendar_court_list,
    create_court_list,
    file_court_list,
    record_list_outcome,
    set_list_numbers,
)
from casetracker.domain.enums import County, NotificationMethod, NotificationOutcome
from casetracker.operations import Actor, Changes, operation
from casetracker.services.motion_ops import moved


def _changes(what: str, change: ListChange, done: str) -> Changes:
    """Named "File (court list 3): 40 motions" on the undo menu; the summary says what was
    done ("Court list 3: 40 motions filed")."""
    lists = frozenset(i for i in (change.list_id, change.new_list_id) if i is not None)
    if change.result is None:
        return Changes(motions=frozenset(change.motion_ids), court_lists=lists, summary=done)
    made = moved(f"{what} (court list {change.list_id})", change.result, court_lists=lists)
    return replace(made, summary=done)


def _done(change: ListChange, verb: str) -> str:
    moved_to = f" to court list {change.new_list_id}" if change.new_list_id else ""
    return f"Court list {change.list_id}: {len(change.motion_ids):,} motions {verb}{moved_to}"


@operation("court_list.create")
def create_list(
    session: Session,
    actor: Actor,
    court_date: date,
    part: str,
    *,
    judge: str | None = None,
    county: County | None = None,
    max_motions: int | None = None,
    motion_ids: Sequence[int] | None = None,
) -> Changes:
    change = create_court_list(
        session,
        court_date,
        part,
        user=actor.name,
        judge=judge,
        county=county,
        max_motions=max_motions,
        motion_ids=motion_ids,
    )
    done = (
        f"Court list {change.list_id}: {len(change.motion_ids):,} motions for {court_date} "
        f"part {part.strip()}; {change.remaining:,} consented motions still wait for a list"
    )
    return _changes("Put on a new list", change, done)


@operation("court_list.file")
def file_list(
    session: Session, actor: Actor, list_id: int, filed_date: date, *, court: str | None = None
) -> Changes:
    change = file_court_list(session, list_id, filed_date, user=actor.name, court=court)
    return _changes("File", change, _done(change, "filed"))


@operation("court_list.calendar")
def calendar_list(
    session: Session,
    actor: Actor,
    list_id: int,
    *,
    appearance_required: bool = False,
    court_date: date | None = None,
    part: str | None = None,
) -> Changes:
    change = calendar_court_list(
        session,
        list_id,
        user=actor.name,
        appearance_required=appearance_required,
        court_date=court_date,
        part=part,
    )
    return _changes("Calendar", change, _done(change, "calendared"))


@operation("court_list.outcome")
def record_outcome(
    session: Session,
    actor: Actor,
    list_id: int,
    outcome: str,
    *,
    order_date: date | None = None,
    new_date: date | None = None,
    motion_ids: Sequence[int] | None = None,
    reasons: str | None = None,
) -> Changes:
    change = record_list_outcome(
        session,
        list_id,
        outcome,
        user=actor.name,
        order_date=order_date,
        new_date=new_date,
        motion_ids=motion_ids,
        reasons=reasons,
    )
    return _changes(outcome.capitalize(), change, _done(change, outcome))


@operation("court_list.numbers")
def set_court_list_numbers(
    session: Session,
    actor: Actor,
    list_id: int,
    index_number: str | None,
    calendar_number: str | None,
) -> Changes:
    court_list = set_list_numbers(
        session, list_id, index_number=index_number, calendar_number=calendar_number
    )
    numbers = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("index no.", court_list.index_number),
            ("calendar no.", court_list.calendar_number),
        )
        if value
    )
    return Changes(
        court_lists=frozenset({list_id}),
        summary=f"Court list {list_id}: {numbers or 'no index or calendar number'}",
    )


@operation("aftercare.seal")
def confirm_sealed(
    session: Session, actor: Actor, motion_ids: Sequence[int], confirmed: date
) -> Changes:
    result = confirm_sealing(session, motion_ids, confirmed, user=actor.name)
    return moved("Confirm sealed", result)


@operation("aftercare.notify")
def record_notified(
    session: Session,
    actor: Actor,
    motion_ids: Sequence[int],
    *,
    notified: date,
    outcome: NotificationOutcome,
    method: NotificationMethod | None = None,
    org: str | None = None,
    note: str | None = None,
) -> Changes:
    result = record_notification(
        session,
        motion_ids,
        notified=notified,
        outcome=outcome,
        user=actor.name,
        method=method,
        org=org,
        note=note,
    )
    return moved("Record notification", result)
