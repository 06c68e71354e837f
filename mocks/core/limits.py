"""Per-tenant call limits: a rolling window, a concurrency gate and a daily quota.

Admission reserves a slot atomically and hands back a `Ticket`; a call that ends in a
vendor error gives its slots back (`Ticket.refund`), because vendors such as Marketo do not
count errored calls against the rate or the quota.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .clock import Clock


@dataclass(frozen=True)
class LimitConfig:
    """What one tenant may do. Each vendor's own figures are in its `facts` module; these
    defaults limit nothing but the batch size."""

    enabled: bool = True
    window_calls: int | None = None  # calls allowed in any rolling window
    window_seconds: float = 60.0
    concurrent: int | None = None  # calls in flight at once
    daily_quota: int | None = None  # calls a day
    quota_timezone: str = "UTC"  # the quota resets at local midnight here
    max_batch: int = 1000

    def updated(self, **changes: object) -> LimitConfig:
        """A copy with these settings changed; ValueError naming each bad one."""
        unknown = set(changes) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown limit setting(s): {', '.join(sorted(unknown))}")
        for name, value in changes.items():
            _check_limit(name, value)
        return replace(self, **changes)  # type: ignore[arg-type]  # names checked above

    def to_dict(self) -> dict:
        return asdict(self)


_COUNTS = {"window_calls": (1, 10**9, True), "concurrent": (1, 10**6, True),
           "daily_quota": (0, 10**12, True), "max_batch": (1, 10**7, False)}


def _check_limit(name: str, value: object) -> None:
    if name == "enabled":
        if not isinstance(value, bool):
            raise ValueError("enabled is true or false")
    elif name in _COUNTS:
        low, high, nullable = _COUNTS[name]
        if value is None and nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} is a whole number from {low} to {high}"
                             + (" (or null: no limit)" if nullable else ""))
    elif name == "window_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0.001 <= value <= 86_400:
            raise ValueError("window_seconds is a number of seconds from 0.001 to 86400")
    elif name == "quota_timezone":
        try:
            ZoneInfo(value)  # type: ignore[arg-type]  # a bad type is refused below
        except (TypeError, ValueError, ZoneInfoNotFoundError):
            raise ValueError(f"quota_timezone {value!r:.60} is not an IANA time zone "
                             "(e.g. Europe/Paris)") from None


@dataclass
class Ticket:
    """Slots one admitted call holds; release the gate always, refund the rest on error."""

    limiter: TenantLimiter
    window_stamp: float | None = None
    quota_day: str | None = None
    holds_gate: bool = False
    released: bool = field(default=False)

    def release(self) -> None:
        if self.holds_gate and not self.released:
            self.limiter._leave()
        self.released = True

    def refund(self) -> None:
        self.limiter._refund(self)


@dataclass
class Arrival:
    """A call counted in flight from the moment it reached the server (Marketo counts a call
    so), before a worker picks it up: it holds the concurrency gate, or, having arrived past
    the limit, is refused when it is handled. Its admission takes it over (`used`); a call
    never admitted (refused earlier, or its connection gone) gives the gate back."""

    limiter: TenantLimiter
    holds_gate: bool
    used: bool = False

    def discard(self) -> None:
        if not self.used:
            self.used = True
            if self.holds_gate:
                self.limiter._leave()


class LimitExceeded(Exception):
    """Raised on admission; `kind` is window, concurrent or quota."""

    def __init__(self, kind: str, config: LimitConfig) -> None:
        super().__init__(kind)
        self.kind = kind
        self.config = config


class TenantLimiter:
    """The three counters of one tenant, guarded by one lock."""

    def __init__(self, config: LimitConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._lock = threading.Lock()
        self._stamps: deque[float] = deque()
        self._in_flight = 0
        self._quota_day = ""
        self._quota_span = (0.0, -1.0, "")  # [start, end) of _quota_day, and its zone
        self._quota_used = 0

    # -- admission -------------------------------------------------------------------
    def arrive(self) -> Arrival | None:
        """Count a call in flight as it arrives (server mode); None when nothing limits
        calls in flight."""
        cfg = self.config
        if not cfg.enabled or cfg.concurrent is None:
            return None
        with self._lock:
            if self._in_flight >= cfg.concurrent:
                return Arrival(self, False)
            self._in_flight += 1
            return Arrival(self, True)

    def admit(self, arrival: Arrival | None = None) -> Ticket:
        """Reserve a slot in each counter or raise LimitExceeded without reserving any. An
        `arrival` of this limiter already decided the call's place in the concurrency gate."""
        cfg = self.config
        ticket = Ticket(self)
        gated = False
        if arrival is not None and not arrival.used:
            if arrival.limiter is not self:
                arrival.discard()
            else:
                arrival.used = True
                if not arrival.holds_gate:
                    raise LimitExceeded("concurrent", cfg)
                gated = ticket.holds_gate = True
        if not cfg.enabled:
            return ticket
        now = self.clock.now()
        with self._lock:
            try:
                if not gated and cfg.concurrent is not None and \
                        self._in_flight >= cfg.concurrent:
                    raise LimitExceeded("concurrent", cfg)
                if cfg.window_calls is not None:
                    self._expire(now)
                    if len(self._stamps) >= cfg.window_calls:
                        raise LimitExceeded("window", cfg)
                if cfg.daily_quota is not None:
                    self._roll_day(now)
                    if self._quota_used >= cfg.daily_quota:
                        raise LimitExceeded("quota", cfg)
            except LimitExceeded:
                if gated:
                    self._in_flight = max(0, self._in_flight - 1)
                raise
            if cfg.daily_quota is not None:
                self._quota_used += 1
                ticket.quota_day = self._quota_day
            if cfg.window_calls is not None:
                self._stamps.append(now)
                ticket.window_stamp = now
            if cfg.concurrent is not None and not gated:
                self._in_flight += 1
                ticket.holds_gate = True
        return ticket

    def _leave(self) -> None:
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)

    def _refund(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket.window_stamp is not None:
                with contextlib.suppress(ValueError):  # already aged out of the window
                    self._stamps.remove(ticket.window_stamp)
                ticket.window_stamp = None
            if ticket.quota_day is not None and ticket.quota_day == self._quota_day:
                self._quota_used = max(0, self._quota_used - 1)
                ticket.quota_day = None

    # -- bookkeeping -----------------------------------------------------------------
    def _expire(self, now: float) -> None:
        horizon = now - self.config.window_seconds
        stamps = self._stamps
        while stamps and stamps[0] <= horizon:
            stamps.popleft()

    def _roll_day(self, now: float) -> None:
        start, end, zone = self._quota_span  # a zone lookup once a day, not once a call
        if start <= now < end and zone == self.config.quota_timezone:
            return
        zone = self.config.quota_timezone
        day, start, end = day_span(now, zone)
        self._quota_span = (start, end, zone)
        if day != self._quota_day:
            self._quota_day = day
            self._quota_used = 0

    def exhaust_quota(self) -> None:
        """Use up today's quota (fault injection: 'what happens on a day at quota')."""
        with self._lock:
            self._roll_day(self.clock.now())
            self._quota_used = self.config.daily_quota or 0

    def seconds_until_window_frees(self) -> float:
        """How long until the oldest call leaves the rolling window (a Retry-After hint)."""
        with self._lock:
            if not self._stamps:
                return 0.0
            return max(0.0, self._stamps[0] + self.config.window_seconds - self.clock.now())

    def snapshot(self) -> dict:
        now = self.clock.now()
        with self._lock:
            self._expire(now)
            self._roll_day(now)
            return {
                "config": self.config.to_dict(),
                "in_window": len(self._stamps),
                "in_flight": self._in_flight,
                "quota_used_today": self._quota_used,
                "quota_day": self._quota_day,
                "quota_resets_at": next_midnight(now, self.config.quota_timezone),
            }


def quota_day(epoch: float, tz_name: str) -> str:
    return datetime.fromtimestamp(epoch, tz=ZoneInfo(tz_name)).strftime("%Y-%m-%d")


def day_span(epoch: float, tz_name: str) -> tuple[str, float, float]:
    """The local day of `epoch` in that zone and the epochs of its start and end."""
    local = datetime.fromtimestamp(epoch, tz=ZoneInfo(tz_name))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    following = midnight + timedelta(days=1)  # wall-clock arithmetic: DST days too
    return midnight.strftime("%Y-%m-%d"), midnight.timestamp(), following.timestamp()


def seconds_to_midnight(epoch: float, tz_name: str) -> float:
    """Seconds from `epoch` to the next local midnight in that zone (a daily quota's reset)."""
    return datetime.fromisoformat(next_midnight(epoch, tz_name)).timestamp() - epoch


def next_midnight(epoch: float, tz_name: str) -> str:
    local = datetime.fromtimestamp(epoch, tz=ZoneInfo(tz_name))
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.isoformat()
