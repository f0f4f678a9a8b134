"""`casetracker demo`: fill a database with a realistic fake office."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from casetracker.cli.args import opened
from casetracker.devtools.demo import demo_summary, generate_demo
from casetracker.services.queries import count_motions
from casetracker.storage.db import describe


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "demo", parents=[common], help="add demo data (fake people) to the database"
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--people", type=int, help="number of people (default 2000)")
    size.add_argument("--motions", type=int, help="exact number of motions instead")
    parser.add_argument("--seed", type=int, default=2018, help="random seed (same seed, same data)")
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing when the database already has motions"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened(args) as db:
        with db.unit_of_work() as session:
            if args.if_empty and count_motions(session) > 0:
                print("casetracker: the database already has motions; no demo data added.")
                return 0
        people = args.people if args.motions is None and args.people is not None else None
        if args.motions is None and people is None:
            people = 2000
        show = sys.stderr.isatty()
        with db.unit_of_work() as session:
            for done, total in generate_demo(
                session, people=people, motions=args.motions, seed=args.seed
            ):
                if show:
                    print(f"\rdemo data: {done:,} of {total:,}", end="", file=sys.stderr)
            if show:
                print(file=sys.stderr)
        with db.unit_of_work() as session:
            summary = demo_summary(session)
        print(
            f"Demo data in {describe(db.url)}: {summary.people:,} people, "
            f"{summary.motions:,} motions, {summary.history_rows:,} history rows, "
            f"{summary.events:,} events, {summary.court_lists:,} court lists."
        )
        return 0
