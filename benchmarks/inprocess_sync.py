"""Benchmark (a): 300-lead createOrUpdate batches through `requests`, in-process.

Measured against a floor taken in the same run: the same requests, sent the same way, but
answered by a bare `responses` callback that only parses the body and returns one
`created` result per record. The ratio says what the mock's fidelity (routing, auth,
limits, validation, dedupe, journal) costs compared with a mock that checks nothing.

    python benchmarks/inprocess_sync.py [--batches 200] [--pool 900]

The instance holds `--pool` leads (default 900, three batches' worth) before the timed
batches (seeded, not timed); the batches address people all over the pool, as the instance
holds them (or, with `--changes`, changing a field of each), so every call does the same work
at any pool size and the ratio says whether a call costs more as the database grows (issue
23: the same at 900, 30,000 and 300,000 leads).
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


def person(k: int, title: str = "Engineer") -> dict:
    return {"email": f"person{k}@bench.example", "firstName": "Pat", "lastName": f"N{k % BATCH}",
            "title": title, "numberOfEmployees": 250, "company": "Acme"}


def make_batches(n: int, pool: int, changes: bool, active: int | None = None,
                 creates: int = 0) -> list[list[dict]]:
    """n batches spread over the pool of people the instance holds (or the first `active`
    of them). By default each record is what the instance already holds (a resend: the
    matching and checks, no write); `changes`: each record changes its title (the write
    path, activities included)."""
    held = min(pool, active or pool)
    stride = max(1, held // (n * BATCH))
    batches = [[person((b * BATCH + i) * stride % held, f"Engineer {b}" if changes
                       else "Engineer") for i in range(BATCH)] for b in range(n)]
    if creates:  # every `creates`-th batch holds people the instance has never seen
        for b in range(0, n, creates):
            batches[b] = [person(pool + b * BATCH + i) for i in range(BATCH)]
    return batches


def seed_pool(cloud: object, pool: int) -> None:
    """The instance holds the whole pool before anything is timed."""
    cloud.marketo(MUNCHKIN).seed({"leads": [person(k) for k in range(pool)]})  # type: ignore


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


def mock(batches: list[list[dict]], pool: int, created: int = 0) -> float:
    with mock_vendors(clock="virtual") as cloud:
        cloud.service("marketo").configure_default_limits(enabled=False)
        seed_pool(cloud, pool)
        session = requests.Session()
        token = session.get(f"{BASE}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "b", "client_secret": "b"}).json()
        session.headers["Authorization"] = f"Bearer {token['access_token']}"
        elapsed = run(session, batches)
        assert len(cloud.marketo(MUNCHKIN).leads) == pool + created
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="best of N rounds each")
    parser.add_argument("--pool", type=int, default=3 * BATCH,
                        help="leads the instance holds (seeded before timing; default 900)")
    parser.add_argument("--changes", action="store_true",
                        help="every record changes a field (default: records as held)")
    parser.add_argument("--creates", type=int, default=0, metavar="K",
                        help="every K-th batch creates 300 new leads (3: a third of them)")
    parser.add_argument("--active", type=int, default=None,
                        help="the batches address only the first N people of the pool "
                             "(default: all of it)")
    args = parser.parse_args()
    batches = make_batches(args.batches, args.pool, args.changes, args.active, args.creates)
    created = len(range(0, args.batches, args.creates)) * BATCH if args.creates else 0
    floors, mocks = [], []
    for _ in range(args.rounds):  # interleaved, so that background load hits both alike
        floors.append(floor(batches))
        mocks.append(mock(batches, args.pool, created))
    run_floor, run_mock = min(floors), min(mocks)
    n = len(batches)
    print(f"{n} batches x {BATCH} leads over a pool of {args.pool:,} leads"
          f"{f' (addressing {args.active:,} of them)' if args.active else ''}"
          f"{', each changing a field' if args.changes else ''}"
          f"{f', every {args.creates}th batch creating leads' if args.creates else ''}, "
          f"best of {args.rounds}")
    print(f"floor (bare responses callback): {n / run_floor:8.1f} batches/s "
          f"({n * BATCH / run_floor:9.0f} leads/s)")
    print(f"vendorsim Marketo in-process:     {n / run_mock:8.1f} batches/s "
          f"({n * BATCH / run_mock:9.0f} leads/s)")
    print(f"ratio mock/floor: {run_floor / run_mock:.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
