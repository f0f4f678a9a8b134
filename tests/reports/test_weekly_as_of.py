"""A week's figures are those of its end, whenever they are computed, and the dashboard shows
the same figures as the report because it asks the same function."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from casetracker.domain.enums import County, Stage
from casetracker.domain.models import MotionEvent
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import WeeklyReport
from casetracker.services.dashboard import dashboard
from casetracker.services.motions import undo_group
from casetracker.storage.db import Database
from tests.reports import recompute
from tests.reports.known_history import NEW_YORK, WEEK_END, Office, at, build_known_office

NEXT_WEEK_END = date(2025, 6, 22)


def _figures(report: WeeklyReport) -> tuple[object, ...]:
    return (
        report.totals,
        report.breakdowns,
        report.results,
        report.consent_week,
        report.consent_to_date,
        report.overdue_count,
        report.trend,
        report.medians,
        # The dashboard lists no names.
        [replace(row, person="", reference="") for row in report.moved],
    )


def test_dashboard_and_report_agree_on_undone_and_redone_actions(db: Database) -> None:
    with db.unit_of_work() as session:
        ids = build_known_office(session)
        o = Office(session)
        # This week (Mon 16 to Sun 22 June): a consent undone, then the undo undone (it
        # stands); a filing undone (it does not); a new intake.
        o.move(ids["undone"], Stage.CONSENTED, at(17, 9), group="g-consent")
        first = undo_group(session, "g-consent", user="supervisor", at=at(17, 10))
        undo_group(session, first, user="supervisor", at=at(17, 11))
        filed = date(2025, 6, 18)
        o.move(ids["consented"], Stage.FILED, at(18, 9), group="g-file", filed_date=filed)
        undo_group(session, "g-file", user="supervisor", at=at(18, 10))
        o.new(at(19, 9), county=County.QUEENS)
    now = at(20, 12)
    with db.unit_of_work() as session:
        shown = dashboard(session, now=now, tz=NEW_YORK)
        report = build_weekly_report(session, NEXT_WEEK_END, now=now, tz=NEW_YORK)
        independent = recompute.moved_counts(
            session, date(2025, 6, 16), NEXT_WEEK_END, NEW_YORK, now
        )

    assert shown.week == report.week and shown.partial and report.partial
    assert _figures(shown) == _figures(report)
    # The undone filing and both undos are no movement; the consent whose undo was undone is.
    # The intakes: Monday 00:10 (known_history) and Thursday.
    moved = {action: n for action, n in shown.totals.moved.items() if n}
    assert moved == {"intake": 2, "consent": 1} == dict(independent)
    assert shown.totals.stages[Stage.CONSENTED] == 2
    assert shown.totals.stages[Stage.FILED] == 0
    assert shown.consent_week.consents == 1
    assert "partial" in report.title


def test_a_past_week_made_again_later_equals_the_one_made_when_it_ended(db: Database) -> None:
    with db.unit_of_work() as session:
        ids = build_known_office(session)
    with db.unit_of_work() as session:
        on_monday = build_weekly_report(session, WEEK_END, now=at(16, 9), tz=NEW_YORK)

    with db.unit_of_work() as session:
        # Work done after the week: moves, a new motion, and the week's grant undone again.
        o = Office(session)
        o.move(ids["consented"], Stage.FILED, at(17, 9), filed_date=date(2025, 6, 17))
        o.move(ids["before"], Stage.WITHDRAWN, at(17, 10))
        o.new(at(18, 9), county=County.BRONX)
        redo = session.scalars(
            select(MotionEvent.group_id)
            .where(MotionEvent.motion_id == ids["granted"], MotionEvent.action == "undo")
            .order_by(MotionEvent.id.desc())
        ).first()
        assert redo is not None
        undo_group(session, redo, user="supervisor", at=at(18, 12))
    with db.unit_of_work() as session:
        weeks_later = build_weekly_report(session, WEEK_END, now=at(30, 9), tz=NEW_YORK)
        now_report = build_weekly_report(session, NEXT_WEEK_END, now=at(30, 9), tz=NEW_YORK)

    # Only the moment it was made and the audit chain's head (which grew since) differ.
    assert weeks_later.chain_head != on_monday.chain_head
    same = replace(
        weeks_later, generated_at=on_monday.generated_at, chain_head=on_monday.chain_head
    )
    assert same == on_monday
    # The later work is there when the later week is asked for.
    assert now_report.results.totals.to_date["convictions"] == 1
    assert on_monday.results.totals.to_date["convictions"] == 2
    assert now_report.totals.stages[Stage.WITHDRAWN] == 1
    assert on_monday.totals.stages[Stage.WITHDRAWN] == 0


def test_the_prosecutor_breakdown_is_the_assignment_at_the_end_of_the_week(db: Database) -> None:
    """known_history reassigns the consented motion (to ada.park) after the week: the week's
    breakdown still shows it under ada.stone."""
    with db.unit_of_work() as session:
        build_known_office(session)
    with db.unit_of_work() as session:
        report = build_weekly_report(session, WEEK_END, now=at(20, 12), tz=NEW_YORK)
    labels = {g.label: g.total for g in report.breakdowns["Prosecutor"]}
    assert labels.get("ada.stone") == 1
    assert "ada.park" not in labels
