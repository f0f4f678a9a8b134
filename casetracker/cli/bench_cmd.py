"""`casetracker bench`: performance measurements, each printed with a same-run baseline."""

from __future__ import annotations

import argparse
from typing import Any

from casetracker.devtools.bench import import_bench as bench_import
from casetracker.devtools.bench.desk_bench import add_desk_bench
from casetracker.devtools.bench.office_bench import add_office_bench
from casetracker.devtools.bench.papers_bench import add_papers_bench
from casetracker.devtools.bench.report_bench import add_report_bench


def add_import_bench(benches: Any, common: argparse.ArgumentParser) -> None:
    parser = benches.add_parser("import", parents=[common], help=bench_import.__doc__)
    bench_import.add_arguments(parser)
    parser.set_defaults(handler=bench_import.run)


# Each benchmark adds its own subcommand: add(benches, common).
BENCHMARKS = (
    add_import_bench,
    add_report_bench,
    add_desk_bench,
    add_papers_bench,
    add_office_bench,
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="measure performance against a baseline",
        description="Benchmarks print their figures and the ratio to a baseline measured in "
        "the same run.",
    )
    benches = parser.add_subparsers(dest="bench", metavar="BENCHMARK", required=True)
    for add in BENCHMARKS:
        add(benches, common)
