"""Computing the weekly report's figures from the history, as of the end of the week.

This is the one function behind the report and the dashboard (services/dashboard.py asks it
for the week that is running), so the two cannot disagree. Choices the numbers rest on (the
report prints them in its notes):
- Everything is taken as of the cutoff: the end of the week's last local day, or the moment
  the report is made when the week has not ended (the report then says "partial"). Only
  history written before the cutoff counts, undos included, so a past week made again later
  gives the same figures, whatever work was done since.
- Movement is counted from the history (motion_event) by action, for events inside the
  week's local days. An action undone before the cutoff is not counted, and the undo itself
  is not movement. (An undo that was itself undone puts the original action back.)
- Stage counts, the backlog and its ages are each motion's state at the cutoff, rebuilt from
  the history (weekly_state.py). Days in stage are local calendar days from the time the
  motion entered its stage to the last day of the figures. "Open" means every stage but
  Closed and Withdrawn; open motions waiting only for "close" (notified, denied, opposed and
  signed off) are shown apart from open work.
- Results count things, once: a conviction or warrant vacated (a granted motion), a case
  dismissed or sealed, a person cleared (a distinct person with a granted motion) or
  notified. "This week" is what stood at the cutoff and not at the start of the week.
- Consent rate to date is over the motions whose standing decision is consent or oppose;
  this week's is over the decisions made this week. Neither counts more-information
  requests or motions screened ineligible, which are not decisions.
- Median days in a stage is over the stays that ended during the week: for each move out of
  a stage (adjournment and re-screening included, as they start a fresh stay), the time
  since the motion entered that stage.
- Breakdowns use the motion's county, kind and community event, and the prosecutor assigned
  at the cutoff.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, true
from sqlalchemy.orm import Session

from casetracker.domain.clock import utcnow
from casetracker.domain.enums import County, MotionKind, Stage
from casetracker.domain.models import Case, CommunityEvent, Motion, MotionEvent
from casetracker.reports.calendar import Week, local_midnight_utc, to_local, week_bounds_utc
from casetracker.reports.weekly_figures import (
    MOVEMENT_ACTIONS,
    OPEN_STAGES,
    RESULTS,
    SEALED_NAME,
    TREND_WEEKS,
    WAITING_CLOSE_STAGES,
    BacklogRow,
    ConsentCounts,
    GroupFigures,
    MedianStay,
    MovedRow,
    OverdueRow,
    Progress,
    ReportScope,
    ResultCounts,
    Results,
    TrendWeek,
    WeeklyReport,
    bucket_of,
)
from casetracker.reports.weekly_state import (
    Event,
    MotionState,
    as_date,
    as_utc,
    events_since,
    read_states,
    roll_back,
)
from casetracker.storage.chain import chain_head

DIMENSIONS = ("County", "Prosecutor", "Motion kind", "Community event")
_NONE_LABELS = {
    "County": "(no county)",
    "Prosecutor": "(unassigned)",
    "Motion kind": "(none)",
    "Community event": "(not from an event)",
}
_STEPS = 5
_STAGES = {s.value: s for s in Stage}
_KINDS = {k.value: k for k in MotionKind}
_COUNTIES = {c.value: c for c in County}
_OPEN = frozenset(s.value for s in OPEN_STAGES)
_WAITING = frozenset(s.value for s in WAITING_CLOSE_STAGES)
_MOVEMENT = frozenset(MOVEMENT_ACTIONS)
_KIND_LABELS = {k.value: k.label for k in MotionKind}
_COUNTY_LABELS: dict[str | None, str] = {c.value: c.label for c in County}
_COUNTY_LABELS[None] = "(no county)"


def build_weekly_report(
    session: Session,
    week_ending: date,
    *,
    scope: ReportScope | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    progress: Progress | None = None,
    details: bool = True,
    hide_sealed: bool = False,
) -> WeeklyReport:
    """The figures of the week ending `week_ending`, as of its end (or of `now` when it has
    not ended); `details` adds what the detail sheets list by name (the open backlog and the
    overdue sealing deadlines; this week's moves are always listed, the medians need them).
    `hide_sealed`: the reader may not see sealed records by name (accounts.sealed), so the
    detail rows of motions sealed now show no name, number or reason; figures are the same."""
    scope = scope or ReportScope()
    now = now or utcnow()
    week = Week.ending(week_ending)
    start, week_end = week_bounds_utc(week, tz)
    cutoff = min(now, week_end)
    partial = now < week_end
    # The last local day inside the cutoff: ages are counted to it.
    as_of = to_local(cutoff - timedelta(microseconds=1), tz).date()
    step = _Stepper(progress)

    step("Reading the history since the week began")
    events = events_since(session, min(start, cutoff))
    undone = undone_groups(session, before=cutoff)
    step("Rebuilding each motion as it stood at the end of the week")
    states = read_states(session, details)
    if scope.kinds or scope.counties:
        states = (s for s in states if _in_scope(s, scope))
    now_states = {s.id: s for s in states}
    at_cutoff = dict(now_states)
    roll_back(at_cutoff, (e for e in events if e.at >= cutoff))
    at_start = dict(at_cutoff)
    roll_back(at_start, (e for e in events if e.at < cutoff))

    step("Counting stages, backlog and results")
    counter = _Figures(_event_labels(session))
    ages = _Ages(as_of, tz)
    backlog: list[BacklogRow] = []
    overdue: list[OverdueRow] = []
    results = _ResultSets()
    overdue_count = 0
    for motion_id, state in at_cutoff.items():
        before = at_start[motion_id]
        if before is state:
            results.add(state, results.unchanged)
        else:
            if before.exists:
                results.add(before, results.changed_start)
            if state.exists:
                results.add(state, results.changed_cutoff)
        if not state.exists:
            continue
        stage = _STAGES[state.stage]
        days, index = ages.days(state.entered)
        is_open = stage in _OPEN
        waiting = stage in _WAITING or (stage == Stage.OPPOSED and state.signed_off is not None)
        for figures in counter.targets(state):
            figures.stages[stage] += 1
            if is_open:
                if waiting:
                    figures.waiting_close += 1
                else:
                    figures.backlog[index] += 1
        deadline = as_date(state.sealing_deadline) if stage == Stage.GRANTED else None
        if deadline is not None and deadline < as_of:
            overdue_count += 1
            if details:
                overdue.append(
                    OverdueRow(
                        motion_id,
                        _name(state.last_name, state.first_name),
                        state.reference,
                        _COUNTIES.get(state.county or ""),
                        state.prosecutor,
                        as_date(state.order_date),
                        deadline,
                        (as_of - deadline).days,
                    )
                )
        if details and is_open:
            backlog.append(
                BacklogRow(
                    motion_id,
                    _name(state.last_name, state.first_name),
                    state.reference,
                    _COUNTIES.get(state.county or ""),
                    _KINDS[state.kind],
                    stage,
                    state.prosecutor,
                    as_of - timedelta(days=days),
                    days,
                    waiting,
                )
            )
    # Longest waiting first, as the office works the backlog.
    backlog.sort(key=attrgetter("entered", "motion_id"))
    overdue.sort(key=attrgetter("deadline", "motion_id"))
    masked = _mask_sealed(now_states, backlog, overdue) if hide_sealed else 0

    step("Counting this week's movement")
    week_events = [
        e
        for e in events
        if start <= e.at < cutoff
        and e.action in _MOVEMENT
        and e.group_id not in undone
        and e.motion_id in at_cutoff
    ]
    for event in week_events:
        for figures in counter.targets(at_cutoff[event.motion_id]):
            figures.moved[event.action] += 1
    moved = moved_rows(week_events, at_cutoff, tz)
    if hide_sealed:
        masked += _mask_sealed(now_states, moved)

    step("Drawing the 12-week trend")
    trend = trend_weeks(session, week, cutoff, scope, undone, tz)
    consent_week = ConsentCounts(
        consents=counter.totals.moved["consent"],
        oppositions=counter.totals.moved["oppose"],
        info_requests=counter.totals.moved["request_info"],
        screened_ineligible=results.ineligible_this_week(),
    )

    return WeeklyReport(
        week=week,
        as_of=as_of,
        cutoff=to_local(cutoff, tz),
        partial=partial,
        generated_at=to_local(now, tz),
        scope=scope,
        totals=counter.totals,
        consent_week=consent_week,
        consent_to_date=results.consent_to_date(),
        results=results.results(),
        overdue_count=overdue_count,
        sealed_masked=masked,
        chain_head=chain_head(session),
        medians=median_stays(moved),
        breakdowns=counter.breakdowns(),
        trend=trend,
        moved=moved,
        backlog=backlog,
        overdue=overdue,
    )


def _mask_sealed(states: dict[int, MotionState], *lists: list[Any]) -> int:
    """Blank the name, number and reason of the rows of motions that are sealed now (granted,
    whenever the week was): sealing applies from the order on, also to old weeks' reports."""
    count = 0
    for rows in lists:
        for index, row in enumerate(rows):
            state = states.get(row.motion_id)
            if state is not None and state.outcome == "granted":
                changes: dict[str, Any] = {"person": SEALED_NAME, "reference": ""}
                if isinstance(row, MovedRow):
                    changes["reason"] = ""
                rows[index] = replace(row, **changes)
                count += 1
    return count


def undone_groups(session: Session, before: datetime | None = None) -> frozenset[str]:
    """Groups whose undo stands at `before` (now when None). An undo is itself a group and
    may be undone, which puts the original action back; undo_group refuses a second undo of
    the same group. Undos written at or after `before` have not happened yet."""
    undo_of: dict[str, str] = {}
    # Only undo rows have undoes_group, and its index holds only them; the time is checked
    # here, as asking SQL for it would make it scan the history by time instead.
    query = (
        select(MotionEvent.group_id, MotionEvent.undoes_group, MotionEvent.at)
        .where(MotionEvent.undoes_group.is_not(None))
        .distinct()
    )
    for group_id, target, at in session.execute(query):
        if group_id is not None and target is not None and (before is None or at < before):
            undo_of[group_id] = target
    undone_by = {target: undo for undo, target in undo_of.items()}

    def is_undone(group: str, seen: frozenset[str] = frozenset()) -> bool:
        undo = undone_by.get(group)
        if undo is None or undo in seen:
            return False
        return not is_undone(undo, seen | {group})

    return frozenset(g for g in undone_by if is_undone(g))


def moved_rows(
    events: Iterable[Event], states: dict[int, MotionState], tz: tzinfo | None
) -> list[MovedRow]:
    """The counted moves, with the time each motion spent in the stage it left: the history
    keeps when the motion had entered it (the "before" of stage_entered_at); a move that did
    not change it left a stay that began at the same moment."""
    rows = []
    for e in events:
        state = states[e.motion_id]
        days: float | None = None
        if e.from_stage is not None:
            entered = e.changes.get("stage_entered_at")
            began = as_utc(entered[0]) if entered and entered[0] else e.at
            days = (e.at - began).total_seconds() / 86400
        rows.append(
            MovedRow(
                event_id=e.id,
                motion_id=e.motion_id,
                person=_name(state.last_name, state.first_name),
                reference=state.reference,
                county=_COUNTIES.get(state.county or ""),
                kind=_KINDS[state.kind],
                action=e.action,
                from_stage=_STAGES.get(e.from_stage or ""),
                to_stage=_STAGES[e.to_stage],
                user=e.user,
                at=to_local(e.at, tz),
                days_in_previous=days,
                reason=e.reason,
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


def trend_weeks(
    session: Session,
    week: Week,
    cutoff: datetime,
    scope: ReportScope,
    undone: frozenset[str],
    tz: tzinfo | None,
    weeks: int = TREND_WEEKS,
) -> list[TrendWeek]:
    """Movement per week for `weeks` weeks ending with `week`, oldest first."""
    periods = [week.earlier(n) for n in range(weeks - 1, -1, -1)]
    ends = [min(week_bounds_utc(p, tz)[1], cutoff) for p in periods]
    first_start = week_bounds_utc(periods[0], tz)[0]
    index = case(*((MotionEvent.at < e, i) for i, e in enumerate(ends)), else_=weeks)
    query = (
        select(index, MotionEvent.action, func.count())
        .where(
            MotionEvent.at >= first_start,
            MotionEvent.at < ends[-1],
            MotionEvent.action.in_(MOVEMENT_ACTIONS),
            _standing(undone),
        )
        .group_by(index, MotionEvent.action)
    )
    if scope.kinds or scope.counties:
        query = query.where(MotionEvent.motion_id.in_(_scoped_ids(scope)))
    counts: list[dict[str, int]] = [{} for _ in periods]
    for i, action, count in session.execute(query):
        if i < weeks:
            counts[i][action] = count
    return [TrendWeek(p, c) for p, c in zip(periods, counts, strict=True)]


# -- helpers --------------------------------------------------------------------------------


class _Figures:
    """The summary numbers, for all motions and for each value of each dimension."""

    def __init__(self, event_labels: dict[int, str]) -> None:
        self.totals = GroupFigures("All motions")
        self.groups: dict[str, dict[Any, GroupFigures]] = {name: {} for name in DIMENSIONS}
        self.event_labels = event_labels
        self.cache: dict[tuple[Any, ...], tuple[GroupFigures, ...]] = {}

    def targets(self, state: MotionState) -> tuple[GroupFigures, ...]:
        key = (state.county, state.prosecutor or None, state.kind, state.event_id)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = (
                self.totals,
                self._group("County", key[0]),
                self._group("Prosecutor", key[1]),
                self._group("Motion kind", key[2]),
                self._group("Community event", key[3]),
            )
        return found

    def _group(self, name: str, key: Any) -> GroupFigures:
        found = self.groups[name].get(key)
        if found is None:
            found = self.groups[name][key] = GroupFigures(self._label(name, key))
        return found

    def _label(self, name: str, key: Any) -> str:
        label: str | None = None
        if key is not None:
            if name == "County":
                label = _COUNTIES[key].label if key in _COUNTIES else str(key)
            elif name == "Motion kind":
                label = _KINDS[key].label if key in _KINDS else str(key)
            elif name == "Community event":
                label = self.event_labels.get(key)
            else:
                label = str(key)
        return label or _NONE_LABELS[name]

    def breakdowns(self) -> dict[str, list[GroupFigures]]:
        return {
            name: sorted(
                self.groups[name].values(), key=lambda g: (g.label.startswith("("), g.label)
            )
            for name in DIMENSIONS
        }


class _ResultSets:
    """Things reached, as sets per (result, dimension, label), so a thing reached by two
    motions counts once. Motions unchanged since the week began count the same at its start
    and at the cutoff; only the few that changed are kept twice."""

    def __init__(self) -> None:
        self.unchanged: dict[tuple[str, str, str], set[Any]] = defaultdict(set)
        self.changed_start: dict[tuple[str, str, str], set[Any]] = defaultdict(set)
        self.changed_cutoff: dict[tuple[str, str, str], set[Any]] = defaultdict(set)
        self.decisions: dict[str, int] = defaultdict(int)

    def add(self, state: MotionState, into: dict[tuple[str, str, str], set[Any]]) -> None:
        if state.decision is not None and into is not self.changed_start:
            self.decisions[state.decision] += 1
        if (
            state.outcome is None
            and state.sealed is None
            and state.notified is None
            and state.screening != "ineligible"
        ):
            return
        found: list[tuple[str, Any]] = []
        if state.outcome == "granted":
            vacated = "convictions" if state.kind == MotionKind.CONVICTION_VACATUR else "warrants"
            found += [(vacated, state.id), ("cases", state.case_id)]
            found.append(("people_cleared", state.person_id))
        if state.sealed is not None:
            found.append(("sealed", state.case_id))
        if state.notified is not None:
            found.append(("people_notified", state.person_id))
        if state.screening == "ineligible":
            found.append(("ineligible", state.id))
        if not found:
            return
        kind = _KIND_LABELS.get(state.kind, state.kind)
        county = _COUNTY_LABELS.get(state.county) or str(state.county)
        for measure, key in found:
            into[(measure, "all", "")].add(key)
            into[(measure, "kind", kind)].add(key)
            into[(measure, "county", county)].add(key)

    def _count(self, key: tuple[str, str, str]) -> tuple[int, int]:
        """(to date, this week): what stands at the cutoff, and what of it did not stand at
        the start of the week."""
        same = self.unchanged.get(key, set())
        now = self.changed_cutoff.get(key, set())
        then = self.changed_start.get(key, set())
        return len(same) + len(now - same), len(now - same - then)

    def _counts(self, dimension: str, label: str) -> ResultCounts:
        counts = ResultCounts()
        for measure, _ in RESULTS:
            counts.to_date[measure], counts.this_week[measure] = self._count(
                (measure, dimension, label)
            )
        return counts

    def results(self) -> Results:
        found = {label for (_, dim, label) in (*self.unchanged, *self.changed_cutoff)}
        counties = sorted(
            {label for label in found if label in _COUNTY_LABELS.values()},
            key=lambda label: (label.startswith("("), label),
        )
        return Results(
            self._counts("all", ""),
            {k.label: self._counts("kind", k.label) for k in MotionKind},
            {label: self._counts("county", label) for label in counties},
        )

    def ineligible_this_week(self) -> int:
        return self._count(("ineligible", "all", ""))[1]

    def consent_to_date(self) -> ConsentCounts:
        return ConsentCounts(
            consents=self.decisions["consent"],
            oppositions=self.decisions["oppose"],
            info_requests=self.decisions["info"],
            screened_ineligible=self._count(("ineligible", "all", ""))[0],
        )


class _Ages:
    """Local calendar days from a stored time to `as_of`, for every motion: a binary search
    among the local midnights rather than a time-zone conversion each. Times older than the
    span searched are converted one by one."""

    SPAN = 4000

    def __init__(self, as_of: date, tz: tzinfo | None) -> None:
        self.as_of, self.tz = as_of, tz
        days = [as_of - timedelta(days=n) for n in range(self.SPAN, -1, -1)]
        self.aware = [local_midnight_utc(day, tz) for day in days]
        self.naive = [moment.replace(tzinfo=None) for moment in self.aware]

        # Days and age bucket by how many midnights a time is past.
        self.by_index = [(0, 0)] + [
            (max(self.SPAN - (i - 1), 0), bucket_of(max(self.SPAN - (i - 1), 0)))
            for i in range(1, len(days) + 1)
        ]

    def days(self, value: Any) -> tuple[int, int]:
        """(days, age bucket)."""
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        bounds = self.naive if moment.tzinfo is None else self.aware
        index = bisect_right(bounds, moment)
        if index == 0:
            days = (self.as_of - to_local(as_utc(moment), self.tz).date()).days
            return days, bucket_of(days)
        return self.by_index[index]


class _Stepper:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0

    def __call__(self, text: str) -> None:
        if self.progress is not None:
            self.progress(self.done, _STEPS, text)
        self.done += 1


def _in_scope(state: MotionState, scope: ReportScope) -> bool:
    if scope.kinds and state.kind not in scope.kinds:
        return False
    return not (scope.counties and state.county not in scope.counties)


def _scoped_ids(scope: ReportScope) -> Any:
    query = select(Motion.id).join(Case, Case.id == Motion.case_id)
    if scope.kinds:
        query = query.where(Motion.kind.in_(scope.kinds))
    if scope.counties:
        query = query.where(Case.county.in_(scope.counties))
    return query


def _standing(undone: frozenset[str]) -> ColumnElement[bool]:
    """History rows whose action was not undone before the cutoff."""
    if not undone:
        return true()
    return or_(MotionEvent.group_id.is_(None), MotionEvent.group_id.not_in(sorted(undone)))


def _bucket(entered: datetime, thresholds: list[datetime]) -> int:
    for index, threshold in enumerate(thresholds):
        if entered >= threshold:
            return index
    return len(thresholds)


def _event_labels(session: Session) -> dict[int, str]:
    return {
        event_id: f"{name} ({day:%Y-%m-%d})"
        for event_id, name, day in session.execute(
            select(CommunityEvent.id, CommunityEvent.name, CommunityEvent.event_date)
        )
    }


def _name(last: str, first: str) -> str:
    return f"{last}, {first}" if first else last
