"""`casetracker advance`: move one motion to another stage, with what that move needs."""

from __future__ import annotations

import argparse
from typing import Any

from casetracker.cli.args import acting_user, opened
from casetracker.domain.enums import Stage
from casetracker.domain.errors import InvalidValueError
from casetracker.domain.workflow import FIELDS
from casetracker.services.motion_ops import advance

# Short spellings people will type; every field also has its own --field-name option.
_ALIASES = {"court_part": ["--part"], "notification_outcome": ["--notify-outcome"]}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "advance",
        parents=[common],
        help="move one motion to another stage",
        description="Move a motion. Each move needs a reason; some need more "
        "(calendared: --court-date and --part; granted: --order-date; ...).",
    )
    parser.add_argument("motion_id", metavar="MOTION_ID", type=int)
    parser.add_argument("stage", metavar="STAGE", help="target stage, e.g. verified, calendared")
    parser.add_argument("--reason", help="why (recorded in the history)")
    fields = parser.add_argument_group("values the move may need")
    for name, spec in FIELDS.items():
        if spec.kind is list:
            continue
        flags = [f"--{name.replace('_', '-')}", *_ALIASES.get(name, [])]
        hint = "YYYY-MM-DD" if spec.kind.__name__ == "date" else spec.kind.__name__.upper()
        fields.add_argument(*flags, dest=f"field_{name}", metavar=hint, help=spec.label)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        target = Stage.parse(args.stage)
    except ValueError as error:
        raise InvalidValueError(str(error)) from None
    if target == Stage.SCREENED:
        # A typed result would not say which rules, facts and date decided it.
        raise InvalidValueError(
            f"screening runs the eligibility rules: use 'screen {args.motion_id}' "
            "(add --as-of YYYY-MM-DD to apply the law of another date)"
        )
    values = {
        key.removeprefix("field_"): value
        for key, value in vars(args).items()
        if key.startswith("field_") and value is not None
    }
    user = acting_user(args)
    with opened(args) as db:
        changes = advance(
            db, user, args.motion_id, Stage(target), reason=args.reason or "", values=values
        )
    # Consoles that cannot show an arrow (Windows code pages) get the ASCII one.
    print(f"{changes.summary.replace('→', '->')}, by {user}")
    return 0
