"""`casetracker motions`: list motions, as a table or as JSON for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from casetracker.accounts.sealed import left_out_note
from casetracker.cli.args import signed_in
from casetracker.domain.enums import County, MotionKind, Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.services.motion_listing import list_for
from casetracker.services.queries import MotionFilter, MotionRow


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("motions", parents=[common], help="list motions")
    parser.add_argument("--stage", action="append", default=[], help="stage (repeatable)")
    parser.add_argument(
        "--kind", action="append", default=[], help="conviction_vacatur or warrant_dismissal"
    )
    parser.add_argument("--county", action="append", default=[], help="county or borough")
    parser.add_argument("--prosecutor", help="assigned prosecutor")
    parser.add_argument("--limit", type=int, help="at most this many")
    parser.add_argument("--json", action="store_true", help="one JSON array of objects")
    parser.set_defaults(handler=run)


def _parse_all(kind: type[Any], texts: list[str]) -> tuple[Any, ...]:
    try:
        return tuple(kind.parse(t) for text in texts for t in text.split(",") if t.strip())
    except ValueError as error:
        raise InvalidValueError(str(error)) from None


def _counties(texts: list[str]) -> tuple[County, ...]:
    found = []
    for text in texts:
        county = County.from_text(text)
        if county is None:
            raise InvalidValueError(f"'{text}' is not a county or borough of New York City.")
        found.append(county)
    return tuple(found)


def motion_filter(args: argparse.Namespace) -> MotionFilter:
    """The filter given by --stage, --kind, --county and --prosecutor."""
    return MotionFilter(
        stages=_parse_all(Stage, args.stage),
        kinds=_parse_all(MotionKind, args.kind),
        counties=_counties(args.county),
        prosecutor=args.prosecutor,
    )


def run(args: argparse.Namespace) -> int:
    flt = motion_filter(args)
    with signed_in(args) as (db, actor):
        listing = list_for(
            db, actor, flt, limit=args.limit, with_screenings=args.json, described=_described(args)
        )
    rows, hidden, screenings = listing.rows, listing.hidden, listing.screenings
    if hidden:
        print(left_out_note(hidden), file=sys.stderr)
    if args.json:
        json.dump(
            [as_json(row) | {"screening": screenings.get(row.id)} for row in rows],
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return 0
    for row in rows:
        print(
            f"{row.id:>7}  {row.stage.label:<18} {row.kind.label:<18} {row.person_name[:28]:<28} "
            f"{row.reference:<16} {row.charge or '':<14} {row.county.label if row.county else ''}"
        )
    print(f"{len(rows):,} motions", file=sys.stderr)
    return 0


def _described(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "stage": list(args.stage) or None,
        "kind": list(args.kind) or None,
        "county": list(args.county) or None,
        "prosecutor": args.prosecutor,
    }


def as_json(row: MotionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind.value,
        "stage": row.stage.value,
        "stage_entered_at": row.stage_entered_at.isoformat(timespec="milliseconds"),
        "person_id": row.person_id,
        "person_name": row.person_name,
        "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
        "nysid": row.nysid,
        "docket": row.docket,
        "summons_number": row.summons_number,
        "charge": row.charge,
        "county": row.county.value if row.county else None,
        "assigned_prosecutor": row.assigned_prosecutor,
        "court_date": row.court_date.isoformat() if row.court_date else None,
        "version": row.version,
    }
