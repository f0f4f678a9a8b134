"""`casetracker report`: the weekly status report and the other exports, from the command line.

Each report imports its own writer when it runs: the PDF ones bring matplotlib and fpdf2, a
second or more that the weekly workbook alone does not need to wait for."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from casetracker.accounts import audit
from casetracker.accounts.sealed import hides_sealed, left_out_note, sealed_filter
from casetracker.cli.args import signed_in
from casetracker.cli.motions_cmd import _counties, _parse_all, motion_filter
from casetracker.domain.clock import today
from casetracker.domain.enums import MotionKind
from casetracker.domain.errors import InvalidValueError
from casetracker.reports.calendar import last_complete_week_end
from casetracker.reports.weekly_data import build_weekly_report
from casetracker.reports.weekly_figures import ReportScope
from casetracker.reports.weekly_xlsx import weekly_file_name, write_weekly_xlsx
from casetracker.services.search import refresh_search


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("report", help="write reports and exports")
    kinds = parser.add_subparsers(dest="report", metavar="REPORT", required=True)

    weekly = kinds.add_parser("weekly", parents=[common], help="the weekly status report")
    weekly.add_argument(
        "--week-ending",
        metavar="YYYY-MM-DD",
        type=_date,
        help="last day of the week (default: the last Sunday before today)",
    )
    weekly.add_argument(
        "--out",
        type=Path,
        metavar="FILE.xlsx",
        help="default: weekly-report-WEEK-ENDING.xlsx in the current folder",
    )
    weekly.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="also the summary as PDF")
    weekly.add_argument("--county", action="append", default=[], help="only this county")
    weekly.add_argument("--kind", action="append", default=[], help="only this kind")
    weekly.set_defaults(handler=run_weekly)

    court = kinds.add_parser("court-list", parents=[common], help="a court list (xlsx or pdf)")
    court.add_argument("--date", required=True, metavar="YYYY-MM-DD", type=_date)
    court.add_argument("--part", required=True)
    court.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FILE.pdf")
    court.set_defaults(handler=run_court_list)

    defenders = kinds.add_parser(
        "defenders", parents=[common], help="people whose cases were granted, for notification"
    )
    defenders.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    defenders.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="granted on/after")
    defenders.add_argument("--org", help="only this defense organization")
    defenders.set_defaults(handler=run_defenders)

    table = kinds.add_parser("table", parents=[common], help="the motions table (xlsx or csv)")
    table.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FILE.csv")
    table.add_argument("--stage", action="append", default=[], help="stage (repeatable)")
    table.add_argument("--kind", action="append", default=[], help="kind (repeatable)")
    table.add_argument("--county", action="append", default=[], help="county (repeatable)")
    table.add_argument("--prosecutor", help="assigned prosecutor")
    table.add_argument("--search", default="", help="words to find in names and numbers")
    table.set_defaults(handler=run_table)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def _check_suffix(path: Path, allowed: tuple[str, ...]) -> None:
    if path.suffix.lower() not in allowed:
        raise InvalidValueError(f"{path.name}: the file name must end in {' or '.join(allowed)}.")


def run_weekly(args: argparse.Namespace) -> int:
    week_ending = args.week_ending or last_complete_week_end(today())
    out = args.out or Path(weekly_file_name(week_ending.isoformat()))
    _check_suffix(out, (".xlsx",))
    if args.pdf:
        _check_suffix(args.pdf, (".pdf",))
    scope = ReportScope(_counties(args.county), _parse_all(MotionKind, args.kind))
    with signed_in(args) as (db, actor):
        with db.reading() as session:
            report = build_weekly_report(
                session, week_ending, scope=scope, hide_sealed=hides_sealed(actor, session)
            )
        audit.record_now(
            db,
            actor,
            audit.REPORT,
            "weekly report",
            week_ending=week_ending,
            counties=[c.value for c in scope.counties] or None,
            kinds=[k.value for k in scope.kinds] or None,
            file=str(out),
            pdf=str(args.pdf) if args.pdf else None,
        )
    write_weekly_xlsx(report, out)
    partial = " (partial: the week has not ended)" if report.partial else ""
    print(f"Weekly report for {report.week.title}{partial}: {out}")
    if args.pdf:
        from casetracker.reports.weekly_pdf import write_weekly_pdf

        write_weekly_pdf(report, args.pdf)
        print(f"Summary PDF: {args.pdf}")
    return 0


def run_court_list(args: argparse.Namespace) -> int:
    from casetracker.reports.court_list import court_list_for, write_court_list

    _check_suffix(args.out, (".xlsx", ".pdf"))
    with signed_in(args) as (db, actor), db.unit_of_work() as session:
        data, hidden = court_list_for(session, actor, args.date, args.part)
        audit.record(
            session,
            actor,
            audit.REPORT,
            "court list",
            date=args.date,
            part=args.part,
            rows=len(data.lines),
            sealed_left_out=hidden or None,
            file=str(args.out),
        )
    if hidden:
        print(left_out_note(hidden), file=sys.stderr)
    write_court_list(data, args.out)
    print(f"{data.title}: {len(data.lines)} motions written to {args.out}")
    return 0


def run_defenders(args: argparse.Namespace) -> int:
    from casetracker.reports.defenders import defender_list_for, write_defender_list

    _check_suffix(args.out, (".xlsx",))
    with signed_in(args) as (db, actor), db.unit_of_work() as session:
        lines, hidden = defender_list_for(session, actor, granted_since=args.since, org=args.org)
        audit.record(
            session,
            actor,
            audit.EXPORT,
            "defender list",
            since=args.since,
            org=args.org,
            rows=len(lines),
            sealed_left_out=hidden or None,
            file=str(args.out),
        )
    if hidden:
        print(left_out_note(hidden), file=sys.stderr)
    since = f" since {args.since:%Y-%m-%d}" if args.since else ""
    write_defender_list(lines, args.out, f"Granted motions{since}, for notification")
    print(f"Defender notification list: {len(lines)} people written to {args.out}")
    return 0


def run_table(args: argparse.Namespace) -> int:
    from casetracker.reports.table_export import export_table

    _check_suffix(args.out, (".xlsx", ".csv"))
    flt = motion_filter(args)
    with signed_in(args) as (db, actor):
        refresh_search(db)
        with db.unit_of_work() as session:
            flt, hidden = sealed_filter(session, actor, flt)
            count = export_table(session, flt, args.out, search=args.search, title="Motions")
            audit.record(
                session,
                actor,
                audit.EXPORT,
                "motions table",
                stage=list(args.stage) or None,
                kind=list(args.kind) or None,
                county=list(args.county) or None,
                search=args.search or None,
                rows=count,
                sealed_left_out=hidden or None,
                file=str(args.out),
            )
    if hidden:
        print(left_out_note(hidden), file=sys.stderr)
    print(f"{count:,} motions written to {args.out}")
    return 0
