"""`casetracker decide`, `signoff` and `reason-codes`: the prosecutor's decisions by script."""

from __future__ import annotations

import argparse
from typing import Any

from casetracker.cli.args import acting_user, choice, opened
from casetracker.cli.motions_cmd import _counties as counties
from casetracker.decisions.operations import decide_motions, sign_off_motions
from casetracker.decisions.queue import QueueFilter, list_queue
from casetracker.decisions.reason_codes import (
    add_reason_code,
    list_reason_codes,
    retire_reason_code,
)
from casetracker.decisions.service import set_opposition_needs_signoff
from casetracker.domain.enums import Decision, MotionKind, ScreeningResult
from casetracker.domain.errors import InvalidValueError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "decide",
        parents=[common],
        help="consent, oppose or ask for more information",
        description="Decide the motions given as one action (it undoes as one), or with "
        "--all-eligible consent to every screened eligible motion matching --kind/--county.",
    )
    parser.add_argument("motion_ids", metavar="MOTION_ID", type=int, nargs="*")
    parser.add_argument("--decision", required=True, help="consent, oppose or info")
    parser.add_argument("--reason", required=True, metavar="CODE", help="reason code")
    parser.add_argument("--note", help="a note for the record")
    parser.add_argument("--all-eligible", action="store_true", help="every eligible motion shown")
    parser.add_argument("--kind", action="append", default=[], help="with --all-eligible")
    parser.add_argument("--county", action="append", default=[], help="with --all-eligible")
    parser.set_defaults(handler=run_decide)

    signoff = subparsers.add_parser(
        "signoff",
        parents=[common],
        help="a supervisor signs off oppositions",
        description="Sign off oppositions (MOTION_ID...), list those awaiting sign-off "
        "(--list), or turn the office's sign-off rule on or off (--required on|off).",
    )
    signoff.add_argument("motion_ids", metavar="MOTION_ID", type=int, nargs="*")
    signoff.add_argument("--list", action="store_true", help="oppositions awaiting sign-off")
    signoff.add_argument("--required", choices=("on", "off"), help="the office's rule")
    signoff.add_argument("--note", help="a note for the record")
    signoff.set_defaults(handler=run_signoff)

    codes = subparsers.add_parser(
        "reason-codes", parents=[common], help="list, add or retire decision reason codes"
    )
    codes.add_argument("action", choices=("list", "add", "retire"), nargs="?", default="list")
    codes.add_argument("code", nargs="?", metavar="CODE")
    codes.add_argument("--label", help="with add: what the code means")
    codes.add_argument("--decision", help="with add: consent, oppose or info (default: any)")
    codes.add_argument("--all", action="store_true", help="with list: include retired codes")
    codes.set_defaults(handler=run_reason_codes)


def run_decide(args: argparse.Namespace) -> int:
    decision = choice(Decision, args.decision)
    if args.all_eligible == bool(args.motion_ids):
        raise InvalidValueError("give MOTION_ID... or --all-eligible, not both or neither")
    if args.all_eligible and decision != Decision.CONSENT:
        raise InvalidValueError("--all-eligible is for consent only")
    with opened(args) as db:
        ids = list(args.motion_ids)
        if args.all_eligible:
            flt = QueueFilter(
                kinds=tuple(choice(MotionKind, k) for k in args.kind),
                counties=counties(args.county),
                results=(ScreeningResult.ELIGIBLE,),
            )
            with db.reading() as session:
                ids = [row.id for row in list_queue(session, flt)]
            if not ids:
                raise InvalidValueError("No eligible motions match; nothing was decided.")
        changes = decide_motions(
            db,
            acting_user(args),
            ids,
            decision,
            reason_code=args.reason,
            note=args.note,
            only_eligible=args.all_eligible,
        )
    group = f" (undo group {changes.undo.group_id})" if changes.undo else ""
    print(f"{changes.summary}{group}")
    return 0


def run_signoff(args: argparse.Namespace) -> int:
    user = acting_user(args)
    with opened(args) as db:
        if args.motion_ids:
            changes = sign_off_motions(db, user, args.motion_ids, note=args.note)
            print(f"{changes.summary}.")
            return 0
        with db.unit_of_work() as session:
            if args.required:
                set_opposition_needs_signoff(session, args.required == "on", user)
                print(f"Oppositions need a supervisor's sign-off: {args.required}.")
            elif args.list:
                for row in list_queue(session, QueueFilter(awaiting_signoff=True)):
                    print(f"{row.id:>7}  opposed by {row.decided_by or '':<16} {row.reference}")
            else:
                raise InvalidValueError("give MOTION_ID..., --list or --required on|off")
    return 0


def run_reason_codes(args: argparse.Namespace) -> int:
    with opened(args) as db, db.unit_of_work() as session:
        if args.action == "add":
            if not args.code or not args.label:
                raise InvalidValueError("'reason-codes add' needs CODE and --label")
            decision = choice(Decision, args.decision) if args.decision else None
            add_reason_code(session, args.code, args.label, decision, user=acting_user(args))
        elif args.action == "retire":
            if not args.code:
                raise InvalidValueError("'reason-codes retire' needs CODE")
            retire_reason_code(session, args.code, user=acting_user(args))
        rows = list_reason_codes(session, include_retired=args.all)
    for row in rows:
        fits = row.decision.label.lower() if row.decision else "any"
        retired = "" if row.active else "  (retired)"
        print(f"{row.code:<20} {fits:<28} {row.label}{retired}")
    return 0
