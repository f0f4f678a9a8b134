"""`casetracker person|case|charge|event|undo-edit`: correcting the records from the command
line. Each command is one change (one history group) and prints one line saying what changed
and how to undo it; a bad value prints one line and exits 2, and nothing is saved."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from casetracker.cli.args import acting_user, opened
from casetracker.courtlists.notifications import attempts_of
from casetracker.domain.errors import InvalidValueError
from casetracker.operations import Changes, UndoEntry
from casetracker.records import ops
from casetracker.records.events import list_events
from casetracker.records.show import person_record
from casetracker.services import motion_ops
from casetracker.services.motions import load_motion
from casetracker.storage.db import Database

# option -> field, for `person edit` and `case edit`; "" values clear a field.
_PERSON_OPTIONS = {
    "--last-name": "last_name",
    "--first-name": "first_name",
    "--middle-name": "middle_name",
    "--aliases": "aliases",
    "--dob": "date_of_birth",
    "--nysid": "nysid",
    "--address": "address",
    "--phone": "phone",
    "--email": "email",
    "--language": "language",
    "--interpreter": "interpreter_needed",
    "--consent": "consent_to_contact",
}
_CASE_OPTIONS = {
    "--docket": "docket",
    "--summons": "summons_number",
    "--court": "court",
    "--county": "county",
    "--part": "court_part",
    "--arrest-date": "arrest_date",
    "--disposition": "disposition",
    "--disposition-kind": "disposition_kind",
    "--disposition-date": "disposition_date",
    "--sentence": "sentence",
    "--defense-counsel": "defense_counsel",
    "--warrant-date": "warrant_issued_date",
}
_EVENT_OPTIONS = {
    "--name": "name",
    "--date": "event_date",
    "--location": "location",
    "--county": "county",
}
_HINTS = {
    "aliases": "'NAME; NAME'",
    "date_of_birth": "YYYY-MM-DD",
    "interpreter_needed": "yes|no",
    "consent_to_contact": "yes|no",
    "arrest_date": "YYYY-MM-DD",
    "disposition_date": "YYYY-MM-DD",
    "warrant_issued_date": "YYYY-MM-DD",
    "event_date": "YYYY-MM-DD",
    "disposition_kind": "KIND",
}


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", default="", help="why (recorded in the history)")


def _field_options(parser: argparse.ArgumentParser, options: dict[str, str]) -> None:
    group = parser.add_argument_group("fields ('' clears one)")
    for flag, name in options.items():
        group.add_argument(
            flag,
            dest=f"field_{name}",
            metavar=_HINTS.get(name, "TEXT"),
            help=name.replace("_", " "),
        )


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    person = subparsers.add_parser("person", parents=[common], help="show or correct a person")
    person_actions = person.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = person_actions.add_parser("show", parents=[common], help="a person's whole record")
    show.add_argument("person_id", metavar="PERSON_ID", type=int)
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(handler=run_person_show)
    edit = person_actions.add_parser(
        "edit", parents=[common], help="correct names, date of birth, NYSID, contact, flags"
    )
    edit.add_argument("person_id", metavar="PERSON_ID", type=int)
    _field_options(edit, _PERSON_OPTIONS)
    flags = edit.add_argument_group("flags")
    flags.add_argument(
        "--add-flag", metavar="KIND", help="sex_offense, violent_felony, open_felony"
    )
    flags.add_argument("--source", help="where the flag's fact comes from (needed with --add-flag)")
    flags.add_argument("--note", help="a note on the flag")
    flags.add_argument("--remove-flag", metavar="FLAG_ID", type=int, help="remove this flag")
    _common_options(edit)
    edit.set_defaults(handler=run_person_edit)

    case = subparsers.add_parser("case", parents=[common], help="correct a case")
    case_actions = case.add_subparsers(dest="action", metavar="ACTION", required=True)
    case_edit = case_actions.add_parser(
        "edit", parents=[common], help="court, county, dates, disposition, sentence, counsel"
    )
    case_edit.add_argument("case_id", metavar="CASE_ID", type=int)
    _field_options(case_edit, _CASE_OPTIONS)
    _common_options(case_edit)
    case_edit.set_defaults(handler=run_case_edit)

    charge = subparsers.add_parser("charge", parents=[common], help="add or correct charges")
    charge_actions = charge.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = charge_actions.add_parser("add", parents=[common], help="add charges to a case")
    add.add_argument("case_id", metavar="CASE_ID", type=int)
    add.add_argument(
        "code", metavar="CHARGE", help="e.g. 'PL 221.05' (several: 'PL 221.10; PL 240.20')"
    )
    add.add_argument("--role", default="arrest", help="arrest (default) or conviction")
    _common_options(add)
    add.set_defaults(handler=run_charge_add)
    charge_edit = charge_actions.add_parser("edit", parents=[common], help="correct one charge")
    charge_edit.add_argument("charge_id", metavar="CHARGE_ID", type=int)
    charge_edit.add_argument("--code", help="the law section, e.g. 'PL 240.20'")
    charge_edit.add_argument("--role", help="arrest or conviction")
    _common_options(charge_edit)
    charge_edit.set_defaults(handler=run_charge_edit)
    remove = charge_actions.add_parser("remove", parents=[common], help="remove one charge")
    remove.add_argument("charge_id", metavar="CHARGE_ID", type=int)
    _common_options(remove)
    remove.set_defaults(handler=run_charge_remove)

    event = subparsers.add_parser("event", parents=[common], help="community events")
    event_actions = event.add_subparsers(dest="action", metavar="ACTION", required=True)
    event_add = event_actions.add_parser("add", parents=[common], help="a new community event")
    _field_options(event_add, _EVENT_OPTIONS)
    _common_options(event_add)
    event_add.set_defaults(handler=run_event_add)
    listing = event_actions.add_parser("list", parents=[common], help="list community events")
    listing.add_argument("--all", action="store_true", help="retired events too")
    listing.add_argument("--json", action="store_true", help="one JSON array of objects")
    listing.set_defaults(handler=run_event_list)
    event_edit = event_actions.add_parser("edit", parents=[common], help="correct an event")
    event_edit.add_argument("event_id", metavar="EVENT_ID", type=int)
    _field_options(event_edit, _EVENT_OPTIONS)
    _common_options(event_edit)
    event_edit.set_defaults(handler=run_event_edit)
    retire = event_actions.add_parser(
        "retire", parents=[common], help="stop offering an event at intake"
    )
    retire.add_argument("event_id", metavar="EVENT_ID", type=int)
    retire.add_argument("--bring-back", action="store_true", help="offer it again")
    _common_options(retire)
    retire.set_defaults(handler=run_event_retire)

    attempts = subparsers.add_parser(
        "notifications", parents=[common], help="a motion's attempts to tell the person"
    )
    attempts.add_argument("motion_id", metavar="MOTION_ID", type=int)
    attempts.add_argument("--json", action="store_true", help="one JSON array, newest first")
    attempts.set_defaults(handler=run_notifications)

    undo = subparsers.add_parser(
        "undo-edit", parents=[common], help="undo a correction by the id a command printed"
    )
    undo.add_argument("group_id", metavar="CHANGE_ID")
    _common_options(undo)
    undo.set_defaults(handler=run_undo)


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    return {
        key.removeprefix("field_"): value
        for key, value in vars(args).items()
        if key.startswith("field_") and value is not None
    }


def _write(args: argparse.Namespace, work: Callable[[Database, str], Changes]) -> int:
    with opened(args) as db:
        changes = work(db, acting_user(args))
    if changes.undo is not None:
        print(f"{changes.summary} (undo: casetracker undo-edit {changes.undo.group_id})")
    else:
        print(changes.summary)
    return 0


def run_person_show(args: argparse.Namespace) -> int:
    with opened(args) as db, db.reading() as session:
        record = person_record(session, args.person_id, acting_user(args))
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return 0
    p = record
    born, nysid = p["date_of_birth"] or "?", p["nysid"] or "none"
    print(f"Person {p['id']} (version {p['version']}): {p['name']}, born {born}, NYSID {nysid}")
    contact = ", ".join(str(p[k]) for k in ("address", "phone", "email") if p[k])
    interpreter = ", interpreter needed" if p["interpreter_needed"] else ""
    consent = "yes" if p["consent_to_contact"] else "no"
    print(
        f"  contact: {contact or 'none'}; language {p['language'] or '?'}{interpreter}; "
        f"consent to contact: {consent}"
    )
    for flag in p["flags"]:
        note = f" - {flag['note']}" if flag["note"] else ""
        print(f"  flag {flag['id']}: {flag['kind']} ({flag['source']}){note}")
    for c in p["cases"]:
        print(
            f"  case {c['id']} (version {c['version']}): {c['reference']} {c['county'] or ''} "
            f"{c['disposition'] or 'no disposition'} [{c['disposition_kind'] or '?'}]"
        )
        for ch in c["charges"]:
            print(f"    charge {ch['id']}: {ch['section'] or ch['as_typed']} ({ch['role']})")
    return 0


def run_person_edit(args: argparse.Namespace) -> int:
    values = _fields(args)
    if args.add_flag is None and (args.source or args.note):
        raise InvalidValueError("--source and --note go with --add-flag")
    if not values and args.add_flag is None and args.remove_flag is None:
        raise InvalidValueError("say what to change (see 'casetracker person edit --help')")
    flags = [(args.add_flag, args.source or "", args.note)] if args.add_flag is not None else []
    removed = [args.remove_flag] if args.remove_flag is not None else []
    return _write(
        args,
        lambda db, user: ops.edit_person(
            db,
            user,
            args.person_id,
            values,
            add_flags=flags,
            remove_flags=removed,
            reason=args.reason,
        ),
    )


def run_case_edit(args: argparse.Namespace) -> int:
    values = _fields(args)
    if not values:
        raise InvalidValueError("say what to change (see 'casetracker case edit --help')")
    return _write(
        args, lambda db, user: ops.edit_case(db, user, args.case_id, values, reason=args.reason)
    )


def run_charge_add(args: argparse.Namespace) -> int:
    return _write(
        args,
        lambda db, user: ops.add_charges(
            db, user, args.case_id, args.code, args.role, reason=args.reason
        ),
    )


def run_charge_edit(args: argparse.Namespace) -> int:
    return _write(
        args,
        lambda db, user: ops.edit_charge(
            db, user, args.charge_id, code=args.code, role=args.role, reason=args.reason
        ),
    )


def run_charge_remove(args: argparse.Namespace) -> int:
    return _write(
        args, lambda db, user: ops.remove_charge(db, user, args.charge_id, reason=args.reason)
    )


def run_event_add(args: argparse.Namespace) -> int:
    values = _fields(args)
    return _write(args, lambda db, user: ops.add_event(db, user, values, reason=args.reason))


def run_event_edit(args: argparse.Namespace) -> int:
    values = _fields(args)
    if not values:
        raise InvalidValueError("say what to change (see 'casetracker event edit --help')")
    return _write(
        args,
        lambda db, user: ops.edit_event(db, user, args.event_id, values, reason=args.reason),
    )


def run_event_retire(args: argparse.Namespace) -> int:
    return _write(
        args,
        lambda db, user: ops.retire_event(
            db, user, args.event_id, retire=not args.bring_back, reason=args.reason
        ),
    )


def run_event_list(args: argparse.Namespace) -> int:
    with opened(args) as db, db.reading() as session:
        events = list_events(session, include_retired=args.all)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": e.id,
                        "name": e.name,
                        "date": e.event_date.isoformat(),
                        "location": e.location,
                        "county": e.county.value if e.county else None,
                        "retired": e.retired,
                        "motions": e.motions,
                    }
                    for e in events
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not events:
        print("No community events." if args.all else "No current community events.")
    for e in events:
        where = ", ".join(p for p in (e.location, e.county.label if e.county else None) if p)
        retired = " [retired]" if e.retired else ""
        print(
            f"{e.id:>5}  {e.event_date.isoformat()}  {e.name}{retired}"
            f"{'  (' + where + ')' if where else ''}  {e.motions} motion(s)"
        )
    return 0


def run_undo(args: argparse.Namespace) -> int:
    entry = UndoEntry("", args.group_id)
    return _write(args, lambda db, user: motion_ops.undo(db, user, entry, reason=args.reason))


def run_notifications(args: argparse.Namespace) -> int:
    with opened(args) as db, db.reading() as session:
        motion = load_motion(session, args.motion_id)
        stage = motion.stage.label
        attempts = attempts_of(session, args.motion_id)
    if args.json:
        rows = [
            {
                "date": a.attempted_on.isoformat(),
                "method": a.method.value if a.method else None,
                "outcome": a.outcome.value,
                "reached": a.outcome.reached,
                "org": a.org,
                "note": a.note,
                "recorded_by": a.recorded_by,
            }
            for a in attempts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"Motion {args.motion_id} ({stage}): {len(attempts)} attempt(s), newest first")
    for attempt in attempts:
        print(f"  {attempt.text}  [recorded by {attempt.recorded_by}]")
    return 0
