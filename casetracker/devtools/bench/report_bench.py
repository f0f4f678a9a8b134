"""`casetracker bench report`: the weekly report on a large demo database, against a bare
openpyxl write-only dump of the same detail rows.

Each measurement runs in a fresh Python process, which reports the seconds its work took and
its peak resident memory, so one measurement's memory never hides in another's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from casetracker.domain.clock import today
from casetracker.reports.calendar import last_complete_week_end

TARGET_RATIO = 1.3
TARGET_RSS_MB = 400


def add_report_bench(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "report", parents=[common], help="time the weekly report against a bare xlsx dump"
    )
    parser.add_argument("--motions", type=int, default=100_000, help="demo size (100000)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each measurement; the best is kept"
    )
    parser.add_argument("--keep", type=Path, help="keep the database and files in this folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="ct-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        url = args.db or f"sqlite:///{folder / 'bench.sqlite'}"
        week_end = last_complete_week_end(today())
        _make_demo(url, args.motions)
        dump = _best(args.repeat, "dump", url, folder / "bare.xlsx", week_end)
        report = _best(args.repeat, "weekly", url, folder / "weekly.xlsx", week_end)
        ratio = report["seconds"] / dump["seconds"]
        print(f"detail rows: {dump['rows']:,}")
        print(
            f"bare write-only dump:  {dump['seconds']:7.2f} s   peak RSS {dump['rss_mb']:6.0f} MB"
        )
        print(
            f"weekly report (xlsx):  {report['seconds']:7.2f} s   "
            f"peak RSS {report['rss_mb']:6.0f} MB"
        )
        print(
            f"ratio report/dump: {ratio:.2f}x (target <= {TARGET_RATIO}x); "
            f"peak RSS {report['rss_mb']:.0f} MB (target <= {TARGET_RSS_MB} MB)"
        )
        met = ratio <= TARGET_RATIO and report["rss_mb"] <= TARGET_RSS_MB
        print("targets met" if met else "TARGETS NOT MET")
        return 0 if met else 1


def _make_demo(url: str, motions: int) -> None:
    from casetracker.devtools.demo import demo_summary, generate_demo
    from casetracker.services.queries import count_motions
    from casetracker.storage.db import open_database

    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            existing = count_motions(session)
        if existing == 0:
            started = time.perf_counter()
            with db.unit_of_work() as session:
                for _ in generate_demo(session, motions=motions):
                    pass
            print(f"demo database: {time.perf_counter() - started:.0f} s to build")
        with db.unit_of_work() as session:
            summary = demo_summary(session)
        print(f"demo database: {summary.motions:,} motions, {summary.history_rows:,} history rows")
    finally:
        db.dispose()


def _best(repeat: int, what: str, url: str, out: Path, week_end: date) -> dict[str, Any]:
    runs = []
    for _ in range(max(1, repeat)):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "casetracker.devtools.bench.report_bench",
                what,
                url,
                str(out),
                week_end.isoformat(),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        # The child reports its own peak (RUSAGE_SELF): RUSAGE_CHILDREN here would be the
        # running maximum over every child so far, mixing the two measurements.
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


# -- the measured work, in a fresh process ---------------------------------------------------


def _weekly(url: str, out: Path, week_end: date) -> int:
    from casetracker.reports.weekly_data import build_weekly_report
    from casetracker.reports.weekly_xlsx import write_weekly_xlsx
    from casetracker.storage.db import open_database

    db = open_database(url)
    with db.unit_of_work() as session:
        report = build_weekly_report(session, week_end)
    write_weekly_xlsx(report, out)
    return len(report.moved) + len(report.backlog) + len(report.overdue)


def _dump(url: str, out: Path, week_end: date) -> int:
    """The baseline: load the same detail rows the same way and stream them, unstyled."""
    from dataclasses import astuple

    from openpyxl import Workbook

    from casetracker.reports.weekly_data import build_weekly_report
    from casetracker.storage.db import open_database

    db = open_database(url)
    with db.unit_of_work() as session:
        report = build_weekly_report(session, week_end)
    sheets: dict[str, list[Any]] = {
        "moved": report.moved,
        "backlog": report.backlog,
        "overdue": report.overdue,
    }
    book = Workbook(write_only=True)
    count = 0
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_plain(v) for v in astuple(row)])
            count += 1
    book.save(out)
    return count


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # enums as their stored text


def _worker(argv: list[str]) -> None:
    what, url, out, week_end = argv
    started = time.perf_counter()
    work = _weekly if what == "weekly" else _dump
    rows = work(url, Path(out), date.fromisoformat(week_end))
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "rows": rows}))


if __name__ == "__main__":
    _worker(sys.argv[1:])
