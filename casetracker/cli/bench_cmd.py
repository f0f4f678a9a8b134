"""`casetracker bench …`: performance figures measured beside a baseline in the same run."""

from __future__ import annotations

import argparse
from typing import Any

from casetracker.bench.desk_bench import add_desk_bench


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("bench", help="measure performance against baselines")
    benches = parser.add_subparsers(dest="bench", metavar="BENCH", required=True)
    add_desk_bench(benches, common)
