"""`casetracker audit log` and `audit verify`: the audit trail, for administrators."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, time
from typing import Any

from casetracker.accounts.audit_review import review_audit_log, verify_audit_chain
from casetracker.cli.args import iso_date, signed_in

EXIT_BROKEN = 1


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "audit",
        parents=[common],
        help="the audit log, and verifying that history and audit rows are intact",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    log = actions.add_parser("log", parents=[common], help="who did or saw what, newest first")
    log.add_argument("--for", dest="for_user", metavar="NAME", help="only this user's entries")
    log.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="from this day on")
    log.add_argument("--limit", type=int, default=None, help="at most this many entries")
    log.add_argument("--json", action="store_true")
    actions.add_parser(
        "verify",
        parents=[common],
        help="recompute the chain; exit 0 when intact, 1 naming the first row changed",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with signed_in(args) as (db, actor):
        if args.action == "verify":
            result = verify_audit_chain(db, actor)
            print(result.message, file=sys.stdout if result.ok else sys.stderr)
            return 0 if result.ok else EXIT_BROKEN
        since = None
        if args.since is not None:
            since = datetime.combine(args.since, time.min).astimezone(UTC)
        with db.reading() as session:
            rows = review_audit_log(
                session, actor, user=args.for_user, since=since, limit=args.limit
            )
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        detail = ", ".join(f"{k}={v}" for k, v in row.detail.items())
        print(
            f"{row.at:%Y-%m-%d %H:%M:%S}  {row.user:<20} {row.action:<16} "
            f"{row.target or ''}  {detail}".rstrip()
        )
    return 0
