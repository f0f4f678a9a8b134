"""`casetracker import FILE`: import a warrant or conviction list; `import-batches` lists the
past imports; `import-undo BATCH` undoes one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from casetracker.accounts.sealed import sealed_matches_note
from casetracker.cli.args import opened
from casetracker.domain.enums import MotionKind
from casetracker.domain.errors import InvalidValueError
from casetracker.importing.actions import import_batches, import_file, undo_import
from casetracker.importing.batches import BatchSummary
from casetracker.importing.collector import collector_paused
from casetracker.importing.plan import ImportOptions, read_layout
from casetracker.importing.reader import open_source
from casetracker.importing.service import ImportOutcome, finish
from casetracker.services.identity import current_user
from casetracker.storage.database_files import refuse_database_file
from casetracker.storage.db import resolve_url, sqlite_path

_KINDS = {"warrant": MotionKind.WARRANT_DISMISSAL, "conviction": MotionKind.CONVICTION_VACATUR}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import",
        parents=[common],
        help="import a spreadsheet of open warrants or convictions",
        description="Import a list (.xlsx, .xlsm, .xls, .xlsb, .ods or .csv). Every problem "
        "is listed at once in an error report; valid rows are saved in one transaction.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--sheet", metavar="NAME", help="sheet to read (default: found)")
    parser.add_argument(
        "--header-row", metavar="N", type=int, help="row number of the header (default: found)"
    )
    parser.add_argument("--mapping", metavar="PROFILE", help="use a saved mapping profile")
    parser.add_argument(
        "--save-mapping", metavar="PROFILE", help="save the mapping used under this name"
    )
    parser.add_argument(
        "--kind",
        choices=sorted(_KINDS),
        help="warrant list or conviction list (default: from the column headers)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check only; save nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--error-report", metavar="PATH", help="where to write the report")
    parser.set_defaults(handler=run)

    undo = subparsers.add_parser(
        "import-undo",
        parents=[common],
        help="undo an import batch whose motions have not moved on",
        description="Withdraw every motion of an import batch (the history records why); "
        "refused once any of them has been worked on.",
    )
    undo.add_argument("batch_id", metavar="BATCH_ID", type=int)
    undo.set_defaults(handler=run_undo)

    batches = subparsers.add_parser(
        "import-batches",
        parents=[common],
        help="list past imports, newest first, and whether each can still be undone",
        description="List every import batch: file, sheet, who imported it and when, the "
        "motions it created, how many have been worked on since, and whether it was undone.",
    )
    batches.add_argument("--json", action="store_true", help="one JSON array of objects")
    batches.set_defaults(handler=run_batches)


def run(args: argparse.Namespace) -> int:
    if args.header_row is not None and args.header_row < 1:
        raise InvalidValueError("--header-row counts from 1 (the first row of the sheet).")
    options = ImportOptions(
        sheet=args.sheet, header_row=args.header_row, kind=_KINDS.get(args.kind or "")
    )
    # The file is read and checked before the database is opened, so a file that cannot be
    # used leaves the database exactly as it was (not even created).
    target = sqlite_path(resolve_url(args.db))
    refuse_database_file(args.file, also=[target] if target else [])
    # The collector is paused from the reading to the commit: the rows read, the plan and the
    # audit chain's reading of every history row the import wrote (at the unit of work's
    # end, after run_import's own pause) are all kept to the end, and each collection would
    # walk them all to free nothing (1.3 s of the chain's 2.2 s at 100,000 rows).
    with collector_paused():
        outcome = _read_and_store(args, options)
    report = Path(args.error_report) if args.error_report else None
    summary = finish(outcome, report).summary
    if args.json:
        print(json.dumps(summary, default=str))
    else:
        _print_summary(summary)
    if summary["report_warning"]:
        print(f"casetracker: warning: {summary['report_warning']}", file=sys.stderr)
    return 0


def _read_and_store(args: argparse.Namespace, options: ImportOptions) -> ImportOutcome:
    source = open_source(args.file)
    if not args.mapping:
        read_layout(source, options)
    with opened(args, daily_backup=False) as db:
        return import_file(
            db,
            source,
            options,
            args.user or current_user(),
            mapping=args.mapping,
            save_mapping=args.save_mapping,
            dry_run=args.dry_run,
            day_backup=True,
        )


def _print_summary(s: dict[str, Any]) -> None:
    verb = "would import" if s["dry_run"] else "imported"
    print(f"{s['file']}, sheet '{s['sheet']}' (header on row {s['header_row']}):")
    for guess in s["recognised_by_values"]:
        print(f"  recognised {guess}")
    print(
        f"  {s['rows_read']:,} rows read; {verb} {s['valid']:,}; {s['errors']:,} with errors; "
        f"{s['warnings']:,} with warnings; {s['duplicates']:,} duplicates; "
        f"{s['already_present']:,} already present; {s['skipped']:,} skipped"
    )
    print(
        f"  people: {s['people_created']:,} new, {s['people_linked']:,} already on file, "
        f"{s['possible_matches']:,} possible matches to review"
    )
    if s.get("sealed_matches"):
        print(f"  {sealed_matches_note(s['sealed_matches'])}")
    if s["batch_id"] is not None:
        print(f"  import batch {s['batch_id']} (undo with: import-undo {s['batch_id']})")
    if s["error_report"]:
        print(f"  error report: {s['error_report']}")


def run_undo(args: argparse.Namespace) -> int:
    with opened(args) as db:
        count = undo_import(db, args.batch_id, args.user or current_user())
    print(f"Import batch {args.batch_id} undone: {count:,} motions withdrawn.")
    return 0


def run_batches(args: argparse.Namespace) -> int:
    with opened(args) as db:
        batches = import_batches(db)
    if args.json:
        json.dump([batch_json(b) for b in batches], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not batches:
        print("No imports yet.")
        return 0
    print(
        f"{'Batch':>6}  {'Imported':<16}  {'By':<12} {'Kind':<18} {'Motions':>8} "
        f"{'Worked on':>9}  {'Status':<32} File (sheet)"
    )
    for b in batches:
        worked = "-" if b.worked_on is None else f"{b.worked_on:,}"
        sheet = f" ({b.sheet})" if b.sheet else ""
        print(
            f"{b.id:>6}  {b.imported_at.astimezone():%Y-%m-%d %H:%M}  {b.imported_by[:12]:<12} "
            f"{b.kind.label if b.kind else '':<18} {b.motions:>8,} {worked:>9}  "
            f"{b.status:<32} {b.file_name}{sheet}"
        )
    return 0


def batch_json(b: BatchSummary) -> dict[str, Any]:
    return {
        "id": b.id,
        "file_name": b.file_name,
        "sheet": b.sheet,
        "kind": b.kind.value if b.kind else None,
        "imported_by": b.imported_by,
        "imported_at": b.imported_at.isoformat(timespec="milliseconds"),
        "motions": b.motions,
        "worked_on": b.worked_on,
        "undone_by": b.undone_by,
        "undone_at": b.undone_at.isoformat(timespec="milliseconds") if b.undone_at else None,
        "counts": b.counts,
        "can_undo": b.can_undo,
        "why_not": b.why_not,
    }
