"""615 in server mode (issue 25): calls truly in flight at once, held by a latency fault, are
admitted up to Marketo's 10 and the rest refused with 615, whatever the server's thread pool.

Calls overlap only in real time, so this runs against a real-clock server: one started here
(`ServerRunner`, its fixed pool of 8 threads: a call waiting for a worker already counts in
flight, as Marketo counts a call from the moment it arrives), or the running vendorsim named by
`VENDORSIM_REAL_CLOCK_URL` (.ci/docker points it at a container). The latency is the server's
(its handler holds the call), never a sleep in the test."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from vendorsim import Cloud
from vendorsim.mocks.cloud import served_url
from vendorsim.mocks.server import ServerRunner

TENANT = "615-ABC-615"
CALLS = 14  # Marketo admits 10 in flight: 4 must be refused
HOLD = 2.0  # seconds each admitted call stays inside the mock


@pytest.fixture
def urls() -> Iterator[dict[str, str]]:
    given = os.environ.get("VENDORSIM_REAL_CLOCK_URL")
    if given:
        health = requests.get(f"{given}/__admin/health", timeout=10).json()
        assert health["clock"]["virtual"] is False, "VENDORSIM_REAL_CLOCK_URL: a real clock"
        requests.post(f"{given}/__admin/reset", timeout=10).raise_for_status()
        yield {"cloud": given}  # its vendor ports may be published elsewhere: /marketo/...
        return
    with ServerRunner(Cloud("real")) as server:
        yield dict(server.urls)


def fire(base: str, calls: int = CALLS) -> list[dict]:
    """`calls` concurrent reads released at once; each answer's body."""
    token = requests.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"},
        timeout=10).json()["access_token"]
    start = threading.Barrier(calls)

    def one(_: int) -> dict:
        session = requests.Session()
        start.wait(timeout=30)
        return dict(session.get(f"{base}/rest/v1/leads/partitions.json", timeout=30,
                                headers={"Authorization": f"Bearer {token}"}).json())

    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(one, range(calls)))


@pytest.mark.parametrize("calls", [CALLS, 40])  # below and far above the pool's 8 workers
def test_the_eleventh_call_in_flight_gets_615(urls: dict[str, str], calls: int) -> None:
    admin = urls["cloud"] + "/__admin"
    requests.post(f"{admin}/faults", json={"latency": HOLD, "path": "partitions"},
                  timeout=10).raise_for_status()
    answers = fire(served_url(urls, "marketo", TENANT) if "marketo" in urls
                   else f"{urls['cloud']}/marketo/{TENANT}", calls)
    refused = [a for a in answers if not a["success"]]
    assert sum(a["success"] for a in answers) == 10
    assert len(refused) == calls - 10
    assert {e["code"] for a in refused for e in a["errors"]} == {"615"}
    assert "'10'" in refused[0]["errors"][0]["message"]
    journal = requests.get(f"{admin}/journal", params={"code": "615"}, timeout=10).json()
    assert journal["count"] == calls - 10
