"""Fault plan: force a vendor error, an HTTP status or latency on matching calls, or reshape
their answers as the vendor may without notice (`additive`).

A rule matches by vendor, tenant, method and a path regex, and fires for the next N calls,
inside a time window on the clock, or both, optionally with a seeded probability so that a
"30% of calls fail" run is the same run every time.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from . import wording
from .clock import Clock, parse_time


class FaultSpecError(ValueError):
    """A fault rule that cannot be understood; the admin API answers 400 with the message."""


Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Seconds = Annotated[float, Field(ge=0.0, le=10 * 365 * 86400.0, allow_inf_nan=False)]
Time = StrictStr | Annotated[float, Field(allow_inf_nan=False)]


class FaultSpec(BaseModel):
    """What a fault rule may say (admin API, `Cloud.add_fault`, scenario files)."""

    model_config = ConfigDict(extra="forbid")

    vendor: Literal["marketo", "sfmc", "bombora", "demandbase"] | None = None
    tenant: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
                    "get", "post", "put", "patch", "delete", "head", "options"] | None = None
    path: Annotated[StrictStr, Field(max_length=500)] | None = None
    error_code: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.-]{1,20}$")] | StrictInt \
        | None = None
    status: Annotated[StrictInt, Field(ge=100, le=599)] | None = None
    latency: Seconds = 0.0
    latency_max: Seconds | None = None
    latency_sigma: Annotated[float, Field(gt=0.0, le=5.0, allow_inf_nan=False)] | None = None
    slow_body: Seconds = 0.0
    connection: Literal["reset", "empty", "garbage", "truncated", "hang"] | None = None
    hang: Annotated[Seconds, Field(le=600.0)] = 30.0
    chaos: Literal["throttle", "5xx", "mixed"] | None = None
    drop: Share = 0.0
    additive: StrictBool = False
    message: Annotated[StrictStr, Field(max_length=2000)] | None = None
    times: Annotated[StrictInt, Field(ge=1, le=10**9)] | None = None
    start: Time | None = None
    end: Time | None = None
    duration: Annotated[Seconds, Field(gt=0)] | None = None
    within: Annotated[Seconds, Field(gt=0)] | None = None
    probability: Share = 1.0
    seed: Annotated[StrictInt, Field(ge=-(2**63), le=2**63 - 1)] | None = None

    @field_validator("error_code")
    @classmethod
    def _code_text(cls, value: object) -> object:
        return str(value) if value is not None else None


def plain_errors(exc: ValidationError, what: str) -> str:
    """A fault spec's pydantic error in plain words (`fault field 'tenant': expected text`)."""
    return wording.plain_errors(exc, what, FaultSpec)


@dataclass
class FaultRule:
    id: int
    vendor: str | None = None
    tenant: str | None = None
    method: str | None = None
    path: str | None = None  # regular expression searched in the request path
    error_code: str | None = None  # vendor error code, rendered in the vendor's envelope
    status: int | None = None  # plain HTTP status (with the vendor's body for it)
    latency: float = 0.0  # seconds, slept on the clock (virtual clocks just advance); with
    latency_max: float | None = None  # uniform between latency and latency_max, or with
    latency_sigma: float | None = None  # log-normal: latency the median, sigma its spread
    slow_body: float = 0.0  # seconds over which the answer's body trickles out
    connection: str | None = None  # reset / empty / garbage / truncated / hang (connection.py)
    hang: float = 30.0  # how long a `hang` holds the connection before closing it
    chaos: str | None = None  # answer the vendor's own throttling or 5xx (or either) instead
    drop: float = 0.0  # share of a batch's records accepted but silently lost (B-DB-06)
    additive: bool = False  # reshape the answer as the vendor may without notice (additive.py)
    message: str | None = None
    times: int | None = None  # fire for the next N matching calls
    start: float | None = None  # or inside [start, end) on the clock
    end: float | None = None
    probability: float = 1.0
    seed: int | None = None
    fired: int = 0
    _pattern: re.Pattern | None = field(default=None, repr=False)
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.error_code is None and self.status is None and not self.latency \
                and not self.drop and not self.connection and not self.chaos \
                and not self.slow_body and not self.additive:
            raise FaultSpecError("a fault needs error_code, status, latency, drop, "
                                 "connection, chaos, slow_body or additive")
        if self.additive and (self.error_code or self.status or self.chaos or self.connection):
            raise FaultSpecError("additive reshapes the vendor's own answer: it does not go "
                                 "with error_code, status, chaos or connection")
        if self.latency_max is not None and self.latency_max < self.latency:
            raise FaultSpecError("latency_max is at least latency (uniform between them)")
        if self.latency_max is not None and self.latency_sigma is not None:
            raise FaultSpecError("latency is uniform (latency_max) or log-normal "
                                 "(latency_sigma), not both")
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

    def delay(self) -> float:
        """This call's latency: fixed, uniform or log-normal, from the rule's seeded draws."""
        draw = self._random
        if self.latency_max is not None:
            return draw.uniform(self.latency, self.latency_max)
        if self.latency_sigma is not None and self.latency > 0:
            return min(draw.lognormvariate(math.log(self.latency),
                                           self.latency_sigma), 3600.0)
        return self.latency

    def chaos_kind(self) -> str:
        """For a chaos rule: "throttle" or "5xx" this time (seeded when mixed)."""
        if self.chaos != "mixed":
            return self.chaos or "throttle"
        return "throttle" if self._random.random() < 0.5 else "5xx"

    def dropped(self, count: int) -> set[int]:
        """Which of `count` records this rule loses (seeded, so the same run loses the same)."""
        return {i for i in range(count) if self._random.random() < self.drop}

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

    def add(self, spec: object) -> FaultRule:
        """Validate a fault spec (FaultSpec) and start the rule; FaultSpecError says what is
        wrong in plain words."""
        if not isinstance(spec, dict):
            raise FaultSpecError("a fault is an object, e.g. {\"status\": 503, \"times\": 3}")
        try:
            checked = FaultSpec.model_validate(spec).model_dump(exclude_none=True)
        except ValidationError as exc:
            raise FaultSpecError(plain_errors(exc, "fault")) from None
        now = self.clock.now()
        try:
            for key in ("start", "end"):
                if key in checked:
                    checked[key] = parse_time(checked[key])
            duration = checked.pop("duration", None) or checked.pop("within", None)
            if duration is not None:
                checked.setdefault("start", now)
                checked["end"] = checked["start"] + duration
        except ValueError as exc:
            raise FaultSpecError(f"fault start/end: {exc}") from None
        with self._lock:
            rule = FaultRule(id=next(self._ids), **checked)
            self._rules.append(rule)
        return rule

    @property
    def active(self) -> bool:
        """Whether any rule is in the plan (a cheap check for the hot path)."""
        return bool(self._rules)

    def pick(self, vendor: str, tenant: str | None, method: str, path: str,
             reaches: Callable[[FaultRule], bool] | None = None) -> FaultRule | None:
        """The rule to apply to this call, counting it as fired; None when nothing applies.
        `reaches` is the vendor's say on whether a rule's answer fits this route."""
        if not self._rules:
            return None
        now = self.clock.now()
        with self._lock:
            for rule in self._rules:
                if not rule.matches(vendor, tenant, method, path, now):
                    continue
                if reaches is not None and not reaches(rule):
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
