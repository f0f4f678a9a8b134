"""Pausing Python's cyclic garbage collector while an import builds or writes its rows."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading a list makes hundreds of thousands of objects (rows, records) that all live
    until the plan is written. The cyclic garbage collector would walk them all again each time
    a few thousand more are made, finding nothing to free: about a second for 100,000 rows.
    Reference counting still frees everything that is dropped."""
    if not gc.isenabled():
        yield
        return
    frozen_before = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        # What the import made and still holds (the rows, the plan) is all in the youngest
        # generation: the first collection after this would walk it, to free nothing (0.2 s
        # at 100,000 rows). Moved to the oldest generation unwalked instead, as if it had
        # lived through collections: freezing and unfreezing everything does that. Not
        # where the window froze what it made at start-up to keep pauses short: unfreezing
        # would undo that, and leaving the import's objects frozen would keep any cycle
        # among them (a closed wizard holding its plan) from ever being freed.
        if not frozen_before:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
