"""`casetracker screen` and `casetracker rules`: screening motions and the rules behind it."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from casetracker.cli.args import acting_user, iso_date, opened
from casetracker.domain.enums import ScreeningResult
from casetracker.domain.errors import InvalidValueError
from casetracker.screening.facts import ScreeningOutcome
from casetracker.screening.ops import ScreenChanges, proceed
from casetracker.screening.ops import screen as screen_op
from casetracker.screening.rules import load_rules_file
from casetracker.screening.service import (
    ScreenReport,
    apply_rescreen,
    preview_rescreen,
    screen_motions,
)
from casetracker.screening.store import (
    current_rules,
    rule_library,
    rules_source,
    save_rules,
    saved_versions,
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "screen",
        parents=[common],
        help="screen motions against the office's eligibility rules",
        description="Screen the motions given, or --all motions not yet screened, through the "
        "person's whole record, by the rule set in force for each motion's county as of its "
        "date (or --as-of). Convictions still at intake are skipped until their record is "
        "verified. --rescreen shows what the rules in force would change for screened "
        "motions; add --yes to save it.",
    )
    parser.add_argument("motion_ids", metavar="MOTION_ID", type=int, nargs="*")
    parser.add_argument("--all", action="store_true", help="every motion not yet screened")
    parser.add_argument("--rescreen", action="store_true", help="re-screen screened motions")
    parser.add_argument("--yes", action="store_true", help="with --rescreen: save the changes")
    parser.add_argument("--dry-run", action="store_true", help="show outcomes, save nothing")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="apply the laws and rule sets in force on this date (default: the motion's date; "
        "with --rescreen: the date each motion was screened as of)",
    )
    parser.add_argument("--json", action="store_true", help="each motion's screening as JSON")
    parser.set_defaults(handler=run_screen)

    proceed = subparsers.add_parser(
        "proceed-anyway",
        parents=[common],
        help="record that a person wants the vacatur although expunged by law",
        description="Record on the motion, with the person's reason, that the vacatur goes "
        "ahead although the law already expunged the conviction, and screen it again.",
    )
    proceed.add_argument("motion_id", metavar="MOTION_ID", type=int)
    proceed.add_argument("--reason", required=True, help="why (kept in the history)")
    proceed.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD")
    proceed.set_defaults(handler=run_proceed)

    rules = subparsers.add_parser(
        "rules",
        parents=[common],
        help="show, check or load the eligibility rules",
        description="show: the rules in force (JSON). check FILE: validate a rules file. "
        "load FILE: validate it and make it the office's rules (needs a new version).",
    )
    rules.add_argument("action", choices=("show", "check", "load", "history"))
    rules.add_argument("file", metavar="FILE", nargs="?", type=Path)
    rules.add_argument("--note", help="with load: why the rules changed")
    rules.set_defaults(handler=run_rules)


def run_screen(args: argparse.Namespace) -> int:
    if args.rescreen:
        if args.all or args.motion_ids:
            raise InvalidValueError(
                "--rescreen covers every screened motion; give no MOTION_ID or --all"
            )
        return _rescreen(args)
    if args.all == bool(args.motion_ids):
        raise InvalidValueError("give MOTION_ID... or --all (see 'casetracker screen --help')")
    ids = None if args.all else args.motion_ids
    with opened(args) as db:
        if args.dry_run:
            with db.reading() as session:
                report = screen_motions(
                    session, ids, user=acting_user(args), as_of=args.as_of, save=False
                )
        else:
            changes = screen_op(db, acting_user(args), ids, as_of=args.as_of)
            assert isinstance(changes, ScreenChanges) and changes.report is not None
            report = changes.report
    if args.motion_ids and not report.screened:
        first = next(iter(report.skipped.items()))
        raise InvalidValueError(f"motion {first[0]} was not screened: {first[1]}")
    if args.json:
        screenings = [
            {"id": motion_id, "screening": report.outcomes[motion_id].to_json()}
            for motion_id in report.screened
        ]
        json.dump(screenings, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for motion_id in report.screened:
            print(_line(motion_id, report.outcomes[motion_id]))
    if args.motion_ids:
        for motion_id, why in report.skipped.items():
            print(f"{motion_id:>7}  skipped: {why}", file=sys.stderr)
    print(_summary(report, dry_run=args.dry_run), file=sys.stderr)
    return 0


def _rescreen(args: argparse.Namespace) -> int:
    with opened(args) as db, db.unit_of_work() as session:
        items = preview_rescreen(session, rule_library(session), as_of=args.as_of)
        changed = [item for item in items if item.changed]
        if args.json:
            json.dump(
                [{"id": i.motion_id, "screening": i.outcome.to_json()} for i in items],
                sys.stdout,
                ensure_ascii=False,
                indent=1,
            )
            print()
        for item in [] if args.json else changed:
            before = item.old_result.label if item.old_result else "not screened"
            print(
                f"{item.motion_id:>7}  {before} -> {item.outcome.result.label}  "
                f"({item.old_ruleset} -> {item.outcome.ruleset}, as of "
                f"{item.outcome.as_of}): {_deciding(item.outcome)}"
            )
        if args.yes and items:
            apply_rescreen(session, items, user=acting_user(args))
    verb = "Saved" if args.yes else "Would re-screen"
    versions = ", ".join(sorted({i.outcome.ruleset for i in items})) or "in force"
    print(
        f"{verb} {len(items):,} motions with rules {versions}: {len(changed):,} change "
        f"result or reasons, {len(items) - len(changed):,} only get the new version stamp."
        + ("" if args.yes or not items else " Run again with --yes to save."),
        file=sys.stderr,
    )
    return 0


def run_proceed(args: argparse.Namespace) -> int:
    with opened(args) as db:
        changes = proceed(
            db, acting_user(args), args.motion_id, reason=args.reason, as_of=args.as_of
        )
        assert isinstance(changes, ScreenChanges) and changes.report is not None
        report = changes.report
    outcome = report.outcomes.get(args.motion_id)
    print(
        f"Motion {args.motion_id} proceeds although expunged by law"
        + (f"; screened again: {outcome.result.label}" if outcome else "")
        + f" (undo group {report.group_id})."
    )
    return 0


def _line(motion_id: int, outcome: ScreeningOutcome) -> str:
    return f"{motion_id:>7}  {outcome.result.label:<24} {_deciding(outcome)}"


def _deciding(outcome: ScreeningOutcome) -> str:
    return "; ".join(
        f"{r.rule} ({r.subject})" for r in outcome.reasons if r.effect == outcome.result
    )


def _summary(report: ScreenReport, *, dry_run: bool) -> str:
    counts = ", ".join(
        f"{report.results[r]:,} {r.label.lower()}" for r in ScreeningResult if report.results[r]
    )
    verb = "Would screen" if dry_run else "Screened"
    text = f"{verb} {len(report.screened):,} motions with rules {report.ruleset}"
    text += f": {counts}" if counts else ""
    if report.skipped:
        whys = Counter(report.skipped.values())
        text += (
            f"; skipped {len(report.skipped):,} ("
            + "; ".join(f"{n:,}: {why}" for why, n in whys.most_common())
            + ")"
        )
    return text + "."


def run_rules(args: argparse.Namespace) -> int:
    if args.action in ("check", "load") and args.file is None:
        raise InvalidValueError(f"'rules {args.action}' needs a FILE")
    if args.action == "check":
        rules = load_rules_file(args.file)
        print(
            f"{args.file.name}: valid rule set, version {rules.version}: "
            f"{len(rules.coverage)} coverage rules, {len(rules.exclusions)} exclusions"
        )
        return 0
    with opened(args) as db, db.unit_of_work() as session:
        if args.action == "show":
            print(current_rules(session).to_json(), end="")
            print(f"Rules in force: {rules_source(session)}.", file=sys.stderr)
        elif args.action == "history":
            sets = {r.version: r for r in rule_library(session).saved}
            for saved in saved_versions(session):
                scope = sets[saved.version].scope if saved.version in sets else ""
                print(
                    f"{saved.version:<24} {saved.saved_at:%Y-%m-%d %H:%M}  {saved.saved_by}"
                    f"  [{scope}]  {saved.note or ''}"
                )
        else:
            rules = save_rules(session, _read(args.file), user=acting_user(args), note=args.note)
            print(
                f"Rules version {rules.version} saved, in force for {rules.scope}. Screened "
                "motions keep their results until you run 'screen --rescreen --yes'."
            )
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidValueError(f"Cannot read rules file {path}: {error}.") from None
