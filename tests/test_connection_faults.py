"""Connection-level faults, latency distributions, slow bodies and chaos (issue 18): the same
fault rules, in-process (the client library's own exceptions) and against a server (the real
socket misbehaving)."""

from __future__ import annotations

import statistics

import httpx
import pytest
import requests

from tests.helpers import BASE, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

KINDS = {  # connection fault -> what requests raises, what httpx raises
    "reset": (requests.exceptions.ConnectionError, (httpx.ReadError,)),
    "empty": (requests.exceptions.ConnectionError, (httpx.RemoteProtocolError,)),
    "garbage": (requests.exceptions.ConnectionError, (httpx.RemoteProtocolError,)),
    "truncated": (requests.exceptions.ChunkedEncodingError, (httpx.RemoteProtocolError,)),
    "hang": (requests.exceptions.ReadTimeout, (httpx.ReadTimeout,)),
}
SYNC = {"input": [{"email": "a@x.example"}]}


@pytest.mark.parametrize("kind", list(KINDS))
def test_in_process_the_client_library_raises_what_it_would(cloud: Cloud, mkto: MarketoCaller,
                                                            kind: str) -> None:
    cloud.add_fault(connection=kind, times=2, path="leads", hang=5)
    with pytest.raises(KINDS[kind][0]):
        mkto.session.post(f"{BASE}/rest/v1/leads.json", json=SYNC, timeout=1)
    with pytest.raises(KINDS[kind][1]):
        httpx.post(f"{BASE}/rest/v1/leads.json", json=SYNC,
                   headers={"Authorization": mkto.session.headers["Authorization"]})
    assert mkto.session.post(f"{BASE}/rest/v1/leads.json", json=SYNC).json()["success"]
    faulted = [e for e in cloud.journal.entries() if e.fault]
    assert [e.codes for e in faulted] == [[f"connection:{kind}"]] * 2
    assert len(cloud.marketo("123-ABC-456").leads) == 1  # only the call after the faults


def test_a_hang_moves_the_virtual_clock(cloud: Cloud, mkto: MarketoCaller) -> None:
    before = cloud.clock.now()
    cloud.add_fault(connection="hang", times=1, path="leads", hang=30)
    with pytest.raises(requests.exceptions.ReadTimeout):
        mkto.sync([{"email": "a@x.example"}])
    assert cloud.clock.now() == before + 30


@pytest.fixture(scope="module")
def server() -> object:
    with ServerRunner(Cloud("virtual"), port=0) as running:
        yield running


@pytest.mark.parametrize("kind", list(KINDS))
def test_against_a_server_the_socket_fails(server: ServerRunner, kind: str) -> None:
    server.cloud.reset()
    base = server.base_url("marketo", "123-ABC-456")
    http = requests.Session()
    token = http.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    http.headers["Authorization"] = f"Bearer {token['access_token']}"
    server.cloud.add_fault(connection=kind, times=2, path="leads", hang=1.5)
    with pytest.raises(KINDS[kind][0]):
        http.post(f"{base}/rest/v1/leads.json", json=SYNC, timeout=0.5)
    with pytest.raises(KINDS[kind][1]):
        httpx.post(f"{base}/rest/v1/leads.json", json=SYNC, timeout=0.5,
                   headers={"Authorization": http.headers["Authorization"]})
    assert http.post(f"{base}/rest/v1/leads.json", json=SYNC, timeout=5).json()["success"]


def _latencies(cloud: Cloud, mkto: MarketoCaller, calls: int) -> list[float]:
    seen = []
    for _ in range(calls):
        before = cloud.clock.now()
        mkto.get("/rest/v1/leads/describe.json")
        seen.append(cloud.clock.now() - before)
    return seen


def test_uniform_latency_is_seeded_and_in_range(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.add_fault(latency=1, latency_max=3, seed=7, path="describe")
    first = _latencies(cloud, mkto, 40)
    assert all(1 <= s <= 3 for s in first) and len(set(first)) > 30
    cloud.faults.clear()
    cloud.add_fault(latency=1, latency_max=3, seed=7, path="describe")
    assert _latencies(cloud, mkto, 40) == first  # the same seed, the same delays


def test_log_normal_latency_has_its_median(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.add_fault(latency=0.8, latency_sigma=0.5, seed=1, path="describe")
    seen = _latencies(cloud, mkto, 400)
    assert 0.65 < statistics.median(seen) < 0.95 and max(seen) > 1.6


def test_a_slow_body_trickles_over_the_clock(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.add_fault(slow_body=8, times=1, path="describe")
    before = cloud.clock.now()
    assert mkto.get("/rest/v1/leads/describe.json")["success"]
    assert cloud.clock.now() - before == pytest.approx(6.0)  # three waits between 4 pieces


def test_chaos_answers_with_the_vendors_own_throttling(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.add_fault(chaos="throttle", probability=0.3, seed=3, vendor="marketo",
                    path="describe")
    answers = [mkto.get("/rest/v1/leads/describe.json") for _ in range(100)]
    throttled = [a for a in answers if not a["success"]]
    assert 15 < len(throttled) < 45
    assert {a["errors"][0]["code"] for a in throttled} == {"606"}


def test_chaos_5xx_and_mixed(cloud: Cloud) -> None:
    cloud.add_fault(chaos="mixed", seed=5, vendor="bombora")
    http = requests.Session()
    answers = [http.get("https://api.bombora.com/account-list/v1/account-list").status_code
               for _ in range(40)]
    assert set(answers) == {429, 503}


def test_fault_specs_are_checked(cloud: Cloud) -> None:
    for bad in ({"connection": "explode"}, {"latency": 1, "latency_max": 0.5},
                {"latency": 1, "latency_max": 2, "latency_sigma": 1},
                {"chaos": "sometimes"}, {"connection": "hang", "hang": 10_000}):
        with pytest.raises(ValueError):
            cloud.faults.add(bad)
    assert cloud.faults.list() == []
