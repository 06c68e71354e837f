"""How much memory a replay will hold, estimated before anything is generated or read, so that
`vendorsim check` refuses what `vendorsim run` could not do on this machine instead of the run
dying of MemoryError after minutes.

A replay holds every profile, account, opportunity and event at once (audiences are
evaluated over all of them), and the embedded mocks hold what was delivered. The figures per
record were measured on the development machine with `python benchmarks/memory_per_record.py`
(peak resident memory of whole runs at several sizes: 5.0 KB per generated person with its
share of accounts, opportunities and Marketo leads, 520 B per event, 12-15 bytes per byte of
a JSONL file of people), rounded up.

The budget is half of this machine's memory, or half of the process's address-space limit
when one is set (`ulimit -v`); `--memory-budget` or VENDORSIM_MEMORY_BUDGET (e.g. 4GB, 512MB)
sets another.
"""

from __future__ import annotations

import os
import re
import resource
from dataclasses import dataclass

BYTES_PER_PERSON = 5_500  # a generated or inline person, with its share of accounts
BYTES_PER_EVENT = 600
BYTES_PER_FILE_BYTE = 16  # a JSONL/CSV data file, as records in memory
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.I)
UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int:
    """`4GB`, `512MB`, `1.5G`, `1000000` (bytes) -> bytes; ValueError otherwise."""
    found = SIZE.match(text)
    if not found or float(found[1]) <= 0:
        raise ValueError(f"{text!r} is not a memory size such as 4GB or 512MB")
    return int(float(found[1]) * UNITS[found[2].upper()])


def machine_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not a POSIX system that says
        return None


@dataclass(frozen=True)
class Budget:
    bytes: int
    source: str  # where the figure comes from, for the message

    @classmethod
    def default(cls) -> Budget:
        """VENDORSIM_MEMORY_BUDGET, else half of the memory this process may have."""
        given = os.environ.get("VENDORSIM_MEMORY_BUDGET")
        if given:
            return cls(parse_size(given), "VENDORSIM_MEMORY_BUDGET")
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit not in (resource.RLIM_INFINITY, -1) and limit > 0:
            return cls(limit // 2, "half of this process's address-space limit")
        memory = machine_memory() or 8 * 1024**3
        return cls(memory // 2, f"half of this machine's {size(memory)}")

    def over(self, needed: int, what: str) -> str | None:
        """The message when `needed` bytes are more than the budget, else None."""
        if needed <= self.bytes:
            return None
        return (f"{what} would hold about {size(needed)} in memory during the replay, more "
                f"than its budget of {size(self.bytes)} ({self.source}; --memory-budget or "
                "VENDORSIM_MEMORY_BUDGET sets another)")


def size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TiB"  # pragma: no cover - the loop returns at GiB


def generated(count: int, events_per_person: float) -> tuple[int, str]:
    """(bytes, how they add up) of `data: generate:`."""
    events = int(count * events_per_person)
    parts = f"{count:,} people × {size(BYTES_PER_PERSON)}"
    if events:
        parts += f" + {events:,} events × {size(BYTES_PER_EVENT)}"
    return count * BYTES_PER_PERSON + events * BYTES_PER_EVENT, parts
