"""The simulator's Marketo REST client, shared by the Marketo destination and source: one
token per connector, reused until Marketo says it is no good (601/602); one throttle policy
for both; transport failures and Marketo's HTTP-level answers (413, 414, 5xx pages) as
failed attempts of the caller's delivery policy.

The throttle policy (docs/how-to/scenarios.md, "the throttle policy"): 606 waits out the
rolling 20-s window (the error's own text names it), 615 one second (calls in flight end in
well under that; Marketo documents no wait), 607 until the daily quota resets at midnight in
the instance's quota time zone. Connectors of one API client share those waits: when Marketo
tells one to hold off, the others do too, since Marketo sees one client.
"""

from __future__ import annotations

from collections.abc import Callable

import requests

from vendorsim.mocks.marketo.facts import THROTTLES
from vendorsim.simulator.destinations.policy import (
    Attempts,
    Dropped,
    Rejected,
    marketo_status,
    until_marketo_quota_resets,
)

from .http import Tally, Unreachable, json_of, send

REAUTH_CODES = ("601", "602")
MAX_REAUTH = 3  # new tokens refused in a row before the call counts as refused
# (a token that expired during a long wait, such as 607's until midnight, is renewed anew)


class MarketoClient:
    """Calls one Marketo instance as one API client; counts calls, throttled answers,
    retries and the time waited, for the report."""

    def __init__(self, base_url: str, client_id: str, client_secret: str,
                 session: requests.Session, sleep: Callable[[float], None] | None = None,
                 now: Callable[[], float] | None = None,
                 pace: Callable[[], None] | None = None,
                 holds: dict[tuple, tuple[float, int]] | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = session
        self.sleep = sleep or (lambda seconds: None)  # the engine: a wait of the process
        self.now = now or (lambda: 0.0)
        self.pace = pace or (lambda: None)  # the engine: other processes' calls interleave
        # (base URL, client id) -> (hold off until, who was told): shared by the connectors
        self.holds = holds if holds is not None else {}
        self._key = (self.base, client_id)
        self.tally = Tally()  # calls, throttled answers, retries, seconds waited

    # -- throttling -------------------------------------------------------------------
    def throttle_wait(self, code: str) -> float | None:
        """Count a throttling answer and say how long Marketo asks to be left alone (None:
        not a throttling code); every connector of this API client holds off that long."""
        throttle = THROTTLES.get(code)
        if throttle is None:
            return None
        self.tally.add("throttled")
        wait = throttle.wait or until_marketo_quota_resets(self.now())  # None: the quota
        until, _ = self.holds.get(self._key, (0.0, 0))
        self.holds[self._key] = (max(until, self.now() + wait), id(self))
        return wait

    def _hold(self) -> None:
        """Wait while another connector of this API client was told to leave Marketo alone."""
        until, owner = self.holds.get(self._key, (0.0, 0))
        gap = until - self.now()
        if owner != id(self) and gap > 0:
            self.tally.add("waited", gap)
            self.sleep(gap)

    def _turn(self) -> None:
        self.tally.add("calls")
        self.pace()
        self._hold()  # after pace: the turn may have gone to one that was told to wait

    def _settle(self, attempts: Attempts) -> None:
        self.tally.add("waited", attempts.waited)
        self.tally.add("retries", attempts.retries)

    # -- calls ------------------------------------------------------------------------
    def authenticate(self) -> None:
        """A token. Throttling, outages and no answer are waited out (lossless: nothing has
        been sent yet); a refusal of the credentials themselves raises Rejected."""
        attempts = Attempts("lossless", self.sleep)
        try:
            while True:
                self._turn()
                try:
                    answer = send(self.http, "GET", f"{self.base}/identity/oauth/token",
                                  params={"grant_type": "client_credentials",
                                          "client_id": self.client_id,
                                          "client_secret": self.client_secret})
                except Unreachable as exc:
                    attempts.failed(exc.status, f"the token call: {exc}")
                    continue
                body = json_of(answer)
                if "access_token" in body:
                    self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
                    return
                code = _error(body)[0]
                status = marketo_status(code) if code else answer.status_code
                if answer.status_code in (400, 401) or status < 408 or status in (410, 413, 414):
                    raise Rejected(f"Marketo refused the credentials: HTTP "
                                   f"{answer.status_code} {answer.text[:200]}")
                attempts.failed(status, f"Marketo {code or answer.status_code} on the token "
                                        "call", self.throttle_wait(code))
        finally:
            self._settle(attempts)

    def call(self, method: str, path: str, policy: str, **kwargs: object) -> dict:
        """One REST or bulk call under a delivery policy: the answer's envelope when it
        succeeded; Dropped (the policy gave up) or Rejected (Marketo refused it)."""
        if "Authorization" not in self.http.headers:
            self.authenticate()
        attempts = Attempts(policy, self.sleep)
        reauth = 0
        try:
            while True:
                self._turn()
                try:
                    answer = send(self.http, method, self.base + path, **kwargs)
                except Unreachable as exc:
                    attempts.failed(exc.status, f"no answer from Marketo ({exc})")
                    continue
                body = json_of(answer)
                if answer.status_code != 200 or not body:  # nginx's own pages
                    status = answer.status_code if answer.status_code != 200 else 502
                    attempts.failed(status, f"HTTP {answer.status_code} from Marketo")
                    continue
                if body.get("success"):
                    return body
                code, text = _error(body)
                if code in REAUTH_CODES and reauth < MAX_REAUTH:
                    reauth += 1  # new tokens refused in a row
                    self.authenticate()
                    continue
                reauth = 0
                attempts.failed(marketo_status(code), f"Marketo {code} {text}",
                                self.throttle_wait(code))
        finally:
            self._settle(attempts)

    def file(self, path: str, policy: str = "lossless") -> str:
        """A bulk file's text (CSV, not an envelope): transport failures retried."""
        attempts = Attempts(policy, self.sleep)
        try:
            while True:
                self._turn()
                try:
                    answer = send(self.http, "GET", self.base + path)
                except Unreachable as exc:
                    attempts.failed(exc.status, f"no answer from Marketo ({exc})")
                    continue
                if answer.status_code == 200 and not answer.headers.get(
                        "Content-Type", "").startswith("application/json"):
                    return answer.text
                code, text = _error(json_of(answer))
                attempts.failed(marketo_status(code) if code else answer.status_code,
                                f"Marketo {code or answer.status_code} {text}",
                                self.throttle_wait(code))
        finally:
            self._settle(attempts)


def _error(body: dict) -> tuple[str, str]:
    """The first response-level error of an envelope: (code, message)."""
    errors = body.get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) \
        else {}
    return str(first.get("code", "")), str(first.get("message", ""))


__all__ = ["Dropped", "MarketoClient", "Rejected"]
