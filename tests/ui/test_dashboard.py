"""The dashboard dialog shows the weekly report's figures for the running week."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from casetracker.devtools.demo import generate_demo
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.services.dashboard import current_week_end, dashboard
from casetracker.storage.db import Database
from tests.support.motions import make_motion
from ui.dashboard_view import DashboardDialog, summary_html

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)"),
]


def test_dashboard_shows_the_reports_figures_for_this_week(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        for _ in generate_demo(session, people=150):
            pass
    with sqlite_db.reading() as session:
        data = dashboard(session)
        report = build_weekly_report(
            session, current_week_end(data.generated_at).date(), details=False
        )
    html = summary_html(data)
    assert "(partial)" in html and f"{data.totals.total:,} motions" in html
    cleared = data.results.totals.to_date["people_cleared"]
    assert cleared == report.results.totals.to_date["people_cleared"] and cleared > 0
    assert f"<td>People cleared</td><td align='right'>{cleared:,}</td>" in html
    assert f"Waiting only to be closed (not open work): {data.totals.waiting_close:,}" in html
    dialog = DashboardDialog(data)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == html


def test_empty_dashboard_says_there_are_no_motions_instead_of_empty_axes(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.reading() as session:
        data = dashboard(session)
    assert data.totals.total == 0
    dialog = DashboardDialog(data)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.chart, QLabel)
    assert "No motions yet" in dialog.chart.text()
    assert "<h3>0 motions," in dialog.summary.text()
    assert not dialog.findChildren(FigureCanvasQTAgg)


def test_dashboard_with_one_motion_says_one_motion_and_draws_the_chart(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.unit_of_work() as session:
        make_motion(session)
    with sqlite_db.reading() as session:
        data = dashboard(session)
    dialog = DashboardDialog(data)
    qtbot.addWidget(dialog)
    assert "<h3>1 motion," in dialog.summary.text()
    assert isinstance(dialog.chart, FigureCanvasQTAgg)
