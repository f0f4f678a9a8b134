"""Court lists: consented motions assembled by court date and part, filed, calendared, and
decided per motion or for the whole list; adjourned motions carry over to a new list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casetracker.accounts.permissions import require
from casetracker.domain.clock import utcnow
from casetracker.domain.enums import County, Stage
from casetracker.domain.errors import InvalidValueError, NotFoundError
from casetracker.domain.models import Case, CourtList, Motion
from casetracker.records.fields import to_json
from casetracker.records.history import Recorder
from casetracker.services import moves
from casetracker.services.moves import Move, MoveResult
from casetracker.services.one_court import counties_of, one_county
from casetracker.storage.settings import get_setting, set_setting

COURT_LIST_MAX = "court_list_max"
DEFAULT_COURT_LIST_MAX = 150


class ListOutcome:
    GRANTED = "granted"
    DENIED = "denied"
    ADJOURNED = "adjourned"
    ALL = (GRANTED, DENIED, ADJOURNED)


@dataclass(frozen=True)
class CourtListRow:
    id: int
    court_date: date
    part: str
    judge: str | None
    county: County | None
    filed_date: date | None
    note: str | None
    by_stage: dict[Stage, int]
    index_number: str | None = None
    calendar_number: str | None = None

    @property
    def title(self) -> str:
        return f"{self.court_date.isoformat()} part {self.part}"

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @property
    def status(self) -> str:
        return ", ".join(f"{n} {stage.label.lower()}" for stage, n in self.by_stage.items() if n)


@dataclass
class ListChange:
    list_id: int
    group_id: str | None
    motion_ids: list[int] = field(default_factory=list)
    # Consented motions still waiting for a list after this one was filled.
    remaining: int = 0
    new_list_id: int | None = None
    # The group move made, for the undo stack.
    result: MoveResult | None = None


def court_list_max(session: Session) -> int:
    return int(get_setting(session, COURT_LIST_MAX, DEFAULT_COURT_LIST_MAX))


def set_court_list_max(session: Session, value: int, user: str) -> None:
    require(session, user, "court_list.manage")
    if not 1 <= value <= 10_000:
        raise InvalidValueError(f"A court list maximum of {value} is out of range (1 to 10,000).")
    set_setting(session, COURT_LIST_MAX, value, user)


def create_court_list(
    session: Session,
    court_date: date,
    part: str,
    *,
    user: str,
    judge: str | None = None,
    county: County | None = None,
    max_motions: int | None = None,
    motion_ids: Sequence[int] | None = None,
) -> ListChange:
    """A new list for one court (county and part) and date, filled with that county's
    consented motions not yet on a list (oldest decision first), up to the office maximum; or
    with the motions given. Without a county, the one county the motions come from; when
    they come from several, the user is asked to choose."""
    require(session, user, "court_list.manage")
    part = part.strip()
    if not part:
        raise InvalidValueError("A court list needs a part (for example AP1).")
    limit = _limit(session, max_motions)
    county = _county_for(session, county, motion_ids)
    waiting = _waiting().where(Case.county == county)
    if motion_ids is not None:
        chosen = list(dict.fromkeys(motion_ids))
        allowed = set(session.scalars(waiting.where(Motion.id.in_(chosen))))
        bad = [i for i in chosen if i not in allowed]
        if len(chosen) > limit:
            raise InvalidValueError(
                f"{len(chosen)} motions are more than the maximum of {limit} per list; "
                "no list was made."
            )
        if bad:
            raise InvalidValueError(
                f"{_named(session, bad[0])} is not a consented {county.label} motion waiting "
                "for a court list; no list was made."
            )
    else:
        chosen = list(session.scalars(waiting.order_by(Motion.decided_at, Motion.id).limit(limit)))
    if not chosen:
        raise InvalidValueError(
            f"No consented {county.label} motions are waiting for a court list."
        )
    court_list = CourtList(
        court_date=court_date,
        part=part,
        judge=(judge or "").strip() or None,
        county=county,
        created_by=user,
        created_at=utcnow(),
    )
    session.add(court_list)
    session.flush()
    result = moves.move_many(
        session,
        chosen,
        Move("add_to_list", "Put on a court list", None, {"court_list_id": court_list.id}),
        user=user,
        reason=f"Put on court list {court_list.id} ({court_list.title})",
    )
    change = ListChange(court_list.id, result.group_id, chosen, result=result)
    change.remaining = int(
        session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    )
    return change


@dataclass(frozen=True)
class Waiting:
    """A consented motion waiting for a list, as the user picks it: by person and docket."""

    motion_id: int
    who: str
    decided: date | None


@dataclass(frozen=True)
class ListCandidates:
    """What a new list would take: the county's consented motions waiting for a list, the
    oldest decision first; the first `limit` are the ones it takes unless the user changes
    them."""

    county: County
    limit: int
    motions: list[Waiting]

    @property
    def proposed(self) -> list[int]:
        return [w.motion_id for w in self.motions[: self.limit]]


def list_candidates(
    session: Session, *, county: County | None = None, max_motions: int | None = None
) -> ListCandidates:
    """The motions a new list for `county` (None: the one county they come from) would
    take, and the others waiting that the user may take instead; writes nothing."""
    limit = _limit(session, max_motions)
    county = _county_for(session, county, None)
    ids = list(
        session.scalars(
            _waiting().where(Case.county == county).order_by(Motion.decided_at, Motion.id)
        )
    )
    if not ids:
        raise InvalidValueError(
            f"No consented {county.label} motions are waiting for a court list."
        )
    found = {m.id: m for m in moves.load_all(session, ids)}
    motions = []
    for i in ids:
        decided = found[i].decided_at
        motions.append(Waiting(i, moves.who(found[i]), decided.date() if decided else None))
    return ListCandidates(county, limit, motions)


def motions_for_step(session: Session, list_id: int, stage: Stage) -> list[str]:
    """The motions of the list a step for the whole list would act on (those in `stage`), by
    person and docket, for the user to confirm; refused as the step would be if none."""
    return [moves.who(m) for m in moves.load_all(session, _on_list(session, list_id, stage))]


def _named(session: Session, motion_id: int) -> str:
    """A motion by person and docket in a refusal ("Motion 61" if it no longer exists)."""
    found = moves.load(session, [motion_id])
    return moves.who(found[0]) if found else f"Motion {motion_id}"


def _limit(session: Session, max_motions: int | None) -> int:
    limit = court_list_max(session) if max_motions is None else max_motions
    if limit < 1:
        raise InvalidValueError(f"A court list must hold at least one motion (not {limit}).")
    return limit


def _waiting() -> Any:
    return (
        select(Motion.id)
        .join(Case, Case.id == Motion.case_id)
        .where(Motion.stage == Stage.CONSENTED, Motion.court_list_id.is_(None))
    )


def _county_for(
    session: Session, county: County | None, motion_ids: Sequence[int] | None
) -> County:
    """The county asked for; else the one county the motions (or all those waiting) come
    from, or a refusal asking the user to choose."""
    if county is not None:
        return county
    pool = list(dict.fromkeys(motion_ids)) if motion_ids is not None else None
    if pool is None:
        pool = list(session.scalars(_waiting()))
    if not pool:
        raise InvalidValueError("No consented motions are waiting for a court list.")
    return one_county(counties_of(session, pool), "a new court list")


def file_court_list(
    session: Session, list_id: int, filed_date: date, *, user: str, court: str | None = None
) -> ListChange:
    require(session, user, "court_list.manage")
    court_list = _get(session, list_id)
    motions = _on_list(session, list_id, Stage.CONSENTED)
    result = _move(
        session,
        motions,
        Stage.FILED,
        action="file",
        user=user,
        reason=f"Filed with court list {list_id} ({court_list.title})",
        values=lambda _m: {
            "filed_date": filed_date,
            "filed_part": court_list.part,
            "filed_court": court,
        },
    )
    court_list.filed_date = filed_date
    return ListChange(list_id, result.group_id, motions, result=result)


def calendar_court_list(
    session: Session,
    list_id: int,
    *,
    user: str,
    appearance_required: bool = False,
    court_date: date | None = None,
    part: str | None = None,
) -> ListChange:
    """Calendar the list's filed motions for the list's date and part, or for the date and
    part the court gave (which then become the list's)."""
    require(session, user, "court_list.manage")
    court_list = _get(session, list_id)
    motions = _on_list(session, list_id, Stage.FILED)
    before = {"court_date": court_list.court_date, "part": court_list.part}
    if part is not None:
        if not part.strip():
            raise InvalidValueError("Calendaring needs the part (for example AP1).")
        court_list.part = part.strip()
    if court_date is not None:
        court_list.court_date = court_date
    result = _move(
        session,
        motions,
        Stage.CALENDARED,
        action="calendar",
        user=user,
        reason=f"Calendared on court list {list_id} ({court_list.title})",
        values=lambda _m: {
            "court_date": court_list.court_date,
            "court_part": court_list.part,
            "judge": court_list.judge,
            "court_list_id": court_list.id,
            "appearance_required": appearance_required,
        },
    )
    # The list's own new date and part go in the records' history under the move's group, so
    # undoing the calendar puts them back too (refused if the list has changed since).
    changed = {
        name: [to_json(was), to_json(getattr(court_list, name))]
        for name, was in before.items()
        if getattr(court_list, name) != was
    }
    if changed and result.group_id is not None:
        Recorder(session, user, group_id=result.group_id).write(
            "court_list", list_id, "edit", changed
        )
    return ListChange(list_id, result.group_id, motions, result=result)


def record_list_outcome(
    session: Session,
    list_id: int,
    outcome: str,
    *,
    user: str,
    order_date: date | None = None,
    new_date: date | None = None,
    motion_ids: Sequence[int] | None = None,
    reasons: str | None = None,
) -> ListChange:
    """The court's decision for the whole list, or for the motions given. Granting sets each
    sealing deadline from the order date; adjourned motions move to a list for the new date."""
    require(session, user, "court_list.manage")
    court_list = _get(session, list_id)
    motions = _on_list(session, list_id, Stage.CALENDARED, motion_ids)
    note = (reasons or "").strip() or None
    if outcome == ListOutcome.ADJOURNED:
        return _adjourn(session, court_list, motions, new_date, user, note)
    if outcome not in ListOutcome.ALL:
        raise InvalidValueError(f"'{outcome}' is not an outcome; use granted, denied or adjourned.")
    ordered = order_date or court_list.court_date
    granted = outcome == ListOutcome.GRANTED
    result = _move(
        session,
        motions,
        Stage.GRANTED if granted else Stage.DENIED,
        action="grant" if granted else "deny",
        user=user,
        reason=f"{'Granted' if granted else 'Denied'} on court list {list_id} "
        f"({court_list.title})" + (f": {note}" if note else ""),
        values=lambda _m: {"order_date": ordered, "outcome_reasons": note},
    )
    return ListChange(list_id, result.group_id, motions, result=result)


def _adjourn(
    session: Session,
    court_list: CourtList,
    motions: list[int],
    new_date: date | None,
    user: str,
    note: str | None,
) -> ListChange:
    if new_date is None:
        raise InvalidValueError("Adjourning needs the new court date (--new-date YYYY-MM-DD).")
    if new_date <= court_list.court_date:
        raise InvalidValueError(
            f"The new court date {new_date} must be after the list's date "
            f"{court_list.court_date}; nothing was adjourned."
        )
    carry = session.scalars(
        select(CourtList).where(
            CourtList.court_date == new_date,
            CourtList.part == court_list.part,
            CourtList.county == court_list.county,
            CourtList.note == _carry_note(court_list.id),
        )
    ).first()
    if carry is None:
        carry = CourtList(
            court_date=new_date,
            part=court_list.part,
            judge=court_list.judge,
            county=court_list.county,
            filed_date=court_list.filed_date,
            note=_carry_note(court_list.id),
            created_by=user,
            created_at=utcnow(),
        )
        session.add(carry)
        session.flush()
    target_id = carry.id
    result = _move(
        session,
        motions,
        Stage.CALENDARED,
        action="adjourn",
        user=user,
        reason=f"Adjourned from court list {court_list.id} to {new_date} (list {target_id})"
        + (f": {note}" if note else ""),
        values=lambda _m: {"court_date": new_date, "court_list_id": target_id},
    )
    return ListChange(court_list.id, result.group_id, motions, new_list_id=target_id, result=result)


def _carry_note(list_id: int) -> str:
    return f"Carried over from court list {list_id}"


def list_court_lists(session: Session, *, limit: int = 500) -> list[CourtListRow]:
    lists = session.scalars(
        select(CourtList).order_by(CourtList.court_date.desc(), CourtList.id.desc()).limit(limit)
    ).all()
    counts: dict[int, dict[Stage, int]] = {}
    if lists:
        rows = session.execute(
            select(Motion.court_list_id, Motion.stage, func.count())
            .where(Motion.court_list_id.in_([cl.id for cl in lists]))
            .group_by(Motion.court_list_id, Motion.stage)
        )
        for list_id, stage, n in rows:
            if list_id is not None:
                counts.setdefault(list_id, {})[stage] = n
    return [
        CourtListRow(
            cl.id,
            cl.court_date,
            cl.part,
            cl.judge,
            cl.county,
            cl.filed_date,
            cl.note,
            counts.get(cl.id, {}),
            cl.index_number,
            cl.calendar_number,
        )
        for cl in lists
    ]


@dataclass(frozen=True)
class ListMembers:
    motion_ids: list[int]
    counties: list[County]  # of the motions' cases, most motions first


def list_members(session: Session, list_ids: Sequence[int]) -> dict[int, ListMembers]:
    """Each list's motion ids in id order (withdrawn ones included: they were on it), and the
    counties its cases are from."""
    ids: dict[int, list[int]] = {i: [] for i in list_ids}
    counties: dict[int, Counter[County]] = {i: Counter() for i in list_ids}
    if list_ids:
        rows = session.execute(
            select(Motion.court_list_id, Motion.id, Case.county)
            .join(Case, Case.id == Motion.case_id)
            .where(Motion.court_list_id.in_(list(list_ids)))
            .order_by(Motion.id)
        )
        for list_id, motion_id, county in rows:
            assert list_id is not None
            ids[list_id].append(motion_id)
            if county is not None:
                counties[list_id][county] += 1
    return {i: ListMembers(ids[i], [c for c, _n in counties[i].most_common()]) for i in list_ids}


def set_list_numbers(
    session: Session, list_id: int, *, index_number: str | None, calendar_number: str | None
) -> CourtList:
    """The index and calendar numbers the court gave the list's motion (blank: not known);
    the papers print them in the caption from then on."""
    court_list = _get(session, list_id)
    for label, value in (("index number", index_number), ("calendar number", calendar_number)):
        if value is not None and len(value.strip()) > 40:
            raise InvalidValueError(f"The {label} '{value.strip()[:50]}…' is too long (40).")
    court_list.index_number = (index_number or "").strip() or None
    court_list.calendar_number = (calendar_number or "").strip() or None
    return court_list


def waiting_for_list(session: Session) -> int:
    query = select(func.count(Motion.id)).where(
        Motion.stage == Stage.CONSENTED, Motion.court_list_id.is_(None)
    )
    return int(session.scalar(query) or 0)


def _get(session: Session, list_id: int) -> CourtList:
    court_list = session.get(CourtList, list_id)
    if court_list is None:
        raise NotFoundError(f"There is no court list {list_id}.")
    return court_list


def _move(
    session: Session,
    motion_ids: list[int],
    target: Stage,
    *,
    action: str,
    user: str,
    reason: str,
    values: Callable[[Motion], Mapping[str, Any]],
) -> MoveResult:
    move = Move(action, action.capitalize(), target, values)
    return moves.move_many(session, motion_ids, move, user=user, reason=reason)


def _on_list(
    session: Session, list_id: int, stage: Stage, motion_ids: Sequence[int] | None = None
) -> list[int]:
    query = select(Motion.id).where(Motion.court_list_id == list_id, Motion.stage == stage)
    on_list = list(session.scalars(query.order_by(Motion.id)))
    if motion_ids is not None:
        wanted = list(dict.fromkeys(motion_ids))
        bad = [i for i in wanted if i not in set(on_list)]
        if bad:
            raise InvalidValueError(
                f"{_named(session, bad[0])} is not {stage.label.lower()} on court list "
                f"{list_id}; nothing was changed."
            )
        on_list = wanted
    if not on_list:
        raise InvalidValueError(
            f"Court list {list_id} has no {stage.label.lower()} motions for this step."
        )
    return on_list
