"""Fault plan: force a vendor error, an HTTP status or latency on matching calls.

A rule matches by vendor, tenant, method and a path regex, and fires for the next N calls,
inside a time window on the clock, or both, optionally with a seeded probability so that a
"30% of calls fail" run is the same run every time.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from dataclasses import dataclass, field

from .clock import Clock, parse_time


class FaultSpecError(ValueError):
    """A fault rule that cannot be understood; the admin API answers 400 with the message."""


@dataclass
class FaultRule:
    id: int
    vendor: str | None = None
    tenant: str | None = None
    method: str | None = None
    path: str | None = None  # regular expression searched in the request path
    error_code: str | None = None  # vendor error code, rendered in the vendor's envelope
    status: int | None = None  # plain HTTP status (with the vendor's body for it)
    latency: float = 0.0  # seconds, slept on the clock (virtual clocks just advance)
    drop: float = 0.0  # share of a batch's records accepted but silently lost (B-DB-06)
    message: str | None = None
    times: int | None = None  # fire for the next N matching calls
    start: float | None = None  # or inside [start, end) on the clock
    end: float | None = None
    probability: float = 1.0
    seed: int | None = None
    fired: int = 0
    _pattern: re.Pattern | None = field(default=None, repr=False)
    _random: random.Random | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.error_code is None and self.status is None and not self.latency \
                and not self.drop:
            raise FaultSpecError("a fault needs error_code, status, latency or drop")
        if not 0.0 <= self.drop <= 1.0:
            raise FaultSpecError("drop is a share between 0 and 1")
        if not 0.0 <= self.probability <= 1.0:
            raise FaultSpecError("probability must be between 0 and 1")
        if self.times is not None and self.times < 1:
            raise FaultSpecError("times must be at least 1")
        if self.status is not None and not 100 <= self.status <= 599:
            raise FaultSpecError("status must be an HTTP status code (100-599)")
        try:
            self._pattern = re.compile(self.path) if self.path else None
        except re.error as exc:
            raise FaultSpecError(f"path is not a valid regular expression: {exc}") from None
        self._random = random.Random(self.seed)
        if self.method:
            self.method = self.method.upper()

    def dropped(self, count: int) -> set[int]:
        """Which of `count` records this rule loses (seeded, so the same run loses the same)."""
        return {i for i in range(count) if self._random.random() < self.drop}  # type: ignore[union-attr]

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def matches(self, vendor: str, tenant: str | None, method: str, path: str, now: float) -> bool:
        if self.exhausted:
            return False
        if self.vendor and self.vendor != vendor:
            return False
        if self.tenant and (tenant or "").upper() != self.tenant.upper():
            return False
        if self.method and self.method != method:
            return False
        if self._pattern and not self._pattern.search(path):
            return False
        if self.start is not None and now < self.start:
            return False
        return not (self.end is not None and now >= self.end)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


class FaultPlan:
    """The active fault rules of one cloud; first matching rule wins."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)

    def add(self, spec: dict) -> FaultRule:
        spec = dict(spec)
        allowed = set(FaultRule.__dataclass_fields__) - {"id", "fired", "_pattern", "_random"}
        allowed |= {"duration", "within"}
        unknown = set(spec) - allowed
        if unknown:
            raise FaultSpecError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        now = self.clock.now()
        try:
            if "start" in spec and spec["start"] is not None:
                spec["start"] = parse_time(spec["start"])
            if "end" in spec and spec["end"] is not None:
                spec["end"] = parse_time(spec["end"])
            duration = spec.pop("duration", None) or spec.pop("within", None)
            if duration is not None:
                spec.setdefault("start", now)
                spec["end"] = spec["start"] + float(duration)
            if spec.get("error_code") is not None:
                spec["error_code"] = str(spec["error_code"])
            for key, kind in (("status", int), ("times", int), ("seed", int)):
                if spec.get(key) is not None:
                    spec[key] = kind(spec[key])
            for key in ("latency", "probability", "drop"):
                if spec.get(key) is not None:
                    spec[key] = float(spec[key])
        except (TypeError, ValueError) as exc:
            raise FaultSpecError(f"bad fault value: {exc}") from None
        with self._lock:
            rule = FaultRule(id=next(self._ids), **spec)
            self._rules.append(rule)
        return rule

    def pick(self, vendor: str, tenant: str | None, method: str, path: str) -> FaultRule | None:
        """The rule to apply to this call, counting it as fired; None when nothing applies."""
        if not self._rules:
            return None
        now = self.clock.now()
        with self._lock:
            for rule in self._rules:
                if not rule.matches(vendor, tenant, method, path, now):
                    continue
                if rule.probability < 1.0 and rule._random.random() >= rule.probability:
                    continue
                rule.fired += 1
                return rule
        return None

    def list(self) -> list[dict]:
        with self._lock:
            return [rule.to_dict() for rule in self._rules]

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            self._rules = [r for r in self._rules if vendor and r.vendor not in (None, vendor)]
