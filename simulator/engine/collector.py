"""The garbage collector while a scenario replays.

A replay makes millions of small objects that live to its end (profiles, their exports, the
mocks' leads and activities), and CPython's collector, at its default thresholds, walks all
of them again and again: with 100,000 profiles, 13 full collections were 3.2 of a 7.8 s run
(`benchmarks/simulate.py`, issue 34). During a replay, what exists when it starts is set
aside (`gc.freeze`: the generated data and the seeds are never garbage) and young objects are
collected every 10,000 allocations instead of 700, so full collections come rarely; both are
undone when the replay ends, whatever happened. Reference counting frees everything as
usual; only garbage in reference cycles waits longer for its collection.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000  # allocations between young collections during a replay (CPython: 700)
OLDER = 10  # young collections per middle one, and middle per full one (CPython: 10, 10)

_lock = threading.Lock()
_replays = 0  # replays under way in this process (only the first changes the collector)
_saved: tuple[int, int, int] | None = None


@contextmanager
def replaying() -> Iterator[None]:
    """Collect less often while a replay runs; as before once it ends. A collector that is
    off, or already tuned higher by the program, is left as it is."""
    global _replays, _saved
    with _lock:
        _replays += 1
        if _replays == 1:
            threshold = gc.get_threshold()
            if gc.isenabled() and 0 < threshold[0] < YOUNG:
                _saved = threshold
                gc.freeze()
                gc.set_threshold(YOUNG, max(threshold[1], OLDER), max(threshold[2], OLDER))
    try:
        yield
    finally:
        with _lock:
            _replays -= 1
            if _replays == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                gc.unfreeze()
                _saved = None
