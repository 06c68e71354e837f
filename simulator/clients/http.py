"""One vendor call as every connector makes it: bounded in time, and with every way of
getting no HTTP answer (refused, reset, garbage, a truncated body, a timeout) turned into
`Unreachable`, which the delivery policies treat as a failed attempt (the platform saw no
answer: HTTP 503 for the policy tables) instead of ending the replay.

Timeouts are the client's, as a real connector has them: 10 s to connect, 60 s to read.
In-process the mocks read the timeout, so a `hang` fault ends at 60 s of the virtual clock;
against a server they are wall time.
"""

from __future__ import annotations

import threading
from typing import Any

import requests

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
TIMEOUT = (CONNECT_TIMEOUT, READ_TIMEOUT)
NO_ANSWER = 503  # how a call without an answer counts for the delivery policies


class Unreachable(Exception):
    """No HTTP answer: the connection failed, broke or timed out."""

    status = NO_ANSWER


def describe(exc: BaseException) -> str:
    """A transport failure in one line: its kind and the innermost reason."""
    reason: BaseException = exc
    while reason.__context__ is not None and reason.args == ():
        reason = reason.__context__
    text = str(reason).split("\n")[0]
    for noise in ("HTTPSConnectionPool", "HTTPConnectionPool"):
        if text.startswith(noise) and ": " in text:
            text = text.split(": ", 1)[1]
    kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
    return f"{kind}: {text[:160]}" if text else kind


def with_timeout(session: requests.Session, read: float | None) -> requests.Session:
    """Give a session the read timeout its calls use (`vendorsim run --timeout`)."""
    session.call_timeout = (min(CONNECT_TIMEOUT, read or CONNECT_TIMEOUT),  # type: ignore[attr-defined]  # vendorsim's own attribute on the session
                            read or READ_TIMEOUT)
    return session


def send(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One request with the connector's timeouts; Unreachable when no answer came."""
    kwargs.setdefault("timeout", getattr(session, "call_timeout", TIMEOUT))
    try:
        response = session.request(method, url, **kwargs)
        response.content  # noqa: B018 - a truncated body fails here, inside the try
        return response
    except requests.RequestException as exc:
        raise Unreachable(describe(exc)) from None


def json_of(response: requests.Response) -> dict:
    """An answer's JSON object ({} for anything else: an HTML page, an empty body)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Tally:
    """A connector's calls, throttled answers, retries and virtual seconds waited, kept per
    engine process (every dataflow and source runs on its own thread): a dataflow's figures
    are its own even while dataflows of one destination interleave, and a report's totals
    are sums of the same rows."""

    FIELDS = ("calls", "throttled", "retries", "waited")

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, float]] = {}

    def add(self, field: str, amount: float = 1) -> None:
        name = threading.current_thread().name
        row = self._rows.get(name)
        if row is None:  # the process's first figure (each process has its own thread)
            row = self._rows[name] = dict.fromkeys(self.FIELDS, 0)
        row[field] += amount

    def mine(self) -> dict[str, float]:
        """The calling process's figures so far."""
        return dict(self._rows.get(threading.current_thread().name,
                                   dict.fromkeys(self.FIELDS, 0)))

    def total(self, field: str) -> float:
        return sum(row[field] for row in self._rows.values())
