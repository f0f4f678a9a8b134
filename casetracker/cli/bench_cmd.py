"""`casetracker bench ...`: performance figures measured against a baseline in the same run.

Each benchmark is a module with add_arguments(parser) and run(args) -> int, listed in BENCHES;
adding one is one line here.
"""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Any

from casetracker.cli import bench_import

BENCHES: dict[str, ModuleType] = {"import": bench_import}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bench",
        parents=[common],
        help="run a benchmark and print its figures",
        description="Benchmarks print their figures and the ratio to a baseline measured in "
        "the same run.",
    )
    benches = parser.add_subparsers(dest="bench", metavar="BENCH", required=True)
    for name, module in BENCHES.items():
        sub = benches.add_parser(name, parents=[common], help=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
