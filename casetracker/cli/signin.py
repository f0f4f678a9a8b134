"""Signing in on the command line, before a command runs.

A database without accounts is single-user: commands run as before, under --user or the login
name. Once an account exists every command needs `--user NAME`, with the password from
$CASETRACKER_PASSWORD or typed at a prompt that does not echo it. The command's permission is
checked here too, so a refused command says so before it reads a file or asks anything else;
the services check again in the core, whichever client calls them.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys

from casetracker.accounts import audit
from casetracker.accounts.errors import PermissionDeniedError, SignInError
from casetracker.accounts.permissions import accounts_exist, require
from casetracker.accounts.store import SignedIn, sign_in
from casetracker.domain.errors import CasetrackerError
from casetracker.services.identity import set_signed_in
from casetracker.storage.backup import start_daily_backup
from casetracker.storage.db import Database, open_database, resolve_url, sqlite_path

PASSWORD_VAR = "CASETRACKER_PASSWORD"
# Commands that never touch the office's database (benchmarks make their own).
NO_SIGN_IN = frozenset({"bench", "db"})


def command_permission(args: argparse.Namespace) -> str | None:
    """The permission a command needs; None where the core decides case by case (users)."""
    command = args.command
    action = getattr(args, "action", None)
    if command == "demo":
        return "demo.load"
    if command in ("motions", "import-batches"):
        return "records.read"
    if command == "advance":
        return "motion.advance"
    if command in ("import", "import-undo"):
        return "import.run"
    if command in ("report", "no-contact"):
        return "reports.export"
    if command in ("screen", "proceed-anyway"):
        return "motion.screen"
    if command == "rules":
        return "rules.load" if action == "load" else "records.read"
    if command == "decide":
        return "motion.decide"
    if command == "signoff":
        if getattr(args, "required", None):
            return "signoff.rule"
        return "records.read" if getattr(args, "list", False) else "motion.signoff"
    if command == "reason-codes":
        return "reason_codes.edit" if action in ("add", "retire") else "records.read"
    if command == "court-list":
        return "records.read" if action == "show" else "court_list.manage"
    if command == "sealing":
        return "records.read" if action == "overdue" else "aftercare.record"
    if command == "notify":
        return "aftercare.record"
    if command == "audit":
        return "audit.view"
    if command in ("backup", "backups", "restore"):
        # A backup is every record in one file; a restore replaces them all.
        return "database.backup"
    if command == "papers":
        if action in ("motion", "court-list"):
            return "papers.generate"
        saves = action in ("replace-template", "restore-template")
        return "papers.templates" if saves else "records.read"
    return None


def command_words(args: argparse.Namespace) -> list[str]:
    """The command and its action (`court-list show`), without any value typed after them."""
    action = getattr(args, "action", None)
    return [args.command] + ([action] if isinstance(action, str) else [])


def read_password(prompt: str = "Password: ") -> str:
    from_env = os.environ.get(PASSWORD_VAR)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise SignInError(
            f"no password: set {PASSWORD_VAR} or run the command in a terminal to be asked"
        )
    return getpass.getpass(prompt)


def sign_in_for_command(args: argparse.Namespace) -> SignedIn | None:
    """Sign in (when the database has accounts) and check the command's permission. Sets
    args.user to the account's own spelling of the name. None when single-user."""
    if args.command in NO_SIGN_IN:
        return None
    path = sqlite_path(resolve_url(args.db))
    if path is not None and not path.exists():
        # No database yet, so no accounts: leave it to the command to create (an import of a
        # file it refuses must not create it).
        return None
    # No daily backup on opening: a database without accounts is only read here, and the
    # command makes the day's backup itself (an import on a thread, so it does not wait).
    db = open_database(args.db, daily_backup=False)
    try:
        with db.reading() as session:
            needed = accounts_exist(session)
        if not needed:
            return None
        if not args.user:
            raise SignInError(
                "this database has user accounts: give --user NAME "
                f"(the password is read from {PASSWORD_VAR} or asked for)"
            )
        # Signing in writes to the audit log. The day's backup copies the database as it is
        # now, before that, on a thread; the command waits for it before it changes
        # anything itself (an import: just before it commits; others: when they open it).
        day_backup = start_daily_backup(db)
        try:
            return _sign_in(db, args)
        except BaseException:
            # The command ends here: the backup is finished rather than cut off.
            with contextlib.suppress(CasetrackerError):
                day_backup.finish()
            raise
    finally:
        db.dispose()


def _sign_in(db: Database, args: argparse.Namespace) -> SignedIn:
    """The sign-in proper, its permission check and its audit entry."""
    who = sign_in(
        db,
        args.user,
        read_password(),
        channel=f"command line: {args.command}",
        audit_success=False,
    )
    args.user = who.name
    set_signed_in(who.name, who.role)
    permission = command_permission(args)
    refusal: PermissionDeniedError | None = None
    if permission is not None:
        with db.reading() as session:
            try:
                require(session, who.name, permission)
            except PermissionDeniedError as error:
                refusal = error
    # Every command line is a sign-in of its own (the password is checked each time),
    # so each successful one is a logon event CJIS 5.4.1.1 wants audited, as are the
    # failures (sign_in records those, and lockouts). A sign-in entry and a sign-out
    # entry per command would double the log with nothing learnt: the session is the
    # command. So one entry per command says who signed in and for what: "command run"
    # naming the command and its action (never option values: a --search may hold a
    # name), or "permission refused" when the role may not run it. Commands that read
    # or change records add their own entries (search, export, changes) as in the window.
    with db.unit_of_work() as session:
        audit.record(
            session,
            who.name,
            audit.COMMAND_RUN if refusal is None else audit.PERMISSION_REFUSED,
            f"command {' '.join(command_words(args))}",
            channel="command line",
            permission=permission,
        )
    if refusal is not None:
        raise refusal
    return who
