"""The vendor as of a date: dated changes a vendor announced, applied by the tenant's clock.

Each vendor's facts module lists its `Change`s (what changes, from which day, the vendor's
answer, the source). A rule is in force for a tenant when the day it is judged on has reached
the change's date and nobody opted out of it. The day judged on is the tenant's pinned
`as_of`, else the server's, else the clock's now: a pin replays a suite as the vendor was (or
will be) on that day, whatever the clock says. Dates start at 00:00 UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .clock import iso_utc, parse_time


@dataclass(frozen=True)
class Change:
    """One dated vendor change: before `effective` the old behaviour, from it the new."""

    name: str  # "<vendor>.<rule>": what a user opts out of
    effective: str  # YYYY-MM-DD, from 00:00 UTC
    what: str
    answer: str  # what the vendor answers once it is in force
    source: str

    @property
    def starts(self) -> float:
        day = date.fromisoformat(self.effective)
        return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()

    def to_dict(self) -> dict:
        return {"name": self.name, "effective": self.effective, "what": self.what,
                "answer": self.answer, "source": self.source}


@dataclass(frozen=True)
class CalendarPin:
    """A date to judge the calendar on instead of the clock, and rules left out by name.
    The server has one (`vendorsim serve --as-of`), each tenant may have its own; a tenant's
    `as_of` wins over the server's, opt-outs of both apply."""

    as_of: float | None = None
    opt_out: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, data: object, known: Iterable[str]) -> CalendarPin:
        """A pin from JSON `{as_of: "2027-01-01" | null, opt_out: [names]}`; ValueError
        naming what is wrong (an unknown rule name is a mistake, not a no-op)."""
        if not isinstance(data, dict):
            raise ValueError("a calendar pin is an object {as_of, opt_out}")
        unknown = set(data) - {"as_of", "opt_out"}
        if unknown:
            raise ValueError(f"unknown calendar field(s): {', '.join(sorted(map(str, unknown)))}")
        return cls.parse(data.get("as_of"), data.get("opt_out") or [], known)

    @classmethod
    def parse(cls, as_of: object, opt_out: object, known: Iterable[str]) -> CalendarPin:
        when = None
        if as_of is not None:
            if not isinstance(as_of, str | int | float) or isinstance(as_of, bool):
                raise ValueError("as_of is a date (2027-01-01), an ISO time or null")
            try:
                when = parse_time(as_of)
            except ValueError as exc:
                raise ValueError(f"as_of: {exc}") from None
        if not isinstance(opt_out, list | tuple | frozenset | set) or \
                not all(isinstance(n, str) for n in opt_out):
            raise ValueError("opt_out is a list of rule names")
        names = sorted(known)
        for name in opt_out:
            if name not in names:
                raise ValueError(f"no dated rule {name[:80]!r}: the rules are "
                                 f"{', '.join(names) or 'none'}")
        return cls(when, frozenset(opt_out))

    def to_dict(self) -> dict:
        return {"as_of": None if self.as_of is None else iso_utc(self.as_of),
                "opt_out": sorted(self.opt_out)}

    @property
    def empty(self) -> bool:
        return self.as_of is None and not self.opt_out


def judged_on(now: float, *pins: CalendarPin) -> float:
    """The day a tenant's calendar is judged on: the first pin with a date, else now."""
    for pin in pins:
        if pin.as_of is not None:
            return pin.as_of
    return now


def in_force(change: Change, now: float, *pins: CalendarPin) -> bool:
    if any(change.name in pin.opt_out for pin in pins):
        return False
    return judged_on(now, *pins) >= change.starts


class RuleView:
    """What a vendor model asks the calendar: "is this rule in force for my tenant now?".
    Copying a model (seeding is all or nothing) shares the view, never the service."""

    def __init__(self, ask: Callable[[str], bool]) -> None:
        self._ask = ask

    def __call__(self, name: str) -> bool:
        return self._ask(name)

    def __deepcopy__(self, memo: dict) -> RuleView:
        return self


NEVER = RuleView(lambda name: False)  # a model built without a service (unit tests)


class VendorCalendar:
    """One vendor's dated rules, judged per tenant: the tenant's pin, then the server's."""

    def __init__(self, changes: Iterable[Change], now: Callable[[], float],
                 server_pin: Callable[[], CalendarPin],
                 tenant_pin: Callable[[str], CalendarPin | None]) -> None:
        self.changes = {c.name: c for c in changes}
        self._now, self._server_pin, self._tenant_pin = now, server_pin, tenant_pin

    def _pins(self, tenant_id: str | None) -> tuple[CalendarPin, ...]:
        own = self._tenant_pin(tenant_id) if tenant_id is not None else None
        return (own, self._server_pin()) if own is not None else (self._server_pin(),)

    def in_force(self, tenant_id: str | None, name: str) -> bool:
        return in_force(self.changes[name], self._now(), *self._pins(tenant_id))

    def view(self, tenant_id: str) -> RuleView:
        return RuleView(lambda name: self.in_force(tenant_id, name))

    def describe(self, tenant_id: str | None = None) -> dict:
        """The rules with whether each is in force (for a tenant, or for the server)."""
        pins = self._pins(tenant_id)
        return {"judged_on": iso_utc(judged_on(self._now(), *pins)),
                "rules": [{**c.to_dict(), "in_force": in_force(c, self._now(), *pins),
                           "opted_out": any(c.name in p.opt_out for p in pins)}
                          for c in self.changes.values()]}
