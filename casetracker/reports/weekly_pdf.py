"""The weekly summary as two printable pages with charts, for readers who do not open
spreadsheets. The figures are the same WeeklyReport the workbook is written from."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from casetracker.domain.enums import Stage
from casetracker.reports.pdf_doc import ReportPDF
from casetracker.reports.weekly_figures import (
    BUCKETS,
    MOVEMENT,
    RESULTS,
    TREND_SERIES,
    WeeklyReport,
)

_BLUE = "#305496"
_CHARTED = 5


def write_weekly_pdf(report: WeeklyReport, path: Path) -> None:
    pdf = ReportPDF(
        report.title,
        f"Week {report.week.title}. Covers {report.scope.title}. Figures {report.state_title}. "
        f"Audit chain head: {report.chain_head or 'none yet'}.",
    )
    _first_page(pdf, report)
    _movement_page(pdf, report)
    _second_page(pdf, report)
    pdf.save(path)


def _first_page(pdf: ReportPDF, report: WeeklyReport) -> None:
    pdf.add_page()
    totals = report.totals
    top = pdf.get_y()
    pdf.heading("Results")
    results = report.results.totals
    rows = [
        [label, f"{results.to_date[key]:,}", f"{results.this_week[key]:,}"]
        for key, label in RESULTS
    ]
    pdf.table_of(["Result", "To date", "This week"], rows, width=92, widths=(50, 21, 21))
    pdf.heading("Open work by days in the current stage")
    rows = [[label, f"{n:,}"] for label, n in zip(BUCKETS, totals.backlog, strict=True)]
    rows.append(["Open work", f"{totals.open_work:,}"])
    rows.append(["Waiting only to be closed", f"{totals.waiting_close:,}"])
    rows.append(["Overdue sealing deadlines", f"{report.overdue_count:,}"])
    pdf.table_of(["Days in stage", "Motions"], rows, width=92, widths=(66, 26))

    figure = Figure(figsize=(7.4, 5.2))
    axes = figure.add_subplot()
    stages = list(Stage)
    counts = [totals.stages[s] for s in stages]
    bars = axes.barh([s.label for s in stages], counts, color=_BLUE)
    axes.bar_label(bars, labels=[f"{c:,}" for c in counts], padding=3, fontsize=8)
    axes.invert_yaxis()
    axes.set_title(f"Motions by stage ({totals.total:,} in all, {totals.open:,} open)")
    axes.set_xlabel("Motions")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(counts + [1]) * 1.15)
    pdf.figure(figure, x=112, y=top, w=155)


def _movement_page(pdf: ReportPDF, report: WeeklyReport) -> None:
    pdf.add_page()
    top = pdf.get_y()
    totals = report.totals
    pdf.heading("Movement during the week")
    rows = [[label, f"{totals.moved[action]:,}"] for action, label in MOVEMENT]
    pdf.table_of(["Action", "Motions"], rows, width=92, widths=(66, 26))
    left = pdf.l_margin
    pdf.set_xy(112, top)
    pdf.set_left_margin(112)
    pdf.heading("Consent rate, with its counts")
    rows = [
        [
            period,
            _percent(counts.rate),
            f"{counts.consents:,}",
            f"{counts.oppositions:,}",
            f"{counts.info_requests:,}",
            f"{counts.screened_ineligible:,}",
        ]
        for period, counts in (
            ("This week", report.consent_week),
            ("To date", report.consent_to_date),
        )
    ]
    pdf.table_of(
        ["", "Rate", "Consents", "Oppositions", "Info requests", "Ineligible"],
        rows,
        width=150,
        widths=(24, 20, 24, 26, 30, 26),
    )
    pdf.set_font("DejaVu", "", 7.5)
    pdf.multi_cell(
        150,
        3.8,
        "Rate = consents / (consents + oppositions): this week over the decisions made this "
        "week, to date over the motions whose decision stands. More-information requests and "
        "motions screened ineligible are not decisions and are left out of the rate.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.heading("Median days in stage")
    pdf.set_font("DejaVu", "", 7.5)
    pdf.cell(0, 4, "Stays that ended this week", new_x="LMARGIN", new_y="NEXT")
    rows = [[m.stage.label, f"{m.median_days:.1f}", f"{m.stays:,}"] for m in report.medians]
    if not rows:
        rows = [["No motion left a stage this week", "", ""]]
    pdf.table_of(["Stage left", "Median days", "Stays"], rows, width=97, widths=(49, 26, 22))
    pdf.set_left_margin(left)


def _second_page(pdf: ReportPDF, report: WeeklyReport) -> None:
    pdf.add_page()
    top = pdf.get_y()
    figure = Figure(figsize=(7.4, 3.9))
    axes = figure.add_subplot()
    ends = [f"{w.week.end:%d %b}" for w in report.trend]
    for title, actions in TREND_SERIES[:_CHARTED]:
        axes.plot(ends, [w.series(actions) for w in report.trend], marker="o", label=title)
    axes.set_title(f"Weekly movement, last {len(report.trend)} weeks (week ending)")
    axes.set_ylabel("Motions")
    axes.tick_params(axis="x", labelsize=7, rotation=45)
    axes.legend(fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    pdf.figure(figure, x=pdf.l_margin, y=top, w=150)
    left = pdf.l_margin
    pdf.set_xy(left, top + 90)
    pdf.heading("By county")
    titles = ["County", "Open", "New", "Consents", "Opposed", "Granted", "Sealed", "Consent %"]
    titles += [label.replace(" days", "").replace("Over a year", "Over 1 yr") for label in BUCKETS]
    rows = []
    for g in [*report.breakdowns["County"], report.totals]:
        rows.append(
            [
                g.label,
                f"{g.open:,}",
                f"{g.moved['intake'] + g.moved['import']:,}",
                f"{g.moved['consent']:,}",
                f"{g.moved['oppose']:,}",
                f"{g.moved['grant']:,}",
                f"{g.moved['seal']:,}",
                _percent(g.consent_rate),
                *(f"{n:,}" for n in g.backlog),
            ]
        )
    pdf.table_of(titles, rows, widths=(46, *([17] * (len(titles) - 1))), font_size=7.5)
    pdf.set_font("DejaVu", "", 7)
    pdf.multi_cell(
        0,
        3.5,
        "New, consents, oppositions, granted and sealed are this week's movement; the last "
        "columns are open work by days in its current stage. Actions undone before the end of "
        "the week are not counted. Consent rate = consents / (consents + oppositions).",
    )


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
