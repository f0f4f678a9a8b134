"""casetracker entry point: with a command, the command line; without one, the window."""

from __future__ import annotations

import sys


def _launch_gui(db_url: str | None) -> int:
    from ui.app import run_gui

    return run_gui(db_url)


def main() -> int:
    from casetracker.cli.main import run

    return run(sys.argv[1:], gui=_launch_gui)


if __name__ == "__main__":
    # A packaged (frozen) app starts its spreadsheet-reading child through this same entry
    # point (casetracker/importing/isolated.py); this lets the child do its work instead.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
