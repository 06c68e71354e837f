"""The CDP's delivery policies (vendor-apis.md §5.2), shared by every destination connector.

- `best_effort`: retry 403/408/409/429/500/502/503/504 after 15 s and 30 s, then **drop**;
  anything else is not retried.
- `configurable`: retry 420, 429 and codes above 500 after 30 minutes (the number of retries
  is not documented: three here), then drop.
- `lossless` (vendorsim's own): honour every throttling signal and wait on the (virtual) clock
  until delivered, the way a careful client would; it gives up only after `LOSSLESS_ATTEMPTS`
  and then reports the batch as failed, never silently.

Each attempt's failure is described by the HTTP status the platform would see; Marketo's
response-level codes are translated first (`marketo_status`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vendorsim.mocks.marketo import facts as marketo_facts

RETRY = {
    "best_effort": ({403, 408, 409, 429, 500, 502, 503, 504}, [15.0, 30.0]),
    "configurable": ({420, 429} | set(range(501, 600)), [1800.0, 1800.0, 1800.0]),
}
LOSSLESS_ATTEMPTS = 1000
# Marketo answers throttling and outages inside HTTP 200 bodies (vendor-apis.md §1)
MARKETO_QUOTA_ZONE = ZoneInfo(marketo_facts.QUOTA_ZONE)


class Dropped(Exception):
    """The delivery policy gave up on a batch: the platform drops it (and says why)."""


class Rejected(Dropped):
    """The vendor refused the batch with an error no policy retries (a failure, not a drop)."""


def marketo_status(code: str) -> int:
    """The HTTP status a Marketo response-level error code stands for (400: not retried)."""
    return marketo_facts.POLICY_STATUS.get(code, 400)


def until_marketo_quota_resets(now: float) -> float:
    """Seconds until the next midnight in Marketo's quota time zone (error 607)."""
    local = datetime.fromtimestamp(now, MARKETO_QUOTA_ZONE)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1.0, midnight.timestamp() - now)


class Attempts:
    """The retries of one request under a dataflow's policy; counts waits and retries."""

    def __init__(self, policy: str, sleep: Callable[[float], None]) -> None:
        self.policy = policy
        self.sleep = sleep
        self.tries = 0  # failed attempts
        self.retries = 0  # attempts repeated after a wait
        self.waited = 0.0

    def failed(self, status: int, reason: str, lossless_wait: float | None = None) -> None:
        """After a failed attempt: wait before the next one, or raise Dropped/Rejected."""
        self.tries += 1
        if self.policy == "lossless":
            if status < 408 or status in (410, 413, 414, 422):
                raise Rejected(f"refused: {reason}")
            if self.tries >= LOSSLESS_ATTEMPTS:
                raise Rejected(f"still failing after {self.tries} attempts: {reason}")
            wait = lossless_wait if lossless_wait is not None else 2.0 ** min(self.tries, 6)
        else:
            retried, waits = RETRY[self.policy]
            if status not in retried:
                raise Rejected(f"refused: {reason} (not retried by the {self.policy} policy)")
            if self.tries > len(waits):
                raise Dropped(f"dropped after {len(waits)} retries of {reason} "
                              f"({self.policy} policy)")
            wait = waits[self.tries - 1]
        self.waited += wait
        self.retries += 1
        self.sleep(wait)
