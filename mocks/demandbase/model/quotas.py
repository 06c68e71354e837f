"""A client's daily counts (Demandbase's portal: per endpoint, a day ending at midnight UTC,
on the tenant's clock) and bytes exported a day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..facts import DAILY_CALLS, DAILY_CODE
from .errors import export_error


def utc_day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


@dataclass
class DailyCounts:
    """Calls per endpoint and bytes exported, today (UTC); yesterday's are forgotten."""

    day: str = ""
    calls: dict[str, int] = field(default_factory=dict)
    exported: int = 0

    def roll(self, now: float) -> None:
        today = utc_day(now)
        if today != self.day:
            self.day, self.calls, self.exported = today, {}, 0

    def take(self, now: float, endpoint: str, code: str = DAILY_CODE) -> None:
        """Count a call; 429 with `code` when the endpoint's calls today are used up."""
        self.roll(now)
        limit = DAILY_CALLS[endpoint]
        used = self.calls.get(endpoint, 0)
        if used >= limit:
            raise export_error(429, code, f"Daily limit of {limit} calls to this endpoint "
                                          "reached; it resets at midnight UTC")
        self.calls[endpoint] = used + 1
