"""The dashboard: the weekly report's figures for the running week, with a chart.
matplotlib is imported only when the dashboard opens, so the window starts fast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from casetracker.domain.enums import Stage
from casetracker.domain.words import counted
from casetracker.reports.weekly_figures import BUCKETS, MOVEMENT, RESULTS, WeeklyReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def summary_html(data: WeeklyReport) -> str:
    totals = data.totals
    moved = (
        "".join(
            f"<tr><td>{label}</td><td align='right'>{totals.moved[action]:,}</td></tr>"
            for action, label in MOVEMENT
            if totals.moved[action]
        )
        or "<tr><td>Nothing yet</td><td></td></tr>"
    )
    stages = "".join(
        f"<tr><td>{stage.label}</td><td align='right'>{totals.stages[stage]:,}</td></tr>"
        for stage in Stage
    )
    backlog = "".join(
        f"<tr><td>{label}</td><td align='right'>{n:,}</td></tr>"
        for label, n in zip(BUCKETS, totals.backlog, strict=True)
    )
    results = data.results.totals
    done = "".join(
        f"<tr><td>{label}</td><td align='right'>{results.to_date[key]:,}</td>"
        f"<td align='right'>{results.this_week[key]:,}</td></tr>"
        for key, label in RESULTS
    )
    consent = data.consent_to_date
    rate = "n/a" if consent.rate is None else f"{consent.rate:.1%}"
    return (
        f"<h3>{counted(totals.total, 'motion')}, {data.state_title}</h3>"
        f"<p>Week {data.week.title}{' (partial)' if data.partial else ''}.</p>"
        "<table cellspacing='6'><tr><th align='left'>Results</th><th>To date</th>"
        f"<th>This week</th></tr>{done}</table>"
        f"<p>Consent rate to date {rate}: {consent.consents:,} consents of "
        f"{consent.decisions:,} decisions ({consent.info_requests:,} more-information "
        f"requests and {consent.screened_ineligible:,} motions screened ineligible are not "
        "decisions).</p>"
        "<table cellspacing='6'><tr><th align='left'>Stage</th><th>Now</th></tr>"
        f"{stages}</table>"
        "<table cellspacing='6'><tr><th align='left'>Moved this week</th><th>Motions</th></tr>"
        f"{moved}</table>"
        f"<h3>Open work by days in its stage ({totals.open_work:,})</h3>"
        f"<table cellspacing='6'>{backlog}</table>"
        f"<p>Waiting only to be closed (not open work): {totals.waiting_close:,}.<br>"
        f"Overdue sealing deadlines: {data.overdue_count:,}.</p>"
    )


def draw(figure: Figure, data: WeeklyReport) -> None:
    totals = data.totals
    stages = [s for s in Stage if totals.stages[s]]
    left, right = figure.subplots(1, 2)
    left.barh([s.label for s in stages], [totals.stages[s] for s in stages])
    left.invert_yaxis()
    left.set_title("Motions per stage")
    right.bar(list(BUCKETS), totals.backlog, color="#d35400")
    right.set_title("Open work: days in stage")
    right.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()


NO_MOTIONS = "No motions yet"


class DashboardDialog(QDialog):
    def __init__(self, data: WeeklyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dashboard")
        self.summary = QLabel(summary_html(data))
        self.summary.setAccessibleName("Dashboard figures")
        # Long lines (the consent rate's counts) wrap instead of pushing the chart aside.
        self.summary.setWordWrap(True)
        self.summary.setMaximumWidth(520)
        self.chart = self._chart(data)
        layout = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addWidget(self.summary)
        column.addStretch(1)
        layout.addLayout(column)
        layout.addWidget(self.chart, 1)
        self.resize(1200, 560)

    def _chart(self, data: WeeklyReport) -> QWidget:
        """The chart, or, with no motions, a line saying so (empty axes would show a scale
        from -0.04 to 0.04 and nothing on it)."""
        if data.totals.total == 0:
            empty = QLabel(
                f"<h2>{NO_MOTIONS}</h2><p>Import a spreadsheet (File &gt; Import "
                "spreadsheet…) or enter a motion (File &gt; New intake…), and the chart "
                "shows them here.</p>"
            )
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setWordWrap(True)
            empty.setAccessibleName("Dashboard chart")
            return empty
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(9, 4.5))
        draw(figure, data)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setAccessibleName("Dashboard chart")
        return canvas
