"""`casetracker bench`: performance measurements, each printed with a same-run baseline."""

from __future__ import annotations

import argparse
from typing import Any

from casetracker.bench.report_bench import add_report_bench

# Each benchmark module adds its subcommand here.
BENCHMARKS = (add_report_bench,)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("bench", help="measure performance against a baseline")
    benches = parser.add_subparsers(dest="bench", metavar="BENCHMARK", required=True)
    for add in BENCHMARKS:
        add(benches, common)
