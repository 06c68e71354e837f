"""Clocks: every time-dependent rule in the mocks reads one of these, never time.time().

A real clock serves `vendorsim serve`; a virtual clock lets tests and the simulator cross a
20-second rate window or a one-hour token lifetime without spending wall time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Interface shared by the real and the virtual clock (seconds since the epoch, UTC)."""

    virtual: bool = False

    def now(self) -> float:
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`: real clocks block, virtual clocks just move forward."""
        raise NotImplementedError

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
        self._now = _to_epoch(start) if start is not None else time.time()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock cannot be advanced by a negative amount")
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: datetime | float) -> float:
        with self._lock:
            self._now = _to_epoch(when)
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)


def _to_epoch(when: datetime | float | str) -> float:
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.timestamp()
    return float(when)


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
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | float | datetime) -> float:
    """Accept ISO strings, datetimes and epoch numbers from seeds and the admin API."""
    return _to_epoch(value)
