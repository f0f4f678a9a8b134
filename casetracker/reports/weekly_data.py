"""Computing the weekly report's figures from the database with a handful of SQL aggregates.

Choices the numbers rest on (they are printed in the report's notes too):
- Movement is counted from the history (motion_event) by action, for events inside the
  week's local days. An action that was later undone is not counted in any week, and the undo
  itself is not movement: the report shows what stands now. (An undo that was itself undone
  puts the original action back.)
- Stage counts, the open backlog and overdue sealing are the state when the report is made;
  days in stage are local calendar days from the motion's stage_entered_at to `as_of`.
  "Open" means every stage but Closed and Withdrawn.
- Median days in a stage is over the stays that ended during the week: for each move out of
  a stage (adjournment and re-screening included, as they start a fresh stay like
  stage_entered_at does), the time since the motion entered that stage.
- Breakdowns use the motion's current county, assigned prosecutor, kind and community event.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from casetracker.domain.clock import today, utcnow
from casetracker.domain.enums import CourtOutcome, Stage
from casetracker.domain.models import Case, CommunityEvent, Motion, MotionEvent, Person
from casetracker.reports.calendar import Week, local_midnight_utc, to_local, week_bounds_utc
from casetracker.reports.weekly_figures import (
    BUCKET_LIMITS,
    MOVEMENT_ACTIONS,
    OPEN_STAGES,
    STAGE_ACTIONS,
    TREND_WEEKS,
    BacklogRow,
    GroupFigures,
    MedianStay,
    MovedRow,
    OverdueRow,
    Progress,
    ReportScope,
    TrendWeek,
    WeeklyReport,
    consent_rate,
)

AnySelect = Select[*tuple[Any, ...]]
_Q = TypeVar("_Q", bound=AnySelect)

DIMENSIONS = ("County", "Prosecutor", "Motion kind", "Community event")
_NONE_LABELS = {
    "County": "(no county)",
    "Prosecutor": "(unassigned)",
    "Motion kind": "(none)",
    "Community event": "(not from an event)",
}
_STEPS = 7


def build_weekly_report(
    session: Session,
    week_ending: date,
    *,
    scope: ReportScope | None = None,
    as_of: date | None = None,
    tz: tzinfo | None = None,
    progress: Progress | None = None,
) -> WeeklyReport:
    scope = scope or ReportScope()
    as_of = as_of or today()
    week = Week.ending(week_ending)
    step = _Stepper(progress)
    undone = undone_groups(session)

    step("Counting motions by stage")
    dims = _dimension_labels(session)
    groups: dict[str, defaultdict[str, GroupFigures]] = {
        name: defaultdict(GroupFigures) for name in DIMENSIONS
    }
    totals = GroupFigures("All motions")
    for row in session.execute(
        _scoped(_grouped_select(Motion.stage), scope).group_by(*_dims(), Motion.stage)
    ):
        *keys, stage, count = row
        for figures in _targets(totals, groups, dims, keys):
            figures.stages[stage] += count

    step("Counting this week's movement")
    start, end = week_bounds_utc(week, tz)
    moved_query = (
        _grouped_select(MotionEvent.action)
        .join_from(Motion, MotionEvent, MotionEvent.motion_id == Motion.id)
        .where(MotionEvent.at >= start, MotionEvent.at < end, _counted(undone))
        .group_by(*_dims(), MotionEvent.action)
    )
    for row in session.execute(_scoped(moved_query, scope)):
        *keys, action, count = row
        for figures in _targets(totals, groups, dims, keys):
            figures.moved[action] += count

    step("Ageing the open backlog")
    thresholds = [local_midnight_utc(as_of - timedelta(days=d), tz) for d in BUCKET_LIMITS]
    bucket = case(
        *((Motion.stage_entered_at >= t, i) for i, t in enumerate(thresholds)),
        else_=len(thresholds),
    )
    backlog_query = (
        _grouped_select(bucket).where(Motion.stage.in_(OPEN_STAGES)).group_by(*_dims(), bucket)
    )
    for row in session.execute(_scoped(backlog_query, scope)):
        *keys, index, count = row
        for figures in _targets(totals, groups, dims, keys):
            figures.backlog[index] += count

    step("Listing this week's moves")
    moved = moved_rows(session, start, end, scope, undone, tz)
    step("Listing the open backlog")
    backlog = backlog_rows(session, scope, as_of, tz)
    step("Listing overdue sealing deadlines")
    overdue = overdue_rows(session, scope, as_of)
    step("Drawing the 12-week trend")
    trend = trend_weeks(session, week, scope, undone, tz)
    to_date = _decisions_to_date(session, end, scope, undone)

    return WeeklyReport(
        week=week,
        as_of=as_of,
        generated_at=to_local(utcnow(), tz),
        scope=scope,
        totals=totals,
        consent_rate_to_date=consent_rate(to_date.get("consent", 0), to_date.get("oppose", 0)),
        medians=median_stays(moved),
        breakdowns={
            name: sorted(groups[name].values(), key=lambda g: (g.label.startswith("("), g.label))
            for name in DIMENSIONS
        },
        trend=trend,
        moved=moved,
        backlog=backlog,
        overdue=overdue,
    )


def undone_groups(session: Session) -> frozenset[str]:
    """Groups whose undo still stands. An undo is itself a group and may be undone, which
    puts the original action back; undo_group refuses a second undo of the same group."""
    undo_of: dict[str, str] = {}
    for group_id, target in session.execute(
        select(MotionEvent.group_id, MotionEvent.undoes_group)
        .where(MotionEvent.undoes_group.is_not(None))
        .distinct()
    ):
        if group_id is not None and target is not None:
            undo_of[group_id] = target
    undone_by = {target: undo for undo, target in undo_of.items()}

    def is_undone(group: str, seen: frozenset[str] = frozenset()) -> bool:
        undo = undone_by.get(group)
        if undo is None or undo in seen:
            return False
        return not is_undone(undo, seen | {group})

    return frozenset(g for g in undone_by if is_undone(g))


def moved_rows(
    session: Session,
    start: datetime,
    end: datetime,
    scope: ReportScope,
    undone: frozenset[str],
    tz: tzinfo | None,
) -> list[MovedRow]:
    """Every counted move in [start, end), with the time the motion spent in the stage it
    left (from the previous move that still stands)."""
    in_week = select(MotionEvent.motion_id).where(
        MotionEvent.at >= start, MotionEvent.at < end, MotionEvent.action.in_(MOVEMENT_ACTIONS)
    )
    previous = func.lag(MotionEvent.at, type_=MotionEvent.at.type).over(
        partition_by=MotionEvent.motion_id, order_by=(MotionEvent.at, MotionEvent.id)
    )
    stays = (
        select(
            MotionEvent.id.label("id"),
            MotionEvent.motion_id.label("motion_id"),
            MotionEvent.at.label("at"),
            previous.label("previous_at"),
        )
        .where(
            MotionEvent.motion_id.in_(in_week),
            MotionEvent.at < end,
            MotionEvent.action.in_(STAGE_ACTIONS),
            _counted(undone),
        )
        .subquery()
    )
    query = _scoped(
        select(
            MotionEvent.id,
            Motion.id,
            Person.last_name,
            Person.first_name,
            Case.docket,
            Case.summons_number,
            Case.county,
            Motion.kind,
            MotionEvent.action,
            MotionEvent.from_stage,
            MotionEvent.to_stage,
            MotionEvent.user,
            MotionEvent.at,
            stays.c.previous_at,
            MotionEvent.reason,
        )
        .select_from(stays)
        .join(MotionEvent, MotionEvent.id == stays.c.id)
        .join(Motion, Motion.id == MotionEvent.motion_id)
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
        .where(stays.c.at >= start),
        scope,
    ).order_by(MotionEvent.at, MotionEvent.id)
    rows = []
    for r in session.execute(query):
        at, previous_at = r[12], r[13]
        rows.append(
            MovedRow(
                event_id=r[0],
                motion_id=r[1],
                person=_name(r[2], r[3]),
                reference=r[4] or r[5] or "",
                county=r[6],
                kind=r[7],
                action=r[8],
                from_stage=r[9],
                to_stage=r[10],
                user=r[11],
                at=to_local(at, tz),
                days_in_previous=(at - previous_at).total_seconds() / 86400
                if previous_at is not None
                else None,
                reason=r[14],
            )
        )
    return rows


def median_stays(moved: Iterable[MovedRow]) -> list[MedianStay]:
    by_stage: dict[Stage, list[float]] = defaultdict(list)
    for row in moved:
        if row.from_stage is not None and row.days_in_previous is not None:
            by_stage[row.from_stage].append(row.days_in_previous)
    return [
        MedianStay(stage, statistics.median(by_stage[stage]), len(by_stage[stage]))
        for stage in Stage
        if by_stage.get(stage)
    ]


def backlog_rows(
    session: Session, scope: ReportScope, as_of: date, tz: tzinfo | None
) -> list[BacklogRow]:
    query = _scoped(
        _detail_select(
            Motion.kind, Motion.stage, Motion.assigned_prosecutor, Motion.stage_entered_at
        )
        .where(Motion.stage.in_(OPEN_STAGES))
        .order_by(Motion.stage_entered_at, Motion.id),
        scope,
    )
    rows = []
    for (
        motion_id,
        last,
        first,
        docket,
        summons,
        county,
        kind,
        stage,
        who,
        entered,
    ) in session.execute(query):
        local = to_local(entered, tz)
        rows.append(
            BacklogRow(
                motion_id,
                _name(last, first),
                docket or summons or "",
                county,
                kind,
                stage,
                who,
                local,
                (as_of - local.date()).days,
            )
        )
    return rows


def overdue_rows(session: Session, scope: ReportScope, as_of: date) -> list[OverdueRow]:
    """Granted motions whose sealing deadline passed with no sealing confirmed."""
    query = _scoped(
        _detail_select(Motion.assigned_prosecutor, Motion.order_date, Motion.sealing_deadline)
        .where(
            Motion.stage == Stage.GRANTED,
            Motion.outcome == CourtOutcome.GRANTED,
            Motion.sealing_deadline < as_of,
            Motion.sealing_confirmed_date.is_(None),
        )
        .order_by(Motion.sealing_deadline, Motion.id),
        scope,
    )
    return [
        OverdueRow(
            motion_id,
            _name(last, first),
            docket or summons or "",
            county,
            who,
            order_date,
            deadline,
            (as_of - deadline).days,
        )
        for motion_id, last, first, docket, summons, county, who, order_date, deadline in (
            session.execute(query)
        )
    ]


def trend_weeks(
    session: Session,
    week: Week,
    scope: ReportScope,
    undone: frozenset[str],
    tz: tzinfo | None,
    weeks: int = TREND_WEEKS,
) -> list[TrendWeek]:
    """Movement per week for `weeks` weeks ending with `week`, oldest first."""
    periods = [week.earlier(n) for n in range(weeks - 1, -1, -1)]
    ends = [week_bounds_utc(p, tz)[1] for p in periods]
    first_start = week_bounds_utc(periods[0], tz)[0]
    index = case(*((MotionEvent.at < e, i) for i, e in enumerate(ends)), else_=weeks)
    query = _scoped(
        select(index, MotionEvent.action, func.count())
        .select_from(Motion)
        .join(MotionEvent, MotionEvent.motion_id == Motion.id)
        .join(Case, Case.id == Motion.case_id)
        .where(
            MotionEvent.at >= first_start,
            MotionEvent.at < ends[-1],
            MotionEvent.action.in_(MOVEMENT_ACTIONS),
            _counted(undone),
        )
        .group_by(index, MotionEvent.action),
        scope,
    )
    counts: list[dict[str, int]] = [{} for _ in periods]
    for i, action, count in session.execute(query):
        counts[i][action] = count
    return [TrendWeek(p, c) for p, c in zip(periods, counts, strict=True)]


def _decisions_to_date(
    session: Session, end: datetime, scope: ReportScope, undone: frozenset[str]
) -> dict[str, int]:
    query = _scoped(
        select(MotionEvent.action, func.count())
        .select_from(Motion)
        .join(MotionEvent, MotionEvent.motion_id == Motion.id)
        .join(Case, Case.id == Motion.case_id)
        .where(
            MotionEvent.at < end,
            MotionEvent.action.in_(("consent", "oppose")),
            _counted(undone),
        )
        .group_by(MotionEvent.action),
        scope,
    )
    return {action: count for action, count in session.execute(query)}


# -- helpers --------------------------------------------------------------------------------


class _Stepper:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0

    def __call__(self, text: str) -> None:
        if self.progress is not None:
            self.progress(self.done, _STEPS, text)
        self.done += 1


def _dims() -> tuple[Any, ...]:
    return (Case.county, Motion.assigned_prosecutor, Motion.kind, Motion.event_id)


def _grouped_select(what: Any) -> AnySelect:
    return (
        select(*_dims(), what, func.count())
        .select_from(Motion)
        .join(Case, Case.id == Motion.case_id)
    )


def _detail_select(*extra: Any) -> AnySelect:
    return (
        select(
            Motion.id,
            Person.last_name,
            Person.first_name,
            Case.docket,
            Case.summons_number,
            Case.county,
            *extra,
        )
        .select_from(Motion)
        .join(Person, Person.id == Motion.person_id)
        .join(Case, Case.id == Motion.case_id)
    )


def _scoped(query: _Q, scope: ReportScope) -> _Q:
    """Limit a query over Motion joined to Case to the report's scope."""
    if scope.kinds:
        query = query.where(Motion.kind.in_(scope.kinds))
    if scope.counties:
        query = query.where(Case.county.in_(scope.counties))
    return query


def _counted(undone: frozenset[str]) -> ColumnElement[bool]:
    """History rows that count as movement: no undo rows, nothing that was undone."""
    allowed = MotionEvent.action.in_(MOVEMENT_ACTIONS)
    if not undone:
        return allowed
    return and_(
        allowed, or_(MotionEvent.group_id.is_(None), MotionEvent.group_id.not_in(sorted(undone)))
    )


def _dimension_labels(session: Session) -> dict[str, Any]:
    events = {
        event_id: f"{name} ({day:%Y-%m-%d})"
        for event_id, name, day in session.execute(
            select(CommunityEvent.id, CommunityEvent.name, CommunityEvent.event_date)
        )
    }
    return {"events": events}


def _targets(
    totals: GroupFigures,
    groups: dict[str, defaultdict[str, GroupFigures]],
    dims: dict[str, Any],
    keys: list[Any],
) -> list[GroupFigures]:
    county, prosecutor, kind, event_id = keys
    labels = (
        county.label if county else None,
        prosecutor or None,
        kind.label if kind else None,
        dims["events"].get(event_id) if event_id is not None else None,
    )
    found = [totals]
    for name, label in zip(DIMENSIONS, labels, strict=True):
        text = label or _NONE_LABELS[name]
        figures = groups[name][text]
        figures.label = text
        found.append(figures)
    return found


def _name(last: str, first: str) -> str:
    return f"{last}, {first}" if first else last
