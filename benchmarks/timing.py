"""What the in-process benchmarks time a call with: process time (so that other work on the
machine counts less), after a full collection, in microseconds a call."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def per_call(call: Callable[[], object], count: int) -> float:
    """Microseconds of process time each of `count` calls took, on average."""
    gc.collect()
    start = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - start) / count * 1e6
