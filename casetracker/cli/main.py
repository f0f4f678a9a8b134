"""The command line: a thin client of the same services the GUI uses.

Errors a user can fix print one line on stderr and exit 2; tracebacks go to the log file.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, NoReturn

from casetracker import __version__
from casetracker.domain.errors import CasetrackerError
from casetracker.logsetup import setup_logging
from casetracker.storage.private_files import private_temp_folder, restrict_new_files

log = logging.getLogger(__name__)

EXIT_USAGE = 2
GuiLauncher = Callable[[str | None], int]

# Each command module has register(subparsers, common) and sets `handler` on its parser.
COMMANDS = (
    "demo_cmd",
    "motions_cmd",
    "advance_cmd",
    "import_cmd",
    "report_cmd",
    "bench_cmd",
    "screen_cmd",
    "decide_cmd",
    "court_list_cmd",
    "users_cmd",
    "papers_cmd",
    "records_cmd",
    "audit_cmd",
    "db_cmd",
    "backup_cmd",
)
# Which module registers each command word. A command runs with only its own module loaded:
# loading every module would load every library (charts, PDF, Word) before any command, half
# a second or more of start-up. A word missing here still works, with every module loaded;
# tests/cli/test_cli.py checks that the table matches what the modules register.
COMMAND_MODULES = {
    "demo": "demo_cmd",
    "motions": "motions_cmd",
    "advance": "advance_cmd",
    "import": "import_cmd",
    "import-undo": "import_cmd",
    "import-batches": "import_cmd",
    "report": "report_cmd",
    "bench": "bench_cmd",
    "screen": "screen_cmd",
    "rules": "screen_cmd",
    "proceed-anyway": "screen_cmd",
    "decide": "decide_cmd",
    "signoff": "decide_cmd",
    "reason-codes": "decide_cmd",
    "court-list": "court_list_cmd",
    "sealing": "court_list_cmd",
    "notify": "court_list_cmd",
    "no-contact": "court_list_cmd",
    "users": "users_cmd",
    "papers": "papers_cmd",
    "person": "records_cmd",
    "case": "records_cmd",
    "charge": "records_cmd",
    "event": "records_cmd",
    "undo-edit": "records_cmd",
    "notifications": "records_cmd",
    "audit": "audit_cmd",
    "db": "db_cmd",
    "backup": "backup_cmd",
    "backups": "backup_cmd",
    "restore": "backup_cmd",
}


def command_modules(argv: Sequence[str] = ()) -> list[ModuleType]:
    """The modules that register the command argv names, or all of them."""
    word = _command_word(argv)
    names = [COMMAND_MODULES[word]] if word in COMMAND_MODULES else list(COMMANDS)
    return [importlib.import_module(f"casetracker.cli.{name}") for name in names]


def _command_word(argv: Sequence[str]) -> str | None:
    """The first argument that is not an option (nor the value of --db or --user), if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--db", "--user"):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


class UsageError(CasetrackerError):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse prints a usage block; a person needs the one line that says what is wrong."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


_DB_HELP = (
    "database: a SQLAlchemy URL or a SQLite file path "
    "(default: $CASETRACKER_DB, else the file in your data folder)"
)

_USER_HELP = (
    "who is acting; once the database has user accounts, the account to sign in as "
    "(password from $CASETRACKER_PASSWORD or asked for)"
)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for argv's command (every command's, when argv names none)."""
    # --db is accepted before or after the command; the command's copy must not reset a
    # value given before it to None, so it has no default of its own.
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=_DB_HELP)
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=_USER_HELP)
    parser = _Parser(
        prog="casetracker",
        description="Track marijuana vacatur motions and summons-warrant dismissals. "
        "With no command, opens the window.",
    )
    parser.add_argument("--db", metavar="URL", default=None, help=_DB_HELP)
    parser.add_argument("--user", metavar="NAME", default=None, help=_USER_HELP)
    parser.add_argument("--version", action="version", version=f"casetracker {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if "--version" in argv and _command_word(argv) is None:
        return parser  # it prints the version and exits: no command module, no SQLAlchemy
    for module in command_modules(argv):
        module.register(subparsers, common)
    return parser


# The largest whole number the databases store (a 64-bit integer column).
LARGEST_NUMBER = 2**63 - 1


def _check_whole_numbers(args: argparse.Namespace) -> None:
    """Record numbers and counts must fit the database: a 23-digit motion id is refused
    here with one line, for every command at once."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) > LARGEST_NUMBER:
                raise UsageError(
                    f"{name.replace('_', ' ')} {item} is too large (at most {LARGEST_NUMBER:,})"
                )


def run(argv: Sequence[str] | None = None, gui: GuiLauncher | None = None) -> int:
    restrict_new_files()
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _log_unraisable
    try:
        with private_temp_folder():
            return _run(argv, gui)
    finally:
        sys.unraisablehook = previous_hook


def _log_unraisable(unraisable: Any) -> None:
    """An error Python can only report ("Exception ignored in ...", e.g. openpyxl's unsaved
    write-only sheets after a failed export) goes to the log, not onto the user's screen."""
    log.warning(
        "ignored error in %r",
        unraisable.object,
        exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback),
    )


def _run(argv: Sequence[str] | None, gui: GuiLauncher | None) -> int:
    log_path = setup_logging()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(args_list).parse_args(args_list)
        _check_whole_numbers(args)
        if args.command is None:
            if gui is None:
                raise UsageError("no command given (see 'casetracker --help')")
            return gui(args.db)
        # Imported here: `--version` and `--help` need none of it.
        from casetracker.cli.signin import sign_in_for_command

        sign_in_for_command(args)
        return int(args.handler(args))
    except CasetrackerError as error:
        print(f"casetracker: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("casetracker: interrupted; nothing more was saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`... --json | head`): nothing is wrong. Point stdout at
        # nowhere so that Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:
        from casetracker.storage.health import damaged_message, is_damage

        if is_damage(error):
            log.error("damaged database in command %s: %s", args_list[:1], error)
            print(f"casetracker: error: {damaged_message()}", file=sys.stderr)
            return EXIT_USAGE
        log.exception("unexpected error in command %s", args_list[:1])
        print(
            f"casetracker: unexpected error; nothing more was saved. Details: {log_path}",
            file=sys.stderr,
        )
        return 1
