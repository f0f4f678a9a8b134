"""The dashboard: motions per stage, this week's movement and the backlog's age, with a chart.
matplotlib is imported only when the dashboard opens, so the window starts fast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from casetracker.domain.enums import Stage
from casetracker.services.dashboard import Dashboard

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def summary_html(data: Dashboard) -> str:
    rows = "".join(
        f"<tr><td>{stage.label}</td><td align='right'>{data.per_stage.get(stage, 0):,}</td>"
        f"<td align='right'>{data.this_week.get(stage, 0):,}</td></tr>"
        for stage in Stage
    )
    backlog = "".join(
        f"<tr><td>{label}</td><td align='right'>{n:,}</td></tr>"
        for label, n in data.backlog.items()
    )
    total = sum(data.per_stage.values())
    return (
        f"<h3>{total:,} motions</h3><table cellspacing='6'>"
        "<tr><th align='left'>Stage</th><th>Now</th><th>Moved in this week</th></tr>"
        f"{rows}</table><h3>Open motions by time in their stage</h3>"
        f"<table cellspacing='6'>{backlog}</table>"
    )


def draw(figure: Figure, data: Dashboard) -> None:
    stages = [s for s in Stage if data.per_stage.get(s, 0) or data.this_week.get(s, 0)]
    left, right = figure.subplots(1, 2)
    left.barh([s.label for s in stages], [data.per_stage.get(s, 0) for s in stages])
    left.invert_yaxis()
    left.set_title("Motions per stage")
    right.bar(list(data.backlog), list(data.backlog.values()), color="#d35400")
    right.set_title("Open motions: time in stage")
    right.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()


class DashboardDialog(QDialog):
    def __init__(self, data: Dashboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.setWindowTitle("Dashboard")
        self.summary = QLabel(summary_html(data))
        self.summary.setAccessibleName("Dashboard figures")
        figure = Figure(figsize=(9, 4.5))
        draw(figure, data)
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setAccessibleName("Dashboard chart")
        layout = QHBoxLayout(self)
        column = QVBoxLayout()
        column.addWidget(self.summary)
        column.addStretch(1)
        layout.addLayout(column)
        layout.addWidget(self.canvas, 1)
        self.resize(1200, 560)
