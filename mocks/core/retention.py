"""Bounds on what a mock keeps because of traffic rather than data: job and request records
a client makes by calling (exports, imports, async writes), so that a server left running for
a day or a soak keeps a flat memory. Data a client writes (leads, rows, lists) is kept as
written; these records are the vendor's bookkeeping about calls, and the oldest finished ones
go first (docs/reference/rate-limits.md: what is kept, and for how long)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

JOBS_KEPT = 1_000  # finished export/import jobs and batches per tenant
REQUESTS_KEPT = 10_000  # finished asynchronous requests and jobs per tenant


def keep_newest(records: MutableMapping[K, V], limit: int,
                finished: Callable[[V], bool]) -> None:
    """Drop the oldest finished records (insertion order) while there are over `limit`;
    records still under way are never dropped."""
    excess = len(records) - limit
    if excess <= 0:
        return
    for key in [k for k, v in records.items() if finished(v)][:excess]:
        del records[key]
