"""The lost-updates check of `bench office`: does every motion's state agree with its history?

A motion's history (motion_event) is the record of every change: each row says which stage
the motion came from and went to, and which fields it changed from what to what. After many
people worked on the same motions at once, the check reads every motion beside its history:

- the motion's stage is the stage its last history row went to;
- each history row starts from the stage the row before it ended in (two moves made from the
  same version would both start from the same stage: one of them was lost);
- each field a row changed starts from the value the previous change of that field left, and
  the motion holds the value of its last change;
- every move the users were told had succeeded (motion id, history group) is in the history.

Fields of the motion's case ("case.warrant_status") are left out: a case may have two motions,
whose histories both change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from itertools import chain
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casetracker.domain.models import Motion, MotionEvent

_BATCH = 2000
_MOTION_COLUMNS = {c.key for c in Motion.__table__.columns}


def lost_updates(
    session: Session,
    made: Iterable[tuple[int, str]] = (),
    *,
    since_event: int | None = None,
    limit: int = 50,
) -> list[str]:
    """What disagrees, one line each (at most `limit`); empty when the history holds.

    Every motion's stage is checked against its last history row. The whole history (stages
    and fields, row by row) is checked for the motions changed after history row
    `since_event` (None: every motion); the others have not changed since that row."""
    problems: list[str] = []
    for problem in chain(
        _stage_disagreements(session),
        _histories(session, since_event),
        _missing_moves(session, made),
    ):
        problems.append(problem)
        if len(problems) >= limit:
            break
    return problems


def _stage_disagreements(session: Session) -> Iterator[str]:
    """Every motion whose stage is not where its last history row left it (in one query)."""
    last = (
        select(MotionEvent.motion_id, func.max(MotionEvent.id).label("last_id"))
        .group_by(MotionEvent.motion_id)
        .subquery()
    )
    rows = session.execute(
        select(Motion.id, Motion.stage, MotionEvent.id, MotionEvent.to_stage)
        .outerjoin(last, last.c.motion_id == Motion.id)
        .outerjoin(MotionEvent, MotionEvent.id == last.c.last_id)
        .where(or_(MotionEvent.id.is_(None), MotionEvent.to_stage != Motion.stage))
        .order_by(Motion.id)
    )
    for motion_id, stage, event_id, to_stage in rows:
        if event_id is None:
            yield f"motion {motion_id} has no history"
        else:
            yield (
                f"motion {motion_id} is {_text(stage)} but its history "
                f"(row {event_id}) ends at {_text(to_stage)}"
            )


def _histories(session: Session, since_event: int | None) -> Iterator[str]:
    """Each motion's history row by row, beside the motion (for those changed since)."""
    changed = select(Motion.id).order_by(Motion.id)
    if since_event is not None:
        changed = (
            select(MotionEvent.motion_id)
            .where(MotionEvent.id > since_event)
            .distinct()
            .order_by(MotionEvent.motion_id)
        )
    ids = list(session.scalars(changed))
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        motions = session.execute(
            select(Motion.__table__).where(Motion.id.in_(chunk)).order_by(Motion.id)
        ).all()
        events: dict[int, list[Any]] = {}
        for event in session.execute(
            select(
                MotionEvent.motion_id,
                MotionEvent.id,
                MotionEvent.from_stage,
                MotionEvent.to_stage,
                MotionEvent.changes,
            )
            .where(MotionEvent.motion_id.in_(chunk))
            .order_by(MotionEvent.motion_id, MotionEvent.id)
        ):
            events.setdefault(event[0], []).append(event)
        for motion in motions:
            yield from check_motion(motion._mapping, events.get(motion.id, []))


def check_motion(row: Any, history: Sequence[Any]) -> Iterator[str]:
    """What is wrong between one motion's row (a mapping of its columns) and its history
    rows (motion_id, id, from_stage, to_stage, changes), oldest first."""
    motion_id = row["id"]
    if not history:
        return  # said by the stage check
    last: dict[str, tuple[int, Any]] = {}
    previous = None
    for _motion, event_id, from_stage, to_stage, changes in history:
        if previous is not None and from_stage != previous[3]:
            yield (
                f"motion {motion_id}: history row {event_id} starts from "
                f"{_text(from_stage)} but row {previous[1]} left it {_text(previous[3])}"
            )
        for name, (before, after) in (changes or {}).items():
            if name not in _MOTION_COLUMNS:
                continue
            if name in last and not _same(before, last[name][1]):
                yield (
                    f"motion {motion_id}: history row {event_id} changes {name} from "
                    f"{before!r} but row {last[name][0]} left it {last[name][1]!r}"
                )
            last[name] = (event_id, after)
        previous = (motion_id, event_id, from_stage, to_stage)
    for name, (event_id, after) in last.items():
        if name != "stage" and not _same(after, row[name]):
            yield (
                f"motion {motion_id}: {name} is {_json(row[name])!r} but history row "
                f"{event_id} set it to {after!r}"
            )


def _missing_moves(session: Session, made: Iterable[tuple[int, str]]) -> Iterator[str]:
    wanted: dict[str, set[int]] = {}
    for motion_id, group in made:
        wanted.setdefault(group, set()).add(motion_id)
    groups = list(wanted)
    for start in range(0, len(groups), 500):
        chunk = groups[start : start + 500]
        found: set[tuple[str, int]] = {
            (group, motion_id)
            for group, motion_id in session.execute(
                select(MotionEvent.group_id, MotionEvent.motion_id).where(
                    MotionEvent.group_id.in_(chunk)
                )
            )
            if group is not None
        }
        for group in chunk:
            for motion_id in sorted(wanted[group]):
                if (group, motion_id) not in found:
                    yield (
                        f"motion {motion_id}: a move reported as saved (group {group}) "
                        "is not in its history"
                    )


def _same(json_value: Any, value: Any) -> bool:
    """A value as the history keeps it (JSON) against one as stored, or as kept again."""
    if isinstance(value, datetime) or isinstance(json_value, datetime):
        return _instant(json_value) == _instant(value)
    return _json(json_value) == _json(value)


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _text(stage: Any) -> str:
    return str(_json(stage)) if stage is not None else "nothing"
