"""`casetracker court-list`, `sealing`, `notify` and `no-contact`: from consent to the person
told, by script."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casetracker.accounts.sealed import leave_out_sealed, left_out_note
from casetracker.cli.args import acting_user, choice, iso_date, opened
from casetracker.cli.motions_cmd import _counties as counties
from casetracker.courtlists.aftercare import (
    no_contact_list,
    overdue_sealing,
)
from casetracker.courtlists.export import write_no_contact_csv
from casetracker.courtlists.operations import (
    calendar_list,
    confirm_sealed,
    create_list,
    file_list,
    record_notified,
    record_outcome,
    set_court_list_numbers,
)
from casetracker.courtlists.service import (
    ListOutcome,
    list_court_lists,
    list_members,
    set_court_list_max,
)
from casetracker.domain.enums import County, NotificationMethod, NotificationOutcome
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.models import CourtList


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "court-list", parents=[common], help="assemble, file, calendar and decide court lists"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        parents=[common],
        help="a new list of consented motions (oldest decision first, up to the maximum)",
    )
    create.add_argument("--date", required=True, type=iso_date, help="court date YYYY-MM-DD")
    create.add_argument("--part", required=True, help="court part, e.g. AP1")
    create.add_argument("--max", type=int, help="at most this many (default: office maximum)")
    create.add_argument("--judge")
    create.add_argument("--county", help="only motions from this county")
    create.add_argument("--motion", type=int, action="append", help="these motions (repeat)")

    filed = actions.add_parser("file", parents=[common], help="mark a list filed")
    filed.add_argument("list_id", metavar="LIST_ID", type=int)
    filed.add_argument("--date", required=True, type=iso_date, help="filing date")
    filed.add_argument("--court", help="court it was filed in")

    calendar = actions.add_parser("calendar", parents=[common], help="calendar a list")
    calendar.add_argument("list_id", metavar="LIST_ID", type=int)
    calendar.add_argument("--appearance-required", action="store_true")

    outcome = actions.add_parser(
        "outcome", parents=[common], help="the court's decision, for a list or motions"
    )
    outcome.add_argument("list_id", metavar="LIST_ID", type=int)
    which = outcome.add_mutually_exclusive_group(required=True)
    for name in ListOutcome.ALL:
        which.add_argument(f"--{name}", dest="outcome", action="store_const", const=name)
    outcome.add_argument("--order-date", type=iso_date, help="default: the list's court date")
    outcome.add_argument("--new-date", type=iso_date, help="with --adjourned: new court date")
    outcome.add_argument("--motion", type=int, action="append", help="only these (repeat)")
    outcome.add_argument("--reasons", help="reasons on the record")

    show = actions.add_parser("show", parents=[common], help="the lists and their motions' stages")
    show.add_argument(
        "--json", action="store_true", help="each list's date, part, county and motion ids"
    )
    numbers = actions.add_parser(
        "numbers",
        parents=[common],
        help="the index and calendar numbers the court gave a list (printed in its papers)",
    )
    numbers.add_argument("list_id", metavar="LIST_ID", type=int)
    numbers.add_argument("--index-number", help="index number ('' to clear)")
    numbers.add_argument("--calendar-number", help="calendar number ('' to clear)")
    maximum = actions.add_parser("max", parents=[common], help="set the office maximum")
    maximum.add_argument("value", type=int)
    parser.set_defaults(handler=run_court_list)

    sealing = subparsers.add_parser(
        "sealing", parents=[common], help="overdue sealing, and confirming it"
    )
    sealing.add_argument("action", choices=("overdue", "confirm"))
    sealing.add_argument("motion_ids", metavar="MOTION_ID", type=int, nargs="*")
    sealing.add_argument("--date", type=iso_date, help="with confirm: date the court confirmed")
    sealing.set_defaults(handler=run_sealing)

    notify = subparsers.add_parser(
        "notify",
        parents=[common],
        help="record an attempt to tell the person (from granted on; several per motion)",
    )
    notify.add_argument("motion_ids", metavar="MOTION_ID", type=int, nargs="+")
    notify.add_argument("--date", required=True, type=iso_date)
    notify.add_argument(
        "--outcome",
        required=True,
        help="delivered (reached the person), undeliverable, no_contact, no_answer, left_message",
    )
    notify.add_argument("--method", help="mail, phone, email, in_person or text")
    notify.add_argument("--org", help="notifying organization")
    notify.add_argument("--note", help="a note on the attempt")
    notify.set_defaults(handler=run_notify)

    no_contact = subparsers.add_parser(
        "no-contact",
        parents=[common],
        help="people with a granted or sealed motion and no address, phone or email",
    )
    no_contact.add_argument("--csv", type=Path, metavar="FILE", help="write a CSV file")
    no_contact.set_defaults(handler=run_no_contact)


def run_court_list(args: argparse.Namespace) -> int:
    with opened(args) as db:
        if args.action == "numbers":
            if args.index_number is None and args.calendar_number is None:
                raise InvalidValueError(
                    "'court-list numbers' needs --index-number or --calendar-number"
                )
            with db.reading() as session:
                court_list = session.get(CourtList, args.list_id)
                index = court_list.index_number if court_list else None
                calendar = court_list.calendar_number if court_list else None
            changes = set_court_list_numbers(
                db,
                acting_user(args),
                args.list_id,
                index if args.index_number is None else args.index_number,
                calendar if args.calendar_number is None else args.calendar_number,
            )
            print(f"{changes.summary}.")
            return 0
        with db.unit_of_work() as session:
            user = acting_user(args)
            if args.action == "show" and args.json:
                print(json.dumps(_lists_json(session), indent=1))
                return 0
            if args.action == "show":
                for row in list_court_lists(session):
                    print(
                        f"{row.id:>5}  {row.title:<22} {row.total:>5} motions  "
                        f"filed {row.filed_date or '-'}  {row.status}"
                    )
                return 0
            if args.action == "max":
                set_court_list_max(session, args.value, user)
                print(f"Court lists hold at most {args.value} motions.")
                return 0
        actor = acting_user(args)
        if args.action == "create":
            changes = create_list(
                db,
                actor,
                args.date,
                args.part,
                judge=args.judge,
                county=counties([args.county])[0] if args.county else None,
                max_motions=args.max,
                motion_ids=args.motion,
            )
        elif args.action == "file":
            changes = file_list(db, actor, args.list_id, args.date, court=args.court)
        elif args.action == "calendar":
            changes = calendar_list(
                db, actor, args.list_id, appearance_required=args.appearance_required
            )
        else:
            changes = record_outcome(
                db,
                actor,
                args.list_id,
                args.outcome,
                order_date=args.order_date,
                new_date=args.new_date,
                motion_ids=args.motion,
                reasons=args.reasons,
            )
        print(f"{changes.summary}.")
    return 0


def _lists_json(session: Session) -> list[dict[str, Any]]:
    rows = list_court_lists(session)
    members = list_members(session, [row.id for row in rows])
    numbers = {
        list_id: (index, calendar)
        for list_id, index, calendar in session.execute(
            select(CourtList.id, CourtList.index_number, CourtList.calendar_number).where(
                CourtList.id.in_([row.id for row in rows])
            )
        )
    }
    return [
        {
            "id": row.id,
            "court_date": row.court_date.isoformat(),
            "part": row.part,
            # The list's own county, else its cases' county when they are all from one.
            "county": _list_county(row.county, members[row.id].counties),
            "counties": [c.value for c in members[row.id].counties],
            "judge": row.judge,
            "index_number": numbers[row.id][0],
            "calendar_number": numbers[row.id][1],
            "filed_date": row.filed_date.isoformat() if row.filed_date else None,
            "motion_ids": members[row.id].motion_ids,
            "stages": {stage.value: n for stage, n in row.by_stage.items()},
        }
        for row in rows
    ]


def _list_county(own: County | None, counties: list[County]) -> str | None:
    if own is not None:
        return own.value
    return counties[0].value if len(counties) == 1 else None


def run_sealing(args: argparse.Namespace) -> int:
    if args.action != "overdue" and (not args.motion_ids or args.date is None):
        raise InvalidValueError("'sealing confirm' needs MOTION_ID... and --date")
    with opened(args) as db:
        if args.action == "overdue":
            with db.reading() as session:
                rows, hidden = leave_out_sealed(
                    session, acting_user(args), overdue_sealing(session), lambda row: row.id
                )
            if hidden:
                print(left_out_note(hidden), file=sys.stderr)
            for row in rows:
                print(f"{row.id:>7}  due {row.sealing_deadline}  {row.reference}")
            print(f"{len(rows):,} motions are past their sealing deadline.", file=sys.stderr)
            return 0
        changes = confirm_sealed(db, acting_user(args), args.motion_ids, args.date)
    print(f"{changes.summary}.")
    return 0


def run_notify(args: argparse.Namespace) -> int:
    outcome = choice(NotificationOutcome, args.outcome)
    method = choice(NotificationMethod, args.method) if args.method else None
    with opened(args) as db:
        changes = record_notified(
            db,
            acting_user(args),
            args.motion_ids,
            notified=args.date,
            outcome=outcome,
            method=method,
            org=args.org,
            note=args.note,
        )
    print(f"{changes.summary}.")
    return 0


def run_no_contact(args: argparse.Namespace) -> int:
    with opened(args) as db, db.unit_of_work() as session:
        rows, hidden = leave_out_sealed(session, acting_user(args), no_contact_list(session))
    if hidden:
        print(left_out_note(hidden), file=sys.stderr)
    if args.csv:
        try:
            write_no_contact_csv(rows, args.csv)
        except OSError as error:
            raise InvalidValueError(f"Cannot write {args.csv}: {error.strerror}.") from None
        print(f"Wrote {len(rows):,} rows to {args.csv}.")
        return 0
    for row in rows:
        print(
            f"{row.person_id:>7}  {row.person_name[:30]:<30} motion {row.motion_id:<7} "
            f"{row.stage.label:<10} {row.reference}"
        )
    print(f"{len(rows):,} motions of people with no contact details.", file=sys.stderr)
    return 0
