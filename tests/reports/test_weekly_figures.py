"""The weekly report's figures, on a known history and on demo data, against an independent
recomputation from the tables (tests/reports/recompute.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from casetracker.devtools.demo import generate_demo
from casetracker.domain.enums import County, Stage
from casetracker.domain.models import MotionEvent
from casetracker.reports.calendar import Week, last_complete_week_end, local_midnight_utc
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import ReportScope
from casetracker.storage.db import Database
from tests.reports import recompute
from tests.reports.known_history import NEW_YORK, WEEK_END, at, build_known_office

WEEK_START = WEEK_END - timedelta(days=6)


def _noon(day: date) -> datetime:
    return local_midnight_utc(day, None) + timedelta(hours=12)


def test_known_week_counts_what_happened_in_the_offices_local_week(db: Database) -> None:
    with db.unit_of_work() as session:
        build_known_office(session)
    cutoff = at(16, 0)  # the end of Sunday 15 June in New York
    with db.unit_of_work() as session:
        report = build_weekly_report(session, WEEK_END, now=at(20, 12), tz=NEW_YORK)
        independent = recompute.moved_counts(session, WEEK_START, WEEK_END, NEW_YORK, cutoff)
        independent_backlog = recompute.backlog_buckets(session, cutoff, WEEK_END, NEW_YORK)
        independent_results = recompute.results(session, WEEK_START, cutoff, NEW_YORK)

    assert not report.partial and report.as_of == WEEK_END
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
    # As the week ended: the intake of Monday 16 June is not there yet.
    assert {s.value: n for s, n in report.totals.stages.items() if n} == {
        "intake": 2,
        "screened": 1,
        "consented": 1,
        "opposed": 1,
        "calendared": 1,
        "granted": 1,
        "notified": 1,
    }
    assert len(report.moved) == sum(moved.values())
    assert [r.motion_id for r in report.overdue] and report.overdue_count == 1
    # Eight open motions: the notified one waits only to be closed; of the seven open work,
    # only the March intake (104 days by 15 June) is older than 90 days.
    assert report.totals.backlog == [6, 0, 1, 0, 0]
    assert report.totals.waiting_close == 1
    assert (report.totals.backlog, report.totals.waiting_close) == independent_backlog
    # Two grants stand (the re-done one this week, March's), one sealing, one notification.
    results = report.results.totals
    assert results.to_date == {
        "convictions": 2,
        "warrants": 0,
        "cases": 2,
        "sealed": 1,
        "people_cleared": 2,
        "people_notified": 1,
    }
    assert results.this_week == {
        "convictions": 1,
        "warrants": 0,
        "cases": 1,
        "sealed": 0,
        "people_cleared": 1,
        "people_notified": 1,
    }
    assert (results.to_date, results.this_week) == independent_results
    by_county = report.results.by_county
    assert by_county[County.NEW_YORK.label].to_date["convictions"] == 1
    assert by_county[County.RICHMOND.label].this_week["people_notified"] == 1
    assert report.results.by_kind["Conviction vacatur"].to_date == results.to_date
    # Consents to date: four motions stand consented; the undone one does not.
    assert report.consent_to_date.consents == 4 and report.consent_to_date.oppositions == 1
    assert report.consent_week.decisions == 2


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
        report = build_weekly_report(session, week_end, now=_noon(today))
        start = week_end - timedelta(days=6)
        assert report.week == Week(start, week_end)
        cutoff = local_midnight_utc(week_end + timedelta(days=1), None)

        assert {s.value: n for s, n in report.totals.stages.items() if n} == dict(
            recompute.stage_counts_at(session, cutoff)
        )
        moved = recompute.moved_counts(session, start, week_end, None, cutoff)
        assert sum(moved.values()) > 20, "the demo week should have movement to check"
        assert {a: n for a, n in report.totals.moved.items() if n} == dict(moved)
        assert (report.totals.backlog, report.totals.waiting_close) == recompute.backlog_buckets(
            session, cutoff, week_end, None
        )
        assert {r.motion_id for r in report.overdue} == recompute.overdue_ids(
            session, cutoff, week_end
        )
        results = report.results.totals
        assert (results.to_date, results.this_week) == recompute.results(
            session, start, cutoff, None
        )

        medians = recompute.median_stays(session, start, week_end, None, cutoff)
        assert {m.stage.value: (pytest.approx(m.median_days), m.stays) for m in report.medians} == (
            medians
        )

        expected_trend = recompute.trend(session, week_end, None, cutoff)
        assert [t.counts for t in report.trend] == [dict(c) for c in expected_trend]
        assert report.trend[-1].week.end == week_end

        by_county = recompute.county_stage_counts(session, cutoff)
        for group in report.breakdowns["County"]:
            assert {s.value: n for s, n in group.stages.items() if n} == dict(
                by_county[group.label]
            )
        for name, groups in report.breakdowns.items():
            assert sum(g.total for g in groups) == report.totals.total, name
            for action in report.totals.moved:
                assert sum(g.moved[action] for g in groups) == report.totals.moved[action]
            assert [sum(g.backlog[i] for g in groups) for i in range(5)] == report.totals.backlog

        # The detail sheets hold every counted move and every open motion.
        assert len(report.moved) == sum(moved.values())
        assert len(report.backlog) == report.totals.open
        assert report.totals.open == sum(report.totals.backlog) + report.totals.waiting_close


def test_scope_limits_every_figure_to_the_chosen_counties(sqlite_db: Database) -> None:
    today = date(2026, 3, 18)
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=300, today=today):
            pass
    scope = ReportScope(counties=(County.BRONX,))
    with sqlite_db.unit_of_work() as session:
        whole = build_weekly_report(session, last_complete_week_end(today), now=_noon(today))
        bronx = build_weekly_report(
            session, last_complete_week_end(today), now=_noon(today), scope=scope
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
        report = build_weekly_report(session, date(2025, 6, 15), now=_noon(date(2025, 6, 20)))
    assert set(report.totals.stages) == set(Stage)
    assert report.totals.total == 0 and report.moved == [] and report.medians == []
    assert report.totals.consent_rate is None
