"""Keep Python's garbage collector from freezing the window.

A full collection walks every live object while holding the GIL; with 10,000 motions loaded
by a bulk action on a worker thread, that stopped the GUI thread for 150-350 ms at a time
(measured by `bench desk`). Collecting the young generation less often, and moving what
start-up created out of the collector's view, keeps every pause under ~20 ms.
"""

from __future__ import annotations

import gc

# Objects allocated before a young collection, and young/middle collections per older one.
_THRESHOLDS = (50_000, 50, 100)


def collect_rarely() -> None:
    """While the window is built: with the default thresholds a full collection ran in the
    middle of it (140 ms of a 1.5 s launch, walking every object the imports had just made)."""
    gc.set_threshold(*_THRESHOLDS)


def keep_collections_short() -> None:
    # No gc.collect() first: at start-up it found nothing to free and took 65 ms of the
    # launch (every cycle made by the imports is still alive then).
    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)
