"""Id sequences: the whole-number ids a vendor hands out (Marketo's lead, list and activity
ids), increasing and never handed out twice, whatever happens to the process.

A model takes its ids from an `IdSequence` instead of a counter of its own, and keeps its
sequences in one `IdSequences` per tenant (`backend.sequences`), which snapshots and
restores them with the model's state, so a snapshot round trip never hands out an id
again, even one whose record was deleted.

Persistent mode (mocks/persistence.py) adds what databases do for their sequences: before a
sequence hands out an id beyond what is reserved on disk, it asks its `reserve` hook to
write a high-water mark some way ahead (the next 1,000 ids, more when a sequence runs
fast); after a crash the restart continues above every reserved mark, so no id a client
may hold ever names another record. In-process nothing is reserved and a take is two
attribute reads and a write.

To adopt it in a vendor model: `self.sequences = IdSequences()`, one
`self.sequences.sequence("jobs", first=1001)` per kind of id, `take()` for a new id,
`note(id)` for an id a seed gives explicitly, `sequences.snapshot()` /
`sequences.restore()` beside the model's own state.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

UNBOUNDED = sys.maxsize  # no reservation needed (not persistent)
FIRST_CHUNK = 1_000  # ids reserved ahead at a time
MAX_CHUNK = 1 << 20  # a sequence that runs fast reserves up to this many at a time


class IdSequence:
    """Hands out increasing ids from `first`; never one it handed out before."""

    __slots__ = ("name", "next", "limit", "chunk", "reserve", "key")

    def __init__(self, name: str, first: int = 1) -> None:
        self.name = name
        self.next = first  # the id the next take hands out
        self.limit = UNBOUNDED  # ids below this may be handed out without a reservation
        self.chunk = FIRST_CHUNK
        self.reserve: Callable[[IdSequence], None] | None = None  # raises `limit`
        self.key: tuple[str, ...] = (name,)  # where persistent mode files its mark

    def take(self) -> int:
        """The next id. When it is not reserved yet, the `reserve` hook reserves more first
        (it raises `limit`; where it cannot, it says so and raises it anyway)."""
        value = self.next
        if value >= self.limit and self.reserve is not None:
            self.reserve(self)
        self.next = value + 1
        return value

    def note(self, used: int) -> None:
        """An id given explicitly (a seed's): later takes continue above it."""
        if used >= self.next:
            self.next = used + 1

    def continue_from(self, value: int) -> None:
        """Hand out nothing below `value` from now on (a restore, a reserved mark)."""
        if value > self.next:
            self.next = value

    def __deepcopy__(self, memo: dict) -> IdSequence:
        """A copy with the same values and the same `reserve` hook (an all-or-nothing seed
        copies the model to roll back: the hook is persistent mode's, never copied)."""
        copied = IdSequence.__new__(IdSequence)
        memo[id(self)] = copied
        for slot in IdSequence.__slots__:
            setattr(copied, slot, getattr(self, slot))
        return copied

    def __repr__(self) -> str:
        return f"IdSequence({self.name!r}, next={self.next})"


class IdSequences:
    """The id sequences of one tenant's model, by name."""

    def __init__(self) -> None:
        self._all: dict[str, IdSequence] = {}

    def sequence(self, name: str, first: int = 1) -> IdSequence:
        """The sequence of that name (created on first use)."""
        found = self._all.get(name)
        if found is None:
            found = self._all[name] = IdSequence(name, first)
        return found

    def __iter__(self) -> Iterator[IdSequence]:
        return iter(list(self._all.values()))

    def snapshot(self) -> dict[str, int]:
        """{name: the id each sequence hands out next}."""
        return {name: seq.next for name, seq in self._all.items()}

    def restore(self, data: object) -> None:
        """Continue every sequence at least from a snapshot's values; ValueError for a
        document that is not {known name: whole number}."""
        if data is None:
            return
        if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                and 0 < v < UNBOUNDED for k, v in data.items()):
            raise ValueError("nextIds maps a kind of id to the next whole number to hand out")
        unknown = sorted(set(data) - set(self._all))
        if unknown:
            raise ValueError(f"nextIds: unknown kind(s) of id {unknown[:5]} (known: "
                             f"{sorted(self._all)})")
        for name, value in data.items():
            self._all[name].continue_from(value)
