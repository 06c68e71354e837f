"""Clocks: every time-dependent rule in the mocks reads one of these, never time.time().

A real clock serves `vendorsim serve`; a virtual clock lets tests and the simulator cross a
20-second rate window or a one-hour token lifetime without spending wall time.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


class RealClockError(RuntimeError):
    """Moving a real clock: time passes by itself; only a virtual clock can be moved."""

    def __init__(self) -> None:
        super().__init__("the clock is real: it cannot be moved; start the mocks with a "
                         "virtual clock to move time (mock_vendors(clock='virtual'), "
                         "@pytest.mark.vendorsim(clock='virtual'), vendorsim serve --clock "
                         "virtual)")


class Clock:
    """Interface shared by the real and the virtual clock (seconds since the epoch, UTC)."""

    virtual: bool = False

    def now(self) -> float:
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`: real clocks block, virtual clocks just move forward."""
        raise NotImplementedError

    def advance(self, seconds: float) -> float:
        """Move a virtual clock forward (RealClockError on a real one)."""
        raise RealClockError()

    def set(self, when: datetime | float) -> float:
        """Set a virtual clock (RealClockError on a real one)."""
        raise RealClockError()

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def describe(self) -> dict:
        return {"virtual": self.virtual, "now": self.utcnow().isoformat().replace("+00:00", "Z")}


class RealClock(Clock):
    """Wall-clock time."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class VirtualClock(Clock):
    """Time that only moves when told to; shared by the mocks and the simulator."""

    virtual = True

    def __init__(self, start: datetime | float | None = None) -> None:
        self._lock = threading.Lock()
        # while the simulator replays, a sleep inside a request (a latency fault) is a wait
        # of the calling dataflow on its scheduler: it returns True when it took the wait
        self.sleeper: Callable[[float], bool] | None = None
        self._now = _to_epoch(start) if start is not None else time.time()
        # told after each move, outside the clock's lock (the outbox runs what came due)
        self.listeners: list[Callable[[], object]] = []

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if not 0 <= seconds < 100 * 365 * 86400:  # also refuses NaN
            raise ValueError("a clock moves forward by 0 to 100 years")
        with self._lock:
            if self._now + seconds >= LATEST:
                raise ValueError("the clock cannot pass 2200-01-01")
            self._now += seconds
            now = self._now
        self._moved()
        return now

    def set(self, when: datetime | float) -> float:
        with self._lock:
            self._now = now = _to_epoch(when)
        self._moved()
        return now

    def _moved(self) -> None:
        for listener in list(self.listeners):
            listener()

    def sleep(self, seconds: float) -> None:
        if seconds > 0 and not (self.sleeper is not None and self.sleeper(seconds)):
            self.advance(seconds)


EARLIEST = 0.0  # 1970-01-01: times a vendor's state can hold
LATEST = 7_258_118_400.0  # 2200-01-01 (later dates overflow tokens, quotas and renderings)


def _to_epoch(when: datetime | float | str) -> float:
    """Seconds since the epoch of an ISO string, a datetime or a number, within
    [1970, 2200); ValueError for anything else."""
    if isinstance(when, str):
        text = when
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"expected an ISO-8601 time (2026-01-05T09:00:00Z) or epoch "
                             f"seconds, got {text[:40]!r}") from None
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        epoch = when.timestamp()
    elif isinstance(when, int | float) and not isinstance(when, bool):
        epoch = float(when)
    else:
        raise ValueError(f"expected an ISO-8601 time or epoch seconds, got {when!r:.60}")
    if not EARLIEST <= epoch < LATEST:  # also refuses NaN
        raise ValueError("times must fall between 1970-01-01 and 2200-01-01")
    return epoch


def make_clock(kind: str | Clock | None) -> Clock:
    """Build a clock from a name ("real" or "virtual") or pass an existing one through."""
    if isinstance(kind, Clock):
        return kind
    if kind in (None, "real"):
        return RealClock()
    if kind == "virtual":
        return VirtualClock()
    raise ValueError(f"unknown clock {kind!r}: use 'real', 'virtual' or a Clock instance")


def iso_utc(epoch: float) -> str:
    """Marketo's lead-DB date format: ISO-8601 UTC without milliseconds (2015-03-17T00:18:40Z)."""
    if not math.isfinite(epoch):
        return datetime.fromtimestamp(epoch, tz=UTC).isoformat()  # raises datetime's error
    return _iso_second(int(round(epoch, 6) // 1))  # datetime rounds to microseconds first


@functools.lru_cache(maxsize=4096)  # a report formats the same seconds many times
def _iso_second(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | float | datetime) -> float:
    """Accept ISO strings, datetimes and epoch numbers from seeds and the admin API."""
    return _to_epoch(value)
