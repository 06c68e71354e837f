"""Benchmark (a): 300-lead createOrUpdate batches through `requests`, in-process.

Measured against a floor taken in the same run: the same requests, sent the same way, but
answered by a bare `responses` callback that only parses the body and returns one
`created` result per record. The ratio says what the mock's fidelity (routing, auth,
limits, validation, dedupe, journal) costs compared with a mock that checks nothing.

    python benchmarks/inprocess_sync.py [--batches 200]
"""

from __future__ import annotations

import argparse
import json
import re
import time

import requests
import responses

from vendorsim import mock_vendors

MUNCHKIN = "123-ABC-456"
BASE = f"https://{MUNCHKIN}.mktorest.com"
BATCH = 300


def make_batches(n: int) -> list[list[dict]]:
    """n batches over a pool of 3 batches' worth of people: creates first, then updates."""
    pool = 3 * BATCH
    return [[{"email": f"person{(b * BATCH + i) % pool}@bench.example", "firstName": "Pat",
              "lastName": f"N{i}", "title": "Engineer", "numberOfEmployees": 250,
              "company": "Acme"} for i in range(BATCH)] for b in range(n)]


def run(session: requests.Session, batches: list[list[dict]]) -> float:
    start = time.perf_counter()
    for batch in batches:
        body = session.post(f"{BASE}/rest/v1/leads.json",
                            json={"action": "createOrUpdate", "input": batch}).json()
        assert len(body["result"]) == BATCH
    return time.perf_counter() - start


def floor(batches: list[list[dict]]) -> float:
    def answer(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        records = json.loads(request.body)["input"]
        result = [{"id": i + 1, "status": "created"} for i in range(len(records))]
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"requestId": "1#1", "result": result, "success": True})

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("POST", re.compile(r"https://.*\.mktorest\.com/.*"), callback=answer)
        session = requests.Session()
        session.headers["Authorization"] = "Bearer bench"
        return run(session, batches)


def mock(batches: list[list[dict]]) -> float:
    with mock_vendors(clock="virtual") as cloud:
        cloud.service("marketo").configure_default_limits(enabled=False)
        session = requests.Session()
        token = session.get(f"{BASE}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "b", "client_secret": "b"}).json()
        session.headers["Authorization"] = f"Bearer {token['access_token']}"
        elapsed = run(session, batches)
        assert len(cloud.marketo(MUNCHKIN).leads) == 3 * BATCH
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="best of N rounds each")
    args = parser.parse_args()
    batches = make_batches(args.batches)
    floors, mocks = [], []
    for _ in range(args.rounds):  # interleaved, so that background load hits both alike
        floors.append(floor(batches))
        mocks.append(mock(batches))
    run_floor, run_mock = min(floors), min(mocks)
    n = len(batches)
    print(f"{n} batches x {BATCH} leads, best of {args.rounds}")
    print(f"floor (bare responses callback): {n / run_floor:8.1f} batches/s "
          f"({n * BATCH / run_floor:9.0f} leads/s)")
    print(f"vendorsim Marketo in-process:     {n / run_mock:8.1f} batches/s "
          f"({n * BATCH / run_mock:9.0f} leads/s)")
    print(f"ratio mock/floor: {run_floor / run_mock:.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
