"""Daily API usage and errors of one instance, counted as calls are answered, for
`stats/usage.json` and `stats/errors.json` (days in the instance's quota zone, Central)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..facts import QUOTA_ZONE

ZONE = ZoneInfo(QUOTA_ZONE)
DAYS_KEPT = 30  # usage and error counts per day (the API reads 7 days back)
_LOCK = threading.Lock()


def _day_counts(counts: dict[str, Counter], day: str) -> Counter:
    """A day's counter (made once a day: `setdefault(day, Counter())` made one per call)."""
    found = counts.get(day)
    if found is None:
        found = counts[day] = Counter()
    return found


@dataclass
class Usage:
    calls: dict[str, Counter] = field(default_factory=dict)  # day -> user -> calls
    errors: dict[str, Counter] = field(default_factory=dict)  # day -> code -> calls

    span: tuple[float, float, str] = (0.0, -1.0, "")  # the last day seen: [start, end)

    def count(self, now: float, user: str, codes: list[str]) -> None:
        with _LOCK:  # its own small lock: counting never waits for the lead database
            self._count(now, user, codes)

    def _count(self, now: float, user: str, codes: list[str]) -> None:
        start, end, day = self.span
        if not start <= now < end:  # a zone conversion once a day, not once a call
            day = day_of(now)
            midnight = datetime.fromisoformat(day).replace(tzinfo=ZONE)
            self.span = (midnight.timestamp(), (midnight + timedelta(days=1)).timestamp(), day)
            oldest = (midnight - timedelta(days=DAYS_KEPT)).date().isoformat()
            for counts in (self.calls, self.errors):  # the API reads at most 7 days back
                for old in [d for d in counts if d < oldest]:
                    del counts[old]
        _day_counts(self.calls, day)[user] += 1
        for code in codes[:1]:  # the response-level code the call failed with
            _day_counts(self.errors, day)[code] += 1

    def report(self, kind: str, days: list[str]) -> list[dict]:
        """`usage` (calls per user) or `errors` (calls per error code), day by day."""
        with _LOCK:
            return self.usage(days) if kind == "usage" else self.error_counts(days)

    def usage(self, days: list[str]) -> list[dict]:
        return [{"date": day, "total": sum(self.calls.get(day, Counter()).values()),
                 "users": [{"userId": u, "count": n}
                           for u, n in sorted(self.calls.get(day, Counter()).items())]}
                for day in days]

    def error_counts(self, days: list[str]) -> list[dict]:
        return [{"date": day, "total": sum(self.errors.get(day, Counter()).values()),
                 "errors": [{"errorCode": c, "count": n}
                            for c, n in sorted(self.errors.get(day, Counter()).items())]}
                for day in days]


def day_of(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, ZONE).date().isoformat()


def last_days(now: float, count: int) -> list[str]:
    today = datetime.fromtimestamp(now, ZONE).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(count)]
