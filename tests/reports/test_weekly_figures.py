"""The weekly report's figures, on a known history and on demo data, against an independent
recomputation from the tables (tests/reports/recompute.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import County, Stage
from casetracker.domain.models import MotionEvent
from casetracker.reports.calendar import Week, last_complete_week_end
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import ReportScope
from casetracker.storage.db import Database
from tests.reports import recompute
from tests.reports.known_history import AS_OF, NEW_YORK, WEEK_END, build_known_office

WEEK_START = WEEK_END - timedelta(days=6)


def test_known_week_counts_what_happened_in_the_offices_local_week(db: Database) -> None:
    with db.unit_of_work() as session:
        build_known_office(session)
    with db.unit_of_work() as session:
        report = build_weekly_report(session, WEEK_END, as_of=AS_OF, tz=NEW_YORK)
        independent = recompute.moved_counts(session, WEEK_START, WEEK_END, NEW_YORK)
        independent_backlog = recompute.backlog_buckets(session, AS_OF, NEW_YORK)

    moved = {action: n for action, n in report.totals.moved.items() if n}
    # Stated by hand from known_history: the Sunday-night opposition and the Monday 00:30
    # intake count; the undone consent and the Sunday 23:50 / next-Monday intakes do not;
    # the grant whose undo was undone counts; the prosecutor assignment is no movement.
    assert moved == {
        "intake": 1,
        "verify": 1,
        "screen": 2,
        "consent": 1,
        "oppose": 1,
        "adjourn": 1,
        "grant": 1,
        "notify": 1,
    }
    assert moved == dict(independent)
    assert report.totals.consent_rate == pytest.approx(0.5)
    assert {s.value: n for s, n in report.totals.stages.items() if n} == {
        "intake": 3,
        "screened": 1,
        "consented": 1,
        "opposed": 1,
        "calendared": 1,
        "granted": 1,
        "notified": 1,
    }
    assert len(report.moved) == sum(moved.values())
    assert [r.motion_id for r in report.overdue] and len(report.overdue) == 1
    # Nine open motions; only the March intake has waited over 90 days.
    assert report.totals.backlog == [8, 0, 0, 1]
    assert report.totals.backlog == independent_backlog


def test_every_summary_number_matches_the_tables_on_demo_data(sqlite_db: Database) -> None:
    today = date(2026, 3, 18)
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=600, today=today):
            pass
    with sqlite_db.unit_of_work() as session:
        # The demo's busiest week (ending on a Sunday), so there is plenty to check.
        days = session.scalars(select(MotionEvent.at)).all()
        sundays = Counter(d.date() + timedelta(days=6 - d.date().weekday()) for d in days)
        week_end = sundays.most_common(1)[0][0]
        report = build_weekly_report(session, week_end, as_of=today)
        start = week_end - timedelta(days=6)
        assert report.week == Week(start, week_end)

        assert {s.value: n for s, n in report.totals.stages.items() if n} == dict(
            recompute.stage_counts(session)
        )
        moved = recompute.moved_counts(session, start, week_end, None)
        assert sum(moved.values()) > 20, "the demo week should have movement to check"
        assert {a: n for a, n in report.totals.moved.items() if n} == dict(moved)
        assert report.totals.backlog == recompute.backlog_buckets(session, today, None)
        assert {r.motion_id for r in report.overdue} == recompute.overdue_ids(session, today)

        medians = recompute.median_stays(session, start, week_end, None)
        assert {m.stage.value: (pytest.approx(m.median_days), m.stays) for m in report.medians} == (
            medians
        )

        expected_trend = recompute.trend(session, week_end, None)
        assert [t.counts for t in report.trend] == [dict(c) for c in expected_trend]
        assert report.trend[-1].week.end == week_end

        by_county = recompute.county_stage_counts(session)
        for group in report.breakdowns["County"]:
            assert {s.value: n for s, n in group.stages.items() if n} == dict(
                by_county[group.label]
            )
        for name, groups in report.breakdowns.items():
            assert sum(g.total for g in groups) == report.totals.total, name
            for action in report.totals.moved:
                assert sum(g.moved[action] for g in groups) == report.totals.moved[action]
            assert [sum(g.backlog[i] for g in groups) for i in range(4)] == report.totals.backlog

        # The detail sheets hold every counted move and every open motion.
        assert len(report.moved) == sum(moved.values())
        assert len(report.backlog) == report.totals.open == sum(report.totals.backlog)


def test_scope_limits_every_figure_to_the_chosen_counties(sqlite_db: Database) -> None:
    today = date(2026, 3, 18)
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=300, today=today):
            pass
    scope = ReportScope(counties=(County.BRONX,))
    with sqlite_db.unit_of_work() as session:
        whole = build_weekly_report(session, last_complete_week_end(today), as_of=today)
        bronx = build_weekly_report(
            session, last_complete_week_end(today), as_of=today, scope=scope
        )
    county = next(g for g in whole.breakdowns["County"] if g.label == County.BRONX.label)
    assert bronx.totals.stages == county.stages
    assert bronx.totals.moved == county.moved
    assert bronx.totals.backlog == county.backlog
    assert {r.county for r in bronx.backlog} == {County.BRONX}
    assert [g.label for g in bronx.breakdowns["County"]] == [County.BRONX.label]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 6, 16), date(2025, 6, 15)),  # Monday: yesterday's week is complete
        (date(2025, 6, 15), date(2025, 6, 8)),  # Sunday: this week is still running
        (date(2025, 6, 19), date(2025, 6, 15)),
    ],
)
def test_default_week_is_the_last_complete_one(today: date, expected: date) -> None:
    assert last_complete_week_end(today) == expected
    assert expected.weekday() == 6


def test_stage_labels_cover_every_stage_once(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as session:
        report = build_weekly_report(session, date(2025, 6, 15), as_of=date(2025, 6, 20))
    assert set(report.totals.stages) == set(Stage)
    assert report.totals.total == 0 and report.moved == [] and report.medians == []
    assert report.totals.consent_rate is None
