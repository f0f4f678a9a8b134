"""`casetracker users`: accounts, by script or by an administrator at a terminal."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from casetracker.accounts.roles import ROLES
from casetracker.accounts.store import (
    AccountRow,
    add_user,
    change_role,
    list_users,
    reset_password,
    set_disabled,
    unlock_user,
)
from casetracker.cli.args import acting_user, opened
from casetracker.domain.errors import InvalidValueError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "users",
        parents=[common],
        help="user accounts: add, list, disable, unlock, reset a password",
        description="The first account (an administrator) turns sign-in on for this "
        "database; from then on only administrators manage accounts.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add a user")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, help=", ".join(ROLES))
    add.add_argument(
        "--password-stdin", action="store_true", help="read the new password from standard input"
    )
    listing = actions.add_parser("list", parents=[common], help="list users")
    listing.add_argument("--json", action="store_true")
    for name, text in (
        ("disable", "stop a user signing in (history keeps their name)"),
        ("enable", "let a disabled user sign in again"),
        ("unlock", "clear a lock after too many wrong passwords"),
    ):
        one = actions.add_parser(name, parents=[common], help=text)
        one.add_argument("name", metavar="NAME")
    reset = actions.add_parser("reset-password", parents=[common], help="set a new password")
    reset.add_argument("name", metavar="NAME")
    reset.add_argument("--password-stdin", action="store_true")
    role = actions.add_parser("set-role", parents=[common], help="change a user's role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("--role", required=True, help=", ".join(ROLES))
    parser.set_defaults(handler=run)


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if password.endswith("\r"):
            password = password[:-1]
        return password
    if not sys.stdin.isatty():
        raise InvalidValueError("no terminal to ask for the password: use --password-stdin")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise InvalidValueError("The two passwords differ; nothing was changed.")
    return first


def run(args: argparse.Namespace) -> int:
    actor = acting_user(args)
    password = (
        _new_password(args.password_stdin) if args.action in ("add", "reset-password") else ""
    )
    with opened(args) as db, db.unit_of_work() as session:
        if args.action == "list":
            rows = list_users(session, actor)
        elif args.action == "add":
            rows = [add_user(session, actor, args.name, args.role, password)]
        elif args.action == "reset-password":
            rows = [reset_password(session, actor, args.name, password)]
        elif args.action == "unlock":
            rows = [unlock_user(session, actor, args.name)]
        elif args.action == "set-role":
            rows = [change_role(session, actor, args.name, args.role)]
        else:
            rows = [set_disabled(session, actor, args.name, args.action == "disable")]
    if args.action == "list":
        _print_list(rows, as_json=args.json)
    else:
        done = {
            "add": "Added",
            "reset-password": "New password set for",
            "unlock": "Unlocked",
            "disable": "Disabled",
            "enable": "Enabled",
            "set-role": "Changed the role of",
        }[args.action]
        print(f"{done} {rows[0].name} ({rows[0].role}, {rows[0].status}).")
    return 0


def _print_list(rows: list[AccountRow], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([row.as_json() for row in rows], indent=2))
        return
    for row in rows:
        last = f"{row.last_sign_in_at:%Y-%m-%d %H:%M}" if row.last_sign_in_at else "never"
        print(f"{row.name:<24} {row.role:<14} {row.status:<9} last sign-in {last}")
